// The SQLite tables of targeting: rules, value lists, alerts and their
// review. Internal to store/sqlite; SqliteStore forwards the Store methods
// of the same names here, where their promises are stated (store/store.h).
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/database.h"
#include "store/store.h"

namespace vigil::sqlite {

class Targeting {
 public:
  explicit Targeting(Database& db) : db_(db) {}

  Result<StoredRule> StoreRule(const StoredRule& rule, bool* unchanged);
  Result<std::vector<StoredRule>> Rules(bool all_versions);
  Status SetRuleEnabled(const std::string& name, bool enabled);
  Result<ValueList> StoreValueList(const ValueList& list, bool* unchanged);
  Result<std::vector<ValueList>> ValueLists();
  Result<std::vector<AlertChange>> UpdateAlerts(const std::vector<AlertUpdate>& updates);
  Result<std::vector<Alert>> Alerts(const std::string& status, int64_t flight_id);
  Result<Alert> GetAlert(int64_t id);
  // Alerts of the api and pnr traveller rows given: standing ones only
  // (new, in review, confirmed), or every status.
  Result<std::vector<Alert>> AlertsOf(const std::vector<int64_t>& api_rows, const std::vector<int64_t>& pnr_rows,
                                      bool standing_only);
  Result<Alert> ReviewAlert(int64_t id, const std::string& to, const std::string& user,
                            const std::string& reason);

 private:
  // One update, inside the caller's transaction; throws on failure.
  AlertChange UpdateAlert(const AlertUpdate& update);
  std::vector<AlertReason> Reasons(int64_t alert_id);
  void Event(int64_t alert_id, const std::string& user, const std::string& from, const std::string& to,
             const std::string& reason);

  Database& db_;
};

}  // namespace vigil::sqlite
