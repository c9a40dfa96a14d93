// One entry point for every watch-list format, over bytes already read.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "formats/lists/list_read.h"

namespace vigil {

// The formats read_list() knows: "ofac", "un", "csv", "jsonl".
bool is_list_format(const std::string& format);

// Reads the files of one import, each a (file name, bytes) pair. OFAC takes
// sdn.csv, alt.csv, add.csv and sdn_comments.csv by their file names (sdn.csv
// required); the other formats read each file and join their entries.
ListRead read_list(const std::string& format, const std::vector<std::pair<std::string, std::string>>& files,
                   const std::string& list_name);

}  // namespace vigil
