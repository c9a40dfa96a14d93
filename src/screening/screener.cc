#include "screening/screener.h"

#include <algorithm>
#include <cstdio>

#include "model/countries.h"
#include "names/similarity.h"

namespace vigil {
namespace {

std::string join_names(const ScreeningQuery& q) {
  if (!q.name.empty()) return q.name;
  if (q.given_names.empty()) return q.surname;
  return q.given_names + " " + q.surname;
}

std::string token_list(const NormalizedName& n) {
  std::string out;
  for (const auto& t : n.tokens) out += (out.empty() ? "" : " ") + t.text;
  return out;
}

std::string describe(const NameComparison& cmp, const NormalizedName& q, TokenView c) {
  std::string out;
  for (const auto& m : cmp.matches) {
    std::string left = q.tokens[m.query].text;
    if (m.query2 >= 0) left += "+" + q.tokens[m.query2].text;
    std::string right = c[m.candidate]->text;
    if (m.candidate2 >= 0) right += "+" + c[m.candidate2]->text;
    char buf[32];
    std::snprintf(buf, sizeof buf, " %.2f", m.similarity);
    out += (out.empty() ? "" : ", ") + left + (left == right ? "=" : "~") + right + " (" + m.how +
           buf + ")";
  }
  if (cmp.unmatched_query) out += "; " + std::to_string(cmp.unmatched_query) + " traveller name part(s) unmatched";
  if (cmp.unmatched_candidate) out += "; " + std::to_string(cmp.unmatched_candidate) + " list name part(s) unmatched";
  return out;
}

// The highest name score a candidate can reach when `found` of the query's
// `query_words` were found in `covered` of its `candidate_words` (see
// compare_names: every found word agreeing fully, a found query word
// possibly covering two candidate words, every other word unmatched).
double name_upper_bound(int found, int covered, int query_words, int candidate_words) {
  if (found <= 0) return 0;
  const int partners = std::min({candidate_words, 2 * found, covered});
  const double matched = found + partners;
  const double unmatched = 0.6 * std::max(0, query_words - found) +
                           0.4 * std::max(0, candidate_words - partners);
  double bound = matched / (matched + unmatched);
  if (query_words >= 2 && candidate_words >= 2 && found < 2) bound = std::min(bound, 0.55);
  if ((query_words == 1) != (candidate_words == 1)) bound *= 0.8;
  return bound;
}

}  // namespace

ScreeningQuery screening_query(const Traveller& person, std::string id) {
  ScreeningQuery q;
  q.id = std::move(id);
  q.given_names = person.given_names;
  q.surname = person.surname;
  q.birth_date = person.birth_date;
  q.nationality = person.nationality;
  q.sex = person.sex;
  q.documents = person.documents;
  return q;
}

Screener::Screener(const WatchIndex& index, ScreeningConfig config)
    : index_(index), config_(std::move(config)) {}

TokenView Screener::CandidateView(uint32_t name_id, ScreeningScratch* scratch) const {
  scratch->view.clear();
  for (uint32_t v : index_.name_tokens(name_id)) scratch->view.push_back(&index_.token(v));
  return TokenView(scratch->view.data(), scratch->view.size());
}

double Screener::EvidenceBound(const QueryFacts& q, const IndexedName& n) const {
  double bound = 0;
  if (q.birth_year && n.birth_year) {
    const int last = n.birth_years == IndexedName::kOpenSpan ? INT32_MAX - 1 : n.birth_year + n.birth_years;
    const bool apart = q.birth_year + 1 < n.birth_year || q.birth_year > last + 1;
    bound += apart ? config_.dob_mismatch
                   : std::max({config_.dob_exact, config_.dob_swapped, config_.dob_month,
                               config_.dob_year, config_.dob_near, config_.dob_mismatch});
  }
  if (q.nationality) {
    if (!n.nationality)  // none listed, or several
      bound += std::max({0.0, config_.nationality_match, config_.nationality_mismatch});
    else if (n.nationality != q.nationality)
      bound += config_.nationality_mismatch;
    else
      bound += std::max(config_.nationality_match, config_.nationality_mismatch);
  }
  return bound + std::max(0.0, config_.sex_mismatch);
}

double Screener::AddEvidence(const ScreeningQuery& q, const std::string& nationality,
                             const WatchEntry& e, std::vector<Evidence>* out) const {
  double total = 0;
  // Date of birth: the best agreement with any listed date.
  const PartialDate qd = parse_partial_date(q.birth_date);
  if (qd.year && !e.birth_dates.empty()) {
    enum Why { kDiffers, kRange, kNearRange, kExact, kMonth, kSwapped, kYear, kOtherMonth, kNearYear };
    double best = config_.dob_mismatch;
    Why why = kDiffers;
    const std::string* best_text = nullptr;
    bool any = false;
    for (const auto& text : e.birth_dates) {
      const PartialDate ed = parse_partial_date(text);
      if (!ed.year) continue;
      any = true;
      double v = config_.dob_mismatch;
      Why w = kDiffers;
      if (ed.year_to) {
        if (qd.year >= ed.year && qd.year <= ed.year_to) v = config_.dob_year, w = kRange;
        else if (qd.year + 1 >= ed.year && qd.year <= ed.year_to + 1) v = config_.dob_near, w = kNearRange;
      } else if (qd.year == ed.year) {
        if (qd.month && ed.month && qd.month == ed.month) {
          if (qd.day && ed.day && qd.day == ed.day) v = config_.dob_exact, w = kExact;
          else v = config_.dob_month, w = kMonth;
        } else if (qd.month && ed.month && qd.day && ed.day && qd.month == ed.day && qd.day == ed.month) {
          v = config_.dob_swapped, w = kSwapped;
        } else if (!qd.month || !ed.month) {
          v = config_.dob_year, w = kYear;
        } else {
          v = config_.dob_near, w = kOtherMonth;
        }
      } else if (std::abs(qd.year - ed.year) == 1) {
        v = config_.dob_near, w = kNearYear;
      }
      if (v > best) best = v, why = w, best_text = &text;
    }
    if (any) {
      total += best;
      if (out) {
        std::string detail;
        const std::string t = best_text ? *best_text : "";
        switch (why) {
          case kRange: detail = "within listed range " + t; break;
          case kNearRange: detail = "one year outside listed range " + t; break;
          case kExact: detail = "same date " + t; break;
          case kMonth: detail = "same year and month as " + t; break;
          case kSwapped: detail = "day and month swapped against " + t; break;
          case kYear: detail = "same year as " + t; break;
          case kOtherMonth: detail = "same year as " + t + ", other month"; break;
          case kNearYear: detail = "one year from " + t; break;
          case kDiffers: {
            std::string listed;
            for (const auto& text : e.birth_dates)
              if (parse_partial_date(text).year) listed += (listed.empty() ? "" : ", ") + text;
            detail = "differs from listed " + listed;
            break;
          }
        }
        out->push_back({"date_of_birth", q.birth_date + ": " + detail, best});
      }
    }
  }
  // Nationality.
  if (!nationality.empty() && !e.nationalities.empty()) {
    const bool same = std::find(e.nationalities.begin(), e.nationalities.end(), nationality) !=
                      e.nationalities.end();
    const double v = same ? config_.nationality_match : config_.nationality_mismatch;
    total += v;
    if (out) {
      std::string listed;
      for (const auto& n : e.nationalities) listed += (listed.empty() ? "" : ", ") + n;
      out->push_back(
          {"nationality", nationality + (same ? " is listed" : " is not listed (" + listed + ")"), v});
    }
  }
  // Sex.
  if (!e.sex.empty() && (q.sex == "M" || q.sex == "F") && q.sex != e.sex) {
    total += config_.sex_mismatch;
    if (out) out->push_back({"sex", q.sex + " differs from listed " + e.sex, config_.sex_mismatch});
  }
  return total;
}

std::vector<ScreeningMatch> Screener::Finish(const ScreeningQuery& query,
                                             const NormalizedName& qname,
                                             std::vector<Candidate>& candidates,
                                             double threshold, int top_k,
                                             ScreeningScratch* scratch) const {
  struct Best {
    double name_score = -1;
    uint32_t name_id = 0;
    NameComparison cmp;
    double doc_floor = 0;
    std::string doc_detail;
    double doc_adjust = 0;
    double evidence = 0;  // date of birth, nationality and sex
    bool weighed = false; // `evidence` is known
  };
  // Best evidence per entry; entries found through the scratch's slots
  // instead of a map (no allocation per candidate).
  std::vector<std::pair<uint32_t, Best>> best;
  auto& slots = scratch->slot_of_entry;
  if (slots.size() < index_.entry_count()) slots.assign(index_.entry_count(), 0);
  auto slot = [&](uint32_t entry) -> Best& {
    if (!slots[entry]) {
      best.emplace_back(entry, Best{});
      slots[entry] = static_cast<uint32_t>(best.size());
      scratch->touched_entries.push_back(entry);
    }
    return best[slots[entry] - 1].second;
  };
  // Candidates in order of the best score they could reach: their name's
  // bound (see name_upper_bound) plus the best their entry's summarised
  // evidence allows (see evidence_bound). Those that cannot reach the
  // threshold are dropped unread; scoring stops once no later one can
  // enter the result, below `top_k` entries already scored higher.
  // Words the index does not look up (initials, and words past the 16th)
  // may still find partners: the bound counts them as found.
  int query_words = 0;
  for (const auto& t : qname.tokens) query_words += !t.particle;
  const int unseen = query_words - WatchIndex::QueryWords(qname);
  std::string nationality = country_alpha3(query.nationality);
  if (nationality.empty()) nationality = query.nationality;
  const QueryFacts facts{parse_partial_date(query.birth_date).year,
                         nationality.empty() ? uint8_t{0} : nationality_tag(nationality)};
  struct Ordered {
    double reachable, name_bound;
    uint32_t name;
  };
  std::vector<Ordered> order;
  order.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    const IndexedName& n = index_.name(c.name);
    if (!config_.match_organisations && !n.person) continue;
    const double bound = name_upper_bound(c.found + unseen, c.covered + unseen, query_words, n.words);
    if (bound < config_.name_floor) continue;
    const double reachable = bound + EvidenceBound(facts, n);
    if (reachable >= threshold) order.push_back({reachable, bound, c.name});
  }
  std::sort(order.begin(), order.end(), [](const Ordered& a, const Ordered& b) {
    return a.reachable != b.reachable ? a.reachable > b.reachable : a.name < b.name;
  });
  std::vector<double> finals;  // per entry in `best`: name score plus evidence
  for (size_t k = 0; k < order.size(); ++k) {
    const auto [reachable, bound, id] = order[k];
    if (k % 16 == 0 && static_cast<int>(finals.size()) >= top_k) {
      int above = 0;
      for (double f : finals) above += f >= reachable;
      if (above >= top_k) break;
    }
    // The entry's evidence in full rules out more names before they are
    // compared ("mohammed" with another nationality and no listed date).
    const IndexedName& n = index_.name(id);
    Best& b = slot(n.entry);
    if (!b.weighed) {
      b.evidence = AddEvidence(query, nationality, index_.entry(n.entry), nullptr);
      b.weighed = true;
    }
    if (bound + b.evidence < threshold || bound <= b.name_score) continue;
    NameComparison cmp = compare_names(qname, CandidateView(id, scratch), index_.name_tokens(id).data(),
                                       &scratch->memo);
    double s = cmp.score;
    if (index_.entry(n.entry).names[n.name].weak) s += config_.weak_alias;
    if (s < config_.name_floor || s <= b.name_score) continue;
    b.name_score = s;
    b.name_id = id;
    b.cmp = std::move(cmp);
    const size_t at = slots[n.entry] - 1;
    if (finals.size() <= at) finals.resize(at + 1, -1.0);
    finals[at] = std::max(finals[at], s + b.evidence);
  }
  // Documents on the list match on their own.
  for (const auto& d : query.documents) {
    const std::string folded = fold_document_number(d.number);
    if (folded.size() < 4) continue;
    const auto* entries = index_.EntriesWithDocument(folded);
    if (!entries) continue;
    const std::string plain = plain_document_number(d.number);
    for (uint32_t e : *entries) {
      for (const auto& listed : index_.entry(e).documents) {
        if (fold_document_number(listed.number) != folded) continue;
        const bool exact = plain_document_number(listed.number) == plain;
        double floor = exact ? config_.document_exact : config_.document_confusable;
        std::string country = country_alpha3(d.issuing_state);
        if (country.empty()) country = d.issuing_state;
        double adjust = 0;
        std::string detail = (d.type.empty() ? std::string("document") : d.type) + " " + d.number +
                             (exact ? " equals" : " reads like") + " listed " +
                             (listed.type.empty() ? "document" : listed.type) + " " + listed.number;
        if (!listed.country.empty() && !country.empty() && listed.country != country) {
          adjust = config_.document_country_mismatch;
          detail += " (issued by " + listed.country + ", not " + country + ")";
        } else if (!listed.country.empty()) {
          detail += " (" + listed.country + ")";
        }
        Best& b = slot(e);
        if (floor + adjust > b.doc_floor + b.doc_adjust) {
          b.doc_floor = floor;
          b.doc_adjust = adjust;
          b.doc_detail = detail;
        }
      }
    }
  }

