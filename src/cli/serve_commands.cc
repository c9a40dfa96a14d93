// `vigil serve` (the HTTP API), `vigil users` and `vigil tokens`: accounts
// and system credentials. Passwords are read from standard input, never
// from arguments (which other users of the machine can see).
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <termios.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"
#include "privacy/audit_trail.h"
#include "server/server.h"

namespace vigil::cli {
namespace {


// One line from standard input, without echo on a terminal.
std::string ReadPassword(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::fputs(prompt, stderr);
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fputs("\n", stderr);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

ApiServer* g_server = nullptr;
void StopOnSignal(int) {
  if (g_server) g_server->Stop();
}

}  // namespace

int ServeCommand(const Args& args) {
  Options o;
  std::string listen = "127.0.0.1:8080", cert, key, web, csca;
  int threads = 32, retention_every = 3600;
  double fpir = kDefaultFpir;
  o.Value("--listen", &listen).Value("--tls-cert", &cert).Value("--tls-key", &key).Number("--threads", &threads)
      .Value("--web", &web).Number("--retention-every", &retention_every).Value("--csca", &csca).Number("--fpir", &fpir);
  if (!o.Parse(args, "serve")) return 2;
  if (!FpirOk("serve", fpir)) return 2;
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 >= listen.size() ||
      listen.find_first_not_of("0123456789", colon + 1) != std::string::npos)
    return Fail("serve", "--listen is ADDRESS:PORT, e.g. 127.0.0.1:8080");
  ServerOptions so;
  so.db_path = o.db();
  so.security = o.security();
  auto policy = o.retention();
  if (!policy.ok()) return Fail("serve", policy.error());
  so.retention = *policy;
  so.retention_every_s = std::max(0, retention_every);
  so.host = listen.substr(0, colon);
  so.port = std::stoi(listen.substr(colon + 1));
  so.tls_cert = cert;
  so.tls_key = key;
  so.threads = threads;
  so.clock = o.clock();
  so.card_key_path = o.key_path();
  so.audit_key_path = o.audit_key_path();
  so.csca_path = csca;
  so.fpir = fpir;
  // The console built beside the sources, when it was built.
  if (web.empty() && std::filesystem::exists(std::string(VIGIL_WEB_DIR) + "/index.html")) web = VIGIL_WEB_DIR;
  if (web.empty()) std::fputs("vigil serve: no console built (npm --prefix web ci && npm --prefix web run build); API only\n", stderr);
  so.web_dir = web;
  auto server = ApiServer::Start(so);
  if (!server.ok()) return Fail("serve", server.error());
  g_server = server->get();
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  std::printf("vigil serve: console on %s://%s:%d/ (API under /api/v1, docs/openapi.yaml)\n",
              cert.empty() ? "http" : "https", so.host.c_str(), (*server)->port());
  std::fflush(stdout);
  (*server)->Run();
  g_server = nullptr;
  return 0;
}

int AuditCommand(const Args& args) {
  const std::string usage = "usage: vigil audit verify|checkpoint [--db PATH] [--audit-key PATH] [--json]";
  if (args.empty()) return Fail("audit", usage);
  const std::string verb = args[0], command = "audit " + verb;
  Options o;
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  if (!o.positional().empty() || (verb != "verify" && verb != "checkpoint")) return Fail("audit", usage);
  auto store = OpenStore(command, o);
  if (!store) return 2;
  if (verb == "verify" && !std::filesystem::exists(o.audit_key_path()))
    return Fail(command, "no audit key at " + o.audit_key_path() + " (give --audit-key)");
  auto key = AuditSigner::LoadOrCreate(o.audit_key_path());
  if (!key.ok()) return Fail(command, key.error());
  if (verb == "checkpoint") {
    if (auto s = checkpoint_audit_trail(store.get(), *key, *o.clock()); !s.ok()) return Fail(command, s.message());
    std::puts("audit trail checkpoint signed");
    return 0;
  }
  auto chain = store->AuditChain();
  auto checkpoints = store->AuditCheckpoints();
  if (!chain.ok() || !checkpoints.ok()) return Fail(command, chain.ok() ? checkpoints.error() : chain.error());
  auto policy = o.retention();
  if (!policy.ok()) return Fail(command, policy.error());
  const std::string pruned_before = format_utc(o.clock()->now() - int64_t{policy->audit_keep_days} * 86400);
  const AuditVerdict v = verify_audit_trail(*chain, *checkpoints, *key, pruned_before);
  if (o.json()) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : v.problems) problems.push_back({{"entry", p.entry_id}, {"what", p.what}});
    std::cout << dump_line({{"intact", v.ok()}, {"entries", v.entries}, {"checkpoints", v.checkpoints},
                            {"last_checkpoint_entry", v.last_checkpoint_entry}, {"problems", problems}})
              << '\n';
  } else if (v.ok()) {
    std::printf("audit trail intact: %lld entries, %lld signed checkpoints (the last covers entry %lld)\n",
                static_cast<long long>(v.entries), static_cast<long long>(v.checkpoints),
                static_cast<long long>(v.last_checkpoint_entry));
  } else {
    std::printf("audit trail BROKEN: %zu problems\n", v.problems.size());
    for (const auto& p : v.problems) std::printf("  at entry %lld: %s\n", static_cast<long long>(p.entry_id), p.what.c_str());
  }
  return v.ok() ? 0 : 1;
}

