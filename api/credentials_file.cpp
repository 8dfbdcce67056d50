#include "api/credentials_file.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

namespace trainyard::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Section {
  std::string name;
  int line = 0;
  std::map<std::string, std::string> values;
};

}  // namespace

Result<CredentialSet> ParseCredentialsFile(std::string_view text) {
  std::vector<Section> sections;
  int line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    // An indented line continues the previous value (botocore's nested
    // settings); no credential key is written that way.
    if (std::isspace(static_cast<unsigned char>(raw.front())) && !sections.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        return Status::Validation("line " + std::to_string(line_number) +
                                  ": a section header must be [name]");
      }
      sections.push_back({std::string(Trim(line.substr(1, line.size() - 2))), line_number, {}});
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return Status::Validation("line " + std::to_string(line_number) +
                                ": expected 'name = value' or '[profile]'");
    }
    if (sections.empty()) {
      return Status::Validation("line " + std::to_string(line_number) +
                                ": a setting before any [profile] header");
    }
    sections.back().values[Lower(Trim(line.substr(0, eq)))] = std::string(Trim(line.substr(eq + 1)));
  }

  CredentialSet out;
  for (const Section& section : sections) {
    auto id = section.values.find("aws_access_key_id");
    auto secret = section.values.find("aws_secret_access_key");
    if (id == section.values.end() || secret == section.values.end()) continue;
    if (id->second.empty() || secret->second.empty()) {
      return Status::Validation("profile [" + section.name + "] (line " +
                                std::to_string(section.line) + ") has an empty key");
    }
    AwsCredential credential{section.name, id->second, secret->second, {}};
    if (auto token = section.values.find("aws_session_token"); token != section.values.end()) {
      credential.session_token = token->second;
    }
    auto [it, inserted] = out.emplace(credential.access_key_id, credential);
    if (!inserted && (it->second.secret_access_key != credential.secret_access_key ||
                      it->second.session_token != credential.session_token)) {
      return Status::Validation("profiles [" + it->second.profile + "] and [" + section.name +
                                "] give access key " + credential.access_key_id +
                                " different secrets");
    }
  }
  if (out.empty()) {
    return Status::Validation(
        "no profile has both aws_access_key_id and aws_secret_access_key");
  }
  return out;
}

Result<CredentialSet> LoadCredentialsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Validation("--credentials: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = ParseCredentialsFile(text.str());
  if (!parsed.ok()) return Status::Validation("--credentials " + path + ": " + parsed.status().message());
  return parsed;
}

}  // namespace trainyard::api
