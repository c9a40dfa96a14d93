#include "auth/auth.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/hash.h"

namespace vigil {
namespace {

using P = Permission;

// What each role may do; anything else is refused.
const std::map<std::string, std::set<Permission>>& grants() {
  static const std::map<std::string, std::set<Permission>> kGrants = {
      {"analyst",
       {P::kReadFlights, P::kReadAlerts, P::kReviewAlerts, P::kCheck, P::kReadRules, P::kReadLists,
        P::kRequestRepersonalisation, P::kExamineEncounters}},
      {"frontline", {P::kReadFlights, P::kCheck}},
      {"supervisor",
       {P::kReadFlights, P::kReadAlerts, P::kReviewAlerts, P::kCheck, P::kReadRules, P::kReadLists, P::kReadReports,
        P::kExamineEncounters}},
      {"rule_manager", {P::kReadRules, P::kManageRules, P::kReadReports}},
      {"list_manager", {P::kReadLists, P::kManageLists}},
      {"auditor", {P::kReadAudit, P::kReadReports}},
      {"approver", {P::kApproveRepersonalisation}},
      {"admin", {P::kManageUsers, P::kReadMetrics}},
      {"partner", {P::kPartnerView}},
  };
  return kGrants;
}

const std::map<std::string, std::set<Permission>>& scope_grants() {
  static const std::map<std::string, std::set<Permission>> kScopes = {
      {"push", {P::kPushMessages}}, {"check", {P::kCheck}}, {"metrics", {P::kReadMetrics}}};
  return kScopes;
}

bool allowed(const std::map<std::string, std::set<Permission>>& table, const std::vector<std::string>& names,
             Permission p) {
  for (const auto& n : names) {
    auto it = table.find(n);
    if (it != table.end() && it->second.count(p)) return true;
  }
  return false;
}

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace

const char* to_string(Permission p) {
  switch (p) {
    case P::kReadFlights: return "read flights";
    case P::kReadAlerts: return "read alerts";
    case P::kReviewAlerts: return "review alerts";
    case P::kCheck: return "check travellers";
    case P::kPushMessages: return "push messages";
    case P::kReadRules: return "read rules";
    case P::kManageRules: return "manage rules";
    case P::kReadLists: return "read lists";
    case P::kManageLists: return "manage lists";
    case P::kReadAudit: return "read the access log";
    case P::kReadReports: return "read reports";
    case P::kManageUsers: return "manage users";
    case P::kReadMetrics: return "read metrics";
    case P::kPartnerView: return "partner view";
    case P::kRequestRepersonalisation: return "request repersonalisation";
    case P::kApproveRepersonalisation: return "approve repersonalisation";
    case P::kExamineEncounters: return "examine encounters";
  }
  return "?";
}

const std::vector<std::string>& role_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (const auto& [name, _] : grants()) out.push_back(name);
    return out;
  }();
  return kNames;
}

bool roles_allow(const std::vector<std::string>& roles, Permission p) { return allowed(grants(), roles, p); }

const std::vector<std::string>& scope_names() {
  static const std::vector<std::string> kNames = {"check", "metrics", "push"};
  return kNames;
}

bool scopes_allow(const std::vector<std::string>& scopes, Permission p) { return allowed(scope_grants(), scopes, p); }

