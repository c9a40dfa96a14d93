// Who may do what: roles, what each may do, password hashing (Argon2id),
// sign-in with lockout, sessions with CSRF tokens, and system tokens.
//
// Deny by default: a permission not granted below is refused. People sign
// in with a name and password and get a session (a random token the store
// keeps only as a hash); systems (carrier push, frontline devices) present
// a token with scopes. Nothing here logs personal data.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "store/store.h"

namespace vigil {

enum class Permission {
  kReadFlights,      // arrivals board
  kReadAlerts,       // alerts and their evidence (personal data)
  kReviewAlerts,     // review decisions
  kCheck,            // frontline check of a traveller
  kPushMessages,     // carrier push of API/PNR messages
  kReadRules,
  kManageRules,      // add, enable, disable, test rules; value lists
  kReadLists,
  kManageLists,      // import watch lists
  kReadAudit,        // the access log
  kReadReports,      // oversight reports
  kManageUsers,      // accounts and tokens
  kReadMetrics,
  kPartnerView,      // confirmed alerts, without personal data beyond the match
  kRequestRepersonalisation,  // ask to see depersonalised PNR data again, for a case
  kApproveRepersonalisation,  // decide such requests (someone else's only)
  kExamineEncounters,         // confirm or reject biometric hits
};
const char* to_string(Permission p);

// The roles people hold, by name: analyst, frontline, supervisor,
// rule_manager, list_manager, auditor (data-protection officer or
// auditor), approver (decides re-personalisation requests), admin,
// partner.
const std::vector<std::string>& role_names();
// True when some role in `roles` grants `p`.
bool roles_allow(const std::vector<std::string>& roles, Permission p);
// Scopes of system tokens: push, check, metrics.
const std::vector<std::string>& scope_names();
bool scopes_allow(const std::vector<std::string>& scopes, Permission p);

// An Argon2id hash (libsodium's moderate limits) of `password`, in the
// self-describing string form.
Result<std::string> hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);
// Why `password` is not acceptable (at least 12 characters, not only
// letters or only digits), or empty when it is.
std::string password_problem(const std::string& password);

// 32 random bytes as 64 hex digits.
std::string random_token();

struct AuthPolicy {
  int max_failed_logins = 5;          // then locked for lockout_seconds
  int64_t lockout_seconds = 15 * 60;
  int64_t session_seconds = 8 * 3600;  // absolute
  int64_t idle_seconds = 30 * 60;      // without a request
};

// Who a request acts as.
struct Principal {
  std::string name;                 // user name, or "token:NAME"
  std::vector<std::string> roles;   // people
  std::vector<std::string> scopes;  // systems
  bool person = false;
  std::string csrf;                 // people: required with changes
  std::string session_hash;
  bool allows(Permission p) const {
    return person ? roles_allow(roles, p) : scopes_allow(scopes, p);
  }
};

class Authenticator {
 public:
  Authenticator(Store* store, std::shared_ptr<const Clock> clock, AuthPolicy policy = {});

  // A new user (the roles must be known, the password acceptable).
  Result<UserAccount> CreateUser(const std::string& name, const std::vector<std::string>& roles,
                                 const std::string& password);
  // A new system token; the token itself is returned once, never stored.
  Result<std::string> CreateToken(const std::string& name, const std::vector<std::string>& scopes);

  struct SignIn {
    std::string token;  // the session cookie's value
    Principal principal;
  };
  // Checks the password (the same answer, and about the same time, for an
  // unknown name), counts failures and locks the account after
  // max_failed_logins for lockout_seconds. The error says only "wrong name
  // or password", or that the account is locked or disabled.
  Result<SignIn> Login(const std::string& name, const std::string& password, const std::string& remote);
  // The person of a live session (an error saying it expired, or is
  // unknown), and keeps it alive.
  Result<Principal> Session(const std::string& token);
  Status Logout(const std::string& token);
  // The system of a token that is known and not revoked.
  Result<Principal> Token(const std::string& token);

 private:
  Store* store_;
  std::shared_ptr<const Clock> clock_;
  AuthPolicy policy_;
};

}  // namespace vigil
