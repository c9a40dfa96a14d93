#include "biometrics/finger_record.h"

#include <cmath>
#include <cstdint>
#include <functional>

#include "base/bytes.h"
#include "biometrics/image.h"
#include "biometrics/lds.h"

namespace vigil {
namespace {

constexpr size_t kHeader = 32, kImageHeader = 14, kHeader2011 = 16;

using Fail = std::function<Status(size_t, const std::string&)>;

// The pixels per inch of `resolution` in `scale` units (1 per inch, 2 per
// centimetre); refused otherwise.
Result<int> Ppi(int scale, int resolution, size_t at, const Fail& fail) {
  if (scale != 1 && scale != 2) return fail(at, "scale units " + std::to_string(scale) + " are not 1 (per inch) or 2 (per centimetre)");
  return scale == 1 ? resolution : static_cast<int>(std::lround(resolution * 2.54));
}

// `f`'s data checked against what the record says of it: the compression
// `name`s (bit-packed, and uncompressed other than 8 bits, refused), the
// declared size of raw pixels. `at` is where its compression code is,
// `data_at` where its data begins.
Status CheckImage(const FingerRecordImage& f, int depth, size_t at, size_t data_at, const std::string& image, const Fail& fail) {
  if (f.compression == "bit-packed") return fail(at, "bit-packed images are not read");
  if (f.compression == "NONE" && depth != 8)
    return fail(at - 1, "uncompressed images of " + std::to_string(depth) + " bits are not read (8 are)");
  if (f.compression == "NONE" && f.data.size() != size_t(f.width) * size_t(f.height))
    return fail(data_at, image + std::to_string(f.data.size()) + " bytes of pixels, " + std::to_string(f.width) + "x" +
                             std::to_string(f.height) + " declared");
  if (f.compression != "NONE" && image_format(f.data) != f.compression)
    return fail(data_at, image + "the image data is not " + f.compression + " as the record says");
  return Status::Ok();
}

// The ISO/IEC 19794-4:2011 record (version 020) `r`: a 16-byte header, then
// per image a representation: its length, capture time and device,
// quality blocks, certification blocks (where the header's flag says),
// position, number, scale, resolutions, depth, compression, impression,
// size, then the image's length and data, and extended data to its end.
Status ReadRecord2011(std::string_view r, const Fail& fail, std::vector<FingerRecordImage>* out) {
  if (r.size() < kHeader2011) return fail(0, "the header runs past the record");
  const uint32_t length = big_endian(r, 8, 4);
  if (length != r.size()) return fail(8, "the record says " + std::to_string(length) + " bytes, it has " + std::to_string(r.size()));
  const int images = static_cast<int>(big_endian(r, 12, 2));
  if (images == 0) return fail(12, "no finger image");
  const bool certified = r[14] != 0;
  static const char* const kCompression[] = {"NONE", "bit-packed", "WSQ", "JPEG", "JPEG2000", "JPEG2000", "PNG"};
  return each_representation(r, kHeader2011, static_cast<size_t>(images), "finger image", fail,
                             [&](size_t at, std::string_view rep, const std::string& image) -> Status {
    // Quality blocks (5 bytes each), then certification blocks (3 each).
    size_t p = 18;
    auto skip_blocks = [&](size_t each) {
      if (p >= rep.size()) return false;
      p += 1 + each * static_cast<uint8_t>(rep[p]);
      return p <= rep.size();
    };
    if (!skip_blocks(5) || (certified && !skip_blocks(3)) || rep.size() - p < 22)
      return fail(at, image + "its header runs past its " + std::to_string(rep.size()) + " bytes");
    FingerRecordImage f;
    f.position = static_cast<uint8_t>(rep[p]);
    auto ppi = Ppi(static_cast<uint8_t>(rep[p + 2]), static_cast<int>(big_endian(rep, p + 7, 2)), at + p + 2, fail);
    if (!ppi.ok()) return ppi.status();
    f.ppi = *ppi;
    const int depth = static_cast<uint8_t>(rep[p + 11]), compression = static_cast<uint8_t>(rep[p + 12]);
    if (compression > 6) return fail(at + p + 12, image + "compression " + std::to_string(compression) + " is not one of 0-6");
    f.compression = kCompression[compression];
    f.impression = static_cast<uint8_t>(rep[p + 13]);
    f.width = static_cast<int>(big_endian(rep, p + 14, 2));
    f.height = static_cast<int>(big_endian(rep, p + 16, 2));
    const uint32_t data = big_endian(rep, p + 18, 4);
    if (data > rep.size() - p - 22) return fail(at + p + 18, image + "its " + std::to_string(data) + " bytes of image run past it");
    f.data.assign(rep.substr(p + 22, data));
    if (Status ok = CheckImage(f, depth, at + p + 12, at + p + 22, image, fail); !ok.ok()) return ok;
    out->push_back(std::move(f));
    return Status::Ok();
  });
}

// The ISO/IEC 19794-4 record in [begin, end) of `b`: 2005 (010) or 2011 (020).
Status ReadRecord(std::string_view b, size_t begin, size_t end, std::vector<FingerRecordImage>* out) {
  const std::string_view r = b.substr(begin, end - begin);
  const Fail fail = [&](size_t at, const std::string& why) { return located("finger record", begin + at, why); };
  if (r.size() < kHeader2011 || r.substr(0, 4) != std::string_view("FIR\0", 4)) return fail(0, "no \"FIR\" header");
  if (r.substr(4, 4) == std::string_view("020\0", 4)) return ReadRecord2011(r, fail, out);
  if (r.substr(4, 4) != std::string_view("010\0", 4))
    return fail(4, "version \"" + std::string(r.substr(4, 3)) + "\" is not read (010 and 020 are)");
  if (r.size() < kHeader) return fail(0, "the header runs past the record");
  const uint64_t length = uint64_t{big_endian(r, 8, 2)} << 32 | big_endian(r, 10, 4);
  if (length != r.size()) return fail(8, "the record says " + std::to_string(length) + " bytes, it has " + std::to_string(r.size()));
  const int images = static_cast<uint8_t>(r[18]);
  if (images == 0) return fail(18, "no finger image");
  auto ppi = Ppi(static_cast<uint8_t>(r[19]), static_cast<int>(big_endian(r, 24, 2)), 19, fail);
  if (!ppi.ok()) return ppi.status();
  const int depth = static_cast<uint8_t>(r[28]);
  const int compression = static_cast<uint8_t>(r[29]);
  static const char* const kCompression[] = {"NONE", "bit-packed", "WSQ", "JPEG", "JPEG2000", "PNG"};
  if (compression > 5) return fail(29, "compression " + std::to_string(compression) + " is not one of 0-5");
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
    f.ppi = *ppi;
    f.compression = kCompression[compression];
    f.data.assign(r.substr(at + kImageHeader, block - kImageHeader));
    if (Status ok = CheckImage(f, depth, 29, at + kImageHeader, image, fail); !ok.ok()) return ok;
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
