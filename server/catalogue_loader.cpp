#include "server/catalogue_loader.h"

#include <fstream>
#include <sstream>

#include "api/capacity_file.h"

namespace trainyard {

Result<Catalogue> LoadCatalogue(const std::string& path) {
  if (path.empty()) return Catalogue::BuiltIn();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Validation("--capacity: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto catalogue = api::ParseCapacityFile(text.str());
  if (!catalogue.ok()) {
    return Status::Validation("--capacity " + path + ": " + catalogue.status().message());
  }
  return catalogue;
}

}  // namespace trainyard
