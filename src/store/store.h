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
#include <functional>
#include <map>
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
  // What minimisation deleted on receipt, by category ("religion", "health"
  // ...): counted in minimisation_log with the message, never the content.
  const std::map<std::string, int>* minimised = nullptr;
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

// One version of a targeting rule. Rules are kept by name; every change is
// a new version and the latest one is the rule in force (unless disabled).
struct StoredRule {
  std::string name;
  int version = 0;
  std::string text;      // the rule as written
  std::string severity;  // "high", "medium" or "low"
  std::string category;
  bool enabled = true;   // of the rule (all its versions), as it is now
  std::string author;
  std::string created_at;
};

// One version of a named value list that rules refer to.
struct ValueList {
  std::string name;
  int version = 0;
  std::vector<std::string> items;
  std::string author;
  std::string created_at;
};

// A flight as stored.
struct FlightInfo {
  int64_t id = 0;
  std::string carrier;
  std::string flight_number;
  std::string departure_airport;
  std::string arrival_airport;
  std::string departure_date;   // "YYYY-MM-DD", local at departure
  std::string departure_local;
  std::string arrival_local;
};

// Everything stored about one flight's travellers: API data, the current
// version of every PNR booked on it, and which rows are the same person.
struct FlightData {
  FlightInfo flight;
  struct Api {
    int64_t id = 0;  // api_travellers.id
    Traveller person;
  };
  struct Booking {
    int64_t version_id = 0;           // pnr_versions.id
    Pnr pnr;
    std::vector<int64_t> traveller_ids;  // pnr_travellers.id of pnr.travellers[i]
  };
  std::vector<Api> api;
  std::vector<Booking> bookings;
  std::vector<std::pair<int64_t, int64_t>> links;  // (api traveller id, pnr traveller id)
};

// Why an alert stands: a watch-list match or a rule hit.
struct AlertReason {
  std::string kind;         // "watchlist" or "rule"
  std::string source;       // list name or rule name
  int version = 0;          // of the list or the rule that produced it
  std::string reference;    // watch-list entry reference; empty for rules
  std::string severity;     // "high", "medium" or "low"
  std::string category;
  double score = 0;         // watch-list match score; 0 for rules
  std::string explanation;  // JSON
  // What the reason rests on (traveller data, entry content or rule text),
  // as a hash: a dismissed watch-list reason with the same fingerprint does
  // not alert again. The store keeps (and returns) a keyed hash of it.
  std::string fingerprint;
};

// A change of an alert's review status, or of its evidence.
struct AlertEvent {
  std::string at;
  std::string user;    // who; "vigil" for changes assessment made
  std::string from;    // status before; empty when the alert was created
  std::string to;
  std::string reason;  // mandatory for a person's review decision
};

// One alert per traveller per flight. Statuses: "new", "in_review",
// "confirmed" (referred to frontline), "dismissed", and "withdrawn" (its
// evidence went away before anyone reviewed it).
struct Alert {
  int64_t id = 0;
  int64_t flight_id = 0;
  TravellerKind traveller_kind = TravellerKind::kApi;
  int64_t traveller_id = 0;
  std::string status;
  std::string severity;  // the highest of its reasons'
  std::string category;  // of its most severe reason
  std::vector<AlertReason> reasons;
  std::vector<AlertEvent> events;  // oldest first; filled by Alert(id) only
  std::string created_at;
  std::string updated_at;
  // For display: flight ("BA117"), departure date, traveller's name.
  std::string flight;
  std::string departure_date;
  std::string traveller_name;
};

// The reasons one traveller on one flight has now (see Store::UpdateAlerts).
struct AlertUpdate {
  int64_t flight_id = 0;
  TravellerKind traveller_kind = TravellerKind::kApi;
  int64_t traveller_id = 0;
  std::vector<AlertReason> reasons;
};

// Everything stored about one traveller row, for the traveller page.
struct TravellerDetail {
  TravellerKind kind = TravellerKind::kApi;
  int64_t id = 0;
  std::vector<FlightInfo> flights;      // the API row's flight, or the flights of the booking
  Traveller person;                     // as its message gives it
  std::optional<Pnr> booking;           // the current version of its PNR (an API row's linked one)
  std::vector<PnrVersionInfo> versions; // of that PNR, oldest first
  std::vector<Alert> alerts;            // of this row, every status, newest first
  // The booking's current version, and whether it was depersonalised (its
  // data masked; the original only through an approved request).
  int64_t booking_version_id = 0;
  bool depersonalised = false;
  int position = -1;                    // a PNR row's place in booking->travellers
};

