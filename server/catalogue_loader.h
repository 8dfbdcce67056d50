// The capacity catalogue a command runs on: the built-in one, or the pools of
// a `--capacity FILE` (format in api/capacity_file.h). Shared by `serve` and
// `simulate`, so both read the same file the same way.
//
// Threading: stateless; reads the file on the calling thread.
#pragma once

#include <string>

#include "trainyard/catalogue.h"
#include "trainyard/status.h"

namespace trainyard {

// `path` empty: the built-in catalogue. Otherwise the file's pools, or a
// Validation status naming the file and what is wrong with it.
Result<Catalogue> LoadCatalogue(const std::string& path);

}  // namespace trainyard