int UsersCommand(const Args& args) {
  const std::string usage =
      "usage: vigil users add NAME --roles ROLE[,ROLE] (password on standard input) | vigil users list [--json] | "
      "vigil users disable|enable NAME";
  if (args.empty()) return Fail("users", usage);
  const std::string verb = args[0], command = "users " + verb;
  Options o;
  std::string roles;
  o.Value("--roles", &roles);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  auto store = OpenStore(command, o);
  if (!store) return 2;
  Authenticator auth(store.get(), o.clock());
  const auto& rest = o.positional();
  if (verb == "add") {
    if (rest.size() != 1) return Fail(command, usage);
    const std::string password = ReadPassword("password: ");
    auto user = auth.CreateUser(rest[0], Options::SplitList(roles), password);
    if (!user.ok()) return Fail(command, user.error(), 1);
    std::printf("user %s added with roles %s\n", user->name.c_str(), roles.c_str());
    return 0;
  }
  if (verb == "list") {
    auto users = store->Users();
    if (!users.ok()) return Fail(command, users.error());
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& u : *users) {
      std::string r;
      for (const auto& role : u.roles) r += (r.empty() ? "" : ",") + role;
      if (o.json())
        arr.push_back({{"name", u.name}, {"roles", u.roles}, {"disabled", u.disabled},
                       {"locked_until", u.locked_until}, {"created_at", u.created_at}});
      else
        std::printf("%-24s %-40s %s%s\n", u.name.c_str(), r.c_str(), u.disabled ? "disabled" : "active",
                    u.locked_until.empty() ? "" : (" locked until " + u.locked_until).c_str());
    }
    if (o.json()) std::cout << dump_line(arr) << '\n';
    return 0;
  }
  if (verb == "disable" || verb == "enable") {
    if (rest.size() != 1) return Fail(command, usage);
    if (auto s = store->SetUserDisabled(rest[0], verb == "disable"); !s.ok()) return Fail(command, s.message(), 1);
    std::printf("user %s %sd\n", rest[0].c_str(), verb.c_str());
    return 0;
  }
  return Fail("users", usage);
}

int TokensCommand(const Args& args) {
  const std::string usage =
      "usage: vigil tokens add NAME --scopes push|check|metrics[,...] | vigil tokens list | vigil tokens revoke NAME";
  if (args.empty()) return Fail("tokens", usage);
  const std::string verb = args[0], command = "tokens " + verb;
  Options o;
  std::string scopes;
  o.Value("--scopes", &scopes);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  auto store = OpenStore(command, o);
  if (!store) return 2;
  Authenticator auth(store.get(), o.clock());
  const auto& rest = o.positional();
  if (verb == "add") {
    if (rest.size() != 1) return Fail(command, usage);
    auto token = auth.CreateToken(rest[0], Options::SplitList(scopes));
    if (!token.ok()) return Fail(command, token.error(), 1);
    // Shown once: only its hash is kept.
    std::printf("%s\n", token->c_str());
    return 0;
  }
  if (verb == "list") {
    auto tokens = store->ApiTokens();
    if (!tokens.ok()) return Fail(command, tokens.error());
    for (const auto& t : *tokens) {
      std::string s;
      for (const auto& scope : t.scopes) s += (s.empty() ? "" : ",") + scope;
      std::printf("%-24s %-20s %s%s\n", t.name.c_str(), s.c_str(), t.created_at.c_str(), t.revoked ? "  revoked" : "");
    }
    return 0;
  }
  if (verb == "revoke") {
    if (rest.size() != 1) return Fail(command, usage);
    if (auto s = store->RevokeApiToken(rest[0]); !s.ok()) return Fail(command, s.message(), 1);
    std::printf("token %s revoked\n", rest[0].c_str());
    return 0;
  }
  return Fail("tokens", usage);
}

}  // namespace vigil::cli
