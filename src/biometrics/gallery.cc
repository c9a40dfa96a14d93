#include "biometrics/gallery.h"

#include <algorithm>
#include <optional>

#include "base/parallel.h"
#include "biometrics/finger_device.h"

namespace vigil {
namespace {

// Whether views at finger position codes a and b are compared: they may
// be of the same finger (finger_mask).
bool compatible(int a, int b) { return (finger_mask(a) & finger_mask(b)) != 0; }

}  // namespace

FingerGallery::FingerGallery() = default;
FingerGallery::~FingerGallery() = default;
FingerGallery::FingerGallery(FingerGallery&&) noexcept = default;
FingerGallery& FingerGallery::operator=(FingerGallery&&) noexcept = default;

Status FingerGallery::UseDevice() {
  std::vector<const FingerPrint*> prints;
  std::vector<uint8_t> fingers;
  for (const Entry& e : entries_) prints.push_back(&e.print), fingers.push_back(static_cast<uint8_t>(e.finger));
  auto device = FingerPrintsDevice::Create(prints, fingers);
  if (!device.ok()) return device.status();
  device_ = std::move(*device);
  return Status::Ok();
}

bool FingerGallery::CompareOnDevice(const std::vector<FingerView>& probe, const std::vector<FingerPrint>& prints,
                                    std::vector<double>* best) const {
  std::vector<double> scores;  // -1 where the fingers differ
  for (size_t v = 0; v < prints.size(); ++v) {
    // The GPU leaves out views of another known finger; a probe view that
    // may be one of several (a slap's print) is compared with every view,
    // and kept here where the fingers may meet, as on the CPU.
    const int finger = probe[v].finger;
    if (!device_->CompareAll(prints[v], finger >= 1 && finger <= 10 ? finger : 0, &scores).ok()) return false;
    double* of_view = best->data() + v * subjects_.size();
    for (size_t i = 0; i < entries_.size(); ++i)
      if (compatible(finger, entries_[i].finger))
        of_view[entries_[i].subject] = std::max(of_view[entries_[i].subject], scores[i]);
  }
  return true;
}

void FingerGallery::CompareOnCpu(const std::vector<FingerView>& probe, const std::vector<FingerPrint>& prints,
                                 std::vector<double>* best) const {
  // The subjects compared: those with a view of a compatible finger, or
  // in a large gallery those with a view on a probe view's shortlist.
  std::vector<char> compared(subjects_.size());
  for (size_t v = 0; v < prints.size(); ++v) {
    std::vector<uint32_t> ids;
    for (size_t i = 0; i < entries_.size(); ++i)
      if (compatible(probe[v].finger, entries_[i].finger)) ids.push_back(static_cast<uint32_t>(i));
    const Shortlisting& s = shortlisting_;
    const std::optional<ShortlistProbe> first_look =
        entries_.size() >= s.from ? std::optional<ShortlistProbe>(prints[v]) : std::nullopt;
    if (first_look && first_look->usable()) {
      // Keeps the `keep` best of ids by a look at each view's whole
      // sketch or its glance.
      auto keep_best = [&](size_t keep, bool glance) {
        if (keep >= ids.size()) return;
        std::vector<uint16_t> scores(ids.size());
        in_slices(ids.size(), slices_for(ids.size(), 4096), [&](size_t, size_t begin, size_t end) {
          for (size_t k = begin; k < end; ++k) {
            const std::span<const SketchEdge> sketch = SketchOf(ids[k]);
            scores[k] = static_cast<uint16_t>(std::min(65535, first_look->Score(glance ? Glance(sketch) : sketch)));
          }
        });
        std::vector<uint32_t> kept;
        for (size_t k : BestIndices(scores, keep)) kept.push_back(ids[k]);
        ids = std::move(kept);
      };
      const size_t shortlist = std::max(s.least, ids.size() / std::max<size_t>(1, s.share));
      keep_best(std::max(shortlist, ids.size() / std::max<size_t>(1, s.glance_share)), true);
      keep_best(shortlist, false);
    }
    for (uint32_t i : ids) compared[entries_[i].subject] = 1;
  }
  // Each view against every compatible view of each subject compared, so
  // that a subject's score is of all its fingers however it was found.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (probe view, entry)
  for (size_t subject = 0; subject < subjects_.size(); ++subject)
    if (compared[subject])
      for (uint32_t i : subjects_[subject].views)
        for (size_t v = 0; v < prints.size(); ++v)
          if (compatible(probe[v].finger, entries_[i].finger)) pairs.push_back({static_cast<uint32_t>(v), i});
  std::vector<double> scores(pairs.size());
  in_slices(pairs.size(), slices_for(pairs.size(), 4096), [&](size_t, size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) scores[k] = compare(prints[pairs[k].first], entries_[pairs[k].second].print);
  });
  for (size_t k = 0; k < pairs.size(); ++k) {
    double& b = (*best)[pairs[k].first * subjects_.size() + entries_[pairs[k].second].subject];
    b = std::max(b, scores[k]);
  }
}

Status FingerGallery::PreferDevice() {
  if (entries_.size() < kViewsForDevice)
    return Status::Error("fingerprint comparison on a GPU: a gallery this small stays on the CPU");
  return UseDevice();
}

void FingerGallery::Add(const std::string& list, const std::string& reference, const std::string& category,
                        const FingerView& view) {
  FingerPrint print = FingerPrint::From(view);
  const std::vector<SketchEdge> sketch = Sketch(print);
  AddPrepared(list, reference, category, view.finger, std::move(print), sketch);
}

