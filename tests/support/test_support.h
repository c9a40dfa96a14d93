// Helpers shared by the test binaries.
#pragma once

#include <string>
#include <vector>

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

}  // namespace vigil::testing
