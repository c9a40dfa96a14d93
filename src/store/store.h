// Storage interface for travel data. The embedded default is SQLite
// (store/sqlite); other back ends implement the same interface so callers
// do not change.
//
// Promises every implementation keeps:
//  - Each accepted input is stored in one transaction with its raw bytes:
//    after a crash at any point an input is either fully stored or absent.
//  - Raw bytes are archived with their SHA-256; storing the same bytes again
//    changes nothing and reports a duplicate.
//  - A rejected input is kept raw in quarantine with its reasons.
//  - Every version of a PNR is kept; one current version per PNR (the one
//    with the latest change time, ties broken by arrival order).
//  - API and PNR records of the same traveller on the same flight are linked.
//  - A screening hit names its traveller by stored row and its list entry by
//    list and reference; of the traveller's data it keeps only what its
//    explanation quotes. There is at most one hit per traveller row and
//    entry; hits are withdrawn, never deleted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "model/travel.h"
#include "model/watchlist.h"

namespace vigil {

// One input to store: its raw bytes and what was read from it.
struct IncomingMessage {
  std::string_view raw;
  std::string source;       // file name or push channel; no personal data
  std::string format;       // "edifact" or "pnrgov-xml"
  const std::vector<Manifest>* manifests = nullptr;
  const std::vector<PnrPush>* pushes = nullptr;
  uint32_t warnings = 0;
};

// What storing one input did.
struct StoreOutcome {
  int64_t message_id = 0;
  bool duplicate = false;              // these exact bytes were stored before
  std::vector<int64_t> flight_ids;     // flights the input touched
  uint32_t travellers = 0;             // API plus PNR travellers stored
  uint32_t pnr_versions_added = 0;     // new PNR versions (identical content is not a new version)
  uint32_t links_added = 0;            // new API-PNR traveller links
};

// Counts of what the store holds.
struct StoreCounts {
  int64_t raw_messages = 0;
  int64_t quarantined = 0;
  int64_t flights = 0;
  int64_t api_travellers = 0;
  int64_t pnrs = 0;
  int64_t pnr_versions = 0;
  int64_t pnr_travellers = 0;
  int64_t links = 0;
};

// One stored version of a PNR.
struct PnrVersionInfo {
  int64_t version_id = 0;
  int version_no = 0;
  std::string last_changed;
  bool current = false;
  int64_t message_id = 0;
};

// One quarantined input.
struct QuarantineEntry {
  int64_t id = 0;
  std::string sha256;
  std::string source;
  std::string reason;
  std::string raw;
};

// One imported version of a watch list.
struct ListVersionInfo {
  std::string name;
  int version = 0;
  std::string imported_at;
  std::string format;         // "ofac", "un", "jsonl", "csv"
  std::string source_sha256;  // of the imported bytes, all files together
  int64_t entries = 0;
  bool active = false;        // the version screening uses
};

// Which stored record a traveller row is: API data (api_travellers) or a
// traveller of a PNR version (pnr_travellers).
enum class TravellerKind { kApi, kPnr };

// "api" or "pnr".
inline const char* to_string(TravellerKind kind) { return kind == TravellerKind::kApi ? "api" : "pnr"; }

// A stored traveller row: its kind and row id.
using TravellerKey = std::pair<TravellerKind, int64_t>;

// A stored traveller on a flight that has not departed.
struct UpcomingTraveller {
  TravellerKind kind = TravellerKind::kApi;
  int64_t id = 0;               // api_travellers.id or pnr_travellers.id
  int64_t flight_id = 0;
  std::string departure_date;   // of that flight: "YYYY-MM-DD", local at departure
  Traveller person;             // as stored: names, birth date, nationality, sex, documents ...
};

// A traveller's match with a watch-list entry, kept for review.
struct ScreeningHit {
  int64_t id = 0;  // assigned by the store
  TravellerKind traveller_kind = TravellerKind::kApi;
  int64_t traveller_id = 0;  // api_travellers.id or pnr_travellers.id
  int64_t flight_id = 0;
  std::string list;
  int list_version = 0;      // the version whose entry matched with this score
  std::string reference;     // the entry's reference in the list
  double score = 0;
  std::string explanation;   // JSON array of {"factor", "detail", "effect"}
  // Kept by the store; ignored by RecordHits.
  std::string status;        // "open" or "withdrawn"
  std::string created_at;    // "YYYY-MM-DDTHH:MM:SSZ"
  std::string withdrawn_at;  // empty while open
  // Filled by Hits() for display: the flight ("BA117"), its departure date
  // and the primary name of the entry in `list_version` (empty for a
  // listed document).
  std::string flight;
  std::string departure_date;
  std::string entry_name;
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores an accepted input (see the promises above).
  virtual Result<StoreOutcome> StoreMessage(const IncomingMessage& message) = 0;
  // Keeps a rejected input raw with its reasons. Returns false in `fresh`
  // when the same bytes were already quarantined.
  virtual Result<int64_t> Quarantine(std::string_view raw, const std::string& source,
                                     const std::string& reason, bool* fresh) = 0;

