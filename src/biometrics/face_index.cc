#include "biometrics/face_index.h"

#include <algorithm>
#include <cmath>

#include "base/parallel.h"
#include "biometrics/face_index_device.h"

namespace vigil {
namespace {

constexpr double kOne = 1 << 14;  // a unit value in fixed point

using Scored = std::pair<uint32_t, int32_t>;  // id, integer score

// a ranks before b: higher score, then earlier id.
bool Before(const Scored& a, const Scored& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; }

// The best `top` of scores seen, kept as a heap with the worst on top.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) {}
  void Offer(uint32_t id, int32_t score) {
    if (heap_.size() < k_) {
      heap_.push_back({id, score});
      std::push_heap(heap_.begin(), heap_.end(), Before);
    } else if (Before({id, score}, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Before);
      heap_.back() = {id, score};
      std::push_heap(heap_.begin(), heap_.end(), Before);
    }
  }
  // Scores below this cannot enter.
  int32_t floor() const { return heap_.size() < k_ ? INT32_MIN : heap_.front().second; }
  std::vector<Scored>& kept() { return heap_; }

 private:
  size_t k_;
  std::vector<Scored> heap_;
};

// Integer products summed: exact, so the order of the sum does not matter
// and the compiler may vectorise it freely (on x86-64, 16 products per
// instruction where the CPU has AVX2, chosen at run time). `n` is a
// multiple of 16.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
int32_t dot(const int16_t* a, const int16_t* b, size_t n) {
  int32_t s = 0;
  for (size_t i = 0; i < n; ++i) s += int32_t{a[i]} * b[i];
  return s;
}

}  // namespace

FaceIndex::FaceIndex() = default;
FaceIndex::~FaceIndex() = default;
FaceIndex::FaceIndex(FaceIndex&&) noexcept = default;
FaceIndex& FaceIndex::operator=(FaceIndex&&) noexcept = default;

std::vector<int16_t> FaceIndex::Quantise(const std::vector<float>& embedding) const {
  if (embedding.empty() || (dimension_ && embedding.size() != dimension_)) return {};
  double norm = 0;
  for (float v : embedding) {
    if (!std::isfinite(v)) return {};
    norm += double(v) * v;
  }
  if (!(norm > 0) || !std::isfinite(norm)) return {};
  const double scale = kOne / std::sqrt(norm);
  std::vector<int16_t> out((embedding.size() + 15) / 16 * 16, 0);
  for (size_t i = 0; i < embedding.size(); ++i) out[i] = static_cast<int16_t>(std::lround(embedding[i] * scale));
  return out;
}

Status FaceIndex::Add(const std::vector<float>& embedding) {
  if (embedding.empty()) return Status::Error("face embedding: empty");
  if (dimension_ && embedding.size() != dimension_)
    return Status::Error("face embedding: " + std::to_string(embedding.size()) + " values, the index holds " +
                         std::to_string(dimension_));
  for (float v : embedding)
    if (!std::isfinite(v)) return Status::Error("face embedding: a value is not a finite number");
  if (size() >= (size_t{1} << 31)) return Status::Error("face embedding: the index holds 2^31, its most");
  std::vector<int16_t> row = Quantise(embedding);
  if (row.empty()) return Status::Error("face embedding: all zero, or too large to scale");
  dimension_ = embedding.size();
  stride_ = row.size();
  rows_.insert(rows_.end(), row.begin(), row.end());
  device_.reset();
  return Status::Ok();
}

std::vector<FaceIndex::Hit> FaceIndex::Best(std::vector<std::pair<uint32_t, int32_t>> candidates, size_t top) {
  const size_t n = std::min(top, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<long>(n), candidates.end(), Before);
  std::vector<Hit> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back({candidates[i].first, static_cast<float>(candidates[i].second) / float(1 << kScoreShift)});
  return out;
}

std::vector<FaceIndex::Hit> FaceIndex::Search(const std::vector<float>& query, size_t top) const {
  if (device_) return device_->Search(*this, query, top);
  return SearchOnCpu(query, top);
}

std::vector<FaceIndex::Hit> FaceIndex::SearchOnCpu(const std::vector<float>& query, size_t top) const {
  const size_t n = size();
  const std::vector<int16_t> q = Quantise(query);
  if (n == 0 || q.empty() || top == 0) return {};
  auto scan = [&](size_t begin, size_t end, TopK* best) {
    for (size_t i = begin; i < end; ++i) {
      const int32_t s = dot(q.data(), rows_.data() + i * stride_, stride_);
      if (s >= best->floor()) best->Offer(static_cast<uint32_t>(i), s);
    }
  };
  const size_t slices = slices_for(n, 65536);
  std::vector<TopK> partial(slices, TopK(top));
  in_slices(n, slices, [&](size_t s, size_t begin, size_t end) { scan(begin, end, &partial[s]); });
  std::vector<Scored> all;
  for (auto& p : partial) all.insert(all.end(), p.kept().begin(), p.kept().end());
  return Best(std::move(all), top);
}

FaceIndex::DeviceSearches FaceIndex::device_searches() const {
  return device_ ? device_->searches() : DeviceSearches{};
}

Status FaceIndex::UseDevice() {
  auto device = FaceIndexDevice::Create(*this);
  if (!device.ok()) return device.status();
  device_ = std::move(*device);
  return Status::Ok();
}

}  // namespace vigil