// What UpdateAlerts did to one alert.
enum class AlertChange { kNone, kCreated, kUpdated, kReopened, kWithdrawn, kSuppressed };
const char* to_string(AlertChange change);

// A person who signs in. Roles are names ("analyst", "frontline" ...; see
// auth/auth.h); the password is kept only as an Argon2id hash.
struct UserAccount {
  int64_t id = 0;
  std::string name;
  std::vector<std::string> roles;
  std::string password_hash;  // libsodium crypto_pwhash_str (Argon2id)
  int failed_logins = 0;      // since the last successful one
  std::string locked_until;   // "YYYY-MM-DDTHH:MM:SSZ"; empty when not locked
  bool disabled = false;
  std::string created_at;
};

// A signed-in person's session; the store keeps only the token's hash.
struct SessionRecord {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf;        // required with every change made in this session
  std::string created_at;
  std::string last_seen;
  std::string expires_at;  // absolute end
  std::string remote;      // where it was opened from
  std::string user_name;   // filled by FindSession
};

// A credential for a system (carrier push, frontline device); the store
// keeps only the token's hash.
struct ApiToken {
  int64_t id = 0;
  std::string name;
  std::string token_hash;
  std::vector<std::string> scopes;  // "push", "check", "metrics"
  std::string created_at;
  bool revoked = false;
};

// One access to data: who did what to which object, when, why, for whom
// and from where. Entries form a chain: each one's hash covers its content
// and the hash of the entry before it.
struct AuditEntry {
  int64_t id = 0;
  std::string at;
  std::string actor;      // user name or "token:NAME"
  std::string action;     // e.g. "read alerts", "review alerts", "sign in"
  std::string object;     // e.g. "alert:12", "alerts", "traveller:api:5"
  std::string purpose;    // the purpose or case reference given
  std::string recipient;  // to whom data was disclosed (partner sharing); empty otherwise
  std::string remote;     // client address
  std::string outcome;    // "ok", "denied", "failed"
  std::string prev_hash;  // filled by the store
  std::string hash;       // filled by the store
};

// The hash of `e` (its id and every field but the hashes) chained to
// `prev_hash`: SHA-256, hex.
std::string audit_entry_hash(const AuditEntry& e, const std::string& prev_hash);

// A signed statement that the chain ended, at `signed_at`, with entry
// `entry_id` of hash `entry_hash`.
struct AuditCheckpoint {
  int64_t id = 0;
  int64_t entry_id = 0;
  std::string entry_hash;
  std::string signed_at;
  std::string signature;  // Ed25519 over audit_checkpoint_message(), hex
};
std::string audit_checkpoint_message(const AuditCheckpoint& c);

// How long data is kept, per category and regime (a configuration file;
// see privacy/retention.h). Periods count from receipt, except API data's,
// which counts from the flight's arrival.
struct RetentionPolicy {
  std::string regime = "EU PNR Directive 2016/681 art. 12; API Directive 2004/82/EC art. 6";
  int pnr_depersonalise_after_days = 183;  // six months
  int delete_after_days = 1826;            // five years: everything, raw archive included
  // After depersonalisation: "keep" (masked, until deletion), or
  // "delete_unless_risk_link" (a stricter regime: only PNR data on which
  // an alert stands is kept beyond the first period).
  std::string after_depersonalisation = "keep";
  int api_delete_after_arrival_hours = 24;
  bool api_keep_if_alert = true;           // API data an alert stands on stays (until deletion)
  int closed_alerts_delete_after_days = 183;  // dismissed and withdrawn alerts, from their last change
  int quarantine_delete_after_days = 90;
  int repersonalisation_grant_hours = 72;  // how long an approval lasts
  int audit_keep_days = 1826;              // the access log (art. 13(6)), pruned to a signed checkpoint
};

// What a retention run did (or, counted by Dpo, what runs did so far).
struct RetentionCounts {
  int64_t pnr_versions_depersonalised = 0;
  int64_t pnr_versions_deleted = 0;
  int64_t api_travellers_deleted = 0;
  int64_t raw_messages_depersonalised = 0;
  int64_t raw_messages_deleted = 0;  // deleted, or their bytes erased (API messages)
  int64_t alerts_deleted = 0;
  int64_t quarantined_deleted = 0;
  int64_t encounters_deleted = 0;    // biometric encounters, with any probe kept
  bool operator==(const RetentionCounts&) const = default;
};

