// A gallery of enrolled fingers searched 1:N.
//
// Promises:
//  - Search() compares each view of the probe with the enrolled views of
//    a compatible finger (the same position, or either unknown) and
//    returns subjects best first, each with one score for all its fingers
//    (subject_score(): a probe view's best against the subject's views,
//    fused over the probe's fingers; one finger against one view keeps its
//    compare() score); `match` is set at or above the threshold: by
//    default identification_threshold() for the subjects the search scores
//    (searched()), which holds searches of people not enrolled to
//    kDefaultFpir whatever the gallery's size.
//  - On the CPU, a gallery of shortlisting().from views or more (16,384
//    by default) is shortlisted: for each probe view every compatible view
//    gets a glance (shortlist.h), the best 10 % of them a first look in
//    full, and the best 0.5 % of all, at least 1,000, make the shortlist.
//    The subjects of shortlisted views are compared in full, on all their
//    compatible views, so their scores are those of every view compared. A
//    mate none of whose views the first look ranks high enough is missed
//    (3 to 4 in 100 of one-finger compare() matches, on synthetic prints).
//    Smaller galleries, and searches on a GPU, compare every compatible
//    view.
//  - The gallery is immutable once built and may be searched from several
//    threads at once; a search of a large gallery (4,096 comparisons or
//    more) uses every core, or the GPU after UseDevice(). The result does
//    not depend on the number of cores.
//    Enrolling a view takes constant time, whatever the gallery's size.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "biometrics/face_index.h"
#include "biometrics/matcher.h"
#include "biometrics/shortlist.h"

namespace vigil {

class FingerPrintsDevice;  // finger_device.h

struct BioCandidate {
  std::string list, reference, category;
  double score = 0;
  bool match = false;               // score >= threshold
  const char* modality = "finger";  // "finger" or "face"
  double threshold = 0;             // the search's
  // Fingers: what the score fuses (subject_score), each probe view
  // compared with the subject, in the probe's order.
  std::vector<ViewEvidence> fingers;
};

class FingerGallery {
 public:
  FingerGallery();
  ~FingerGallery();
  FingerGallery(FingerGallery&&) noexcept;
  FingerGallery& operator=(FingerGallery&&) noexcept;

  // Enrols `view` of subject `reference` of `list`; lets a GPU's copy go.
  void Add(const std::string& list, const std::string& reference, const std::string& category,
           const FingerView& view);
  // Add() for each, in order, the views prepared on every core (a large
  // gallery's loading time is mostly preparation).
  struct Enrolment {
    std::string list, reference, category;
    FingerView view;
  };
  void AddAll(const std::vector<Enrolment>& enrolments);
  // The best `top` subjects for `probe` (see the promises above).
  std::vector<BioCandidate> Search(const std::vector<FingerView>& probe, size_t top,
                                   std::optional<double> threshold = std::nullopt) const;
  size_t views() const { return entries_.size(); }
  // The subjects a search for `probe` scores: those with a view of a
  // finger compatible with one of its views (those a shortlist passes over
  // included: their impostors could have been kept).
  size_t searched(const std::vector<FingerView>& probe) const;
  // How the CPU shortlists a large gallery (see above). Of n compatible
  // views, the glance keeps max(shortlist, n / glance_share) and the first
  // look the shortlist, max(least, n / share); a step that would keep
  // every view it is given is skipped.
  struct Shortlisting {
    size_t from = 16384;  // views; SIZE_MAX compares every view
    size_t least = 1000;
    size_t share = 200;
    size_t glance_share = 10;
  };
  void set_shortlisting(const Shortlisting& s) { shortlisting_ = s; }
  const Shortlisting& shortlisting() const { return shortlisting_; }
  size_t subjects() const { return subjects_.size(); }

  // Copies the views to a CUDA GPU (finger_device.h), where later searches
  // compare them, giving exactly the CPU's scores; fails with the reason
  // where the build has no CUDA, no GPU is present or they do not fit, and
  // the CPU goes on. A GPU failing mid-search is answered by the CPU too.
  Status UseDevice();
  bool on_device() const { return device_ != nullptr; }
  // UseDevice() for a gallery of at least kViewsForDevice views; smaller
  // ones stay on the CPU.
  static constexpr size_t kViewsForDevice = 16384;
  Status PreferDevice();

 private:
  struct Subject {
    std::string list, reference, category;
    std::vector<uint32_t> views;  // entries_, in order
  };
  struct Entry {
    size_t subject;
    int finger;
    FingerPrint print;
  };
  void AddPrepared(const std::string& list, const std::string& reference, const std::string& category, int finger,
                   FingerPrint print, const std::vector<SketchEdge>& sketch);
  std::span<const SketchEdge> SketchOf(size_t entry) const {
    const size_t start = entry ? sketch_ends_[entry - 1] : 0;
    return {sketches_.data() + start, sketch_ends_[entry] - start};
  }
  // Raise (*best)[v * subjects() + s] to probe view v's best score against
  // subject s, for the subjects compared (see the promises above).
  // CompareOnDevice() compares every subject; false where the GPU failed.
  bool CompareOnDevice(const std::vector<FingerView>& probe, const std::vector<FingerPrint>& prints,
                       std::vector<double>* best) const;
  void CompareOnCpu(const std::vector<FingerView>& probe, const std::vector<FingerPrint>& prints,
                    std::vector<double>* best) const;

  std::vector<Subject> subjects_;
  std::unordered_map<std::string, size_t> subject_index_;  // list and reference -> subjects_
  std::vector<Entry> entries_;
  // Every entry's sketch (shortlist.h), one after another in entry order,
  // so that a first look at the gallery reads memory in order.
  std::vector<SketchEdge> sketches_;
  std::vector<size_t> sketch_ends_;
  std::unique_ptr<FingerPrintsDevice> device_;
  Shortlisting shortlisting_;
};

// Cosine similarity at which two face embeddings are taken for the same
// person: 0.82 is a Euclidean distance of 0.6 between unit vectors, the
// convention of the 128-value face models this is meant for; it is to be
// calibrated once such a model embeds real faces here.
inline constexpr double kFaceThreshold = 0.82;

// A gallery of enrolled face embeddings searched 1:N exactly.
class FaceGallery {
 public:
  Status Add(const std::string& list, const std::string& reference, const std::string& category,
             const std::vector<float>& embedding);
  // The best `top` subjects (each once, at its best embedding), best first.
  std::vector<BioCandidate> Search(const std::vector<float>& query, size_t top,
                                   double threshold = kFaceThreshold) const;
  size_t size() const { return index_.size(); }

  // Moves the search to a GPU (FaceIndex::UseDevice) when the gallery
  // holds at least kFacesForDevice embeddings; a smaller one stays on the
  // CPU, which scans it in well under a millisecond. Either way the
  // answers are the same.
  static constexpr size_t kFacesForDevice = 65536;
  Status PreferDevice();
  bool on_device() const { return index_.on_device(); }

 private:
  struct Subject {
    std::string list, reference, category;
  };
  FaceIndex index_;
  std::vector<Subject> subjects_;  // one per embedding, in index order
};

}  // namespace vigil
