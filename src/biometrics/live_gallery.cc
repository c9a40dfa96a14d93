#include "biometrics/live_gallery.h"

#include <algorithm>
#include <utility>

namespace vigil {

GalleryParts LiveGallery::Snapshot::view() const {
  GalleryParts out;
  for (const Part& p : parts) out.push_back({p.gallery.get(), p.removed.get()});
  return out;
}

void LiveGallery::Snapshot::Settle() {
  int64_t oldest = last_removal;
  for (Part& p : parts) {
    oldest = std::min(oldest, p.removals);
    std::unordered_set<std::string> removed;
    for (const auto& [id, key] : removals)
      if (id > p.removals) removed.insert(key);
    p.removed = removed.empty() ? nullptr : std::make_shared<const std::unordered_set<std::string>>(std::move(removed));
  }
  removals.erase(std::remove_if(removals.begin(), removals.end(), [&](const auto& r) { return r.first <= oldest; }),
                 removals.end());
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

Result<LiveGallery::Part> LiveGallery::Load(Store* store, int64_t after, int64_t up_to, int64_t removals, bool whole) {
  auto templates = store->BioGallery(after, up_to);
  if (!templates.ok()) return templates.status();
  auto gallery = gallery_of(*templates);
  if (!gallery.ok()) return gallery.status();
  // Searched many times while it stays: worth copying to a GPU if large.
  (void)gallery->faces.PreferDevice();
  (void)gallery->fingers.PreferDevice();
  if (options_.loaded) options_.loaded(*gallery, whole);
  Part part;
  part.gallery = std::make_shared<const Gallery>(std::move(*gallery));
  part.after = after, part.up_to = up_to, part.removals = removals;
  part.templates = static_cast<int64_t>(templates->size());
  return part;
}

Result<std::shared_ptr<const LiveGallery::Snapshot>> LiveGallery::Current(Store* store) {
  auto mark = store->BioGalleryMarks();
  if (!mark.ok()) return mark.status();
  auto current = [&](const std::shared_ptr<const Snapshot>& s) {
    return s && s->last >= mark->last_template && s->last_removal >= mark->last_removal;
  };
  if (auto now = InService(); current(now)) return now;
  std::lock_guard<std::mutex> loading(load_mu_);
  const std::shared_ptr<const Snapshot> now = InService();
  if (current(now)) return now;  // loaded while this call waited
  if (!now) {
    auto next = std::make_shared<Snapshot>();
    auto whole = Load(store, 0, mark->last_template, mark->last_removal, true);
    if (!whole.ok()) return whole.status();
    next->parts.push_back(std::move(*whole));
    next->last = mark->last_template;
    next->last_removal = mark->last_removal;
    Install(next);
    return std::shared_ptr<const Snapshot>(next);
  }
  auto next = std::make_shared<Snapshot>(*now);
  // Subjects removed since: left out of the parts loaded before, and the
  // whole gallery loaded again without them.
  bool removed = false;
  if (mark->last_removal > now->last_removal) {
    auto removals = store->BioRemovals(now->last_removal);
    if (!removals.ok()) return removals.status();
    for (const BioRemoval& r : *removals) {
      next->removals.emplace_back(r.id, subject_key(r.list, r.reference));
      next->last_removal = std::max(next->last_removal, r.id);
    }
    removed = !removals->empty();
  }
  if (mark->last_template > now->last) {
    // The small parts loaded again as one, with what is new, when there
    // are too many. While the whole gallery is being loaded again, only
    // those that begin at or after its end, the ones it will keep.
    size_t first = 1;
    while (rebuilding_ && first < now->parts.size() && now->parts[first].after < rebuild_up_to_) ++first;
    size_t keep = now->parts.size();
    if (keep - first >= options_.max_small_parts) keep = first;
    const int64_t after = keep < now->parts.size() ? now->parts[keep].after : now->last;
    auto part = Load(store, after, mark->last_template, next->last_removal, false);
    if (!part.ok()) return part.status();
    next->parts.resize(keep);
    next->parts.push_back(std::move(*part));
    next->last = mark->last_template;
  }
  next->Settle();
  Install(next);
  int64_t small = 0;
  for (size_t i = 1; i < next->parts.size(); ++i) small += next->parts[i].templates;
  const bool grown = small >= options_.rebuild_at_least &&
                     static_cast<double>(small) > options_.rebuild_share * static_cast<double>(next->parts[0].templates);
  if (options_.open_store && !rebuilding_ && (grown || removed)) StartRebuild(next->last, next->last_removal);
  return std::shared_ptr<const Snapshot>(next);
}

void LiveGallery::StartRebuild(int64_t up_to, int64_t removals) {
  if (rebuild_.joinable()) rebuild_.join();  // done: it cleared rebuilding_ last
  rebuilding_ = true;
  rebuild_up_to_ = up_to;
  rebuild_ = std::thread([this, up_to, removals] {
    Result<Part> whole = Status::Error("no store");
    if (auto store = options_.open_store(); store.ok()) whole = Load(store->get(), 0, up_to, removals, true);
    std::lock_guard<std::mutex> loading(load_mu_);
    if (whole.ok()) {
      auto next = std::make_shared<Snapshot>(*InService());
      std::vector<Part> parts = {std::move(*whole)};
      for (size_t i = 1; i < next->parts.size(); ++i)
        if (next->parts[i].after >= up_to) parts.push_back(next->parts[i]);
      next->parts = std::move(parts);
      next->Settle();
      Install(std::move(next));
    }
    rebuilding_ = false;
  });
}

}  // namespace vigil
