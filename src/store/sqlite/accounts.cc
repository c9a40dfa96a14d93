#include "store/sqlite/accounts.h"

#include <nlohmann/json.hpp>

#include "base/hash.h"

namespace vigil {

std::string audit_entry_hash(const AuditEntry& e, const std::string& prev_hash) {
  // A JSON array: every field delimited, so no two entries encode alike.
  return sha256_hex(nlohmann::json::array({e.id, e.at, e.actor, e.action, e.object, e.purpose, e.recipient, e.remote,
                                           e.outcome, prev_hash})
                        .dump());
}

std::string audit_checkpoint_message(const AuditCheckpoint& c) {
  return nlohmann::json::array({"vigil audit checkpoint", c.entry_id, c.entry_hash, c.signed_at}).dump();
}

}  // namespace vigil

namespace vigil::sqlite {
namespace {

std::vector<std::string> strings_of(const std::string& text) {
  std::vector<std::string> out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

constexpr const char* kUserColumns =
    "SELECT id, name, roles, password_hash, failed_logins, locked_until, disabled, created_at FROM users ";

UserAccount read_user(Stmt& st) {
  UserAccount u;
  u.id = st.Int(0);
  u.name = st.Text(1);
  u.roles = strings_of(st.Text(2));
  u.password_hash = st.Text(3);
  u.failed_logins = static_cast<int>(st.Int(4));
  u.locked_until = st.Text(5);
  u.disabled = st.Int(6) != 0;
  u.created_at = st.Text(7);
  return u;
}

constexpr const char* kTokenColumns = "SELECT id, name, token_hash, scopes, created_at, revoked FROM api_tokens ";

ApiToken read_token(Stmt& st) {
  return {st.Int(0), st.Text(1), st.Text(2), strings_of(st.Text(3)), st.Text(4), st.Int(5) != 0};
}




}  // namespace

template <typename Bind>
Status Accounts::Run(const char* sql, Bind bind, const char* what) {
  try {
    Stmt& st = db_.S(sql);
    bind(st);
    const bool ok = st.Run();
    st.Reset();
    if (!ok) return db_.Error(what);
    return Status::Ok();
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

Result<UserAccount> Accounts::CreateUser(const UserAccount& user) {
  if (auto existing = FindUser(user.name); !existing.ok() || *existing)
    return existing.ok() ? Status::Error("a user named \"" + user.name + "\" exists") : existing.status();
  UserAccount out = user;
  out.created_at = format_utc(db_.clock().now());
  const std::string roles = nlohmann::json(user.roles).dump();
  auto s = Run("INSERT INTO users(name, roles, password_hash, failed_logins, locked_until, disabled, created_at) "
               "VALUES (?1, ?2, ?3, 0, '', ?4, ?5)",
               [&](Stmt& st) {
                 st.Bind(1, out.name).Bind(2, roles).Bind(3, out.password_hash)
                     .Bind(4, int64_t{out.disabled}).Bind(5, out.created_at);
               },
               "user insert");
  if (!s.ok()) return s;
  out.id = sqlite3_last_insert_rowid(db_.handle());
  return out;
}

Result<std::optional<UserAccount>> Accounts::FindUser(const std::string& name) {
  return first(rows(db_, std::string(kUserColumns) + "WHERE name = ?1", read_user, [&](Stmt& st) { st.Bind(1, name); }));
}

Result<std::vector<UserAccount>> Accounts::Users() {
  return rows(db_, std::string(kUserColumns) + "ORDER BY name", read_user, no_binding);
}

Status Accounts::SetLoginState(int64_t id, int failed_logins, const std::string& locked_until) {
  return Run("UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
             [&](Stmt& st) { st.Bind(1, id).Bind(2, int64_t{failed_logins}).Bind(3, locked_until); }, "login state");
}

Status Accounts::SetUserDisabled(const std::string& name, bool disabled) {
  auto user = FindUser(name);
  if (!user.ok()) return user.status();
  if (!*user) return Status::Error("no user named \"" + name + "\"");
  return Run("UPDATE users SET disabled = ?2 WHERE name = ?1",
             [&](Stmt& st) { st.Bind(1, name).Bind(2, int64_t{disabled}); }, "user state");
}

Status Accounts::CreateSession(const SessionRecord& s) {
  return Run("INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen, expires_at, remote) "
             "VALUES (?1,?2,?3,?4,?5,?6,?7)",
             [&](Stmt& st) {
               st.Bind(1, s.token_hash).Bind(2, s.user_id).Bind(3, s.csrf).Bind(4, s.created_at)
                   .Bind(5, s.last_seen).Bind(6, s.expires_at).Bind(7, s.remote);
             },
             "session insert");
}

Result<std::optional<SessionRecord>> Accounts::FindSession(const std::string& token_hash) {
  try {
    Stmt& st = db_.S("SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.last_seen, s.expires_at, s.remote, u.name "
                     "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
    st.Bind(1, token_hash);
    std::optional<SessionRecord> out;
    if (st.Row())
      out = SessionRecord{st.Text(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6), st.Text(7)};
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

Status Accounts::TouchSession(const std::string& token_hash, const std::string& last_seen) {
  return Run("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
             [&](Stmt& st) { st.Bind(1, token_hash).Bind(2, last_seen); }, "session touch");
}

Status Accounts::DeleteSession(const std::string& token_hash) {
  return Run("DELETE FROM sessions WHERE token_hash = ?1", [&](Stmt& st) { st.Bind(1, token_hash); },
             "session delete");
}

Result<ApiToken> Accounts::CreateApiToken(const ApiToken& token) {
  ApiToken out = token;
  out.created_at = format_utc(db_.clock().now());
  const std::string scopes = nlohmann::json(token.scopes).dump();
  try {
    Stmt& known = db_.S("SELECT 1 FROM api_tokens WHERE name = ?1");
    known.Bind(1, token.name);
    const bool taken = known.Row();
    known.Reset();
    if (taken) return Status::Error("a token named \"" + token.name + "\" exists");
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
  auto s = Run("INSERT INTO api_tokens(name, token_hash, scopes, created_at, revoked) VALUES (?1,?2,?3,?4,0)",
               [&](Stmt& st) { st.Bind(1, out.name).Bind(2, out.token_hash).Bind(3, scopes).Bind(4, out.created_at); },
               "token insert");
  if (!s.ok()) return s;
  out.id = sqlite3_last_insert_rowid(db_.handle());
  return out;
}

Result<std::optional<ApiToken>> Accounts::FindApiToken(const std::string& token_hash) {
  return first(rows(db_, std::string(kTokenColumns) + "WHERE token_hash = ?1", read_token,
                    [&](Stmt& st) { st.Bind(1, token_hash); }));
}

Result<std::vector<ApiToken>> Accounts::ApiTokens() {
  return rows(db_, std::string(kTokenColumns) + "ORDER BY name", read_token, no_binding);
}

Status Accounts::RevokeApiToken(const std::string& name) {
  auto s = Run("UPDATE api_tokens SET revoked = 1 WHERE name = ?1", [&](Stmt& st) { st.Bind(1, name); },
               "token revoke");
  if (!s.ok()) return s;
  if (sqlite3_changes(db_.handle()) == 0) return Status::Error("no token named \"" + name + "\"");
  return Status::Ok();
}

Status Accounts::Audit(const AuditEntry& entry) {
  auto done = db_.InTransaction([&]() -> Result<bool> {
    AuditEntry e = entry;
    if (e.at.empty()) e.at = format_utc(db_.clock().now());
    Stmt& last = db_.S("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1");
    e.id = 1;
    e.prev_hash.clear();
    if (last.Row()) e.id = last.Int(0) + 1, e.prev_hash = last.Text(1);
    last.Reset();
    if (e.id == 1) {
      // Pruned to its anchor: the chain goes on from the signed checkpoint.
      Stmt& anchor = db_.S("SELECT entry_id, entry_hash FROM audit_checkpoints ORDER BY entry_id DESC LIMIT 1");
      if (anchor.Row()) e.id = anchor.Int(0) + 1, e.prev_hash = anchor.Text(1);
      anchor.Reset();
    }
    e.hash = audit_entry_hash(e, e.prev_hash);
    Stmt& ins = db_.S("INSERT INTO access_log(id, at, actor, action, object, purpose, recipient, remote, outcome, "
                      "prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    ins.Bind(1, e.id).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.object).Bind(6, e.purpose)
        .Bind(7, e.recipient).Bind(8, e.remote).Bind(9, e.outcome).Bind(10, e.prev_hash).Bind(11, e.hash);
    const bool ok = ins.Run();
    ins.Reset();
    if (!ok) return db_.Error("access log");
    return true;
  });
  return done.status();
}

namespace {

constexpr const char* kAuditColumns =
    "SELECT id, at, actor, action, object, purpose, recipient, remote, outcome, prev_hash, hash FROM access_log ";

AuditEntry read_audit(Stmt& st) {
  return {st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5),
          st.Text(6), st.Text(7), st.Text(8), st.Text(9), st.Text(10)};
}

}  // namespace

Result<std::vector<AuditEntry>> Accounts::AuditEntries(int limit) {
  return rows(db_, std::string(kAuditColumns) + "ORDER BY id DESC LIMIT ?1", read_audit,
              [&](Stmt& st) { st.Bind(1, int64_t{limit}); });
}

Result<std::vector<AuditEntry>> Accounts::AuditChain() {
  return rows(db_, std::string(kAuditColumns) + "ORDER BY id", read_audit, no_binding);
}

Status Accounts::AddAuditCheckpoint(const AuditCheckpoint& c) {
  return Run("INSERT INTO audit_checkpoints(entry_id, entry_hash, signed_at, signature) VALUES (?1,?2,?3,?4)",
             [&](Stmt& st) { st.Bind(1, c.entry_id).Bind(2, c.entry_hash).Bind(3, c.signed_at).Bind(4, c.signature); },
             "audit checkpoint");
}

Result<std::vector<AuditCheckpoint>> Accounts::AuditCheckpoints() {
  return rows(
      db_, "SELECT id, entry_id, entry_hash, signed_at, signature FROM audit_checkpoints ORDER BY id",
      [](Stmt& st) { return AuditCheckpoint{st.Int(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4)}; }, no_binding);
}

Result<int64_t> Accounts::PruneAuditLog(int64_t through_entry) {
  return db_.InTransaction([&]() -> Result<int64_t> {
    Stmt& anchor = db_.S("SELECT count(*) FROM audit_checkpoints WHERE entry_id = ?1");
    anchor.Bind(1, through_entry);
    const bool anchored = anchor.Row() && anchor.Int(0) > 0;
    anchor.Reset();
    if (!anchored)
      return Status::Error("no checkpoint of access log entry " + std::to_string(through_entry) + " to prune to");
    // The log refuses deletion; this one, in this transaction only.
    if (auto s = db_.Exec("DROP TRIGGER access_log_append_only_delete"); !s.ok()) return s;
    Stmt& del = db_.S("DELETE FROM access_log WHERE id <= ?1");
    del.Bind(1, through_entry);
    if (!del.Run()) return db_.Error("access log prune");
    del.Reset();
    const int64_t deleted = sqlite3_changes(db_.handle());
    if (auto s = db_.Exec("CREATE TRIGGER access_log_append_only_delete BEFORE DELETE ON access_log "
                          "BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;");
        !s.ok())
      return s;
    Stmt& old = db_.S("DELETE FROM audit_checkpoints WHERE entry_id < ?1");
    old.Bind(1, through_entry);
    if (!old.Run()) return db_.Error("checkpoint prune");
    old.Reset();
    return deleted;
  });
}

}  // namespace vigil::sqlite
