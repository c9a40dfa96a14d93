#include "biometrics/gallery.h"

#include <algorithm>

namespace vigil {

void FingerGallery::Add(const std::string& list, const std::string& reference, const std::string& category,
                        const FingerView& view) {
  size_t subject = subjects_.size();
  for (size_t i = subjects_.size(); i-- > 0;)
    if (subjects_[i].list == list && subjects_[i].reference == reference) {
      subject = i;
      break;
    }
  if (subject == subjects_.size()) subjects_.push_back({list, reference, category});
  entries_.push_back({subject, view.finger, FingerPrint::From(view)});
}

std::vector<BioCandidate> FingerGallery::Search(const std::vector<FingerView>& probe, size_t top,
                                                double threshold) const {
  std::vector<double> best(subjects_.size(), -1);
  for (const FingerView& view : probe) {
    const FingerPrint p = FingerPrint::From(view);
    for (const Entry& e : entries_) {
      if (view.finger && e.finger && view.finger != e.finger) continue;
      best[e.subject] = std::max(best[e.subject], compare(p, e.print));
    }
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < best.size(); ++i)
    if (best[i] >= 0) order.push_back(i);
  const size_t n = std::min(top, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(n), order.end(),
                    [&](size_t a, size_t b) { return best[a] != best[b] ? best[a] > best[b] : a < b; });
  std::vector<BioCandidate> out;
  for (size_t i = 0; i < n; ++i) {
    const Subject& s = subjects_[order[i]];
    out.push_back({s.list, s.reference, s.category, best[order[i]], best[order[i]] >= threshold});
  }
  return out;
}

}  // namespace vigil
