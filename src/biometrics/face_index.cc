#include "biometrics/face_index.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace vigil {
namespace {

// The best `top` of scores seen, kept as a min-heap.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) {}
  void Offer(size_t id, float score) {
    if (heap_.size() < k_) {
      heap_.push_back({id, score});
      std::push_heap(heap_.begin(), heap_.end(), Worse);
    } else if (k_ && Worse({id, score}, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Worse);
      heap_.back() = {id, score};
      std::push_heap(heap_.begin(), heap_.end(), Worse);
    }
  }
  float floor() const { return heap_.size() < k_ ? -2.0f : heap_.front().score; }
  std::vector<FaceIndex::Hit>& hits() { return heap_; }
  // a ranks before b: higher score, then earlier id.
  static bool Worse(const FaceIndex::Hit& a, const FaceIndex::Hit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  }

 private:
  size_t k_;
  std::vector<FaceIndex::Hit> heap_;
};

// Sixteen independent sums: enough vector registers in flight that the
// adds' latency hides behind the loads, so a scan runs at memory speed.
// On x86-64 it is built for AVX2 with FMA as well, chosen at run time where
// the CPU has it.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
float dot(const float* a, const float* b, size_t n) {
  float s[16] = {};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (size_t k = 0; k < 16; ++k) s[k] += a[i + k] * b[i + k];
  for (; i < n; ++i) s[0] += a[i] * b[i];
  for (size_t w = 8; w > 0; w /= 2)
    for (size_t k = 0; k < w; ++k) s[k] += s[k + w];
  return s[0];
}

}  // namespace

Status FaceIndex::Add(const std::vector<float>& embedding) {
  if (embedding.empty()) return Status::Error("face embedding: empty");
  if (dimension_ && embedding.size() != dimension_)
    return Status::Error("face embedding: " + std::to_string(embedding.size()) + " values, the index holds " +
                         std::to_string(dimension_));
  double norm = 0;
  for (float v : embedding) {
    if (!std::isfinite(v)) return Status::Error("face embedding: a value is not a finite number");
    norm += double(v) * v;
  }
  if (norm <= 0) return Status::Error("face embedding: all zero");
  dimension_ = embedding.size();
  const float scale = static_cast<float>(1.0 / std::sqrt(norm));
  for (float v : embedding) data_.push_back(v * scale);
  return Status::Ok();
}

std::vector<FaceIndex::Hit> FaceIndex::Search(const std::vector<float>& query, size_t top) const {
  const size_t n = size();
  if (n == 0 || query.size() != dimension_ || top == 0) return {};
  double norm = 0;
  for (float v : query) norm += double(v) * v;
  if (!(norm > 0) || !std::isfinite(norm)) return {};
  std::vector<float> q(query);
  for (float& v : q) v = static_cast<float>(v / std::sqrt(norm));
  auto scan = [&](size_t begin, size_t end, TopK* best) {
    for (size_t i = begin; i < end; ++i) {
      const float s = dot(q.data(), data_.data() + i * dimension_, dimension_);
      if (s >= best->floor()) best->Offer(i, s);
    }
  };
  const size_t workers = n < 65536 ? 1 : std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), 64));
  TopK merged(top);
  if (workers == 1) {
    scan(0, n, &merged);
  } else {
    std::vector<TopK> partial(workers, TopK(top));
    std::vector<std::thread> threads;
    const size_t slice = (n + workers - 1) / workers;
    for (size_t w = 0; w < workers; ++w)
      threads.emplace_back(scan, std::min(n, w * slice), std::min(n, (w + 1) * slice), &partial[w]);
    for (auto& t : threads) t.join();
    for (auto& p : partial)
      for (const Hit& h : p.hits()) merged.Offer(h.id, h.score);
  }
  std::vector<Hit> out = std::move(merged.hits());
  std::sort(out.begin(), out.end(), TopK::Worse);
  return out;
}

}  // namespace vigil
