#include "biometrics/live_gallery.h"

#include <utility>

namespace vigil {

GalleryParts LiveGallery::Snapshot::view() const {
  GalleryParts out;
  for (const Part& p : parts) out.push_back(p.gallery.get());
  return out;
}

LiveGallery::LiveGallery(Options options) : options_(std::move(options)) {}

LiveGallery::~LiveGallery() {
  if (rebuild_.joinable()) rebuild_.join();
}

std::shared_ptr<const LiveGallery::Snapshot> LiveGallery::InService() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

void LiveGallery::Install(std::shared_ptr<const Snapshot> next) {
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(next);
}

Result<LiveGallery::Part> LiveGallery::Load(Store* store, int64_t after, int64_t up_to, bool whole) {
  auto templates = store->BioGallery(after, up_to);
  if (!templates.ok()) return templates.status();
  auto gallery = gallery_of(*templates);
  if (!gallery.ok()) return gallery.status();
  // Searched many times while it stays: worth copying to a GPU if large.
  (void)gallery->faces.PreferDevice();
  (void)gallery->fingers.PreferDevice();
  if (options_.loaded) options_.loaded(*gallery, whole);
  return Part{std::make_shared<const Gallery>(std::move(*gallery)), after, up_to,
              static_cast<int64_t>(templates->size())};
}

Result<std::shared_ptr<const LiveGallery::Snapshot>> LiveGallery::Current(Store* store) {
  auto last = store->BioLastTemplate();
  if (!last.ok()) return last.status();
  if (auto now = InService(); now && now->last >= *last) return now;
  std::lock_guard<std::mutex> loading(load_mu_);
  const std::shared_ptr<const Snapshot> now = InService();
  if (now && now->last >= *last) return now;  // loaded while this call waited
  auto next = std::make_shared<Snapshot>();
  next->last = *last;
  if (!now) {
    auto whole = Load(store, 0, *last, true);
    if (!whole.ok()) return whole.status();
    next->parts.push_back(std::move(*whole));
    Install(next);
    return std::shared_ptr<const Snapshot>(next);
  }
  // The small parts loaded again as one, with what is new, when there are
  // too many. While the whole gallery is being loaded again, only those
  // that begin at or after its end, the ones it will keep.
  size_t first = 1;
  while (rebuilding_ && first < now->parts.size() && now->parts[first].after < rebuild_up_to_) ++first;
  size_t keep = now->parts.size();
  if (keep - first >= options_.max_small_parts) keep = first;
  const int64_t after = keep < now->parts.size() ? now->parts[keep].after : now->last;
  auto part = Load(store, after, *last, false);
  if (!part.ok()) return part.status();
  next->parts.assign(now->parts.begin(), now->parts.begin() + static_cast<long>(keep));
  next->parts.push_back(std::move(*part));
  Install(next);
  int64_t small = 0;
  for (size_t i = 1; i < next->parts.size(); ++i) small += next->parts[i].templates;
  if (options_.open_store && !rebuilding_ && small >= options_.rebuild_at_least &&
      static_cast<double>(small) > options_.rebuild_share * static_cast<double>(next->parts[0].templates))
    StartRebuild(next->last);
  return std::shared_ptr<const Snapshot>(next);
}

void LiveGallery::StartRebuild(int64_t up_to) {
  if (rebuild_.joinable()) rebuild_.join();  // done: it cleared rebuilding_ last
  rebuilding_ = true;
  rebuild_up_to_ = up_to;
  rebuild_ = std::thread([this, up_to] {
    Result<Part> whole = Status::Error("no store");
    if (auto store = options_.open_store(); store.ok()) whole = Load(store->get(), 0, up_to, true);
    std::lock_guard<std::mutex> loading(load_mu_);
    if (whole.ok()) {
      const std::shared_ptr<const Snapshot> now = InService();
      auto next = std::make_shared<Snapshot>();
      next->last = now->last;
      next->parts.push_back(std::move(*whole));
      for (size_t i = 1; i < now->parts.size(); ++i)
        if (now->parts[i].after >= up_to) next->parts.push_back(now->parts[i]);
      Install(std::move(next));
    }
    rebuilding_ = false;
  });
}

}  // namespace vigil
