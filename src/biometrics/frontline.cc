#include "biometrics/frontline.h"

#include "base/parallel.h"
#include "biometrics/an2k.h"
#include "biometrics/extractor.h"
#include "biometrics/face_detect.h"
#include "biometrics/face_model.h"
#include "biometrics/face_record.h"
#include "biometrics/finger_record.h"
#include "biometrics/image.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <unordered_map>

namespace vigil {

namespace {

// The recogniser and the face finder, loaded once, on first use.
struct FaceReader {
  Result<FaceEmbedder> model = FaceEmbedder::Load(default_face_model_dir());
  Result<FaceFinder> finder = FaceFinder::Load(default_cascade_dir());
};
const FaceReader& Faces() {
  static const FaceReader reader;
  return reader;
}

Result<FingerTemplate> FingerFromImage(std::string_view bytes) {
  auto image = decode_image(bytes);
  if (!image.ok()) return image.status();
  return extract_minutiae(*image);
}

}  // namespace

Result<std::vector<float>> face_embedding_from_image(const RgbImage& photo) {
  const FaceReader& faces = Faces();
  if (!faces.model.ok()) return faces.model.status();
  if (!faces.finder.ok()) return faces.finder.status();
  auto crop = faces.finder->Crop(photo);
  if (!crop.ok()) return crop.status();
  return faces.model->Embed(*crop);
}

namespace {

// The pixels of a finger image stored as `compression` ("NONE": 8-bit raw
// pixels of the size given; else a file in that format), at `ppi` (500
// where the record gives none, 0): the record's resolution is the one the
// standards make authoritative (an image's own header may say otherwise:
// NISTCOM comments in some reference files give "PPI 255" for 500 ppi
// images).
Result<GrayImage> FingerPixels(const std::string& compression, int bits, std::string_view data, int width, int height,
                               int ppi) {
  if (ppi == 0) ppi = 500;
  Result<GrayImage> pixels = Status::Error(compression + " images are not supported; give WSQ, PNG, JPEG, "
                                           "JPEG 2000 or uncompressed images, or minutiae");
  if (compression == "NONE" && bits == 8) pixels = raw_image(data, width, height, ppi);
  else if (compression == "WSQ" || compression == "PNG" || compression == "JPEG" || compression == "JPEG2000")
    pixels = decode_image(data, ppi);
  if (pixels.ok()) pixels->ppi = ppi;
  return pixels;
}

// The views of a finger image at position `finger` (ANSI/NIST-ITL and ISO
// codes): plain thumbs (11, 12) are the thumbs (1, 6); slaps (13-15) are
// read print by print; other codes (palms, unknown) are of no finger known.
Result<FingerTemplate> FingerViews(const GrayImage& pixels, int finger) {
  const int position = finger == 11 ? 1 : finger == 12 ? 6 : finger <= 10 || slap_prints(finger) > 1 ? finger : 0;
  return extract_minutiae(pixels, static_cast<uint8_t>(position));
}

// The most images read and extracted at once: each may hold planes of
// tens of megabytes while it is.
constexpr size_t kReadersAtOnce = 8;

// Views gathered into one template: the first's header, every view.
struct Views {
  FingerTemplate all;
  void Add(const FingerTemplate& t) {
    if (all.views.empty()) all = t;
    else all.views.insert(all.views.end(), t.views.begin(), t.views.end());
  }
};

// The templates of `n` images, `extract(i)` each, gathered in order; the
// first failing image's error. Images are extracted at once on up to 8
// cores (a ten-print card's 14 take about as long as its largest few);
// the result is what extracting them one by one gives.
Result<FingerTemplate> ExtractEach(size_t n, const std::function<Result<FingerTemplate>(size_t)>& extract) {
  Views fingers;
  for (Result<FingerTemplate>& t : each_at_once(n, kReadersAtOnce, extract)) {
    if (!t.ok()) return t.status();
    fingers.Add(*t);
  }
  return fingers.all;
}

// The fingers of an ANSI/NIST-ITL transaction: its minutiae records, or,
// when it has none, the minutiae extracted from its finger images.
Result<FingerTemplate> FingersFromTransaction(std::string_view b) {
  auto file = read_an2k(b);
  if (!file.ok()) return file.status();
  Views fingers;
  for (const FingerTemplate& t : file->templates) fingers.Add(t);
  if (!fingers.all.views.empty()) return fingers.all;
  if (file->images.empty())
    return Status::Error("ANSI/NIST-ITL file: no finger minutiae (Type-9) or finger images (Type-4, Type-14)");
  return ExtractEach(file->images.size(), [&](size_t i) -> Result<FingerTemplate> {
    const An2kImage& image = file->images[i];
    const std::string where = "ANSI/NIST-ITL file: Type-" + std::to_string(image.record_type) + " image of finger " +
                              std::to_string(image.finger) + ": ";
    auto pixels = FingerPixels(image.compression, image.bits_per_pixel, image.data, image.width, image.height, image.ppi);
    if (!pixels.ok()) return Status::Error(where + pixels.error());
    if (image.segments.empty()) {
      auto t = FingerViews(*pixels, image.finger);
      if (!t.ok()) return Status::Error(where + t.error());
      return t;
    }
    // A slap whose record says where each finger lies (14.021) is read
    // finger by finger, in the slap's pixels.
    Views segments;
    for (const An2kSegment& seg : image.segments) {
      auto t = extract_minutiae(crop(*pixels, seg.left, seg.right, seg.top, seg.bottom), seg.finger);
      if (!t.ok()) return Status::Error(where + "finger " + std::to_string(seg.finger) + " (14.021): " + t.error());
      for (Minutia& m : t->views[0].minutiae)
        m.x = static_cast<uint16_t>(m.x + seg.left), m.y = static_cast<uint16_t>(m.y + seg.top);
      t->width = image.width, t->height = image.height;
      segments.Add(*t);
    }
    return segments.all;
  });
}

// The fingers of an ISO/IEC 19794-4 record, bare or a chip's data group 3:
// the minutiae extracted from each of its images.
Result<FingerTemplate> FingersFromRecord(std::string_view b) {
  auto images = read_finger_record(b);
  if (!images.ok()) return images.status();
  return ExtractEach(images->size(), [&](size_t i) -> Result<FingerTemplate> {
    const FingerRecordImage& image = (*images)[i];
    const std::string where = "finger record, image " + std::to_string(i + 1) + " (finger " + std::to_string(image.position) + "): ";
    auto pixels = FingerPixels(image.compression, 8, image.data, image.width, image.height, image.ppi);
    if (!pixels.ok()) return Status::Error(where + pixels.error());
    auto t = FingerViews(*pixels, image.position);
    if (!t.ok()) return Status::Error(where + t.error());
    return t;
  });
}

}  // namespace

Result<BioProbe> read_slap(std::string_view bytes, int64_t position) {
  if (position < 13 || position > 15) return Status::Error("a slap's position is 13 to 15");
  const std::string format = image_format(bytes);
  if (format.empty()) return Status::Error("a slap is read from a fingerprint image (WSQ, PNG, JPEG or JPEG 2000); this is none");
  auto image = decode_image(bytes);
  if (!image.ok()) return image.status();
  auto fingers = extract_minutiae(*image, static_cast<uint8_t>(position));
  if (!fingers.ok()) return fingers.status();
  BioProbe probe;
  probe.image.assign(bytes);
  probe.finger = std::move(*fingers);
  return probe;
}

std::vector<Result<BioProbe>> read_biometrics(const std::vector<std::string_view>& files, BioKind kind,
                                              const std::vector<int64_t>& slaps) {
  return each_at_once(files.size(), kReadersAtOnce, [&](size_t i) {
    return i < slaps.size() && slaps[i] ? read_slap(files[i], slaps[i]) : read_biometric(files[i], kind);
  });
}

Status set_finger_position(FingerTemplate* fingers, int64_t position) {
  if (position < 1 || position > 10) return Status::Error("a finger position is 1 to 10 (13 to 15: a slap's image)");
  if (fingers->views.size() != 1)
    return Status::Error("it holds " + std::to_string(fingers->views.size()) + " prints; a position names one");
  FingerView& view = fingers->views[0];
  if (view.finger && view.finger != position)
    return Status::Error("it says finger " + std::to_string(view.finger) + ", not " + std::to_string(position));
  view.finger = static_cast<uint8_t>(position);
  return Status::Ok();
}

Status add_to_probe(BioProbe* probe, BioProbe part) {
  if (!part.face.empty() && !probe->face.empty()) return Status::Error("a second face; a probe holds one");
  if (!part.face.empty()) probe->face = std::move(part.face);
  if (probe->image.empty()) probe->image = std::move(part.image);
  if (probe->finger.views.empty()) probe->finger = std::move(part.finger);
  else probe->finger.views.insert(probe->finger.views.end(), part.finger.views.begin(), part.finger.views.end());
  return Status::Ok();
}

Result<BioProbe> read_biometric(std::string_view b, BioKind kind) {
  BioProbe probe;
  const std::string format = image_format(b);
  if (!format.empty()) probe.image.assign(b);
  // Fingers in a container: an ANSI/NIST-ITL transaction, or a finger
  // image record (ISO/IEC 19794-4; a travel document's DG3).
  if (const bool transaction = is_an2k(b); transaction || is_finger_record(b)) {
    if (kind == BioKind::kFace)
      return Status::Error(transaction ? "an ANSI/NIST-ITL file holds no face this system reads" : "a finger image record holds no face");
    auto fingers = transaction ? FingersFromTransaction(b) : FingersFromRecord(b);
    if (!fingers.ok()) return fingers.status();
    probe.finger = std::move(*fingers);
    return probe;
  }
  if (is_face_record(b)) {  // a travel document's photograph (DG2), or an ISO/IEC 19794-5 record
    if (kind == BioKind::kFinger) return Status::Error("a face record holds no fingerprint");
    auto images = read_face_record(b);
    if (!images.ok()) return images.status();
    FaceRecordImage& first = images->front();
    auto photo = decode_colour_image(first.data);
    if (!photo.ok()) return Status::Error("face record, facial image 1: " + photo.error());
    auto face = face_embedding_from_image(*photo);
    if (!face.ok()) return Status::Error("face record, facial image 1: " + face.error());
    probe.image = std::move(first.data);
    probe.face = std::move(*face);
    return probe;
  }
  if (!format.empty()) {
    if (format == "WSQ" && kind == BioKind::kFace) return Status::Error("a WSQ image is a fingerprint, not a face");
    if (kind == BioKind::kFinger || format == "WSQ") {
      auto t = FingerFromImage(b);
      if (!t.ok()) return t.status();
      probe.finger = std::move(*t);
      return probe;
    }
    auto photo = decode_colour_image(b);
    if (!photo.ok()) return photo.status();
    auto face = face_embedding_from_image(*photo);
    if (face.ok()) {
      probe.face = std::move(*face);
      return probe;
    }
    // No face: perhaps a fingerprint.
    if (kind == BioKind::kFace || face.error().find("no face found") == std::string::npos) return face.status();
    auto t = FingerFromImage(b);
    if (!t.ok()) return Status::Error(face.error() + "; read as a fingerprint: " + t.error());
    probe.finger = std::move(*t);
    return probe;
  }
  const size_t start = b.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && (b[start] == '[' || b[start] == '{')) {
    auto face = face_embedding_from_json(nlohmann::json::parse(b, nullptr, false));
    if (!face.ok()) return face.status();
    probe.face = std::move(*face);
    return probe;
  }
  if (kind == BioKind::kFace) return Status::Error("not a face photograph (PNG, JPEG or JPEG 2000), face record (ISO/IEC 19794-5, a travel document's DG2) or face embedding");
  auto t = read_fmr(b);
  if (!t.ok()) return t.status();
  probe.finger = std::move(*t);
  return probe;
}