// How a retention run depersonalises and may be stopped (for tests).
struct RetentionControl {
  // Masks a PNR version's data (privacy/depersonalise.h); required.
  std::function<void(Pnr*)> depersonalise;
  // Called at each step inside a unit's transaction; a throw there aborts
  // the run as a crash would, leaving that unit as it was.
  std::function<void(const char* step)> fault;
};

// A request to see depersonalised PNR data again (EU PNR Directive art.
// 12(3)): made with a case reference and grounds, decided by another person
// holding the approver role, valid until `expires_at`, for the requester
// only.
struct Repersonalisation {
  int64_t id = 0;
  int64_t pnr_id = 0;
  int64_t traveller_id = 0;  // the pnr_travellers row it was asked from
  std::string case_ref;
  std::string grounds;
  std::string requested_by;
  std::string requested_at;
  std::string status;        // "requested", "approved", "refused"
  std::string decided_by;
  std::string decided_at;
  std::string decision_note;
  std::string expires_at;    // of an approval
};

// One template of the biometric gallery, with the subject it belongs to.
struct BioTemplate {
  int64_t id = 0;
  std::string list;       // the watch list the subject is enrolled from
  std::string reference;  // the subject's reference in that list
  std::string category;
  std::string modality;   // "finger" (later "face")
  int position = 0;       // finger position code (0 unknown)
  std::string data;       // the template: ISO/IEC 19794-2:2005 for fingers
  // The image it was read from, if any, kept (sealed) for examiners to
  // compare with a probe; enrolled, never read back by BioGallery.
  std::string source;
};

// What an examiner compares: the probe kept with a hit, and the images
// the best candidate was enrolled from.
struct EncounterImages {
  std::string probe;  // empty when none was kept (no hit, or rejected)
  struct Reference {
    std::string modality;
    int position = 0;
    std::string image;
  };
  std::vector<Reference> references;
};

// Where the gallery stands: see Store::BioGalleryMarks.
struct BioGalleryMark {
  int64_t last_template = 0;
  int64_t last_removal = 0;
};

// A subject removed from the gallery.
struct BioRemoval {
  int64_t id = 0;
  std::string at;
  std::string list, reference;
  int templates = 0;  // how many went with it
};

// What enrolling a subject did.
struct BioEnrolment {
  int64_t subject_id = 0;
  bool new_subject = false;
  int added = 0;       // templates stored
  int duplicates = 0;  // templates already in the gallery (for any subject), not stored again
};

// One frontline biometric check.
struct BioEncounter {
  int64_t id = 0;
  std::string at;
  std::string officer;
  std::string location;
  std::string result;          // "hit" or "no_hit"
  int candidates = 0;          // how many were returned
  std::string best_list, best_reference;
  double best_score = 0;
  std::string probe;           // kept (sealed) only on a hit; not returned by BioEncounters
  // Passive authentication of the document's chip: "" when none was
  // asked, "authentic", or "not authentic: WHY".
  std::string chip;
  // An examiner's decision on a hit: "" while it awaits one, "confirmed"
  // or "rejected", with who, when and why.
  std::string decision, decided_by, decided_at, reason;
};

// What the data-protection officer reviews (vigil report dpo).
struct DpoFigures {
  struct Access {
    std::string actor, purpose, action;
    int64_t count = 0;
  };
  std::vector<Access> accesses;        // granted accesses by actor, purpose and action
  int64_t refused = 0;                 // refused requests
  std::map<std::string, int64_t> minimised;  // items deleted on receipt, by category
  int64_t minimised_messages = 0;      // messages something was deleted from
  // Due now, by the retention rules (PNR data depersonalised after 6
  // months, everything deleted after 5 years, API data 24 hours after
  // arrival unless an alert stands on it).
  int64_t pnr_versions_due_depersonalisation = 0;
  int64_t messages_due_deletion = 0;
  int64_t api_travellers_due_deletion = 0;
  RetentionCounts done;                          // by retention runs so far
  std::vector<Repersonalisation> repersonalisations;  // every request, newest first
  // Biometrics: what the gallery holds, and whether a person decided each
  // hit (no decision by automation alone).
  struct Biometrics {
    int64_t subjects = 0, templates = 0, images = 0;  // images: kept for examiners
    int64_t removals = 0;                             // subjects taken off their lists
    int64_t encounters = 0, hits = 0;                 // held now
    int64_t awaiting = 0;                             // hits no examiner has decided
    std::string oldest_awaiting;                      // when the oldest of them was
    int64_t confirmed = 0, rejected = 0;
    int64_t probes_kept = 0;                          // sealed, with hits
    int64_t chips_authentic = 0, chips_not_authentic = 0;
  } biometrics;
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

