// The SQLite side of retention and re-personalisation: deleting and
// depersonalising what the policy makes due, unit by unit, and the requests
// that open depersonalised data again. Internal to store/sqlite;
// SqliteStore forwards the Store methods of the same names here, where
// their promises are stated (store/store.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/database.h"
#include "store/store.h"

namespace vigil::sqlite {

class Retention {
 public:
  explicit Retention(Database& db) : db_(db) {}

  Result<RetentionCounts> ApplyRetention(const RetentionPolicy& policy, const std::string& now,
                                         const RetentionControl& control);
  // What runs did so far (retention_log).
  Result<RetentionCounts> Done();

  Result<Repersonalisation> RequestRepersonalisation(int64_t pnr_traveller_id, const std::string& case_ref,
                                                     const std::string& grounds, const std::string& user);
  Result<Repersonalisation> DecideRepersonalisation(int64_t id, bool approve, const std::string& user,
                                                    const std::string& note, const std::string& expires_at);
  Result<std::vector<Repersonalisation>> Repersonalisations(const std::string& status);
  Result<std::optional<Repersonalisation>> ActiveRepersonalisation(int64_t pnr_traveller_id, const std::string& user,
                                                                  const std::string& now);
  Result<Pnr> OriginalPnr(int64_t version_id);

 private:
  // Each runs inside the caller's transaction and throws on failure.
  void DeleteMessage(int64_t message_id);
  void DeleteVersion(int64_t version_id);
  void DeleteTraveller(TravellerKind kind, int64_t id);
  void DeleteAlert(int64_t alert_id);
  void MaskVersion(int64_t version_id, const std::string& now, const RetentionControl& control);
  void MaskExplanations(TravellerKind kind, int64_t traveller_id);
  void Log(const std::string& now, const char* action, const char* what, int64_t items);
  // Runs `sql` on raw message `message_id` with the time `now` as ?2.
  void SetRaw(const char* sql, int64_t message_id, const std::string& now);

  // Statement `sql` run with integer parameters.
  void Run(const char* sql, std::initializer_list<int64_t> ids);
  // The first column of the rows of `sql` with integer parameters.
  std::vector<int64_t> Ids(const char* sql, std::initializer_list<int64_t> ids);

  Database& db_;
};

}  // namespace vigil::sqlite