Result<std::vector<float>> face_embedding_from_json(const nlohmann::json& j) {
  const nlohmann::json* values = &j;
  if (j.is_object() && j.contains("embedding")) values = &j["embedding"];
  if (!values->is_array() || values->empty())
    return Status::Error("face embedding: expected a JSON array of numbers, or {\"embedding\": [...]}");
  std::vector<float> face;
  for (size_t i = 0; i < values->size(); ++i) {
    if (!(*values)[i].is_number()) return Status::Error("face embedding: value " + std::to_string(i) + " is not a number");
    face.push_back((*values)[i].get<float>());
  }
  FaceIndex check;  // refuses zero and non-finite vectors the way the gallery will
  if (auto s = check.Add(face); !s.ok()) return s;
  return face;
}

std::string encode_embedding(const std::vector<float>& embedding) {
  std::string out(embedding.size() * 4, '\0');
  for (size_t i = 0; i < embedding.size(); ++i) {
    uint32_t bits;
    std::memcpy(&bits, &embedding[i], 4);
    for (int k = 0; k < 4; ++k) out[i * 4 + static_cast<size_t>(k)] = static_cast<char>((bits >> (8 * k)) & 0xff);
  }
  return out;
}

Result<std::vector<float>> decode_embedding(std::string_view bytes) {
  if (bytes.empty() || bytes.size() % 4) return Status::Error("stored face embedding has " + std::to_string(bytes.size()) + " bytes");
  std::vector<float> out(bytes.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t bits = 0;
    for (int k = 0; k < 4; ++k) bits |= uint32_t(static_cast<unsigned char>(bytes[i * 4 + static_cast<size_t>(k)])) << (8 * k);
    std::memcpy(&out[i], &bits, 4);
  }
  return out;
}

