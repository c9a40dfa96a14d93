// Reading whole files and walking directories.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace vigil {

// The bytes of `path`, or an error naming the file and the reason.
Result<std::string> read_file(const std::string& path);

// A secret kept in a file of its own: the bytes of `path` when it exists
// (refused unless it holds exactly fresh.size() bytes), else `fresh`
// written there first, readable by the owner only (0600), its folder
// created.
Result<std::string> read_or_create_secret(const std::string& path, const std::string& fresh);

// Expands each path: a file stays as it is; a directory becomes the regular
// files below it (recursively), sorted by name so runs are reproducible.
// Hidden files (names starting with '.') are skipped.
Result<std::vector<std::string>> expand_paths(const std::vector<std::string>& paths);

}  // namespace vigil
