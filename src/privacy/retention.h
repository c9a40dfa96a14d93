// Retention: how long each category of data is kept (a policy file), what
// depersonalising a PNR masks, and running the policy against a store.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "base/clock.h"
#include "store/store.h"

namespace vigil {

// The policy in the JSON file at `path` (see config/retention.json): every
// key optional, defaults as RetentionPolicy has them; an unknown key, a
// value of the wrong kind or out of range is an error naming the file and
// the key.
Result<RetentionPolicy> load_retention_policy(const std::string& path);
// The same from JSON text; `where` names it in errors.
Result<RetentionPolicy> parse_retention_policy(const std::string& text, const std::string& where);
// The policy as JSON (for reports and `vigil retention show`).
std::string retention_policy_json(const RetentionPolicy& policy);

// What a run did (or runs did), as JSON with one key per count.
nlohmann::json retention_counts_json(const RetentionCounts& counts);

// Masks what identifies a person in `pnr` (EU PNR Directive art. 12(2)):
// the names of every traveller (party size is left to presentation, which
// shows only the row's own traveller), their API data (documents, birth
// date, sex, nationality, addresses, references), frequent-flyer numbers,
// contacts and addresses, payment details beyond type and amount, remarks,
// and the free text of service requests. Itinerary, agency, tickets,
// seats, bags and check-in stay.
void depersonalise(Pnr* pnr);

// Applies `policy` to `store` at the clock's time, logging the erasure in
// the access log (as "retention"; a run that erased nothing is not logged). `fault` is for tests (see
// RetentionControl).
Result<RetentionCounts> run_retention(Store* store, const RetentionPolicy& policy, const Clock& clock,
                                      std::function<void(const char*)> fault = nullptr);

}  // namespace vigil
