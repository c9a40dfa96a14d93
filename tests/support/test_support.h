// Helpers shared by the test binaries.
#pragma once

#include <string>
#include <vector>

#include "model/watchlist.h"

namespace vigil::testing {

// Path of a file under the source tree's data/samples.
std::string SamplePath(const std::string& name);
// Bytes of a sample file; fails the test when unreadable.
std::string ReadSample(const std::string& name);
// A fresh empty directory under the system's temp dir, removed at exit.
std::string TempDir();

// Output and exit status of a command run by the shell.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the `vigil` binary with `args` (each shell-quoted) and captures it.
CommandResult RunVigil(const std::vector<std::string>& args);

// A person entry of list `list` with reference `ref`: the first of `names`
// primary, the others aliases.
WatchEntry PersonEntry(const std::string& list, const std::string& ref,
                       const std::vector<std::string>& names,
                       std::vector<std::string> birth_dates = {},
                       std::vector<std::string> nationalities = {}, const std::string& sex = "");

}  // namespace vigil::testing