  // Stores `rule` as the next version of its name and enables it; when
  // its text equals the latest version's, nothing is stored and that
  // version is returned with `unchanged` set.
  virtual Result<StoredRule> StoreRule(const StoredRule& rule, bool* unchanged) = 0;
  // The latest version of every rule, by name; with `all_versions`, every
  // version, oldest first within a name.
  virtual Result<std::vector<StoredRule>> Rules(bool all_versions) = 0;
  // Enables or disables rule `name`; an error when there is no such rule.
  virtual Status SetRuleEnabled(const std::string& name, bool enabled) = 0;

  // Stores `list` as the next version of its name (items as given, without
  // duplicates); an identical list stores nothing and sets `unchanged`.
  virtual Result<ValueList> StoreValueList(const ValueList& list, bool* unchanged) = 0;
  // The latest version of every value list, by name.
  virtual Result<std::vector<ValueList>> ValueLists() = 0;

  // Flights departing from `from` to `to` (dates "YYYY-MM-DD", inclusive;
  // an empty bound is open), by departure date then id.
  virtual Result<std::vector<FlightInfo>> Flights(const std::string& from, const std::string& to) = 0;
  virtual Result<FlightData> LoadFlight(int64_t flight_id) = 0;

  // Sets the alert of each update's traveller on its flight to stand on its
  // reasons, all in one transaction (see AlertChange):
  //  - watch-list reasons whose fingerprint was dismissed before are left
  //    out, unless the alert already stands on them (a dismissed alert
  //    keeps showing what was dismissed);
  //  - no alert yet: one is created "new" when reasons remain (kCreated),
  //    else nothing happens (kSuppressed when reasons were left out);
  //  - the same reasons as stored: nothing changes (kNone);
  //  - other reasons: they replace the stored ones (kUpdated); a reviewed
  //    alert (confirmed or dismissed) with a reason it did not have goes
  //    back to "new" (kReopened); a "new" alert left without reasons is
  //    "withdrawn" (kWithdrawn), and comes back when reasons do.
  // Every status change is recorded as an event by "vigil". Returns one
  // change per update, in order.
  virtual Result<std::vector<AlertChange>> UpdateAlerts(const std::vector<AlertUpdate>& updates) = 0;
  // Alerts with `status` (every status when empty) on flight `flight_id`
  // (every flight when 0), newest first, with their reasons.
  virtual Result<std::vector<Alert>> Alerts(const std::string& status, int64_t flight_id) = 0;
  // One alert with its reasons and events; an error when unknown.
  virtual Result<Alert> GetAlert(int64_t id) = 0;
  // The alerts still standing (new, in review, confirmed) of stored
  // travellers who are `person`: the same document number, or the same
  // surname, first given name and date of birth. Newest first.
  virtual Result<std::vector<Alert>> StandingAlertsFor(const Traveller& person) = 0;
  // The stored traveller `kind`/`id` with its booking, the booking's
  // versions and its alerts; an error when there is no such row.
  virtual Result<TravellerDetail> LoadTraveller(TravellerKind kind, int64_t id) = 0;
  // A person's review decision: new -> in_review; in_review -> confirmed or
  // dismissed; confirmed or dismissed -> in_review (reopened). The reason
  // is mandatory. Dismissing remembers the alert's watch-list reasons'
  // fingerprints (see UpdateAlerts). Returns the alert as it is now.
  virtual Result<Alert> ReviewAlert(int64_t id, const std::string& to, const std::string& user,
                                    const std::string& reason) = 0;

