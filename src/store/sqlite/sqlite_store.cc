#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "base/hash.h"
#include "model/json.h"
#include "store/sqlite/accounts.h"
#include "store/sqlite/database.h"
#include "store/sqlite/biometrics.h"
#include "store/sqlite/encryption.h"
#include "store/sqlite/retention.h"
#include "store/sqlite/targeting.h"
#include "store/store.h"

namespace vigil {
namespace {

using sqlite::Stmt;

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
  return out;
}

// "SURNAME/FIRSTGIVEN": the key on which API and PNR records of one traveller
// meet. Titles that PNRs append to given names ("JOHN MR") are dropped.
std::string link_key(const Traveller& t) {
  static const char* kTitles[] = {"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "CHD", "INF"};
  std::string first;
  const std::string given = upper_ascii(t.given_names);
  size_t i = 0;
  while (i < given.size()) {
    const size_t j = given.find(' ', i);
    const std::string token = given.substr(i, j == std::string::npos ? j : j - i);
    i = j == std::string::npos ? given.size() : j + 1;
    if (token.empty()) continue;
    bool title = false;
    for (const char* tt : kTitles) title = title || token == tt;
    if (!title) {
      first = token;
      break;
    }
  }
  std::string surname = upper_ascii(t.surname);
  return surname + "/" + first;
}

// The entry's primary name (else its first name); empty when it has none.
std::string primary_name(const WatchEntry& e) {
  for (const auto& n : e.names)
    if (n.primary) return n.full;
  return e.names.empty() ? std::string() : e.names[0].full;
}

std::string primary_document(const Traveller& t) {
  for (const auto& d : t.documents)
    if (!d.number.empty()) return upper_ascii(d.number);
  return {};
}

// What sealed values and keyed hashes are bound to (see store/keyring.h).
// Hash contexts are shared by the API and PNR tables, whose rows are
// linked and found by equal hashes.
constexpr const char* kRawBody = "raw_messages.body";
constexpr const char* kApiData = "api_travellers.data";
constexpr const char* kPnrData = "pnr_versions.data";
constexpr const char* kHitExplanation = "screening_hits.explanation";
constexpr const char* kNameKey = "name_key";
constexpr const char* kDocument = "document_number";
constexpr const char* kBirthDate = "birth_date";

// A traveller row that may be linked to rows on the other side (by keyed
// hashes of its name key, document and birth date).
struct LinkCandidate {
  int64_t id;
  std::string name_key, document, birth_date;
};

// Flight numbers as one key: leading zeros dropped ("0117" and "117" are
// the same flight), letters upper-cased.
std::string flight_key(std::string_view number) {
  size_t i = 0;
  while (i + 1 < number.size() && number[i] == '0') ++i;
  return upper_ascii(number.substr(i));
}

const char* link_method(const LinkCandidate& a, const LinkCandidate& b) {
  if (!a.document.empty() && a.document == b.document) return "document";
  if (a.name_key == b.name_key &&
      (a.birth_date.empty() || b.birth_date.empty() || a.birth_date == b.birth_date))
    return "name";
  return nullptr;
}

class SqliteStore : public Store, private sqlite::Database {
 public:
  SqliteStore(sqlite3* db, std::shared_ptr<const Clock> clock) : Database(db, std::move(clock)) {}

  Status Init() { return Database::Init(); }
  using Database::UseKeys;

  Result<StoreOutcome> StoreMessage(const IncomingMessage& m) override {
    StoreOutcome out;
    const std::string sha = sha256_hex(m.raw);
    return InTransaction([&]() -> Result<StoreOutcome> {
      if (Status s = StoreInTransaction(m, sha, &out); !s.ok()) return s;
      return out;
    });
  }

  Result<int64_t> Quarantine(std::string_view raw, const std::string& source,
                             const std::string& reason, bool* fresh) override {
    const std::string sha = sha256_hex(raw);
    Stmt& find = S("SELECT id FROM quarantine WHERE sha256 = ?1");
    find.Bind(1, sha);
    if (find.Row()) {
      const int64_t id = find.Int(0);
      find.Reset();
      *fresh = false;
      return id;
    }
    find.Reset();
    Stmt& ins = S("INSERT INTO quarantine(sha256, received_at, source, size, reason, body) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    const std::string now = format_utc(clock_->now());
    const std::string body = Seal(raw, "quarantine.body");
    ins.Bind(1, sha).Bind(2, now).Bind(3, source)
        .Bind(4, static_cast<int64_t>(raw.size())).Bind(5, reason).BindBlob(6, body);
    if (!ins.Run()) return Error("quarantine insert");
    ins.Reset();
    *fresh = true;
    return sqlite3_last_insert_rowid(db_);
  }

  Result<StoreCounts> Counts() override {
    StoreCounts c;
    struct {
      const char* table;
      int64_t* field;
    } queries[] = {{"raw_messages", &c.raw_messages}, {"quarantine", &c.quarantined},
                   {"flights", &c.flights},           {"api_travellers", &c.api_travellers},
                   {"pnrs", &c.pnrs},                 {"pnr_versions", &c.pnr_versions},
                   {"pnr_travellers", &c.pnr_travellers}, {"traveller_links", &c.links}};
    for (auto& q : queries) {
      Stmt st;
      if (auto s = st.Prepare(db_, (std::string("SELECT count(*) FROM ") + q.table).c_str()); !s.ok())
        return s;
      if (st.Row()) *q.field = st.Int(0);
    }
    return c;
  }

  // Every version of the PNR of version `version_id`, oldest first.
  Result<std::vector<PnrVersionInfo>> VersionsOf(int64_t version_id) {
    return sqlite::rows(
        *this,
        "SELECT v.id, v.version_no, v.last_changed, v.id = p.current_version_id, v.message_id FROM pnr_versions x "
        "JOIN pnrs p ON p.id = x.pnr_id JOIN pnr_versions v ON v.pnr_id = p.id WHERE x.id = ?1 ORDER BY v.version_no",
        [](Stmt& st) {
          return PnrVersionInfo{st.Int(0), static_cast<int>(st.Int(1)), st.Text(2), st.Int(3) != 0, st.Int(4)};
        },
        [&](Stmt& st) { st.Bind(1, version_id); });
  }

  Result<std::vector<PnrVersionInfo>> PnrVersions(const std::string& carrier,
                                                  const std::string& locator) override {
    Stmt& st = S("SELECT v.id, v.version_no, v.last_changed, v.id = p.current_version_id, "
                 "v.message_id FROM pnrs p JOIN pnr_versions v ON v.pnr_id = p.id "
                 "WHERE p.carrier = ?1 AND p.record_locator = ?2 ORDER BY v.version_no");
    const std::string locator_hash = Hash(locator, "record_locator");
    st.Bind(1, carrier).Bind(2, locator_hash);
    std::vector<PnrVersionInfo> out;
    while (st.Row())
      out.push_back({st.Int(0), static_cast<int>(st.Int(1)), st.Text(2), st.Int(3) != 0, st.Int(4)});
    st.Reset();
    return out;
  }

  Result<std::vector<QuarantineEntry>> QuarantineEntries() override {
    Stmt& st = S("SELECT id, sha256, source, reason, body FROM quarantine ORDER BY id");
    std::vector<QuarantineEntry> out;
    try {
      while (st.Row()) out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), Open(st, 4, "quarantine.body")});
    } catch (const std::exception& e) {
      st.Reset();
      return sqlite::sqlite_error(e);
    }
    st.Reset();
    return out;
  }

