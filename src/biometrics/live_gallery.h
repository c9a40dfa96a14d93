// The stored gallery kept current while it is searched: what a server
// answering frontline checks holds while enrolments go on.
//
// Loading a gallery of millions takes most of a minute (its templates read
// and prepared, then copied to a GPU). Loading it again whole whenever a
// template is enrolled would stall every check behind each enrolment, so
// the gallery is kept in parts: a large one, loaded whole, and small ones,
// each of the templates enrolled since the part before it (templates are
// enrolled with growing ids, and removed only with their subject, each
// removal logged: Store::BioGallery).
//
// Promises:
//  - Current() returns the gallery as the store has it at the call: every
//    template enrolled before it is searched, and no subject removed before
//    it is. It reads only the templates enrolled and the removals logged
//    since the last call, so a check waits for those, not for the whole
//    gallery. One load at a time: calls that see the same change wait for
//    one load, then share it.
//  - Its parts searched together (search_gallery) give the candidates and
//    scores that one gallery of the same templates gives, but for a
//    subject with templates in several parts (enrolled again since the
//    large part was loaded): each part scores it on the views it holds
//    there, and it comes once, at its best part's score.
//  - Small parts are bounded: past `max_small_parts` they are loaded again
//    as one (a cost of their size, not the gallery's; twice that many while
//    the whole gallery is loaded again). Once they hold more
//    than `rebuild_share` of the large part's templates (and at least
//    `rebuild_at_least`), the whole gallery is loaded again on a thread of
//    its own, with a store connection of its own, and put in service when
//    ready, with the parts enrolled meanwhile on top of it; checks go on
//    with the parts in service until then. A removal starts that load too,
//    so that the removed subject's templates leave memory; until it is in
//    service, the parts loaded before the removal leave the subject out of
//    their answers.
//  - Each part loaded is offered to a GPU (PreferDevice: large parts move,
//    small ones stay on the CPU) and reported to `loaded`.
//  - A Snapshot stays valid, and searchable, for as long as it is held,
//    whatever is loaded meanwhile. The destructor waits for a load in the
//    background to finish.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/status.h"
#include "biometrics/frontline.h"
#include "store/store.h"

namespace vigil {

class LiveGallery {
 public:
  struct Options {
    size_t max_small_parts = 8;
    double rebuild_share = 0.25;
    int64_t rebuild_at_least = 1024;
    // A store connection for the background load; without one, the whole
    // gallery is never loaded again and small parts only merge.
    std::function<Result<std::unique_ptr<Store>>()> open_store;
    // Called after each part is loaded: `whole` for the whole gallery.
    std::function<void(const Gallery& part, bool whole)> loaded;
  };

  struct Part {
    std::shared_ptr<const Gallery> gallery;
    int64_t after = 0, up_to = 0;  // its templates' ids: (after, up_to]
    int64_t templates = 0;
    int64_t removals = 0;  // the last removal it was loaded after
    // Subjects removed since it was loaded (subject_key); null for none.
    std::shared_ptr<const std::unordered_set<std::string>> removed;
  };
  struct Snapshot {
    std::vector<Part> parts;   // the large part first
    int64_t last = 0;          // the last template id in it
    int64_t last_removal = 0;  // the last removal it knows
    // Removals some part was loaded before: id and subject_key.
    std::vector<std::pair<int64_t, std::string>> removals;
    GalleryParts view() const;
    // Each part's `removed` from `removals`; those every part was loaded
    // after are dropped.
    void Settle();
  };

  explicit LiveGallery(Options options);
  ~LiveGallery();
  LiveGallery(const LiveGallery&) = delete;
  LiveGallery& operator=(const LiveGallery&) = delete;

  Result<std::shared_ptr<const Snapshot>> Current(Store* store);

 private:
  std::shared_ptr<const Snapshot> InService() const;
  void Install(std::shared_ptr<const Snapshot> next);
  Result<Part> Load(Store* store, int64_t after, int64_t up_to, int64_t removals, bool whole);
  void StartRebuild(int64_t up_to, int64_t removals);  // with load_mu_ held

  Options options_;
  mutable std::mutex mu_;  // guards snapshot_
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex load_mu_;  // one load at a time; guards rebuilding_ and rebuild_
  bool rebuilding_ = false;
  int64_t rebuild_up_to_ = 0;  // what the load in the background covers
  std::thread rebuild_;
};

}  // namespace vigil
