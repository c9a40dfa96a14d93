#include "store/sqlite/accounts.h"

#include <nlohmann/json.hpp>

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

Status sqlite_error(const std::exception& e) { return Status::Error(std::string("sqlite: ") + e.what()); }

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
  try {
    static const std::string sql = std::string(kUserColumns) + "WHERE name = ?1";
    Stmt& st = db_.S(sql.c_str());
    st.Bind(1, name);
    std::optional<UserAccount> out;
    if (st.Row()) out = read_user(st);
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

Result<std::vector<UserAccount>> Accounts::Users() {
  try {
    static const std::string sql = std::string(kUserColumns) + "ORDER BY name";
    Stmt& st = db_.S(sql.c_str());
    std::vector<UserAccount> out;
    while (st.Row()) out.push_back(read_user(st));
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
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
  try {
    static const std::string sql = std::string(kTokenColumns) + "WHERE token_hash = ?1";
    Stmt& st = db_.S(sql.c_str());
    st.Bind(1, token_hash);
    std::optional<ApiToken> out;
    if (st.Row()) out = read_token(st);
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

Result<std::vector<ApiToken>> Accounts::ApiTokens() {
  try {
    static const std::string sql = std::string(kTokenColumns) + "ORDER BY name";
    Stmt& st = db_.S(sql.c_str());
    std::vector<ApiToken> out;
    while (st.Row()) out.push_back(read_token(st));
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

Status Accounts::RevokeApiToken(const std::string& name) {
  auto s = Run("UPDATE api_tokens SET revoked = 1 WHERE name = ?1", [&](Stmt& st) { st.Bind(1, name); },
               "token revoke");
  if (!s.ok()) return s;
  if (sqlite3_changes(db_.handle()) == 0) return Status::Error("no token named \"" + name + "\"");
  return Status::Ok();
}

Status Accounts::Audit(const AuditEntry& e) {
  const std::string at = e.at.empty() ? format_utc(db_.clock().now()) : e.at;
  return Run("INSERT INTO access_log(at, actor, action, object, purpose, remote, outcome) VALUES (?1,?2,?3,?4,?5,?6,?7)",
             [&](Stmt& st) {
               st.Bind(1, at).Bind(2, e.actor).Bind(3, e.action).Bind(4, e.object).Bind(5, e.purpose)
                   .Bind(6, e.remote).Bind(7, e.outcome);
             },
             "access log");
}

Result<std::vector<AuditEntry>> Accounts::AuditEntries(int limit) {
  try {
    Stmt& st = db_.S("SELECT id, at, actor, action, object, purpose, remote, outcome FROM access_log "
                     "ORDER BY id DESC LIMIT ?1");
    st.Bind(1, int64_t{limit});
    std::vector<AuditEntry> out;
    while (st.Row())
      out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6), st.Text(7)});
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

}  // namespace vigil::sqlite