  for (uint32_t e : scratch->touched_entries) slots[e] = 0;
  scratch->touched_entries.clear();
  std::vector<ScreeningMatch> out;
  for (auto& [entry_id, b] : best) {
    const WatchEntry& e = index_.entry(entry_id);
    ScreeningMatch m;
    m.entry = entry_id;
    m.list = e.list;
    m.reference = e.reference;
    double score = 0;
    if (b.name_score >= 0) {
      const IndexedName& n = index_.name(b.name_id);
      const WatchName& listed = e.names[n.name];
      m.explanation.push_back(
          {"name",
           "'" + token_list(qname) + "' against " + (listed.primary ? "name" : "alias") + " '" +
               listed.full + "'" + (listed.weak ? " (low-quality alias)" : "") + ": " +
               describe(b.cmp, qname, CandidateView(b.name_id, scratch)),
           b.name_score});
      score = b.name_score + AddEvidence(query, nationality, e, &m.explanation);
    }
    if (b.doc_floor > 0) {
      const double doc_score = b.doc_floor + b.doc_adjust;
      m.explanation.push_back({"document", b.doc_detail, doc_score});
      score = std::max(score, doc_score);
    }
    m.score = std::clamp(score, 0.0, 1.0);
    if (m.score >= threshold) out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const ScreeningMatch& a, const ScreeningMatch& b) {
    return a.score != b.score ? a.score > b.score : a.reference < b.reference;
  });
  if (static_cast<int>(out.size()) > top_k) out.resize(static_cast<size_t>(top_k));
  return out;
}

