// The subcommands of the `vigil` command. Each takes its arguments (after
// the subcommand name) and returns the process exit code.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "risk/assess.h"
#include "screening/config.h"
#include "store/store.h"

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
int RulesCommand(const Args& args);
int ValuesCommand(const Args& args);
int AssessCommand(const Args& args);
int AlertsCommand(const Args& args);
int ReportCommand(const Args& args);
int ServeCommand(const Args& args);
int UsersCommand(const Args& args);
int TokensCommand(const Args& args);
int AuditCommand(const Args& args);
int KeysCommand(const Args& args);
int BioCommand(const Args& args);
int RetentionCommand(const Args& args);
int RepersonaliseCommand(const Args& args);

class Options;

// Says "vigil COMMAND: MESSAGE" on stderr and returns `code`.
int Fail(const std::string& command, const std::string& message, int code = 2);

// Whether --fpir's `rate` is one (between 0 and 1); else says why as
// Fail() does.
bool FpirOk(const std::string& command, double rate);

// The store of the options (database, clock, data key file); on failure
// says why on stderr (as "vigil COMMAND: ...") and returns null.
std::unique_ptr<Store> OpenStore(const std::string& command, const Options& o);
// The person acting on the command line: `user`, else $VIGIL_USER, else
// $USER.
std::string Who(const std::string& user);

// The one positive id in `positional`, or 0 when there is not exactly one.
int64_t SingleId(const std::vector<std::string>& positional);

// Logs what a command-line user did to the access log, as the server logs
// its answers: `user` (else $VIGIL_USER, $USER, "command line"), what, to
// which object, why, the outcome, and to whom data went if it left.
void LogAccess(Store* store, const std::string& user, const std::string& action, const std::string& object,
               const std::string& purpose, const std::string& outcome, const std::string& recipient = "");

// The flights departing today or later (by the options' clock).
std::vector<int64_t> UpcomingFlightIds(Store* store, const Options& o);
// Assesses `flights` against the active lists and the rules in force and
// records their alerts, adding to `summary`; on failure says why on stderr
// (as "vigil COMMAND: ...") and returns false.
bool AssessFlights(const std::string& command, Store* store, const Options& o, const std::vector<int64_t>& flights,
                   AssessSummary* summary);
// The assessment summary as printed, and as JSON.
void PrintAssessment(const AssessSummary& summary);
nlohmann::json AssessmentJson(const AssessSummary& summary);

// The screening settings of `command` ("screen", "lists import" ...):
// defaults, overridden by the JSON file `path` when given, then by
// `threshold` when it is not negative. On a bad file, says why on stderr and
// returns false.
bool LoadScreeningConfig(const std::string& command, const std::string& path, double threshold,
                         ScreeningConfig* config);

// Text of `vigil --help`.
const char* Usage();

}  // namespace vigil::cli
