// The subcommands of the `vigil` command. Each takes its arguments (after
// the subcommand name) and returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "screening/config.h"

namespace vigil::cli {

using Args = std::vector<std::string>;

int ParseCommand(const Args& args);
int IngestCommand(const Args& args);
int MrzCommand(const Args& args);
int StatusCommand(const Args& args);
int ListsCommand(const Args& args);
int ScreenCommand(const Args& args);
int HitsCommand(const Args& args);
int EvalCommand(const Args& args);

// The screening settings of `command` ("screen", "lists import" ...):
// defaults, overridden by the JSON file `path` when given, then by
// `threshold` when it is not negative. On a bad file, says why on stderr and
// returns false.
bool LoadScreeningConfig(const std::string& command, const std::string& path, double threshold,
                         ScreeningConfig* config);

// Text of `vigil --help`.
const char* Usage();

}  // namespace vigil::cli