  Result<ListVersionInfo> StoreListVersion(const std::string& name, const std::string& format,
                                           const std::string& source_sha256,
                                           const std::vector<WatchEntry>& entries,
                                           bool* unchanged) override {
    // Content of the new version, keyed by reference.
    std::vector<std::pair<std::string, std::string>> rows;  // reference, data
    rows.reserve(entries.size());
    for (const auto& e : entries) rows.emplace_back(e.reference, dump_line(to_json(e)));
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               rows.end());
    std::string all;
    for (const auto& [ref, data] : rows) all += sha256_hex(data);
    const std::string version_hash = sha256_hex(all);

    return InTransaction([&]() -> Result<ListVersionInfo> {
      Stmt& cur = S("SELECT id, version FROM watch_lists WHERE name = ?1 "
                    "ORDER BY version DESC LIMIT 1");
      cur.Bind(1, name);
      int64_t last_id = 0, last_version = 0;
      if (cur.Row()) last_id = cur.Int(0), last_version = cur.Int(1);
      cur.Reset();
      if (last_id) {
        Stmt& same = S("SELECT content_hash FROM watch_entries WHERE list_version_id = ?1 "
                       "ORDER BY reference");
        same.Bind(1, last_id);
        std::string previous;
        while (same.Row()) previous += same.Text(0);
        same.Reset();
        if (sha256_hex(previous) == version_hash) {
          *unchanged = true;
          auto versions = ListVersions(name);
          if (!versions.ok()) return versions.status();
          return versions->back();
        }
      }
      *unchanged = false;
      Stmt& off = S("UPDATE watch_lists SET active = 0 WHERE name = ?1");
      off.Bind(1, name);
      if (!off.Run()) return Error("list update");
      off.Reset();
      Stmt& ins = S("INSERT INTO watch_lists(name, version, imported_at, format, source_sha256, "
                    "entries, active) VALUES (?1,?2,?3,?4,?5,?6,1)");
      const std::string now = format_utc(clock_->now());
      ins.Bind(1, name).Bind(2, last_version + 1).Bind(3, now).Bind(4, format)
          .Bind(5, source_sha256).Bind(6, static_cast<int64_t>(rows.size()));
      if (!ins.Run()) return Error("list insert");
      ins.Reset();
      const int64_t id = sqlite3_last_insert_rowid(db_);
      Stmt& e = S("INSERT INTO watch_entries(list_version_id, reference, content_hash, data) "
                  "VALUES (?1,?2,?3,?4)");
      for (const auto& [ref, data] : rows) {
        const std::string hash = sha256_hex(data);
        e.Bind(1, id).Bind(2, ref).Bind(3, hash).Bind(4, data);
        if (!e.Run()) return Error("list entry insert");
        e.Reset();
      }
      return ListVersionInfo{name, static_cast<int>(last_version + 1), now, format,
                             source_sha256, static_cast<int64_t>(rows.size()), true};
    });
  }

  Result<std::vector<ListVersionInfo>> ListVersions(const std::string& name) override {
    Stmt& st = S("SELECT name, version, imported_at, format, source_sha256, entries, active "
                 "FROM watch_lists WHERE ?1 = '' OR name = ?1 ORDER BY name, version");
    st.Bind(1, name);
    std::vector<ListVersionInfo> out;
    while (st.Row())
      out.push_back({st.Text(0), static_cast<int>(st.Int(1)), st.Text(2), st.Text(3), st.Text(4),
                     st.Int(5), st.Int(6) != 0});
    st.Reset();
    return out;
  }

  Result<std::vector<WatchEntry>> ListEntries(const std::string& name, int version) override {
    Stmt& st = S("SELECT e.data FROM watch_lists l JOIN watch_entries e ON e.list_version_id = l.id "
                 "WHERE l.name = ?1 AND ((?2 = 0 AND l.active = 1) OR l.version = ?2) "
                 "ORDER BY e.reference");
    st.Bind(1, name).Bind(2, static_cast<int64_t>(version));
    std::vector<WatchEntry> out;
    while (st.Row()) {
      WatchEntry e;
      auto j = nlohmann::json::parse(st.Text(0), nullptr, false);
      if (!from_json(j, &e)) {
        st.Reset();
        return Status::Error("list " + name + ": stored entry is unreadable");
      }
      out.push_back(std::move(e));
    }
    st.Reset();
    return out;
  }

  Result<std::vector<UpcomingTraveller>> UpcomingTravellers() override {
    const std::string today = format_utc(clock_->now()).substr(0, 10);
    std::vector<UpcomingTraveller> out;
    try {
      Stmt& api = S("SELECT t.id, t.flight_id, f.departure_date, t.data FROM api_travellers t "
                    "JOIN flights f ON f.id = t.flight_id WHERE f.departure_date >= ?1 "
                    "ORDER BY t.id");
      api.Bind(1, today);
      while (api.Row()) {
        UpcomingTraveller u{TravellerKind::kApi, api.Int(0), api.Int(1), api.Text(2), {}};
        const auto j = nlohmann::json::parse(Open(api, 3, kApiData), nullptr, false);
        if (!from_json(j, &u.person)) {
          api.Reset();
          return Status::Error("api traveller " + std::to_string(u.id) + ": stored data is unreadable");
        }
        out.push_back(std::move(u));
      }
      api.Reset();
      // One row per traveller and upcoming flight, earliest flight first.
      Stmt& pnr = S("SELECT t.id, t.position, v.id, f.id, f.departure_date FROM pnrs p "
                    "JOIN pnr_versions v ON v.id = p.current_version_id "
                    "JOIN pnr_travellers t ON t.pnr_version_id = v.id "
                    "JOIN pnr_flights pf ON pf.pnr_version_id = v.id "
                    "JOIN flights f ON f.id = pf.flight_id WHERE f.departure_date >= ?1 "
                    "ORDER BY t.id, f.departure_date, f.departure_local, f.id");
      Stmt& version = S("SELECT data FROM pnr_versions WHERE id = ?1");
      pnr.Bind(1, today);
      int64_t parsed_version = 0;
      nlohmann::json travellers;
      while (pnr.Row()) {
        const int64_t id = pnr.Int(0), position = pnr.Int(1), version_id = pnr.Int(2);
        if (!out.empty() && out.back().kind == TravellerKind::kPnr && out.back().id == id) continue;
        if (version_id != parsed_version) {
          version.Bind(1, version_id);
          const std::string data = version.Row() ? Open(version, 0, kPnrData) : std::string();
          version.Reset();
          const auto j = nlohmann::json::parse(data, nullptr, false);
          travellers = j.is_object() && j.contains("travellers") ? j["travellers"] : nlohmann::json();
          parsed_version = version_id;
        }
        UpcomingTraveller u{TravellerKind::kPnr, id, pnr.Int(3), pnr.Text(4), {}};
        if (!travellers.is_array() || position < 0 ||
            position >= static_cast<int64_t>(travellers.size()) ||
            !from_json(travellers[static_cast<size_t>(position)], &u.person)) {
          pnr.Reset();
          return Status::Error("pnr traveller " + std::to_string(id) + ": stored data is unreadable");
        }
        out.push_back(std::move(u));
      }
      pnr.Reset();
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    return out;
  }

  Result<int64_t> RecordHits(const std::vector<ScreeningHit>& hits) override {
    return InTransaction([&]() -> Result<int64_t> {
      const std::string now = format_utc(clock_->now());
      Stmt& find = S("SELECT id, status, score FROM screening_hits WHERE traveller_kind = ?1 "
                     "AND traveller_id = ?2 AND list_name = ?3 AND reference = ?4");
      Stmt& ins = S("INSERT INTO screening_hits(traveller_kind, traveller_id, flight_id, list_name, "
                    "list_version, reference, score, explanation, status, created_at) "
                    "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,'open',?9)");
      Stmt& upd = S("UPDATE screening_hits SET flight_id = ?2, list_version = ?3, score = ?4, "
                    "explanation = ?5, status = 'open', withdrawn_at = NULL WHERE id = ?1");
      int64_t fresh = 0;
      for (const ScreeningHit& h : hits) {
        const std::string kind = to_string(h.traveller_kind);
        find.Bind(1, kind).Bind(2, h.traveller_id).Bind(3, h.list).Bind(4, h.reference);
        int64_t id = 0;
        bool open = false;
        double score = 0;
        if (find.Row()) {
          id = find.Int(0);
          open = find.Text(1) == "open";
          score = find.Real(2);
        }
        find.Reset();
        if (!id) {
          ins.Bind(1, kind).Bind(2, h.traveller_id).Bind(3, h.flight_id).Bind(4, h.list)
              .Bind(5, static_cast<int64_t>(h.list_version)).Bind(6, h.reference)
              .Bind(7, h.score).Bind(9, now);
          const std::string explanation = Seal(h.explanation, kHitExplanation);
          BindSealed(ins, 8, explanation);
          if (!ins.Run()) return Error("hit insert");
          ins.Reset();
          ++fresh;
          continue;
        }
        if (open && score == h.score) continue;
        upd.Bind(1, id).Bind(2, h.flight_id).Bind(3, static_cast<int64_t>(h.list_version))
            .Bind(4, h.score);
        const std::string explanation = Seal(h.explanation, kHitExplanation);
        BindSealed(upd, 5, explanation);
        if (!upd.Run()) return Error("hit update");
        upd.Reset();
        if (!open) ++fresh;
      }
      return fresh;
    });
  }

  Result<int64_t> WithdrawHits(const std::string& list, const std::vector<std::string>& references,
                               const std::vector<TravellerKey>* among,
                               const std::vector<ScreeningHit>& keep) override {
    std::set<std::tuple<std::string, std::string, int64_t>> kept;  // reference, kind, traveller
    for (const auto& h : keep)
      if (h.list == list) kept.emplace(h.reference, to_string(h.traveller_kind), h.traveller_id);
    std::set<std::pair<std::string, int64_t>> scope;  // kind, traveller
    if (among)
      for (const auto& [kind, id] : *among) scope.emplace(to_string(kind), id);
    return InTransaction([&]() -> Result<int64_t> {
      const std::string now = format_utc(clock_->now());
      Stmt& find = S("SELECT id, traveller_kind, traveller_id FROM screening_hits "
                     "WHERE list_name = ?1 AND reference = ?2 AND status = 'open'");
      Stmt& off = S("UPDATE screening_hits SET status = 'withdrawn', withdrawn_at = ?2 WHERE id = ?1");
      int64_t withdrawn = 0;
      for (const std::string& ref : references) {
        std::vector<int64_t> ids;
        find.Bind(1, list).Bind(2, ref);
        while (find.Row()) {
          const std::string kind = find.Text(1);
          const int64_t traveller = find.Int(2);
          if (among && !scope.count({kind, traveller})) continue;
          if (!kept.count({ref, kind, traveller})) ids.push_back(find.Int(0));
        }
        find.Reset();
        for (int64_t id : ids) {
          off.Bind(1, id).Bind(2, now);
          if (!off.Run()) return Error("hit withdrawal");
          off.Reset();
          ++withdrawn;
        }
      }
      return withdrawn;
    });
  }

  Result<std::vector<ScreeningHit>> Hits(const std::string& status) override {
    std::vector<ScreeningHit> out;
    try {
      Stmt& st = S("SELECT h.id, h.traveller_kind, h.traveller_id, h.flight_id, h.list_name, "
                   "h.list_version, h.reference, h.score, h.explanation, h.status, h.created_at, "
                   "coalesce(h.withdrawn_at, ''), f.carrier || f.flight_number, f.departure_date, "
                   "coalesce(e.data, '') FROM screening_hits h JOIN flights f ON f.id = h.flight_id "
                   "LEFT JOIN watch_lists l ON l.name = h.list_name AND l.version = h.list_version "
                   "LEFT JOIN watch_entries e ON e.list_version_id = l.id AND e.reference = h.reference "
                   "WHERE ?1 = '' OR h.status = ?1 ORDER BY h.id");
      st.Bind(1, status);
      while (st.Row()) {
        ScreeningHit h;
        h.id = st.Int(0);
        h.traveller_kind = st.Text(1) == "pnr" ? TravellerKind::kPnr : TravellerKind::kApi;
        h.traveller_id = st.Int(2);
        h.flight_id = st.Int(3);
        h.list = st.Text(4);
        h.list_version = static_cast<int>(st.Int(5));
        h.reference = st.Text(6);
        h.score = st.Real(7);
        h.explanation = Open(st, 8, kHitExplanation);
        h.status = st.Text(9);
        h.created_at = st.Text(10);
        h.withdrawn_at = st.Text(11);
        h.flight = st.Text(12);
        h.departure_date = st.Text(13);
        WatchEntry entry;
        if (from_json(nlohmann::json::parse(st.Text(14), nullptr, false), &entry))
          h.entry_name = primary_name(entry);
        out.push_back(std::move(h));
      }
      st.Reset();
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    return out;
  }

  Result<StoredRule> StoreRule(const StoredRule& rule, bool* unchanged) override {
    return targeting_.StoreRule(rule, unchanged);
  }
  Result<std::vector<StoredRule>> Rules(bool all_versions) override { return targeting_.Rules(all_versions); }
  Status SetRuleEnabled(const std::string& name, bool enabled) override {
    return targeting_.SetRuleEnabled(name, enabled);
  }
  Result<ValueList> StoreValueList(const ValueList& list, bool* unchanged) override {
    return targeting_.StoreValueList(list, unchanged);
  }
  Result<std::vector<ValueList>> ValueLists() override { return targeting_.ValueLists(); }
  Result<std::vector<AlertChange>> UpdateAlerts(const std::vector<AlertUpdate>& updates) override {
    return targeting_.UpdateAlerts(updates);
  }
  Result<std::vector<Alert>> Alerts(const std::string& status, int64_t flight_id) override {
    return targeting_.Alerts(status, flight_id);
  }
  Result<Alert> GetAlert(int64_t id) override { return targeting_.GetAlert(id); }
  Result<TravellerDetail> LoadTraveller(TravellerKind kind, int64_t id) override {
    TravellerDetail out;
    out.kind = kind;
    out.id = id;
    try {
      int64_t version_id = 0, position = -1;  // the PNR traveller row behind it, if any
      std::vector<int64_t> flight_ids;
      if (kind == TravellerKind::kApi) {
        Stmt& row = S("SELECT flight_id, data FROM api_travellers WHERE id = ?1");
        row.Bind(1, id);
        if (!row.Row()) {
          row.Reset();
          return Status::Error("no traveller api:" + std::to_string(id));
        }
        flight_ids.push_back(row.Int(0));
        const bool read = from_json(nlohmann::json::parse(Open(row, 1, kApiData), nullptr, false), &out.person);
        row.Reset();
        if (!read) return Status::Error("api traveller " + std::to_string(id) + ": stored data is unreadable");
        Stmt& link = S("SELECT t.pnr_version_id, t.position FROM traveller_links l JOIN pnr_travellers t "
                       "ON t.id = l.pnr_traveller_id WHERE l.api_traveller_id = ?1 ORDER BY t.id DESC LIMIT 1");
        link.Bind(1, id);
        if (link.Row()) version_id = link.Int(0), position = link.Int(1);
        link.Reset();
      } else {
        Stmt& row = S("SELECT pnr_version_id, position FROM pnr_travellers WHERE id = ?1");
        row.Bind(1, id);
        if (!row.Row()) {
          row.Reset();
          return Status::Error("no traveller pnr:" + std::to_string(id));
        }
        version_id = row.Int(0), position = row.Int(1);
        row.Reset();
      }
      if (version_id) {
        // The PNR's current version (the row may belong to an older one).
        Stmt& pnr = S("SELECT c.data, c.id, c.masked_at <> '' FROM pnr_versions v JOIN pnrs p ON p.id = v.pnr_id "
                      "JOIN pnr_versions c ON c.id = p.current_version_id WHERE v.id = ?1");
        pnr.Bind(1, version_id);
        std::string data;
        int64_t current = 0;
        if (pnr.Row()) data = Open(pnr, 0, kPnrData), current = pnr.Int(1), out.depersonalised = pnr.Int(2) != 0;
        pnr.Reset();
        out.booking_version_id = current;
        out.position = static_cast<int>(position);
        Pnr booking;
        if (!data.empty() && from_json(nlohmann::json::parse(data, nullptr, false), &booking)) {
          const bool own = kind == TravellerKind::kPnr && position >= 0 &&
                           position < static_cast<int64_t>(booking.travellers.size());
          if (own) out.person = booking.travellers[static_cast<size_t>(position)].person;
          // Depersonalised, a booking does not tell how many travelled
          // together: only the row's own traveller is shown.
          if (out.depersonalised) {
            std::vector<PnrTraveller> mine;
            if (own) mine.push_back(booking.travellers[static_cast<size_t>(position)]);
            booking.travellers = std::move(mine);
          }
          out.booking = std::move(booking);
        }
        auto versions = VersionsOf(current);
        if (versions.ok()) out.versions = std::move(*versions);
        if (kind == TravellerKind::kPnr) {
          Stmt& fl = S("SELECT flight_id FROM pnr_flights WHERE pnr_version_id = ?1");
          fl.Bind(1, current);
          while (fl.Row()) flight_ids.push_back(fl.Int(0));
          fl.Reset();
        }
      }
      Stmt& f = S("SELECT id, carrier, flight_number, departure_airport, arrival_airport, departure_date, "
                  "departure_local, arrival_local FROM flights WHERE id = ?1");
      for (int64_t fid : flight_ids) {
        f.Bind(1, fid);
        if (f.Row()) out.flights.push_back(ReadFlight(f));
        f.Reset();
      }
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    auto alerts = kind == TravellerKind::kApi ? targeting_.AlertsOf({id}, {}, false) : targeting_.AlertsOf({}, {id}, false);
    if (!alerts.ok()) return alerts.status();
    out.alerts = std::move(*alerts);
    return out;
  }

  Result<std::vector<Alert>> StandingAlertsFor(const Traveller& person) override {
    std::vector<int64_t> rows[2];  // api, pnr
    try {
      std::vector<std::string> documents;
      for (const auto& d : person.documents)
        if (!d.number.empty()) documents.push_back(Hash(upper_ascii(d.number), kDocument));
      const std::string key = Hash(link_key(person), kNameKey), birth = Hash(person.birth_date, kBirthDate);
      const bool named = !person.surname.empty() && !person.birth_date.empty();
      Stmt* by_document[2] = {&S("SELECT id FROM api_travellers WHERE document_number = ?1"),
                              &S("SELECT id FROM pnr_travellers WHERE document_number = ?1")};
      Stmt* by_name[2] = {&S("SELECT id FROM api_travellers WHERE name_key = ?1 AND birth_date = ?2"),
                          &S("SELECT id FROM pnr_travellers WHERE name_key = ?1 AND birth_date = ?2")};
      for (int k = 0; k < 2; ++k) {
        for (const auto& d : documents) {
          by_document[k]->Bind(1, d);
          while (by_document[k]->Row()) rows[k].push_back(by_document[k]->Int(0));
          by_document[k]->Reset();
        }
        if (named) {
          by_name[k]->Bind(1, key).Bind(2, birth);
          while (by_name[k]->Row()) rows[k].push_back(by_name[k]->Int(0));
          by_name[k]->Reset();
        }
        std::sort(rows[k].begin(), rows[k].end());
        rows[k].erase(std::unique(rows[k].begin(), rows[k].end()), rows[k].end());
      }
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    return targeting_.AlertsOf(rows[0], rows[1], true);
  }
  Result<Alert> ReviewAlert(int64_t id, const std::string& to, const std::string& user,
                            const std::string& reason) override {
    return targeting_.ReviewAlert(id, to, user, reason);
  }

  Result<std::vector<FlightInfo>> Flights(const std::string& from, const std::string& to) override {
    std::vector<FlightInfo> out;
    try {
      Stmt& st = S("SELECT id, carrier, flight_number, departure_airport, arrival_airport, departure_date, "
                   "departure_local, arrival_local FROM flights WHERE (?1 = '' OR departure_date >= ?1) "
                   "AND (?2 = '' OR departure_date <= ?2) ORDER BY departure_date, id");
      st.Bind(1, from).Bind(2, to);
      while (st.Row()) out.push_back(ReadFlight(st));
      st.Reset();
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    return out;
  }

  Result<FlightData> LoadFlight(int64_t flight_id) override {
    FlightData out;
    try {
      Stmt& f = S("SELECT id, carrier, flight_number, departure_airport, arrival_airport, departure_date, "
                  "departure_local, arrival_local FROM flights WHERE id = ?1");
      f.Bind(1, flight_id);
      if (!f.Row()) {
        f.Reset();
        return Status::Error("no flight " + std::to_string(flight_id));
      }
      out.flight = ReadFlight(f);
      f.Reset();
      Stmt& api = S("SELECT id, data FROM api_travellers WHERE flight_id = ?1 ORDER BY id");
      api.Bind(1, flight_id);
      while (api.Row()) {
        FlightData::Api a;
        a.id = api.Int(0);
        if (!from_json(nlohmann::json::parse(Open(api, 1, kApiData), nullptr, false), &a.person)) {
          api.Reset();
          return Status::Error("api traveller " + std::to_string(a.id) + ": stored data is unreadable");
        }
        out.api.push_back(std::move(a));
      }
      api.Reset();
      Stmt& pnr = S("SELECT v.id, v.data FROM pnr_flights pf JOIN pnr_versions v ON v.id = pf.pnr_version_id "
                    "JOIN pnrs p ON p.id = v.pnr_id AND p.current_version_id = v.id "
                    "WHERE pf.flight_id = ?1 ORDER BY v.id");
      Stmt& rows = S("SELECT id, position FROM pnr_travellers WHERE pnr_version_id = ?1");
      pnr.Bind(1, flight_id);
      while (pnr.Row()) {
        FlightData::Booking b;
        b.version_id = pnr.Int(0);
        if (!from_json(nlohmann::json::parse(Open(pnr, 1, kPnrData), nullptr, false), &b.pnr)) {
          pnr.Reset();
          return Status::Error("pnr version " + std::to_string(b.version_id) + ": stored data is unreadable");
        }
        b.traveller_ids.assign(b.pnr.travellers.size(), 0);
        rows.Bind(1, b.version_id);
        while (rows.Row()) {
          const int64_t position = rows.Int(1);
          if (position >= 0 && position < static_cast<int64_t>(b.traveller_ids.size()))
            b.traveller_ids[static_cast<size_t>(position)] = rows.Int(0);
        }
        rows.Reset();
        out.bookings.push_back(std::move(b));
      }
      pnr.Reset();
      Stmt& links = S("SELECT api_traveller_id, pnr_traveller_id FROM traveller_links WHERE flight_id = ?1 "
                      "ORDER BY api_traveller_id, pnr_traveller_id");
      links.Bind(1, flight_id);
      while (links.Row()) out.links.emplace_back(links.Int(0), links.Int(1));
      links.Reset();
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    return out;
  }

  Result<UserAccount> CreateUser(const UserAccount& user) override { return accounts_.CreateUser(user); }
  Result<std::optional<UserAccount>> FindUser(const std::string& name) override { return accounts_.FindUser(name); }
  Result<std::vector<UserAccount>> Users() override { return accounts_.Users(); }
  Status SetLoginState(int64_t id, int failed, const std::string& locked_until) override {
    return accounts_.SetLoginState(id, failed, locked_until);
  }
  Status SetUserDisabled(const std::string& name, bool disabled) override {
    return accounts_.SetUserDisabled(name, disabled);
  }
  Status CreateSession(const SessionRecord& s) override { return accounts_.CreateSession(s); }
  Result<std::optional<SessionRecord>> FindSession(const std::string& hash) override {
    return accounts_.FindSession(hash);
  }
  Status TouchSession(const std::string& hash, const std::string& at) override { return accounts_.TouchSession(hash, at); }
  Status DeleteSession(const std::string& hash) override { return accounts_.DeleteSession(hash); }
  Result<ApiToken> CreateApiToken(const ApiToken& t) override { return accounts_.CreateApiToken(t); }
  Result<std::optional<ApiToken>> FindApiToken(const std::string& hash) override { return accounts_.FindApiToken(hash); }
  Result<std::vector<ApiToken>> ApiTokens() override { return accounts_.ApiTokens(); }
  Status RevokeApiToken(const std::string& name) override { return accounts_.RevokeApiToken(name); }
  Status Audit(const AuditEntry& e) override { return accounts_.Audit(e); }
  Result<std::vector<AuditEntry>> AuditEntries(int limit) override { return accounts_.AuditEntries(limit); }
  Result<std::vector<AuditEntry>> AuditChain() override { return accounts_.AuditChain(); }
  Status AddAuditCheckpoint(const AuditCheckpoint& c) override { return accounts_.AddAuditCheckpoint(c); }
  Result<std::vector<AuditCheckpoint>> AuditCheckpoints() override { return accounts_.AuditCheckpoints(); }
  Result<int64_t> PruneAuditLog(int64_t through_entry) override { return accounts_.PruneAuditLog(through_entry); }

  Result<DpoFigures> Dpo(const std::string& now, const RetentionPolicy& policy) override {
    DpoFigures out;
    int64_t at = 0;
    if (!parse_utc(now, &at)) return Status::Error("bad time " + now);
    const std::string six_months = format_utc(at - policy.pnr_depersonalise_after_days * 86400LL),
                      five_years = format_utc(at - policy.delete_after_days * 86400LL),
                      one_day = format_utc(at - policy.api_delete_after_arrival_hours * 3600LL).substr(0, 16);
    try {
      Stmt& acc = S("SELECT actor, purpose, action, count(*) FROM access_log WHERE outcome = 'ok' "
                    "GROUP BY actor, purpose, action ORDER BY actor, purpose, action");
      while (acc.Row()) out.accesses.push_back({acc.Text(0), acc.Text(1), acc.Text(2), acc.Int(3)});
      acc.Reset();
      auto count = [&](const char* sql, const std::string& bound) {
        Stmt& st = S(sql);
        if (!bound.empty()) st.Bind(1, bound);
        const int64_t n = st.Row() ? st.Int(0) : 0;
        st.Reset();
        return n;
      };
      out.refused = count("SELECT count(*) FROM access_log WHERE outcome <> 'ok'", "");
      Stmt& min = S("SELECT category, sum(items) FROM minimisation_log GROUP BY category ORDER BY category");
      while (min.Row()) out.minimised[min.Text(0)] = min.Int(1);
      min.Reset();
      out.minimised_messages = count("SELECT count(DISTINCT message_id) FROM minimisation_log", "");
      out.pnr_versions_due_depersonalisation =
          count("SELECT count(*) FROM pnr_versions v JOIN raw_messages m ON m.id = v.message_id "
                "WHERE m.received_at < ?1 AND v.masked_at = ''",
                six_months);
      out.messages_due_deletion = count("SELECT count(*) FROM raw_messages WHERE received_at < ?1", five_years);
      out.api_travellers_due_deletion =
          count("SELECT count(*) FROM api_travellers t JOIN flights f ON f.id = t.flight_id "
                "WHERE f.arrival_local <> '' AND f.arrival_local < ?1 AND NOT EXISTS (SELECT 1 FROM alerts a "
                "WHERE a.traveller_kind = 'api' AND a.traveller_id = t.id AND a.status IN ('new', 'in_review', 'confirmed'))",
                one_day);
      DpoFigures::Biometrics& b = out.biometrics;
      b.subjects = count("SELECT count(*) FROM bio_subjects", "");
      b.templates = count("SELECT count(*) FROM bio_templates", "");
      b.images = count("SELECT count(*) FROM bio_templates WHERE source IS NOT NULL", "");
      b.removals = count("SELECT count(*) FROM bio_removals", "");
      b.encounters = count("SELECT count(*) FROM bio_encounters", "");
      b.hits = count("SELECT count(*) FROM bio_encounters WHERE result = 'hit'", "");
      b.awaiting = count("SELECT count(*) FROM bio_encounters WHERE result = 'hit' AND decision = ''", "");
      Stmt& oldest = S("SELECT coalesce(min(at), '') FROM bio_encounters WHERE result = 'hit' AND decision = ''");
      b.oldest_awaiting = oldest.Row() ? oldest.Text(0) : "";
      oldest.Reset();
      b.confirmed = count("SELECT count(*) FROM bio_encounters WHERE decision = 'confirmed'", "");
      b.rejected = count("SELECT count(*) FROM bio_encounters WHERE decision = 'rejected'", "");
      b.probes_kept = count("SELECT count(*) FROM bio_encounters WHERE probe IS NOT NULL", "");
      b.chips_authentic = count("SELECT count(*) FROM bio_encounters WHERE chip = 'authentic' OR chip LIKE 'authentic;%'", "");
      b.chips_not_authentic = count("SELECT count(*) FROM bio_encounters WHERE chip LIKE 'not authentic%'", "");
    } catch (const std::exception& e) {
      return Status::Error(std::string("sqlite: ") + e.what());
    }
    auto done = retention_.Done();
    if (!done.ok()) return done.status();
    out.done = *done;
    auto requests = retention_.Repersonalisations("");
    if (!requests.ok()) return requests.status();
    out.repersonalisations = std::move(*requests);
    return out;
  }

  Result<RetentionCounts> ApplyRetention(const RetentionPolicy& policy, const std::string& now,
                                         const RetentionControl& control) override {
    return retention_.ApplyRetention(policy, now, control);
  }
  Result<Repersonalisation> RequestRepersonalisation(int64_t traveller, const std::string& case_ref,
                                                     const std::string& grounds, const std::string& user) override {
    return retention_.RequestRepersonalisation(traveller, case_ref, grounds, user);
  }
  Result<Repersonalisation> DecideRepersonalisation(int64_t id, bool approve, const std::string& user,
                                                    const std::string& note, const std::string& expires_at) override {
    return retention_.DecideRepersonalisation(id, approve, user, note, expires_at);
  }
  Result<std::vector<Repersonalisation>> Repersonalisations(const std::string& status) override {
    return retention_.Repersonalisations(status);
  }
  Result<std::optional<Repersonalisation>> ActiveRepersonalisation(int64_t traveller, const std::string& user,
                                                                  const std::string& now) override {
    return retention_.ActiveRepersonalisation(traveller, user, now);
  }
  Result<Pnr> OriginalPnr(int64_t version_id) override { return retention_.OriginalPnr(version_id); }
  Result<BioEnrolment> EnrolBiometrics(const std::string& list, const std::string& reference,
                                       const std::string& category, const std::vector<BioTemplate>& templates) override {
    return biometrics_.EnrolBiometrics(list, reference, category, templates);
  }
  Result<std::vector<BioTemplate>> BioGallery(int64_t after, int64_t up_to) override {
    return biometrics_.BioGallery(after, up_to);
  }
  Result<BioGalleryMark> BioGalleryMarks() override { return biometrics_.BioGalleryMarks(); }
  Result<int> RemoveBioSubject(const std::string& list, const std::string& reference) override {
    return biometrics_.RemoveBioSubject(list, reference);
  }
  Result<std::vector<BioRemoval>> BioRemovals(int64_t after) override { return biometrics_.BioRemovals(after); }
  Result<int64_t> RecordEncounter(const BioEncounter& e) override { return biometrics_.RecordEncounter(e); }
  Result<std::vector<BioEncounter>> BioEncounters(int limit, const std::string& status) override {
    return biometrics_.BioEncounters(limit, status);
  }
  Result<BioEncounter> DecideEncounter(int64_t id, const std::string& decision, const std::string& examiner,
                                       const std::string& reason) override {
    return biometrics_.DecideEncounter(id, decision, examiner, reason);
  }
  Result<EncounterImages> BioEncounterImages(int64_t id) override { return biometrics_.BioEncounterImages(id); }

  Result<std::optional<std::string>> RawMessage(const std::string& sha256) override {
    // Depersonalised and erased messages keep only their hash and size.
    Stmt& st = S("SELECT body FROM raw_messages WHERE sha256 = ?1 AND masked_at = '' AND erased_at = ''");
    st.Bind(1, sha256);
    std::optional<std::string> out;
    try {
      if (st.Row()) out = Open(st, 0, kRawBody);
    } catch (const std::exception& e) {
      st.Reset();
      return sqlite::sqlite_error(e);
    }
    st.Reset();
    return out;
  }

  Result<std::map<uint32_t, int64_t>> SealedValues() override {
    if (!keys()) return std::map<uint32_t, int64_t>();
    return sqlite::sealed_values(*this);
  }
  Result<int64_t> Reseal(int64_t batch) override { return sqlite::reseal(*this, batch); }

 private:
  static FlightInfo ReadFlight(Stmt& st) {
    return {st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6), st.Text(7)};
  }

  sqlite::Targeting targeting_{*this};
  sqlite::Accounts accounts_{*this};
  sqlite::Retention retention_{*this};
  sqlite::Biometrics biometrics_{*this};

  // The id of the flight of `leg`, created when new; 0 when the leg does not
  // identify a flight.
  int64_t FlightId(const FlightLeg& leg) {
    if (leg.carrier.empty() || leg.flight_number.empty()) return 0;
    const std::string date = leg.departure_local.substr(0, 10);
    const std::string carrier = upper_ascii(leg.carrier), number = flight_key(leg.flight_number);
    Stmt& find = S("SELECT id FROM flights WHERE carrier = ?1 AND flight_number = ?2 AND "
                   "departure_airport = ?3 AND departure_date = ?4");
    find.Bind(1, carrier).Bind(2, number).Bind(3, leg.departure_airport).Bind(4, date);
    if (find.Row()) {
      const int64_t id = find.Int(0);
      find.Reset();
      return id;
    }
    find.Reset();
    Stmt& ins = S("INSERT INTO flights(carrier, flight_number, departure_airport, arrival_airport, "
                  "departure_date, departure_local, arrival_local) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    ins.Bind(1, carrier).Bind(2, number).Bind(3, leg.departure_airport)
        .Bind(4, leg.arrival_airport).Bind(5, date).Bind(6, leg.departure_local)
        .Bind(7, leg.arrival_local);
    ins.Run();
    ins.Reset();
    return sqlite3_last_insert_rowid(db_);
  }

  Status StoreInTransaction(const IncomingMessage& m, const std::string& sha, StoreOutcome* out) {
    {
      Stmt& find = S("SELECT id FROM raw_messages WHERE sha256 = ?1");
      find.Bind(1, sha);
      if (find.Row()) {
        out->message_id = find.Int(0);
        out->duplicate = true;
        find.Reset();
        return Status::Ok();
      }
      find.Reset();
    }
    Stmt& raw = S("INSERT INTO raw_messages(sha256, received_at, source, format, size, warnings, body) "
                  "VALUES (?1,?2,?3,?4,?5,?6,?7)");
    const std::string now = format_utc(clock_->now());
    const std::string body = Seal(m.raw, kRawBody);
    raw.Bind(1, sha).Bind(2, now).Bind(3, m.source).Bind(4, m.format)
        .Bind(5, static_cast<int64_t>(m.raw.size())).Bind(6, static_cast<int64_t>(m.warnings))
        .BindBlob(7, body);
    if (!raw.Run()) return Error("raw message insert");
    raw.Reset();
    out->message_id = sqlite3_last_insert_rowid(db_);
    if (m.minimised) {
      Stmt& log = S("INSERT INTO minimisation_log(message_id, category, items, at) VALUES (?1,?2,?3,?4)");
      for (const auto& [category, items] : *m.minimised) {
        log.Bind(1, out->message_id).Bind(2, category).Bind(3, int64_t{items}).Bind(4, now);
        if (!log.Run()) return Error("minimisation log");
        log.Reset();
      }
    }

    // New rows per flight, for linking once everything is in.
    std::map<int64_t, std::vector<LinkCandidate>> new_api, new_pnr;
    auto touch = [&](int64_t flight) {
      if (flight && std::find(out->flight_ids.begin(), out->flight_ids.end(), flight) ==
                        out->flight_ids.end())
        out->flight_ids.push_back(flight);
    };

    if (m.manifests)
      for (const Manifest& man : *m.manifests)
        if (auto s = StoreManifest(man, out->message_id, &new_api, out, touch); !s.ok()) return s;
    if (m.pushes)
      for (const PnrPush& push : *m.pushes)
        if (auto s = StorePush(push, out->message_id, &new_pnr, out, touch); !s.ok()) return s;

    return Link(new_api, new_pnr, out);
  }

  template <typename Touch>
  Status StoreManifest(const Manifest& man, int64_t message_id,
                       std::map<int64_t, std::vector<LinkCandidate>>* new_api, StoreOutcome* out,
                       Touch&& touch) {
    // The manifest belongs to its first leg's flight; travellers are stored
    // against it (multi-leg manifests list each traveller once).
    int64_t flight = 0;
    for (const auto& leg : man.legs) {
      const int64_t id = FlightId(leg);
      touch(id);
      if (!flight) flight = id;
    }
    Stmt& ins = S("INSERT INTO manifests(message_id, flight_id, sender, common_access_ref, "
                  "message_function, parts, complete) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    ins.Bind(1, message_id).Bind(3, man.header.sender).Bind(4, man.header.common_access_ref)
        .Bind(5, man.header.message_function).Bind(6, static_cast<int64_t>(man.parts))
        .Bind(7, static_cast<int64_t>(man.header.last_part));
    if (flight) ins.Bind(2, flight);
    if (!ins.Run()) return Error("manifest insert");
    ins.Reset();
    const int64_t manifest_id = sqlite3_last_insert_rowid(db_);

    Stmt& t = S("INSERT INTO api_travellers(manifest_id, flight_id, role, surname, given_names, "
                "birth_date, nationality, document_number, reservation_reference, name_key, data) "
                "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    for (const Traveller& tr : man.travellers) {
      const std::string key = Hash(link_key(tr), kNameKey), doc = Hash(primary_document(tr), kDocument),
                        birth = Hash(tr.birth_date, kBirthDate);
      // The names again for alert lists; nationality and reservation
      // reference (columns of schema 1) are read from `data` only, and not
      // kept twice.
      const std::string surname = Seal(tr.surname, "api_travellers.surname"),
                        given = Seal(tr.given_names, "api_travellers.given_names"),
                        data = Seal(dump_line(to_json(tr)), kApiData);
      t.Bind(1, manifest_id).Bind(3, to_string(tr.role)).Bind(6, birth).Bind(7, "").Bind(8, doc).Bind(9, "")
          .Bind(10, key);
      BindSealed(t, 4, surname);
      BindSealed(t, 5, given);
      BindSealed(t, 11, data);
      if (flight) t.Bind(2, flight);
      if (!t.Run()) return Error("traveller insert");
      t.Reset();
      const int64_t id = sqlite3_last_insert_rowid(db_);
      if (flight) (*new_api)[flight].push_back({id, key, doc, birth});
      ++out->travellers;
    }
    return Status::Ok();
  }

  template <typename Touch>
  Status StorePush(const PnrPush& push, int64_t message_id,
                   std::map<int64_t, std::vector<LinkCandidate>>* new_pnr, StoreOutcome* out,
                   Touch&& touch) {
    const int64_t push_flight = push.flight ? FlightId(*push.flight) : 0;
    touch(push_flight);
    for (const Pnr& pnr : push.pnrs) {
      const std::string data = dump_line(to_json(pnr));
      const std::string content_hash = Hash(sha256_hex(data), "pnr_versions.content_hash");
      const std::string locator = Hash(pnr.record_locator, "record_locator");
      // The PNR record.
      Stmt& find = S("SELECT p.id, coalesce(v.last_changed, ''), "
                     "(SELECT count(*) FROM pnr_versions WHERE pnr_id = p.id) "
                     "FROM pnrs p LEFT JOIN pnr_versions v ON v.id = p.current_version_id "
                     "WHERE p.carrier = ?1 AND p.record_locator = ?2");
      find.Bind(1, pnr.carrier).Bind(2, locator);
      int64_t pnr_id = 0, versions = 0;
      std::string current_changed;
      if (find.Row()) {
        pnr_id = find.Int(0);
        current_changed = find.Text(1);
        versions = find.Int(2);
      }
      find.Reset();
      if (!pnr_id) {
        Stmt& ins = S("INSERT INTO pnrs(carrier, record_locator) VALUES (?1, ?2)");
        ins.Bind(1, pnr.carrier).Bind(2, locator);
        if (!ins.Run()) return Error("pnr insert");
        ins.Reset();
        pnr_id = sqlite3_last_insert_rowid(db_);
      }
      // The version: identical content is the same version.
      Stmt& same = S("SELECT id FROM pnr_versions WHERE pnr_id = ?1 AND content_hash = ?2");
      same.Bind(1, pnr_id).Bind(2, content_hash);
      int64_t version_id = same.Row() ? same.Int(0) : 0;
      same.Reset();
      const bool new_version = version_id == 0;
      if (new_version) {
        Stmt& ins = S("INSERT INTO pnr_versions(pnr_id, message_id, version_no, last_changed, "
                      "content_hash, data) VALUES (?1,?2,?3,?4,?5,?6)");
        const std::string sealed = Seal(data, kPnrData);
        ins.Bind(1, pnr_id).Bind(2, message_id).Bind(3, versions + 1).Bind(4, pnr.last_changed)
            .Bind(5, content_hash);
        BindSealed(ins, 6, sealed);
        if (!ins.Run()) return Error("pnr version insert");
        ins.Reset();
        version_id = sqlite3_last_insert_rowid(db_);
        ++out->pnr_versions_added;
        if (versions == 0 || pnr.last_changed >= current_changed) {
          Stmt& cur = S("UPDATE pnrs SET current_version_id = ?1 WHERE id = ?2");
          cur.Bind(1, version_id).Bind(2, pnr_id);
          if (!cur.Run()) return Error("pnr current update");
          cur.Reset();
        }
      }
      // The flights this version is booked on.
      std::vector<int64_t> flights;
      if (push_flight) flights.push_back(push_flight);
      for (const auto& seg : pnr.itinerary) {
        const int64_t f = FlightId(seg.leg);
        if (f && std::find(flights.begin(), flights.end(), f) == flights.end()) flights.push_back(f);
      }
      Stmt& pf = S("INSERT OR IGNORE INTO pnr_flights(pnr_version_id, flight_id) VALUES (?1, ?2)");
      for (int64_t f : flights) {
        pf.Bind(1, version_id).Bind(2, f);
        if (!pf.Run()) return Error("pnr flight insert");
        pf.Reset();
        touch(f);
      }
      if (!new_version) continue;
      Stmt& t = S("INSERT INTO pnr_travellers(pnr_version_id, position, surname, given_names, "
                  "birth_date, document_number, name_key) VALUES (?1,?2,?3,?4,?5,?6,?7)");
      for (size_t pos = 0; pos < pnr.travellers.size(); ++pos) {
        const PnrTraveller& pt = pnr.travellers[pos];
        const std::string key = Hash(link_key(pt.person), kNameKey),
                          doc = Hash(primary_document(pt.person), kDocument),
                          birth = Hash(pt.person.birth_date, kBirthDate);
        const std::string surname = Seal(pt.person.surname, "pnr_travellers.surname"),
                          given = Seal(pt.person.given_names, "pnr_travellers.given_names");
        t.Bind(1, version_id).Bind(2, static_cast<int64_t>(pos)).Bind(5, birth).Bind(6, doc).Bind(7, key);
        BindSealed(t, 3, surname);
        BindSealed(t, 4, given);
        if (!t.Run()) return Error("pnr traveller insert");
        t.Reset();
        const int64_t id = sqlite3_last_insert_rowid(db_);
        for (int64_t f : flights) (*new_pnr)[f].push_back({id, key, doc, birth});
        ++out->travellers;
      }
    }
    return Status::Ok();
  }

  // Links the new rows of each flight to the other side's rows on that flight
  // (current PNR versions only).
  Status Link(const std::map<int64_t, std::vector<LinkCandidate>>& new_api,
              const std::map<int64_t, std::vector<LinkCandidate>>& new_pnr, StoreOutcome* out) {
    Stmt& ins = S("INSERT OR IGNORE INTO traveller_links(api_traveller_id, pnr_traveller_id, "
                  "flight_id, method) VALUES (?1,?2,?3,?4)");
    auto link_all = [&](int64_t flight, const std::vector<LinkCandidate>& mine,
                        const std::vector<LinkCandidate>& theirs, bool mine_is_api) -> Status {
      std::unordered_multimap<std::string, const LinkCandidate*> by_key;
      for (const auto& c : theirs) {
        by_key.emplace("n" + c.name_key, &c);
        if (!c.document.empty()) by_key.emplace("d" + c.document, &c);
      }
      for (const auto& a : mine) {
        for (const std::string& k : {"n" + a.name_key, "d" + a.document}) {
          if (k == "d") continue;
          auto [b, e] = by_key.equal_range(k);
          for (auto it = b; it != e; ++it) {
            const char* method = link_method(a, *it->second);
            if (!method) continue;
            ins.Bind(1, mine_is_api ? a.id : it->second->id)
                .Bind(2, mine_is_api ? it->second->id : a.id).Bind(3, flight).Bind(4, method);
            if (!ins.Run()) return Error("link insert");
            out->links_added += sqlite3_changes(db_) > 0 ? 1 : 0;
            ins.Reset();
          }
        }
      }
      return Status::Ok();
    };
    for (const auto& [flight, rows] : new_api) {
      std::vector<LinkCandidate> theirs;
      Stmt& q = S("SELECT t.id, t.name_key, t.document_number, t.birth_date FROM pnr_flights f "
                  "JOIN pnrs p ON p.current_version_id = f.pnr_version_id "
                  "JOIN pnr_travellers t ON t.pnr_version_id = f.pnr_version_id "
                  "WHERE f.flight_id = ?1");
      q.Bind(1, flight);
      while (q.Row()) theirs.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3)});
      q.Reset();
      if (auto s = link_all(flight, rows, theirs, true); !s.ok()) return s;
    }
    for (const auto& [flight, rows] : new_pnr) {
      std::vector<LinkCandidate> theirs;
      Stmt& q = S("SELECT id, name_key, document_number, birth_date FROM api_travellers "
                  "WHERE flight_id = ?1");
      q.Bind(1, flight);
      while (q.Row()) theirs.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3)});
      q.Reset();
      if (auto s = link_all(flight, rows, theirs, false); !s.ok()) return s;
    }
    return Status::Ok();
  }

};

}  // namespace

std::string default_data_key_path(const std::string& db_path) {
  return (std::filesystem::path(db_path).parent_path() / "keys" / "data.keys").string();
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, std::shared_ptr<const Clock> clock,
                                               const StoreSecurity& security) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Error("cannot open database " + path + ": " + msg);
  }
  auto store = std::make_unique<SqliteStore>(db, clock ? std::move(clock) : SystemClock());
  if (auto s = store->Init(); !s.ok()) return Status::Error(path + ": " + s.message());
  const std::string keys = security.key_file.empty() ? default_data_key_path(path) : security.key_file;
  if (auto s = store->UseKeys(keys, security.plaintext); !s.ok()) return Status::Error(path + ": " + s.message());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace vigil
