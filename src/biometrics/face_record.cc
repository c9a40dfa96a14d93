#include "biometrics/face_record.h"

#include <cstdint>

#include "base/bytes.h"
#include "biometrics/image.h"

namespace vigil {
namespace {

// A BER-TLV element: its tag (up to three bytes, as written) and the
// range of its value.
struct Tlv {
  uint32_t tag = 0;
  size_t at = 0;  // where the element starts
  size_t value = 0, end = 0;
};

std::string TagName(uint32_t tag) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (int shift = 16; shift >= 0; shift -= 8)
    if (const uint32_t byte = (tag >> shift) & 0xff; byte || (shift == 0) || !out.empty()) {
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  return out;
}

Status Fail(const char* where, size_t at, const std::string& why) {
  return Status::Error(std::string(where) + ": at byte " + std::to_string(at) + ": " + why);
}

// Reads the element at `at`, which must end by `limit`.
Result<Tlv> ReadTlv(std::string_view b, size_t at, size_t limit) {
  Tlv t;
  t.at = at;
  size_t p = at;
  if (p >= limit) return Fail("DG2", at, "an element is missing");
  t.tag = static_cast<uint8_t>(b[p++]);
  if ((t.tag & 0x1f) == 0x1f) {  // more tag bytes follow, the last without bit 8
    for (int more = 0;; ++more) {
      if (p >= limit || more == 2) return Fail("DG2", at, "a tag runs past its element");
      const auto next = static_cast<uint8_t>(b[p++]);
      t.tag = t.tag << 8 | next;
      if (!(next & 0x80)) break;
    }
  }
  if (p >= limit) return Fail("DG2", at, TagName(t.tag) + ": the length is missing");
  size_t length = static_cast<uint8_t>(b[p++]);
  if (length == 0x80 || length > 0x84) return Fail("DG2", at, TagName(t.tag) + ": length form " + std::to_string(length) + " is not read");
  if (length > 0x80) {
    const size_t bytes = length - 0x80;
    if (p + bytes > limit) return Fail("DG2", at, TagName(t.tag) + ": the length runs past its element");
    length = big_endian(b, p, bytes);
    p += bytes;
  }
  if (length > limit - p)
    return Fail("DG2", at, TagName(t.tag) + ": " + std::to_string(length) + " bytes of value, " + std::to_string(limit - p) + " are left");
  t.value = p, t.end = p + length;
  return t;
}

// Reads the element at `at` and checks its tag.
Result<Tlv> Expect(std::string_view b, size_t at, size_t limit, uint32_t tag, const char* what) {
  auto t = ReadTlv(b, at, limit);
  if (!t.ok()) return t;
  if (t->tag != tag) return Fail("DG2", at, TagName(t->tag) + " where " + TagName(tag) + " (" + what + ") belongs");
  return t;
}

// The ISO/IEC 19794-5:2005 record in [begin, end) of `b`.
Status ReadRecord(std::string_view b, size_t begin, size_t end, std::vector<FaceRecordImage>* out) {
  const std::string_view r = b.substr(begin, end - begin);
  if (r.size() < 14 || r.substr(0, 4) != std::string_view("FAC\0", 4)) return Fail("face record", begin, "no \"FAC\" header");
  if (r.substr(4, 4) != std::string_view("010\0", 4))
    return Fail("face record", begin + 4, "version \"" + std::string(r.substr(4, 3)) + "\" is not read (010 is, as travel documents use)");
  const uint32_t length = big_endian(r, 8, 4);
  if (length != r.size())
    return Fail("face record", begin + 8, "the record says " + std::to_string(length) + " bytes, it has " + std::to_string(r.size()));
  const uint32_t images = big_endian(r, 12, 2);
  if (images == 0) return Fail("face record", begin + 12, "no facial image");
  size_t at = 14;
  for (uint32_t i = 0; i < images; ++i) {
    const std::string image = "facial image " + std::to_string(i + 1) + ": ";
    if (r.size() - at < 32) return Fail("face record", begin + at, image + "its header runs past the record");
    const uint32_t block = big_endian(r, at, 4);
    const uint32_t points = big_endian(r, at + 4, 2);
    const size_t info = at + 20 + 8 * size_t{points};
    if (block > r.size() - at || info + 12 > at + block)
      return Fail("face record", begin + at, image + "its " + std::to_string(block) + " bytes (with " + std::to_string(points) +
                                                 " feature points) do not fit the record");
    FaceRecordImage f;
    f.face_type = static_cast<uint8_t>(r[info]);
    const int data_type = static_cast<uint8_t>(r[info + 1]);
    if (data_type > 1)
      return Fail("face record", begin + info + 1, image + "image data type " + std::to_string(data_type) + " is not JPEG (0) or JPEG 2000 (1)");
    f.format = data_type == 0 ? "JPEG" : "JPEG2000";
    f.width = static_cast<int>(big_endian(r, info + 2, 2));
    f.height = static_cast<int>(big_endian(r, info + 4, 2));
    f.data.assign(r.substr(info + 12, at + block - info - 12));
    if (image_format(f.data) != f.format)
      return Fail("face record", begin + info + 12, image + "the image data is not " + (data_type ? "JPEG 2000" : "JPEG") + " as the record says");
    out->push_back(std::move(f));
    at += block;
  }
  if (at != r.size()) return Fail("face record", begin + at, std::to_string(r.size() - at) + " bytes after the last image");
  return Status::Ok();
}

}  // namespace

bool is_face_record(std::string_view b) {
  if (b.rfind(std::string_view("FAC\0", 4), 0) == 0) return true;
  // Tag 75, its length (one to five bytes), then tag 7F61.
  if (b.size() < 4 || static_cast<uint8_t>(b[0]) != 0x75) return false;
  const auto form = static_cast<uint8_t>(b[1]);
  const size_t group = 2 + (form > 0x80 ? form - 0x80u : 0u);
  return b.size() > group + 1 && static_cast<uint8_t>(b[group]) == 0x7f && static_cast<uint8_t>(b[group + 1]) == 0x61;
}

Result<std::vector<FaceRecordImage>> read_face_record(std::string_view b) {
  std::vector<FaceRecordImage> out;
  if (b.rfind(std::string_view("FAC\0", 4), 0) == 0) {
    if (auto s = ReadRecord(b, 0, b.size(), &out); !s.ok()) return s;
    return out;
  }
  auto dg2 = Expect(b, 0, b.size(), 0x75, "data group 2");
  if (!dg2.ok()) return dg2.status();
  if (dg2->end != b.size()) return Fail("DG2", dg2->end, std::to_string(b.size() - dg2->end) + " bytes after the data group");
  auto group = Expect(b, dg2->value, dg2->end, 0x7f61, "biometric information group");
  if (!group.ok()) return group.status();
  auto count = Expect(b, group->value, group->end, 0x02, "number of instances");
  if (!count.ok()) return count.status();
  if (count->end - count->value != 1) return Fail("DG2", count->at, "02: the number of instances is not one byte");
  const int instances = static_cast<uint8_t>(b[count->value]);
  if (instances == 0) return Fail("DG2", count->at, "02: no biometric instance");
  size_t at = count->end;
  for (int i = 0; i < instances; ++i) {
    auto bit = Expect(b, at, group->end, 0x7f60, "biometric information template");
    if (!bit.ok()) return bit.status();
    auto header = Expect(b, bit->value, bit->end, 0xa1, "biometric header template");
    if (!header.ok()) return header.status();
    auto data = ReadTlv(b, header->end, bit->end);
    if (!data.ok()) return data.status();
    if (data->tag == 0x7f2e) return Fail("DG2", data->at, "7F2E: the biometric data is enciphered");
    if (data->tag != 0x5f2e) return Fail("DG2", data->at, TagName(data->tag) + " where 5F2E (biometric data block) belongs");
    if (data->end != bit->end) return Fail("DG2", data->end, "7F60: bytes after the biometric data block");
    if (auto s = ReadRecord(b, data->value, data->end, &out); !s.ok()) return s;
    at = bit->end;
  }
  if (at != group->end) return Fail("DG2", at, "7F61: more than its " + std::to_string(instances) + " instances");
  return out;
}

}  // namespace vigil
