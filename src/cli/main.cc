#include <cstdio>
#include <cstring>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace vigil::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(Usage(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::puts("vigil 0.1.0");
    return 0;
  }
  const std::string command = argv[1];
  const Args args(argv + 2, argv + argc);
  try {
    if (command == "parse") return ParseCommand(args);
    if (command == "ingest") return IngestCommand(args);
    if (command == "mrz") return MrzCommand(args);
    if (command == "status") return StatusCommand(args);
    if (command == "lists") return ListsCommand(args);
    if (command == "screen") return ScreenCommand(args);
    if (command == "hits") return HitsCommand(args);
    if (command == "eval") return EvalCommand(args);
    if (command == "rules") return RulesCommand(args);
    if (command == "values") return ValuesCommand(args);
    if (command == "assess") return AssessCommand(args);
    if (command == "alerts") return AlertsCommand(args);
    if (command == "report") return ReportCommand(args);
    if (command == "serve") return ServeCommand(args);
    if (command == "users") return UsersCommand(args);
    if (command == "tokens") return TokensCommand(args);
    if (command == "audit") return AuditCommand(args);
    if (command == "keys") return KeysCommand(args);
    if (command == "bio") return BioCommand(args);
    if (command == "retention") return RetentionCommand(args);
    if (command == "repersonalise") return RepersonaliseCommand(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil %s: internal error: %s\n", command.c_str(), e.what());
    return 3;
  }
  std::fprintf(stderr, "vigil: unknown command '%s' (see vigil --help)\n", command.c_str());
  return 2;
}
