// Builders of travel documents' biometric data for tests: big-endian
// numbers, BER-TLV elements, face records (ISO/IEC 19794-5), and data
// groups (ICAO 9303 part 10) around the records they hold.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::testing {

// `v` as `n` big-endian bytes.
inline std::string BigEndian(uint64_t v, int n) {
  std::string out;
  for (int i = n - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}

// `tag` then the shortest BER length of `value`, then `value`.
inline std::string Tlv(const std::string& tag, const std::string& value) {
  const size_t n = value.size();
  const std::string length = n < 0x80     ? BigEndian(n, 1)
                             : n < 0x100   ? "\x81" + BigEndian(n, 1)
                             : n < 0x10000 ? "\x82" + BigEndian(n, 2)
                                           : "\x83" + BigEndian(n, 3);
  return tag + length + value;
}

// Data group `tag` (75 for faces, 63 for fingers) with one instance per
// record, each in a `data_tag` block; it declares `declared` instances
// (-1: as many as there are).
inline std::string DataGroup(char tag, const std::vector<std::string>& records, const std::string& data_tag = "\x5f\x2e",
                             int declared = -1) {
  const std::string header = Tlv("\x81", "\x02") + Tlv("\x87", std::string("\x01\x01", 2)) + Tlv("\x88", std::string("\x00\x08", 2));
  std::string instances;
  for (const std::string& r : records) instances += Tlv("\x7f\x60", Tlv("\xa1", header) + Tlv(data_tag, r));
  const uint64_t count = declared < 0 ? records.size() : static_cast<uint64_t>(declared);
  return Tlv(std::string(1, tag), Tlv("\x7f\x61", Tlv(std::string("\x02", 1), BigEndian(count, 1)) + instances));
}

// A 2005 (010) record of `images` (data type 0 JPEG, 1 JPEG 2000, and the
// file), each with `points` feature points.
inline std::string FaceRecord(const std::vector<std::pair<int, std::string>>& images, int points = 0,
                   const std::string& version = "010") {
  std::string blocks;
  for (const auto& [type, data] : images) {
    std::string block = BigEndian(static_cast<uint32_t>(points), 2) + std::string(14, '\0');
    for (int p = 0; p < points; ++p) block += std::string("\x01\x11", 2) + BigEndian(100, 2) + BigEndian(120, 2) + BigEndian(0, 2);
    block += std::string("\x01", 1) + static_cast<char>(type) + BigEndian(320, 2) + BigEndian(320, 2) + std::string("\x01\x02", 2) + BigEndian(0, 2) + BigEndian(0, 2);
    block += data;
    blocks += BigEndian(static_cast<uint32_t>(block.size() + 4), 4) + block;
  }
  return std::string("FAC\0", 4) + version + '\0' + BigEndian(static_cast<uint32_t>(14 + blocks.size()), 4) +
         BigEndian(static_cast<uint32_t>(images.size()), 2) + blocks;
}

}  // namespace vigil::testing