  virtual Result<StoreCounts> Counts() = 0;
  // Every version of the PNR `carrier`/`record_locator`, oldest first.
  virtual Result<std::vector<PnrVersionInfo>> PnrVersions(const std::string& carrier,
                                                          const std::string& record_locator) = 0;
  virtual Result<std::vector<QuarantineEntry>> QuarantineEntries() = 0;
  // Stores `entries` as a new version of list `name` and makes it the active
  // one, in one transaction: a failure leaves the previous version active.
  // When the entries are identical to the active version's, nothing is
  // stored and the active version is returned with `unchanged` set.
  virtual Result<ListVersionInfo> StoreListVersion(const std::string& name, const std::string& format,
                                                   const std::string& source_sha256,
                                                   const std::vector<WatchEntry>& entries,
                                                   bool* unchanged) = 0;
  // Versions of list `name` (every list when empty), oldest first.
  virtual Result<std::vector<ListVersionInfo>> ListVersions(const std::string& name) = 0;
  // Entries of version `version` of list `name` (the active one when 0).
  virtual Result<std::vector<WatchEntry>> ListEntries(const std::string& name, int version) = 0;

  // Travellers on flights departing today or later (the flight's departure
  // date against the clock's UTC date; flights without a date are left out):
  // API travellers, and the travellers of the current version of each PNR.
  // A PNR traveller booked on several such flights is returned once, with
  // the earliest. Ordered by kind (API first), then row id.
  virtual Result<std::vector<UpcomingTraveller>> UpcomingTravellers() = 0;
  // Records `hits` in one transaction, keyed by traveller kind and row, list
  // and reference. A new key is stored open. An open hit with the same key
  // is updated (score, explanation, list version, flight) only when the
  // score differs; otherwise nothing changes. A withdrawn hit with the same
  // key is opened again. Returns how many hits were stored or opened again.
  virtual Result<int64_t> RecordHits(const std::vector<ScreeningHit>& hits) = 0;
  // Withdraws, in one transaction, the open hits of entries `references` of
  // list `list`: of every traveller when `among` is null, else of the
  // travellers in `among` only. Hits whose traveller and entry are in `keep`
  // stay open. Returns how many were withdrawn.
  virtual Result<int64_t> WithdrawHits(const std::string& list,
                                       const std::vector<std::string>& references,
                                       const std::vector<TravellerKey>* among,
                                       const std::vector<ScreeningHit>& keep) = 0;
  // Hits with status `status` ("open" or "withdrawn"; every hit when empty),
  // oldest first.
  virtual Result<std::vector<ScreeningHit>> Hits(const std::string& status) = 0;

  // The raw bytes archived under `sha256`, if any.
  virtual Result<std::optional<std::string>> RawMessage(const std::string& sha256) = 0;
};

// Opens (creating if needed) the SQLite store at `path` and brings its schema
// up to date. The parent directory is created when missing.
// `clock` stamps arrival times (the system clock when null).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::shared_ptr<const Clock> clock = nullptr);

}  // namespace vigil
