#include "biometrics/face_record.h"

#include <cstdint>

#include "base/bytes.h"
#include "biometrics/image.h"
#include "biometrics/lds.h"

namespace vigil {
namespace {

// The ISO/IEC 19794-5:2005 record in [begin, end) of `b`.
Status ReadRecord(std::string_view b, size_t begin, size_t end, std::vector<FaceRecordImage>* out) {
  const std::string_view r = b.substr(begin, end - begin);
  if (r.size() < 14 || r.substr(0, 4) != std::string_view("FAC\0", 4)) return located("face record", begin, "no \"FAC\" header");
  if (r.substr(4, 4) != std::string_view("010\0", 4))
    return located("face record", begin + 4, "version \"" + std::string(r.substr(4, 3)) + "\" is not read (010 is, as travel documents use)");
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
    if (image_format(f.data) != f.format)
      return located("face record", begin + info + 12, image + "the image data is not " + (data_type ? "JPEG 2000" : "JPEG") + " as the record says");
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
