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
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

  // The raw bytes archived under `sha256`, if any.
  virtual Result<std::optional<std::string>> RawMessage(const std::string& sha256) = 0;
};

// Opens (creating if needed) the SQLite store at `path` and brings its schema
// up to date. The parent directory is created when missing.
// `clock` stamps arrival times (the system clock when null).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::shared_ptr<const Clock> clock = nullptr);

}  // namespace vigil