std::vector<ScreeningMatch> Screener::Screen(const ScreeningQuery& query, double threshold,
                                             int top_k, ScreeningScratch* scratch) const {
  const NormalizedName qname = normalize_name(join_names(query));
  scratch->candidates.clear();
  scratch->memo.Reset(index_.vocabulary_size());
  if (!qname.tokens.empty())
    index_.Candidates(qname, &scratch->memo, &scratch->index, &scratch->candidates);
  return Finish(query, qname, scratch->candidates, threshold, top_k, scratch);
}

std::vector<ScreeningMatch> Screener::ScreenExhaustive(const ScreeningQuery& query,
                                                       double threshold, int top_k) const {
  const NormalizedName qname = normalize_name(join_names(query));
  // Every name, as if all query words were found in it: nothing is pruned
  // by the index.
  std::vector<Candidate> all(index_.name_count());
  const int words = WatchIndex::QueryWords(qname);
  for (uint32_t i = 0; i < all.size(); ++i) all[i] = {i, static_cast<uint8_t>(std::max(words, 1))};
  ScreeningScratch scratch;
  scratch.memo.Reset(index_.vocabulary_size());
  if (qname.tokens.empty()) all.clear();
  return Finish(query, qname, all, threshold, top_k, &scratch);
}

}  // namespace vigil