void FingerGallery::AddAll(const std::vector<Enrolment>& enrolments) {
  std::vector<FingerPrint> prints(enrolments.size());
  std::vector<std::vector<SketchEdge>> sketches(enrolments.size());
  in_slices(enrolments.size(), slices_for(enrolments.size(), 1024), [&](size_t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) prints[i] = FingerPrint::From(enrolments[i].view), sketches[i] = Sketch(prints[i]);
  });
  entries_.reserve(entries_.size() + enrolments.size());
  for (size_t i = 0; i < enrolments.size(); ++i) {
    const Enrolment& e = enrolments[i];
    AddPrepared(e.list, e.reference, e.category, e.view.finger, std::move(prints[i]), sketches[i]);
    std::vector<SketchEdge>().swap(sketches[i]);
  }
}

void FingerGallery::AddPrepared(const std::string& list, const std::string& reference, const std::string& category,
                                int finger, FingerPrint print, const std::vector<SketchEdge>& sketch) {
  device_.reset();
  // Lists and references hold no NUL: joined with one, they are one key.
  const auto [it, added] = subject_index_.try_emplace(list + '\0' + reference, subjects_.size());
  if (added) subjects_.push_back({list, reference, category, {}});
  subjects_[it->second].views.push_back(static_cast<uint32_t>(entries_.size()));
  entries_.push_back({it->second, finger, std::move(print)});
  sketches_.insert(sketches_.end(), sketch.begin(), sketch.end());
  sketch_ends_.push_back(sketches_.size());
}

size_t FingerGallery::searched(const std::vector<FingerView>& probe) const {
  size_t n = 0;
  for (const Subject& s : subjects_)
    n += std::any_of(s.views.begin(), s.views.end(), [&](uint32_t i) {
      return std::any_of(probe.begin(), probe.end(), [&](const FingerView& v) { return compatible(v.finger, entries_[i].finger); });
    });
  return n;
}

std::vector<BioCandidate> FingerGallery::Search(const std::vector<FingerView>& probe, size_t top,
                                                std::optional<double> threshold) const {
  const double at = threshold ? *threshold : identification_threshold(static_cast<double>(searched(probe)));
  std::vector<FingerPrint> prints;
  for (const FingerView& view : probe) prints.push_back(FingerPrint::From(view));
  // best[v * subjects + s]: probe view v's best score against subject s;
  // -1 where not compared.
  std::vector<double> best(prints.size() * subjects_.size(), -1);
  if (!device_ || !CompareOnDevice(probe, prints, &best)) {
    std::fill(best.begin(), best.end(), -1);
    CompareOnCpu(probe, prints, &best);
  }
  // Subject s's evidence: each probe view compared with it, at its best
  // score and with the number of the subject's views compared.
  auto evidence_of = [&](size_t s, std::vector<ViewEvidence>* evidence) {
    evidence->clear();
    for (size_t v = 0; v < prints.size(); ++v)
      if (const double b = best[v * subjects_.size() + s]; b >= 0) {
        size_t views = 0;
        for (uint32_t i : subjects_[s].views) views += compatible(probe[v].finger, entries_[i].finger);
        evidence->push_back({probe[v].finger, b, views, probe[v].view});
      }
  };
  // Fused on every core for many subjects (every subject, when every view
  // was compared).
  std::vector<double> score(subjects_.size(), -1);
  in_slices(subjects_.size(), slices_for(subjects_.size(), 16384), [&](size_t, size_t begin, size_t end) {
    std::vector<ViewEvidence> evidence;
    for (size_t s = begin; s < end; ++s)
      if (evidence_of(s, &evidence); !evidence.empty()) score[s] = subject_score(evidence);
  });
  std::vector<size_t> order;
  for (size_t i = 0; i < score.size(); ++i)
    if (score[i] >= 0) order.push_back(i);
  const size_t n = std::min(top, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(n), order.end(),
                    [&](size_t a, size_t b) { return score[a] != score[b] ? score[a] > score[b] : a < b; });
  std::vector<BioCandidate> out;
  for (size_t i = 0; i < n; ++i) {
    const Subject& s = subjects_[order[i]];
    out.push_back({s.list, s.reference, s.category, score[order[i]], score[order[i]] >= at, "finger", at, {}});
    evidence_of(order[i], &out.back().fingers);
  }
  return out;
}

Status FaceGallery::Add(const std::string& list, const std::string& reference, const std::string& category,
                        const std::vector<float>& embedding) {
  if (auto st = index_.Add(embedding); !st.ok()) return st;
  subjects_.push_back({list, reference, category});
  return Status::Ok();
}

Status FaceGallery::PreferDevice() {
  if (index_.size() < kFacesForDevice) return Status::Error("face search on a GPU: a gallery this small stays on the CPU");
  return index_.UseDevice();
}

std::vector<BioCandidate> FaceGallery::Search(const std::vector<float>& query, size_t top, double threshold) const {
  // Several embeddings may be one subject's: ask for more, keep each once.
  std::vector<BioCandidate> out;
  for (const FaceIndex::Hit& h : index_.Search(query, top * 4)) {
    const Subject& s = subjects_[h.id];
    const bool seen = std::any_of(out.begin(), out.end(), [&](const BioCandidate& c) {
      return c.list == s.list && c.reference == s.reference;
    });
    if (seen) continue;
    out.push_back({s.list, s.reference, s.category, h.score, h.score >= threshold, "face", threshold, {}});
    if (out.size() == top) break;
  }
  return out;
}

}  // namespace vigil
