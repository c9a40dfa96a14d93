// A gallery of enrolled fingers searched 1:N.
//
// Promises:
//  - Search() compares every view of the probe with every enrolled view
//    of a compatible finger (the same position, or either unknown) and
//    returns subjects best first, each with its best score; `match` is set
//    at or above the threshold.
//  - The gallery is immutable once built and may be searched from several
//    threads at once; a search of a large gallery (4,096 views or more)
//    uses every core.
#pragma once

#include <string>
#include <vector>

#include "biometrics/matcher.h"

namespace vigil {

struct BioCandidate {
  std::string list, reference, category;
  double score = 0;
  bool match = false;
};

class FingerGallery {
 public:
  // Enrols `view` of subject `reference` of `list`.
  void Add(const std::string& list, const std::string& reference, const std::string& category,
           const FingerView& view);
  // The best `top` subjects for `probe` (see the promises above).
  std::vector<BioCandidate> Search(const std::vector<FingerView>& probe, size_t top,
                                   double threshold = kDefaultThreshold) const;
  size_t views() const { return entries_.size(); }
  size_t subjects() const { return subjects_.size(); }

 private:
  struct Subject {
    std::string list, reference, category;
  };
  struct Entry {
    size_t subject;
    int finger;
    FingerPrint print;
  };
  std::vector<Subject> subjects_;
  std::vector<Entry> entries_;
};

}  // namespace vigil
