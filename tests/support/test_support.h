// Helpers shared by the test binaries.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/watchlist.h"

namespace vigil::testing {

// Path of a file under the source tree's data/samples.
std::string SamplePath(const std::string& name);
// Bytes of a sample file; fails the test when unreadable.
std::string ReadSample(const std::string& name);
// Bytes of a file of the source tree, `path` from its root; fails the test
// when unreadable.
std::string ReadSource(const std::string& path);
// A fresh empty directory under the system's temp dir, removed at exit.
std::string TempDir();

// Output and exit status of a command run by the shell.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the `vigil` binary with `args` (each shell-quoted) and captures it;
// standard input is `input`.
CommandResult RunVigil(const std::vector<std::string>& args, const std::string& input = "");

// A clock the test moves forward.
class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t t) : t_(t) {}
  int64_t now() const override { return t_; }
  void Advance(int64_t seconds) { t_ += seconds; }

 private:
  std::atomic<int64_t> t_;
};

// A person entry of list `list` with reference `ref`: the first of `names`
// primary, the others aliases.
WatchEntry PersonEntry(const std::string& list, const std::string& ref,
                       const std::vector<std::string>& names,
                       std::vector<std::string> birth_dates = {},
                       std::vector<std::string> nationalities = {}, const std::string& sex = "");

}  // namespace vigil::testing