  // Accounts. CreateUser fails when the name is taken.
  virtual Result<UserAccount> CreateUser(const UserAccount& user) = 0;
  virtual Result<std::optional<UserAccount>> FindUser(const std::string& name) = 0;
  virtual Result<std::vector<UserAccount>> Users() = 0;
  // Sets the login bookkeeping of user `id`: failures since the last
  // success and the end of a lockout (empty: none).
  virtual Status SetLoginState(int64_t id, int failed_logins, const std::string& locked_until) = 0;
  virtual Status SetUserDisabled(const std::string& name, bool disabled) = 0;

  virtual Status CreateSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
  virtual Status TouchSession(const std::string& token_hash, const std::string& last_seen) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // CreateApiToken fails when the name is taken.
  virtual Result<ApiToken> CreateApiToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ApiTokens() = 0;
  virtual Status RevokeApiToken(const std::string& name) = 0;

  // Appends to the access log (append-only: nothing here edits or
  // deletes), chaining the entry to the one before it.
  virtual Status Audit(const AuditEntry& entry) = 0;
  // The last `limit` entries, newest first.
  virtual Result<std::vector<AuditEntry>> AuditEntries(int limit) = 0;
  // Every entry as stored, oldest first, for verification.
  virtual Result<std::vector<AuditEntry>> AuditChain() = 0;
  virtual Status AddAuditCheckpoint(const AuditCheckpoint& checkpoint) = 0;
  virtual Result<std::vector<AuditCheckpoint>> AuditCheckpoints() = 0;
  // Deletes the access-log entries up to and including `through_entry` and
  // the checkpoints before it, in one transaction: the only deletion the
  // log allows. The checkpoint of `through_entry` stays, the signed anchor
  // the rest of the chain verifies from; without one this is an error.
  // Returns how many entries were deleted.
  virtual Result<int64_t> PruneAuditLog(int64_t through_entry) = 0;

  // The figures of the data-protection officer's report, as at `now`
  // ("YYYY-MM-DDTHH:MM:SSZ"), with what `policy` makes due.
  virtual Result<DpoFigures> Dpo(const std::string& now, const RetentionPolicy& policy) = 0;

  // Applies `policy` as at `now` ("YYYY-MM-DDTHH:MM:SSZ"):
  //  - everything received before the deletion period is deleted: raw
  //    messages, what was read from them, their travellers' links, hits and
  //    alerts, sealed originals and requests;
  //  - API travellers whose flight arrived more than the API period ago are
  //    deleted with their hits, links and alerts, unless (as the policy
  //    says) an alert stands on them; an API message's bytes are erased
  //    once every flight it carried is past that period;
  //  - PNR versions (and their raw messages) received before the first
  //    period are depersonalised: names, contacts, payment, frequent-flyer
  //    numbers, remarks and API data masked (control.depersonalise), name
  //    and document lookups removed, explanations quoting them masked; the
  //    originals are kept sealed for approved re-personalisation. In the
  //    stricter regime versions no alert stands on are deleted instead;
  //  - dismissed and withdrawn alerts and withdrawn hits past their period,
  //    quarantined messages past theirs, and biometric encounters (with any
  //    probe kept on a hit) past the deletion period, are deleted.
  // Every unit (a message with all that was read from it, a batch of whole
  // API travellers, an alert) changes in one transaction: a run stopped at
  // any point leaves nothing half-masked or half-deleted, and the next run
  // goes on from there. Deleted bytes are overwritten in the file. What was
  // done is counted (retention_log) and returned.
  virtual Result<RetentionCounts> ApplyRetention(const RetentionPolicy& policy, const std::string& now,
                                                 const RetentionControl& control) = 0;

  // Re-personalisation. A request on a depersonalised PNR traveller row;
  // an error when the row is unknown or not depersonalised.
  virtual Result<Repersonalisation> RequestRepersonalisation(int64_t pnr_traveller_id, const std::string& case_ref,
                                                             const std::string& grounds, const std::string& user) = 0;
  // Approves (valid until `expires_at`) or refuses request `id`; an error
  // when it is not pending or `user` made it.
  virtual Result<Repersonalisation> DecideRepersonalisation(int64_t id, bool approve, const std::string& user,
                                                            const std::string& note, const std::string& expires_at) = 0;
  // Requests with `status` (all when empty), newest first.
  virtual Result<std::vector<Repersonalisation>> Repersonalisations(const std::string& status) = 0;
  // The approval `user` holds at `now` on the PNR of traveller row
  // `pnr_traveller_id`, if any.
  virtual Result<std::optional<Repersonalisation>> ActiveRepersonalisation(int64_t pnr_traveller_id,
                                                                          const std::string& user,
                                                                          const std::string& now) = 0;
  // The original (sealed) data of depersonalised PNR version `version_id`.
  virtual Result<Pnr> OriginalPnr(int64_t version_id) = 0;

