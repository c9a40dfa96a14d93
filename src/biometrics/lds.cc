#include "biometrics/lds.h"

#include <string>

#include "base/bytes.h"

namespace vigil {
namespace {

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

Status Fail(const char* where, size_t at, const std::string& why) { return located(where, at, why); }

}  // namespace

Result<BerElement> read_element(std::string_view b, size_t at, size_t limit, const char* name) {
  BerElement t;
  t.at = at;
  size_t p = at;
  if (p >= limit) return Fail(name, at, "an element is missing");
  t.tag = static_cast<uint8_t>(b[p++]);
  if ((t.tag & 0x1f) == 0x1f) {  // more tag bytes follow, the last without bit 8
    for (int more = 0;; ++more) {
      if (p >= limit || more == 2) return Fail(name, at, "a tag runs past its element");
      const auto next = static_cast<uint8_t>(b[p++]);
      t.tag = t.tag << 8 | next;
      if (!(next & 0x80)) break;
    }
  }
  if (p >= limit) return Fail(name, at, TagName(t.tag) + ": the length is missing");
  size_t length = static_cast<uint8_t>(b[p++]);
  if (length == 0x80 || length > 0x84) return Fail(name, at, TagName(t.tag) + ": length form " + std::to_string(length) + " is not read");
  if (length > 0x80) {
    const size_t bytes = length - 0x80;
    if (p + bytes > limit) return Fail(name, at, TagName(t.tag) + ": the length runs past its element");
    length = big_endian(b, p, bytes);
    p += bytes;
  }
  if (length > limit - p)
    return Fail(name, at, TagName(t.tag) + ": " + std::to_string(length) + " bytes of value, " + std::to_string(limit - p) + " are left");
  t.value = p, t.end = p + length;
  return t;
}

Result<BerElement> expect_element(std::string_view b, size_t at, size_t limit, uint32_t tag, const char* what,
                                  const char* name) {
  auto t = read_element(b, at, limit, name);
  if (!t.ok()) return t;
  if (t->tag != tag) return Fail(name, at, TagName(t->tag) + " where " + TagName(tag) + " (" + what + ") belongs");
  return t;
}


Status located(const char* what, size_t at, const std::string& why) {
  return Status::Error(std::string(what) + ": at byte " + std::to_string(at) + ": " + why);
}

bool is_data_group(std::string_view b, uint8_t tag) {
  if (b.size() < 4 || static_cast<uint8_t>(b[0]) != tag) return false;
  const auto form = static_cast<uint8_t>(b[1]);
  const size_t group = 2 + (form > 0x80 ? form - 0x80u : 0u);
  return b.size() > group + 1 && static_cast<uint8_t>(b[group]) == 0x7f && static_cast<uint8_t>(b[group + 1]) == 0x61;
}

Result<std::vector<std::pair<size_t, size_t>>> data_group_blocks(std::string_view b, uint8_t tag, const char* name) {
  auto dg = expect_element(b, 0, b.size(), tag, "data group", name);
  if (!dg.ok()) return dg.status();
  if (dg->end != b.size()) return Fail(name, dg->end, std::to_string(b.size() - dg->end) + " bytes after the data group");
  auto group = expect_element(b, dg->value, dg->end, 0x7f61, "biometric information group", name);
  if (!group.ok()) return group.status();
  auto count = expect_element(b, group->value, group->end, 0x02, "number of instances", name);
  if (!count.ok()) return count.status();
  if (count->end - count->value != 1) return Fail(name, count->at, "02: the number of instances is not one byte");
  const int instances = static_cast<uint8_t>(b[count->value]);
  if (instances == 0) return Fail(name, count->at, "02: no biometric instance");
  std::vector<std::pair<size_t, size_t>> out;
  size_t at = count->end;
  for (int i = 0; i < instances; ++i) {
    auto bit = expect_element(b, at, group->end, 0x7f60, "biometric information template", name);
    if (!bit.ok()) return bit.status();
    auto header = expect_element(b, bit->value, bit->end, 0xa1, "biometric header template", name);
    if (!header.ok()) return header.status();
    auto data = read_element(b, header->end, bit->end, name);
    if (!data.ok()) return data.status();
    if (data->tag == 0x7f2e) return Fail(name, data->at, "7F2E: the biometric data is enciphered");
    if (data->tag != 0x5f2e) return Fail(name, data->at, TagName(data->tag) + " where 5F2E (biometric data block) belongs");
    if (data->end != bit->end) return Fail(name, data->end, "7F60: bytes after the biometric data block");
    out.emplace_back(data->value, data->end);
    at = bit->end;
  }
  if (at != group->end) return Fail(name, at, "7F61: more than its " + std::to_string(instances) + " instances");
  return out;
}

bool is_record_or_group(std::string_view b, std::string_view magic, uint8_t tag) {
  return b.rfind(magic, 0) == 0 || is_data_group(b, tag);
}

Status each_representation(std::string_view r, size_t first, size_t count, const std::string& what,
                           const std::function<Status(size_t at, const std::string& why)>& fail,
                           const std::function<Status(size_t at, std::string_view rep, const std::string& name)>& read) {
  size_t at = first;
  for (size_t i = 0; i < count; ++i) {
    const std::string name = what + " " + std::to_string(i + 1) + ": ";
    if (at > r.size() || r.size() - at < 4) return fail(at, name + "its header runs past the record");
    const uint32_t block = big_endian(r, at, 4);
    if (block < 4 || block > r.size() - at) return fail(at, name + "its " + std::to_string(block) + " bytes do not fit the record");
    if (Status s = read(at, r.substr(at, block), name); !s.ok()) return s;
    at += block;
  }
  if (at != r.size()) return fail(at, std::to_string(r.size() - at) + " bytes after the last " + what);
  return Status::Ok();
}

Status each_record(std::string_view b, std::string_view magic, uint8_t tag, const char* name,
                   const std::function<Status(size_t begin, size_t end)>& read) {
  if (b.rfind(magic, 0) == 0) return read(0, b.size());
  auto blocks = data_group_blocks(b, tag, name);
  if (!blocks.ok()) return blocks.status();
  for (const auto& [begin, end] : *blocks)
    if (auto s = read(begin, end); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace vigil
