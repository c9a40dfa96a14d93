#include "screening/rescreen.h"

#include <map>
#include <set>

#include "model/json.h"
#include "screening/index.h"
#include "screening/json.h"
#include "screening/screener.h"

namespace vigil {
namespace {

// Each reference's content, the first entry of a reference counting.
std::map<std::string, std::string> contents(const std::vector<WatchEntry>& entries) {
  std::map<std::string, std::string> out;
  for (const auto& e : entries) out.emplace(e.reference, dump_line(to_json(e)));
  return out;
}

}  // namespace

ListDiff diff_lists(const std::vector<WatchEntry>& from, const std::vector<WatchEntry>& to) {
  const auto a = contents(from), b = contents(to);
  ListDiff d;
  for (const auto& [ref, data] : b) {
    auto it = a.find(ref);
    if (it == a.end()) d.added.push_back(ref);
    else if (it->second != data) d.changed.push_back(ref);
  }
  for (const auto& [ref, data] : a)
    if (!b.count(ref)) d.removed.push_back(ref);
  return d;
}

Rescreen rescreen(const std::string& list, int version, const ListDiff& diff,
                  const std::vector<WatchEntry>& current,
                  const std::vector<UpcomingTraveller>& travellers, const ScreeningConfig& config) {
  Rescreen r;
  r.diff = diff;
  std::set<std::string> affected(r.diff.added.begin(), r.diff.added.end());
  affected.insert(r.diff.changed.begin(), r.diff.changed.end());
  std::vector<WatchEntry> entries;
  for (const auto& e : current)
    if (affected.erase(e.reference)) entries.push_back(e);  // first entry of each reference
  r.entries = entries.size();
  if (entries.empty()) return r;

  const WatchIndex index(std::move(entries));
  const Screener screener(index, config);
  ScreeningScratch scratch;
  for (const UpcomingTraveller& t : travellers) {
    for (const ScreeningMatch& m : screener.Screen(screening_query(t.person, std::string(to_string(t.kind)) + ":" + std::to_string(t.id)), &scratch)) {
      ScreeningHit h;
      h.traveller_kind = t.kind;
      h.traveller_id = t.id;
      h.flight_id = t.flight_id;
      h.list = list;
      h.list_version = version;
      h.reference = m.reference;
      h.score = reported_score(m.score);
      h.explanation = dump_line(explanation_to_json(m.explanation));
      r.hits.push_back(std::move(h));
    }
  }
  r.travellers.reserve(travellers.size());
  for (const UpcomingTraveller& t : travellers) r.travellers.emplace_back(t.kind, t.id);
  return r;
}

Result<RescreenOutcome> record_rescreen(Store* store, const std::string& list, const Rescreen& r) {
  RescreenOutcome out;
  // Changed entries keep only the hits found again; removed entries keep none.
  auto changed = store->WithdrawHits(list, r.diff.changed, &r.travellers, r.hits);
  if (!changed.ok()) return changed.status();
  auto removed = store->WithdrawHits(list, r.diff.removed, nullptr, {});
  if (!removed.ok()) return removed.status();
  auto fresh = store->RecordHits(r.hits);
  if (!fresh.ok()) return fresh.status();
  out.withdrawn = *changed + *removed;
  out.new_hits = *fresh;
  return out;
}

Result<ListUpdate> update_list(Store* store, const std::string& name, const std::string& format,
                               const std::string& source_sha256, const std::vector<WatchEntry>& entries,
                               const ScreeningConfig& config) {
  ListUpdate out;
  std::vector<WatchEntry> previous;
  if (auto prev = store->ListEntries(name, 0); prev.ok()) previous = std::move(*prev);
  auto stored = store->StoreListVersion(name, format, source_sha256, entries, &out.unchanged);
  if (!stored.ok()) return stored.status();
  out.version = *stored;
  out.diff = diff_lists(previous, entries);
  if (out.unchanged) return out;
  const ListDiff& d = out.diff;
  auto failed = [&](const std::string& why) {
    return Status::Error(name + " version " + std::to_string(out.version.version) + " stored, but re-screening failed: " + why);
  };
  std::vector<UpcomingTraveller> travellers;
  if (!d.added.empty() || !d.changed.empty()) {
    auto upcoming = store->UpcomingTravellers();
    if (!upcoming.ok()) return failed(upcoming.error());
    travellers = std::move(*upcoming);
  }
  out.rescreen = rescreen(name, out.version.version, d, entries, travellers, config);
  std::set<int64_t> flights;
  for (const auto& h : out.rescreen.hits) flights.insert(h.flight_id);
  if (!d.removed.empty() || !d.changed.empty()) {
    const std::set<std::string> gone(d.removed.begin(), d.removed.end());
    const std::set<std::string> changed(d.changed.begin(), d.changed.end());
    auto open = store->Hits("open");
    if (!open.ok()) return failed(open.error());
    for (const auto& h : *open)
      if (h.list == name && (gone.count(h.reference) || changed.count(h.reference))) flights.insert(h.flight_id);
  }
  out.affected_flights.assign(flights.begin(), flights.end());
  auto recorded = record_rescreen(store, name, out.rescreen);
  if (!recorded.ok()) return failed(recorded.error());
  out.outcome = *recorded;
  return out;
}

}  // namespace vigil
