#include "biometrics/frontline.h"

#include <cmath>

namespace vigil {

Result<FingerTemplate> read_finger_template(std::string_view b) {
  const bool png = b.rfind("\x89PNG", 0) == 0, jpeg = b.rfind("\xff\xd8\xff", 0) == 0, wsq = b.rfind("\xff\xa0", 0) == 0;
  if (png || jpeg || wsq)
    return Status::Error("fingerprint images are not read yet; give a minutiae template "
                         "(ISO/IEC 19794-2 or ANSI INCITS 378)");
  return read_fmr(b);
}

Result<FingerGallery> load_finger_gallery(Store* store) {
  auto stored = store->BioGallery();
  if (!stored.ok()) return stored.status();
  FingerGallery gallery;
  for (const BioTemplate& t : *stored) {
    if (t.modality != "finger") continue;
    auto fmr = read_fmr(t.data);
    if (!fmr.ok()) return Status::Error("gallery template " + std::to_string(t.id) + ": " + fmr.error());
    for (const FingerView& v : fmr->views) gallery.Add(t.list, t.reference, t.category, v);
  }
  return gallery;
}

Result<BioSearch> search_and_record(Store* store, const FingerGallery& gallery, const FingerTemplate& probe,
                                    size_t top, const std::string& officer, const std::string& location,
                                    const std::string& purpose) {
  BioSearch out;
  out.candidates = gallery.Search(probe.views, top);
  BioEncounter e;
  e.officer = officer;
  e.location = location;
  e.candidates = static_cast<int>(out.candidates.size());
  e.result = !out.candidates.empty() && out.candidates[0].match ? "hit" : "no_hit";
  if (!out.candidates.empty()) {
    e.best_list = out.candidates[0].list;
    e.best_reference = out.candidates[0].reference;
    e.best_score = out.candidates[0].score;
  }
  // Kept only when it hit; otherwise the probe goes with the request.
  if (e.result == "hit") e.probe = write_fmr(probe);
  auto id = store->RecordEncounter(e);
  if (!id.ok()) return id.status();
  out.encounter = *id;
  if (auto s = store->Audit({0, "", officer, "biometric search", "encounter:" + std::to_string(*id), purpose, "",
                             location, "ok", "", ""});
      !s.ok())
    return s;
  return out;
}

nlohmann::json candidates_json(const std::vector<BioCandidate>& candidates) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : candidates)
    out.push_back({{"list", c.list}, {"id", c.reference}, {"score", std::round(c.score * 10) / 10}, {"match", c.match}});
  return out;
}

}  // namespace vigil