Result<Gallery> load_gallery(Store* store) { return load_gallery(store, 0, std::numeric_limits<int64_t>::max()); }

Result<Gallery> load_gallery(Store* store, int64_t after, int64_t up_to) {
  auto stored = store->BioGallery(after, up_to);
  if (!stored.ok()) return stored.status();
  return gallery_of(*stored);
}

Result<Gallery> gallery_of(const std::vector<BioTemplate>& templates) {
  Gallery gallery;
  std::vector<FingerGallery::Enrolment> fingers;  // prepared together, on every core
  for (const BioTemplate& t : templates) {
    const std::string where = "gallery template " + std::to_string(t.id) + ": ";
    if (t.modality == "face") {
      auto e = decode_embedding(t.data);
      if (!e.ok()) return Status::Error(where + e.error());
      if (auto s = gallery.faces.Add(t.list, t.reference, t.category, *e); !s.ok())
        return Status::Error(where + s.message());
      continue;
    }
    auto fmr = read_fmr(t.data);
    if (!fmr.ok()) return Status::Error(where + fmr.error());
    for (FingerView& v : fmr->views) fingers.push_back({t.list, t.reference, t.category, std::move(v)});
  }
  gallery.fingers.AddAll(fingers);
  return gallery;
}

namespace {

// Each subject once, at its best score, best first (a stable order: ties
// keep the order of `found`), at most `top`.
std::vector<BioCandidate> best_of(std::vector<BioCandidate> found, size_t top) {
  std::vector<BioCandidate> out;
  std::unordered_map<std::string, size_t> seen;  // list and reference -> out
  for (BioCandidate& c : found) {
    auto [at, fresh] = seen.try_emplace(subject_key(c.list, c.reference), out.size());
    if (fresh) {
      out.push_back(std::move(c));
    } else if (c.score > out[at->second].score) {
      out[at->second] = std::move(c);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const BioCandidate& a, const BioCandidate& b) { return a.score > b.score; });
  if (out.size() > top) out.resize(top);
  return out;
}

}  // namespace

