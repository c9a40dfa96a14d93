// A frontline biometric check against the stored gallery: what `vigil bio
// search` and POST /api/v1/check share.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "biometrics/document_security.h"
#include "biometrics/gallery.h"
#include "biometrics/image.h"
#include "store/store.h"

namespace vigil {

// What a frontline check searches with: finger views, a face embedding,
// or both.
struct BioProbe {
  FingerTemplate finger;    // no views when there is no fingerprint
  std::vector<float> face;  // empty when there is no face
  std::string image;        // the photograph or fingerprint image read, if any
  std::string chip;         // chip_summary() of the document it came from; "" when not asked
};

// What a file is expected to hold.
enum class BioKind { kAny, kFinger, kFace };

// A probe or enrolment file: a finger minutiae template (ISO/IEC 19794-2,
// ANSI INCITS 378), an ANSI/NIST-ITL transaction (its Type-9 minutiae, else
// minutiae extracted from its Type-4/14 finger images), a photograph (PNG,
// JPEG or JPEG 2000) of one face, a face record (ISO/IEC 19794-5, bare or
// as a travel document's DG2: its first image), a finger image record
// (ISO/IEC 19794-4, bare or as a travel document's DG3: minutiae extracted
// from each image), a fingerprint image (WSQ, PNG, JPEG or
// JPEG 2000: minutiae extracted), or a face embedding as JSON (an array of
// numbers, or {"embedding": [...]}). A PNG, JPEG or JPEG 2000 image is
// read as a face when one is found in it, else as a fingerprint (kAny);
// `kind` restricts it to one. WSQ images are fingerprints. A file of
// several finger images has them extracted at once on several cores; its
// views are in the file's order, as extracting them one by one gives.
Result<BioProbe> read_biometric(std::string_view bytes, BioKind kind = BioKind::kAny);

// A fingerprint image (WSQ, PNG, JPEG, JPEG 2000) taken as a slap at
// `position` (13 the right hand's four fingers, 14 the left's, 15 both
// thumbs), as live-scan devices give them without a record: its prints
// read one by one (extractor.h, extract_minutiae: each named its finger
// where the slap's every finger is found side by side). Refused for other
// positions and other files.
Result<BioProbe> read_slap(std::string_view bytes, int64_t position);

// read_biometric() of each file, or read_slap() where `slaps` gives it a
// slap's position (13 to 15; 0 or none: not a slap), in order, read at
// once on several cores (one person's fingerprint images, say): what
// reading them one by one gives.
std::vector<Result<BioProbe>> read_biometrics(const std::vector<std::string_view>& files, BioKind kind = BioKind::kAny,
                                              const std::vector<int64_t>& slaps = {});

// Says which finger the one view of `fingers` is (a fingerprint image says
// none): its position, 1 to 10 (ISO/IEC 19794-2: right thumb to right
// little finger, then the left hand's). Refused where `fingers` holds
// several views, or a view of another finger (a slap's image is named by
// reading it with read_slap()). A probe's fingers are fused
// only where their positions are known (matcher.h, subject_score).
Status set_finger_position(FingerTemplate* fingers, int64_t position);

// Adds what `part` holds to `probe`, one person's probe read from several
// files: its finger views after those already there (the first
// template's size and resolution kept), its face, and its image where
// `probe` has none. Refused, with `probe` unchanged, where both hold a
// face: a probe has one.
Status add_to_probe(BioProbe* probe, BioProbe part);

// The embedding of the one face in `photo` (face_detect.h, face_model.h).
Result<std::vector<float>> face_embedding_from_image(const RgbImage& photo);

// The face embedding `j` gives: an array of numbers, or {"embedding":
// [...]}; non-zero and finite.
Result<std::vector<float>> face_embedding_from_json(const nlohmann::json& j);

// A face embedding as stored (float32, little-endian) and back.
std::string encode_embedding(const std::vector<float>& embedding);
Result<std::vector<float>> decode_embedding(std::string_view bytes);

// The gallery as stored; a template that does not read is an error naming
// it.
struct Gallery {
  FingerGallery fingers;
  FaceGallery faces;
};
Result<Gallery> load_gallery(Store* store);
// The stored templates with ids in (after, up_to] (Store::BioGallery).
Result<Gallery> load_gallery(Store* store, int64_t after, int64_t up_to);
// The gallery of `templates` (as stored, or from a package).
Result<Gallery> gallery_of(const std::vector<BioTemplate>& templates);

// Galleries searched as one (live_gallery.h keeps the stored gallery as a
// large part and small ones enrolled since), each without the subjects in
// its `removed` set (subject_key), when it has one.
struct GalleryPart {
  GalleryPart(const Gallery* g, const std::unordered_set<std::string>* r = nullptr) : gallery(g), removed(r) {}
  const Gallery* gallery;
  const std::unordered_set<std::string>* removed;
};
using GalleryParts = std::vector<GalleryPart>;
// A subject's key: its list and reference.
inline std::string subject_key(const std::string& list, const std::string& reference) {
  return list + '\0' + reference;
}

// The best `top` subjects for `probe` over `parts`, fingers' best first,
// then faces': the candidates and scores one gallery of all their
// templates, less the removed subjects, gives. A subject enrolled in
// several parts is scored in each on the views it holds there (and counts
// as a subject searched in each), and comes once, at its best score; of
// equal scores, the earlier part's come first. Finger candidates match at
// the identification threshold of the subjects all the parts score, for
// `fpir`.
std::vector<BioCandidate> search_gallery(const GalleryParts& parts, const BioProbe& probe, size_t top,
                                         double fpir = kDefaultFpir);

struct BioSearch {
  std::vector<BioCandidate> candidates;  // fingers' best first, then faces'
  int64_t encounter = 0;                 // the encounter recorded
};

// Searches `probe` against `parts` and records the encounter: who,
// where, the result and the best candidate, the probe kept (sealed) only on
// a hit, for an examiner to confirm: the image it was read from when there
// was one, else its template or embedding. And an access-log entry with
// `purpose`. Fingers match for `fpir` (search_gallery).
Result<BioSearch> search_and_record(Store* store, const GalleryParts& parts, const BioProbe& probe, size_t top,
                                    const std::string& officer, const std::string& location,
                                    const std::string& purpose, double fpir = kDefaultFpir);

// What the officer is told of a chip's passive authentication:
// {"authentic", "groups", "signer", "reason", "revocation",
// "revocation_current"} (the last four when known), and where the chip
// answered a challenge, "active_authentication": {"passed", "algorithm"
// or "reason"}.
nlohmann::json chip_json(const ChipVerdict& verdict);
// As the encounter records it: "authentic" (its signer checked against a
// current CRL), "authentic; signer REVOCATION" (not so checked: what the
// CRLs told), or "not authentic: WHY"; then, where the chip answered a
// challenge, "; chip genuine" or "; chip not genuine: WHY".
std::string chip_summary(const ChipVerdict& verdict);

// An encounter as the API and `vigil bio encounters --json` give it:
// {"id", "at", "officer", "location", "result", "candidates", "best_list",
// "best_id", "best_score", "chip", "decision", "decided_by", "decided_at",
// "reason"}.
nlohmann::json encounter_json(const BioEncounter& e);

// {"list", "id", "score", "match", "threshold", "modality"} per candidate:
// `match` is score >= threshold, the search's (FingerGallery::Search,
// FaceGallery::Search); a finger candidate adds "fingers": [{"position",
// "score"}], each probe view's best score against the subject, which its
// score fuses, and for a print of a slap (positions 13 to 15) "print", its
// place in the slap from 1 at the left.
nlohmann::json candidates_json(const std::vector<BioCandidate>& candidates);

}  // namespace vigil