  // Biometrics. Enrols `templates` (modality, position and bytes in each)
  // for subject `reference` of list `list`, creating the subject when new,
  // in one transaction: a failure enrols nothing. A template already in the
  // gallery (the same bytes, for any subject) is counted, not stored again.
  virtual Result<BioEnrolment> EnrolBiometrics(const std::string& list, const std::string& reference,
                                               const std::string& category,
                                               const std::vector<BioTemplate>& templates) = 0;
  // The gallery's templates with ids in (after, up_to], by subject then
  // template. Each template enrolled has a higher id than any before it,
  // and templates go only with their subject (RemoveBioSubject), each such
  // removal logged with a growing id: a cache of the gallery reads the
  // templates after the last id it has and the removals after the last it
  // has (BioRemovals), and is then current.
  virtual Result<std::vector<BioTemplate>> BioGallery(int64_t after, int64_t up_to) = 0;
  // The last template id and the last removal id (0 for none): the gallery
  // changes exactly when one of them does.
  virtual Result<BioGalleryMark> BioGalleryMarks() = 0;
  // Removes subject `reference` of list `list` and every template of it,
  // in one transaction, and logs the removal; returns how many templates
  // went. An error when there is no such subject.
  virtual Result<int> RemoveBioSubject(const std::string& list, const std::string& reference) = 0;
  // The removals logged after removal `after`, in order.
  virtual Result<std::vector<BioRemoval>> BioRemovals(int64_t after) = 0;
  // Records a frontline check; returns its id.
  virtual Result<int64_t> RecordEncounter(const BioEncounter& encounter) = 0;
  // The last `limit` encounters, newest first (without their probes):
  // all (`status` ""), hits awaiting an examiner ("awaiting"), or those an
  // examiner "confirmed" or "rejected".
  virtual Result<std::vector<BioEncounter>> BioEncounters(int limit, const std::string& status) = 0;
  // An examiner's decision on hit `id`: "confirmed" or "rejected", with a
  // reason; once only. A rejected hit was no hit: its probe is deleted.
  // Returns the encounter as it now stands.
  virtual Result<BioEncounter> DecideEncounter(int64_t id, const std::string& decision, const std::string& examiner,
                                               const std::string& reason) = 0;
  // The probe of encounter `id` and the enrolment images of its best
  // candidate; an error when there is no such encounter.
  virtual Result<EncounterImages> BioEncounterImages(int64_t id) = 0;

  // The raw bytes archived under `sha256`, if any.
  virtual Result<std::optional<std::string>> RawMessage(const std::string& sha256) = 0;

  // Encryption at rest. How many stored values each data key sealed (key
  // 0: values written before encryption); empty for a plaintext store.
  virtual Result<std::map<uint32_t, int64_t>> SealedValues() = 0;
  // Seals again under the current key up to `batch` values sealed with an
  // older key, in one short transaction, so that readers and writers go on
  // meanwhile. Returns how many; 0 when every value is under the current
  // key.
  virtual Result<int64_t> Reseal(int64_t batch) = 0;
};

// How a store keeps personal data at rest (see store/keyring.h).
struct StoreSecurity {
  // The data key file; empty: default_data_key_path(). A database new to
  // encryption adopts the file, creating it when missing; an encrypted
  // database refuses to open when its key file is missing or is another's.
  std::string key_file;
  // No encryption, for measurements and tests of what is stored: allowed on a new, empty database,
  // which is marked so and then refuses to open encrypted (and an
  // encrypted one refuses to open plaintext).
  bool plaintext = false;
};

// keys/data.keys in the folder of the database at `db_path`.
std::string default_data_key_path(const std::string& db_path);

// Opens (creating if needed) the SQLite store at `path` and brings its schema
// up to date. The parent directory is created when missing.
// `clock` stamps arrival times (the system clock when null). Personal
// fields and raw messages are written sealed with the data keys of
// `security`; a wrong or missing key file fails here, before anything is
// read or written.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               std::shared_ptr<const Clock> clock = nullptr,
                                               const StoreSecurity& security = {});

}  // namespace vigil