std::vector<BioCandidate> search_gallery(const GalleryParts& parts, const BioProbe& probe, size_t top, double fpir) {
  // A subject among the best `top` of all parts is among the best `top` of
  // the part holding its best score: those above it there are above it
  // overall too.
  // A part's removed subjects may take places in its answer: it is asked
  // for as many more.
  std::vector<BioCandidate> fingers, faces;
  // One threshold for all parts: that of one search of them all.
  size_t searched = 0;
  for (const GalleryPart& part : parts) searched += part.gallery->fingers.searched(probe.finger.views);
  const double threshold = identification_threshold(static_cast<double>(searched), fpir);
  for (const GalleryPart& part : parts) {
    const size_t more = part.removed ? part.removed->size() : 0;
    auto keep = [&](std::vector<BioCandidate> found, std::vector<BioCandidate>* into) {
      for (auto& c : found)
        if (!more || !part.removed->count(subject_key(c.list, c.reference))) into->push_back(std::move(c));
    };
    if (!probe.finger.views.empty()) keep(part.gallery->fingers.Search(probe.finger.views, top + more, threshold), &fingers);
    if (!probe.face.empty()) keep(part.gallery->faces.Search(probe.face, top + more), &faces);
  }
  std::vector<BioCandidate> out = best_of(std::move(fingers), top);
  for (auto& c : best_of(std::move(faces), top)) out.push_back(std::move(c));
  return out;
}

