// A fresh directory under the system's temporary directory for one test's
// files (SQLite databases), removed with everything in it when the test is
// done.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace trainyard::testing {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("trainyard-" + prefix + "-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A file inside it, as a string (what the store and Database take).
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace trainyard::testing
