// Command-line options shared by the `vigil` subcommands: --db, --key,
// --json, --strict and --now for all, plus the flags a subcommand declares.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/commands.h"
#include "store/store.h"

namespace vigil::cli {

class Options {
 public:
  Options();

  // Declares `flag` taking a value ("--flag VALUE" or "--flag=VALUE").
  Options& Value(const char* flag, std::string* out);
  Options& Number(const char* flag, double* out);
  Options& Number(const char* flag, int* out);
  // Declares a flag without value.
  Options& Flag(const char* flag, bool* out);

  // Reads `args`; on an unknown flag, a missing or malformed value prints
  // "vigil COMMAND: ..." to stderr and returns false.
  bool Parse(const Args& args, const char* command);

  // --db, else $VIGIL_DB, else var/vigil.db.
  const std::string& db() const { return db_; }
  // --key, else keys/card-hash.key beside the database.
  std::string key_path() const;
  // --audit-key, else keys/audit-signing.key beside the database.
  std::string audit_key_path() const;
  // How the store keeps data at rest: --data-key, else keys/data.keys
  // beside the database.
  StoreSecurity security() const;
  // The retention policy: the file --retention names, else the defaults
  // (those of config/retention.json).
  Result<RetentionPolicy> retention() const;
  bool json() const { return json_; }
  // The time commands act at: --now, else $VIGIL_NOW ("YYYY-MM-DD" or
  // "YYYY-MM-DDTHH:MM:SSZ"), else the system clock.
  std::shared_ptr<const Clock> clock() const;
  bool strict() const { return strict_; }
  const std::vector<std::string>& positional() const { return positional_; }

  // "a,b,,c" -> {"a", "b", "c"}.
  static std::vector<std::string> SplitList(const std::string& text);

 private:
  std::map<std::string, std::function<bool(const std::string&)>> values_;
  std::map<std::string, bool*> flags_;
  std::string db_, key_, audit_key_, data_key_, retention_, now_;
  bool json_ = false, strict_ = false;
  std::vector<std::string> positional_;
};

}  // namespace vigil::cli
