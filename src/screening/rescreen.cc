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

ScreeningQuery query_for(const UpcomingTraveller& t) {
  ScreeningQuery q;
  q.id = std::string(to_string(t.kind)) + ":" + std::to_string(t.id);
  q.given_names = t.person.given_names;
  q.surname = t.person.surname;
  q.birth_date = t.person.birth_date;
  q.nationality = t.person.nationality;
  q.sex = t.person.sex;
  q.documents = t.person.documents;
  return q;
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
    for (const ScreeningMatch& m : screener.Screen(query_for(t), &scratch)) {
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

}  // namespace vigil
