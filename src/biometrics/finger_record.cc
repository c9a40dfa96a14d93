#include "biometrics/finger_record.h"

#include <cmath>
#include <cstdint>

#include "base/bytes.h"
#include "biometrics/image.h"
#include "biometrics/lds.h"

namespace vigil {
namespace {

constexpr size_t kHeader = 32, kImageHeader = 14;

// The ISO/IEC 19794-4:2005 record in [begin, end) of `b`.
Status ReadRecord(std::string_view b, size_t begin, size_t end, std::vector<FingerRecordImage>* out) {
  const std::string_view r = b.substr(begin, end - begin);
  auto fail = [&](size_t at, const std::string& why) { return located("finger record", begin + at, why); };
  if (r.size() < kHeader || r.substr(0, 4) != std::string_view("FIR\0", 4)) return fail(0, "no \"FIR\" header");
  if (r.substr(4, 4) != std::string_view("010\0", 4))
    return fail(4, "version \"" + std::string(r.substr(4, 3)) + "\" is not read (010 is, as travel documents use)");
  const uint64_t length = uint64_t{big_endian(r, 8, 2)} << 32 | big_endian(r, 10, 4);
  if (length != r.size()) return fail(8, "the record says " + std::to_string(length) + " bytes, it has " + std::to_string(r.size()));
  const int images = static_cast<uint8_t>(r[18]);
  if (images == 0) return fail(18, "no finger image");
  const int scale = static_cast<uint8_t>(r[19]);
  if (scale != 1 && scale != 2) return fail(19, "scale units " + std::to_string(scale) + " are not 1 (per inch) or 2 (per centimetre)");
  const int resolution = static_cast<int>(big_endian(r, 24, 2));
  const int ppi = scale == 1 ? resolution : static_cast<int>(std::lround(resolution * 2.54));
  const int depth = static_cast<uint8_t>(r[28]);
  const int compression = static_cast<uint8_t>(r[29]);
  static const char* const kCompression[] = {"NONE", "bit-packed", "WSQ", "JPEG", "JPEG2000", "PNG"};
  if (compression > 5) return fail(29, "compression " + std::to_string(compression) + " is not one of 0-5");
  if (compression == 1) return fail(29, "bit-packed images are not read");
  if (compression == 0 && depth != 8) return fail(28, "uncompressed images of " + std::to_string(depth) + " bits are not read (8 are)");
  size_t at = kHeader;
  for (int i = 0; i < images; ++i) {
    const std::string image = "finger image " + std::to_string(i + 1) + ": ";
    if (r.size() - at < kImageHeader) return fail(at, image + "its header runs past the record");
    const uint32_t block = big_endian(r, at, 4);
    if (block < kImageHeader || block > r.size() - at)
      return fail(at, image + "its " + std::to_string(block) + " bytes do not fit the record");
    FingerRecordImage f;
    f.position = static_cast<uint8_t>(r[at + 4]);
    f.impression = static_cast<uint8_t>(r[at + 8]);
    f.width = static_cast<int>(big_endian(r, at + 9, 2));
    f.height = static_cast<int>(big_endian(r, at + 11, 2));
    f.ppi = ppi;
    f.compression = kCompression[compression];
    f.data.assign(r.substr(at + kImageHeader, block - kImageHeader));
    if (compression == 0 && f.data.size() != size_t(f.width) * size_t(f.height))
      return fail(at + kImageHeader, image + std::to_string(f.data.size()) + " bytes of pixels, " + std::to_string(f.width) + "x" +
                                         std::to_string(f.height) + " declared");
    if (compression > 1 && image_format(f.data) != f.compression)
      return fail(at + kImageHeader, image + "the image data is not " + f.compression + " as the record says");
    out->push_back(std::move(f));
    at += block;
  }
  if (at != r.size()) return fail(at, std::to_string(r.size() - at) + " bytes after the last image");
  return Status::Ok();
}

}  // namespace

bool is_finger_record(std::string_view b) { return is_record_or_group(b, std::string_view("FIR\0", 4), 0x63); }

Result<std::vector<FingerRecordImage>> read_finger_record(std::string_view b) {
  std::vector<FingerRecordImage> out;
  const Status s = each_record(b, std::string_view("FIR\0", 4), 0x63, "DG3",
                               [&](size_t begin, size_t end) { return ReadRecord(b, begin, end, &out); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace vigil
