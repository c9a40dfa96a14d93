// The SQLite tables of accounts, sessions, system tokens and the access
// log. Internal to store/sqlite; SqliteStore forwards the Store methods of
// the same names here, where their promises are stated (store/store.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/database.h"
#include "store/store.h"

namespace vigil::sqlite {

class Accounts {
 public:
  explicit Accounts(Database& db) : db_(db) {}

  Result<UserAccount> CreateUser(const UserAccount& user);
  Result<std::optional<UserAccount>> FindUser(const std::string& name);
  Result<std::vector<UserAccount>> Users();
  Status SetLoginState(int64_t id, int failed_logins, const std::string& locked_until);
  Status SetUserDisabled(const std::string& name, bool disabled);
  Status CreateSession(const SessionRecord& session);
  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash);
  Status TouchSession(const std::string& token_hash, const std::string& last_seen);
  Status DeleteSession(const std::string& token_hash);
  Result<ApiToken> CreateApiToken(const ApiToken& token);
  Result<std::optional<ApiToken>> FindApiToken(const std::string& token_hash);
  Result<std::vector<ApiToken>> ApiTokens();
  Status RevokeApiToken(const std::string& name);
  Status Audit(const AuditEntry& entry);
  Result<std::vector<AuditEntry>> AuditEntries(int limit);
  Result<std::vector<AuditEntry>> AuditChain();
  Status AddAuditCheckpoint(const AuditCheckpoint& checkpoint);
  Result<std::vector<AuditCheckpoint>> AuditCheckpoints();
  Result<int64_t> PruneAuditLog(int64_t through_entry);

 private:
  // Runs `sql` with `bind` applied; for statements returning no rows.
  template <typename Bind>
  Status Run(const char* sql, Bind bind, const char* what);

  Database& db_;
};

}  // namespace vigil::sqlite