Result<std::string> hash_password(const std::string& password) {
  if (!sodium_ready()) return Status::Error("libsodium could not start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::Error("out of memory while hashing a password");
  return std::string(out);
}

bool verify_password(const std::string& hash, const std::string& password) {
  if (!sodium_ready() || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string password_problem(const std::string& password) {
  if (password.size() < 12) return "a password needs at least 12 characters";
  const bool letters = std::all_of(password.begin(), password.end(), [](unsigned char c) { return std::isalpha(c); });
  const bool digits = std::all_of(password.begin(), password.end(), [](unsigned char c) { return std::isdigit(c); });
  if (letters || digits) return "a password needs more than letters only or digits only";
  return {};
}

std::string random_token() {
  sodium_ready();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

Authenticator::Authenticator(Store* store, std::shared_ptr<const Clock> clock, AuthPolicy policy)
    : store_(store), clock_(std::move(clock)), policy_(policy) {}

Result<UserAccount> Authenticator::CreateUser(const std::string& name, const std::vector<std::string>& roles,
                                              const std::string& password) {
  if (name.empty() || name.size() > 64 || name.find_first_of(" \t\r\n:/") != std::string::npos)
    return Status::Error("a user name is 1 to 64 characters without spaces, ':' or '/'");
  if (roles.empty()) return Status::Error("give the user at least one role");
  for (const auto& r : roles)
    if (!grants().count(r)) {
      std::string known;
      for (const auto& n : role_names()) known += (known.empty() ? "" : ", ") + n;
      return Status::Error("unknown role \"" + r + "\" (roles: " + known + ")");
    }
  if (auto problem = password_problem(password); !problem.empty()) return Status::Error(problem);
  auto hash = hash_password(password);
  if (!hash.ok()) return hash.status();
  UserAccount u;
  u.name = name;
  u.roles = roles;
  u.password_hash = *hash;
  return store_->CreateUser(u);
}

Result<std::string> Authenticator::CreateToken(const std::string& name, const std::vector<std::string>& scopes) {
  if (name.empty() || name.find_first_of(" \t\r\n:") != std::string::npos)
    return Status::Error("a token name is not empty and has no spaces or ':'");
  if (scopes.empty()) return Status::Error("give the token at least one scope (push, check, metrics)");
  for (const auto& s : scopes)
    if (!scope_grants().count(s)) return Status::Error("unknown scope \"" + s + "\" (scopes: push, check, metrics)");
  const std::string token = "vgl_" + random_token();
  ApiToken t;
  t.name = name;
  t.token_hash = sha256_hex(token);
  t.scopes = scopes;
  auto stored = store_->CreateApiToken(t);
  if (!stored.ok()) return stored.status();
  return token;
}

Result<Authenticator::SignIn> Authenticator::Login(const std::string& name, const std::string& password,
                                                   const std::string& remote) {
  static const Status kWrong = Status::Error("wrong name or password");
  auto found = store_->FindUser(name);
  if (!found.ok()) return found.status();
  const int64_t now = clock_->now();
  if (!*found) {
    // The same work as for a known name: the answer's timing tells nothing.
    static const std::string kDecoy = hash_password("decoy password 0").value();
    verify_password(kDecoy, password);
    return kWrong;
  }
  UserAccount& u = **found;
  int64_t locked = 0;
  if (!u.locked_until.empty() && parse_utc(u.locked_until, &locked) && locked > now)
    return Status::Error("the account is locked until " + u.locked_until + " after repeated failed sign-ins");
  if (!verify_password(u.password_hash, password)) {
    const int failed = u.failed_logins + 1;
    const bool lock = failed >= policy_.max_failed_logins;
    if (auto s = store_->SetLoginState(u.id, lock ? 0 : failed, lock ? format_utc(now + policy_.lockout_seconds) : "");
        !s.ok())
      return s;
    if (lock) return Status::Error("the account is locked for " + std::to_string(policy_.lockout_seconds / 60) +
                                   " minutes after repeated failed sign-ins");
    return kWrong;
  }
  if (u.disabled) return Status::Error("the account is disabled");
  if (u.failed_logins || !u.locked_until.empty())
    if (auto s = store_->SetLoginState(u.id, 0, ""); !s.ok()) return s;
  SignIn out;
  out.token = random_token();
  SessionRecord session;
  session.token_hash = sha256_hex(out.token);
  session.user_id = u.id;
  session.csrf = random_token();
  session.created_at = session.last_seen = format_utc(now);
  session.expires_at = format_utc(now + policy_.session_seconds);
  session.remote = remote;
  if (auto s = store_->CreateSession(session); !s.ok()) return s;
  out.principal = {u.name, u.roles, {}, true, session.csrf, session.token_hash};
  return out;
}

Result<Principal> Authenticator::Session(const std::string& token) {
  const std::string hash = sha256_hex(token);
  auto found = store_->FindSession(hash);
  if (!found.ok()) return found.status();
  if (!*found) return Status::Error("not signed in");
  const SessionRecord& s = **found;
  const int64_t now = clock_->now();
  int64_t expires = 0, seen = 0;
  if (!parse_utc(s.expires_at, &expires) || !parse_utc(s.last_seen, &seen) || now >= expires ||
      now - seen > policy_.idle_seconds) {
    store_->DeleteSession(hash);
    return Status::Error("the session expired; sign in again");
  }
  auto user = store_->FindUser(s.user_name);
  if (!user.ok()) return user.status();
  if (!*user) return Status::Error("not signed in");
  if ((*user)->disabled) return Status::Error("the account is disabled");
  if (now - seen >= 60) store_->TouchSession(hash, format_utc(now));
  return Principal{(*user)->name, (*user)->roles, {}, true, s.csrf, hash};
}

Status Authenticator::Logout(const std::string& token) { return store_->DeleteSession(sha256_hex(token)); }

Result<Principal> Authenticator::Token(const std::string& token) {
  auto found = store_->FindApiToken(sha256_hex(token));
  if (!found.ok()) return found.status();
  if (!*found || (*found)->revoked) return Status::Error("unknown or revoked token");
  return Principal{"token:" + (*found)->name, {}, (*found)->scopes, false, "", ""};
}

}  // namespace vigil
