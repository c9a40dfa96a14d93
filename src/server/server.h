// The HTTP API (`vigil serve`): JSON under /api/v1, /healthz and
// Prometheus /metrics, over HTTP/1.1 (or TLS) on a pool of threads.
//
// Every endpoint but /healthz needs a signed-in person (session cookie) or a
// system token (Authorization: Bearer), and is refused unless a role or
// scope grants it (auth/auth.h). Reading personal data needs a purpose or
// case reference (X-Purpose), and every read, change and refusal goes to
// the access log with who, what, when, why and from where. Changes made in
// a person's session need its CSRF token (X-CSRF-Token). Errors are JSON
// {"error": "..."} with a precise 4xx status and never quote personal data.
// The endpoints are described in docs/openapi.yaml.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/hash.h"
#include "base/status.h"
#include "biometrics/matcher.h"
#include "screening/config.h"
#include "store/store.h"

namespace vigil {

struct ServerOptions {
  std::string db_path;
  StoreSecurity security;               // the data key file (encryption at rest)
  RetentionPolicy retention;            // applied while serving; the DPO report's "due"; how long approvals last
  int retention_every_s = 3600;         // retention runs at start and then this often; 0: never
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: any free port (see ApiServer::port)
  std::string tls_cert, tls_key;       // both set: HTTPS
  int threads = 32;                    // at most this many open connections are served at once
  size_t max_json_bytes = 1 << 20;     // JSON request bodies
  size_t max_message_bytes = 64 << 20; // pushed messages
  std::shared_ptr<const Clock> clock;  // the system clock when null
  std::string card_key_path;           // key for payment card hashes in pushed PNRs
  std::string audit_key_path;          // signs audit checkpoints at start and stop; none when empty
  std::string web_dir;                 // the built console (web/dist), served at /; none when empty
  std::string csca_path;               // trusted CSCA certificates and CRLs (file or folder) for chips; none when empty
  int csca_recheck_s = 60;             // read again when its files change, looked at this often (0: every check)
  double fpir = kDefaultFpir;          // frontline finger searches' false-positive identification rate
  ScreeningConfig screening;
};

class ApiServer {
 public:
  // Opens the store (each serving thread gets its own connection), loads
  // the active watch lists for frontline checks and binds the address.
  static Result<std::unique_ptr<ApiServer>> Start(const ServerOptions& options);
  ~ApiServer();

  int port() const;
  // Serves until Stop() (from another thread or a signal handler), then
  // signs an audit checkpoint when an audit key was given. Meanwhile the
  // retention policy is applied at start and every retention_every_s.
  void Run();
  void Stop();

  struct Impl;

 private:
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil
