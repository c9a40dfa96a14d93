#include "biometrics/face_record.h"

#include <cstdint>

#include "base/bytes.h"
#include "biometrics/image.h"
#include "biometrics/lds.h"

namespace vigil {
namespace {

// The image data of `f` checked against the format the record names.
Status CheckFormat(const FaceRecordImage& f, size_t at, const std::string& image) {
  if (image_format(f.data) == f.format) return Status::Ok();
  return located("face record", at, image + "the image data is not " + (f.format == "JPEG2000" ? "JPEG 2000" : f.format) +
                                        " as the record says");
}

// The ISO/IEC 19794-5:2011 record (version 030) `r`, at `begin` of what
// was given: a 17-byte header, then per image a representation: its
// length, capture time and device, quality blocks, facial information (its
// landmark count first), landmarks, image information, the image's length
// and bytes, and 3D data to its end.
Status ReadRecord2011(std::string_view r, size_t begin, std::vector<FaceRecordImage>* out) {
  auto fail = [&](size_t at, const std::string& why) { return located("face record", begin + at, why); };
  if (r.size() < 17) return fail(0, "the header runs past the record");
  const uint32_t length = big_endian(r, 8, 4);
  if (length != r.size()) return fail(8, "the record says " + std::to_string(length) + " bytes, it has " + std::to_string(r.size()));
  const uint32_t images = big_endian(r, 12, 2);
  if (images == 0) return fail(12, "no facial image");
  if (r[14] != 0) return fail(14, "certified representations are not read");
  static const char* const kFormat[] = {"JPEG", "JPEG2000", "JPEG2000", "PNG"};
  return each_representation(r, 17, images, "facial image", fail,
                             [&](size_t at, std::string_view rep, const std::string& image) -> Status {
    // Quality blocks (5 bytes each), facial information (17, its landmark
    // count first), landmarks (8 each), image information (11), the
    // image's length (4).
    size_t info = 18 < rep.size() ? 19 + 5 * size_t{static_cast<uint8_t>(rep[18])} : rep.size();
    if (info + 17 <= rep.size()) info += 17 + 8 * size_t{big_endian(rep, info, 2)};
    if (info + 15 > rep.size())
      return fail(at, image + "its header (quality blocks, landmarks) runs past its " + std::to_string(rep.size()) + " bytes");
    FaceRecordImage f;
    f.face_type = static_cast<uint8_t>(rep[info]);
    const int data_type = static_cast<uint8_t>(rep[info + 1]);
    if (data_type > 3)
      return fail(at + info + 1, image + "image data type " + std::to_string(data_type) +
                                     " is not JPEG (0), JPEG 2000 (1, 2) or PNG (3)");
    f.format = kFormat[data_type];
    f.width = static_cast<int>(big_endian(rep, info + 2, 2));
    f.height = static_cast<int>(big_endian(rep, info + 4, 2));
    const uint32_t data = big_endian(rep, info + 11, 4);
    if (data > rep.size() - info - 15) return fail(at + info + 11, image + "its " + std::to_string(data) + " bytes of image run past it");
    f.data.assign(rep.substr(info + 15, data));
    if (Status ok = CheckFormat(f, begin + at + info + 15, image); !ok.ok()) return ok;
    out->push_back(std::move(f));
    return Status::Ok();
  });
}

// The ISO/IEC 19794-5 record in [begin, end) of `b`: 2005 (010) or 2011 (030).
Status ReadRecord(std::string_view b, size_t begin, size_t end, std::vector<FaceRecordImage>* out) {
  const std::string_view r = b.substr(begin, end - begin);
  if (r.size() < 14 || r.substr(0, 4) != std::string_view("FAC\0", 4)) return located("face record", begin, "no \"FAC\" header");
  if (r.substr(4, 4) == std::string_view("030\0", 4)) return ReadRecord2011(r, begin, out);
  if (r.substr(4, 4) != std::string_view("010\0", 4))
    return located("face record", begin + 4, "version \"" + std::string(r.substr(4, 3)) + "\" is not read (010 and 030 are)");
  const uint32_t length = big_endian(r, 8, 4);
  if (length != r.size())
    return located("face record", begin + 8, "the record says " + std::to_string(length) + " bytes, it has " + std::to_string(r.size()));
  const uint32_t images = big_endian(r, 12, 2);
  if (images == 0) return located("face record", begin + 12, "no facial image");
  size_t at = 14;
  for (uint32_t i = 0; i < images; ++i) {
    const std::string image = "facial image " + std::to_string(i + 1) + ": ";
    if (r.size() - at < 32) return located("face record", begin + at, image + "its header runs past the record");
    const uint32_t block = big_endian(r, at, 4);
    const uint32_t points = big_endian(r, at + 4, 2);
    const size_t info = at + 20 + 8 * size_t{points};
    if (block > r.size() - at || info + 12 > at + block)
      return located("face record", begin + at, image + "its " + std::to_string(block) + " bytes (with " + std::to_string(points) +
                                                 " feature points) do not fit the record");
    FaceRecordImage f;
    f.face_type = static_cast<uint8_t>(r[info]);
    const int data_type = static_cast<uint8_t>(r[info + 1]);
    if (data_type > 1)
      return located("face record", begin + info + 1, image + "image data type " + std::to_string(data_type) + " is not JPEG (0) or JPEG 2000 (1)");
    f.format = data_type == 0 ? "JPEG" : "JPEG2000";
    f.width = static_cast<int>(big_endian(r, info + 2, 2));
    f.height = static_cast<int>(big_endian(r, info + 4, 2));
    f.data.assign(r.substr(info + 12, at + block - info - 12));
    if (Status ok = CheckFormat(f, begin + info + 12, image); !ok.ok()) return ok;
    out->push_back(std::move(f));
    at += block;
  }
  if (at != r.size()) return located("face record", begin + at, std::to_string(r.size() - at) + " bytes after the last image");
  return Status::Ok();
}

}  // namespace

bool is_face_record(std::string_view b) { return is_record_or_group(b, std::string_view("FAC\0", 4), 0x75); }

Result<std::vector<FaceRecordImage>> read_face_record(std::string_view b) {
  std::vector<FaceRecordImage> out;
  const Status s = each_record(b, std::string_view("FAC\0", 4), 0x75, "DG2",
                               [&](size_t begin, size_t end) { return ReadRecord(b, begin, end, &out); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace vigil