Result<BioSearch> search_and_record(Store* store, const GalleryParts& parts, const BioProbe& probe, size_t top,
                                    const std::string& officer, const std::string& location,
                                    const std::string& purpose, double fpir) {
  BioSearch out;
  out.candidates = search_gallery(parts, probe, top, fpir);
  BioEncounter e;
  e.chip = probe.chip;
  e.officer = officer;
  e.location = location;
  e.candidates = static_cast<int>(out.candidates.size());
  const BioCandidate* best = nullptr;
  for (const auto& c : out.candidates)
    if (c.match && (!best || !best->match)) best = &c;
  if (!best && !out.candidates.empty()) best = &out.candidates[0];
  e.result = best && best->match ? "hit" : "no_hit";
  if (best) {
    e.best_list = best->list;
    e.best_reference = best->reference;
    e.best_score = best->score;
  }
  // Kept only when it hit; otherwise the probe goes with the request.
  if (e.result == "hit")
    e.probe = !probe.image.empty() ? probe.image : !probe.finger.views.empty() ? write_fmr(probe.finger) : encode_embedding(probe.face);
  auto id = store->RecordEncounter(e);
  if (!id.ok()) return id.status();
  out.encounter = *id;
  if (auto s = store->Audit({0, "", officer, "biometric search", "encounter:" + std::to_string(*id), purpose, "",
                             location, "ok", "", ""});
      !s.ok())
    return s;
  return out;
}

nlohmann::json encounter_json(const BioEncounter& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"officer", e.officer},
          {"location", e.location},
          {"result", e.result},
          {"candidates", e.candidates},
          {"best_list", e.best_list},
          {"best_id", e.best_reference},
          {"best_score", e.best_score},
          {"chip", e.chip},
          {"decision", e.decision},
          {"decided_by", e.decided_by},
          {"decided_at", e.decided_at},
          {"reason", e.reason}};
}

nlohmann::json chip_json(const ChipVerdict& v) {
  nlohmann::json out = {{"authentic", v.authentic}, {"groups", v.groups}};
  if (!v.signer.empty()) out["signer"] = v.signer;
  if (!v.reason.empty()) out["reason"] = v.reason;
  if (!v.revocation.empty()) out["revocation"] = v.revocation, out["revocation_current"] = v.revocation_current;
  if (v.active) {
    nlohmann::json& a = out["active_authentication"] = {{"passed", v.active->passed}};
    if (v.active->passed) a["algorithm"] = v.active->algorithm;
    else a["reason"] = v.active->reason;
  }
  return out;
}

std::string chip_summary(const ChipVerdict& v) {
  const std::string chip = !v.active ? "" : v.active->passed ? "; chip genuine" : "; chip not genuine: " + v.active->reason;
  if (!v.authentic) return "not authentic: " + v.reason + chip;
  return (v.revocation_current ? "authentic" : "authentic; signer " + v.revocation) + chip;
}

nlohmann::json candidates_json(const std::vector<BioCandidate>& candidates) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : candidates) {
    // Face similarities to a thousandth, finger scores to a tenth.
    const double unit = c.modality == std::string("face") ? 1000 : 10;
    out.push_back({{"list", c.list},
                   {"id", c.reference},
                   {"score", std::round(c.score * unit) / unit},
                   {"match", c.match},
                   {"threshold", std::round(c.threshold * unit) / unit},
                   {"modality", c.modality}});
    if (!c.fingers.empty()) {
      nlohmann::json& fingers = out.back()["fingers"] = nlohmann::json::array();
      for (const ViewEvidence& f : c.fingers) {
        fingers.push_back({{"position", f.finger}, {"score", std::round(f.score * 10) / 10}});
        if (slap_position(f.finger)) fingers.back()["print"] = f.print + 1;  // its place in the slap
      }
    }
  }
  return out;
}

}  // namespace vigil
