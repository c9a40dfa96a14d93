#include "biometrics/an2k.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "base/bytes.h"

namespace vigil {
namespace {

constexpr char kFS = 0x1C, kGS = 0x1D, kRS = 0x1E, kUS = 0x1F;

// The mnemonics of the fields this reader names in its refusals.
std::string FieldName(int type, int number) {
  static const std::map<std::pair<int, int>, const char*> kNames = {
      {{1, 2}, "VER"},   {{1, 3}, "CNT"},   {{1, 4}, "TOT"},   {{1, 5}, "DAT"},   {{1, 7}, "DAI"},
      {{1, 8}, "ORI"},   {{1, 9}, "TCN"},   {{1, 11}, "NSR"},  {{4, 3}, "IMP"},   {{4, 4}, "FGP"},
      {{4, 5}, "ISR"},   {{4, 6}, "HLL"},   {{4, 7}, "VLL"},   {{4, 8}, "GCA"},   {{4, 9}, "DATA"},
      {{9, 3}, "IMP"},   {{9, 4}, "FMT"},   {{9, 6}, "FGP"},   {{9, 10}, "MIN"},  {{9, 11}, "RDG"},
      {{9, 12}, "MRC"},  {{9, 128}, "HLL"}, {{9, 129}, "VLL"}, {{9, 130}, "SLC"}, {{9, 131}, "THPS"},
      {{9, 132}, "TVPS"}, {{9, 133}, "FVW"}, {{9, 134}, "FGP"}, {{9, 135}, "FQD"}, {{9, 136}, "NOM"},
      {{9, 137}, "FMD"}, {{14, 6}, "HLL"},  {{14, 7}, "VLL"},  {{14, 8}, "SLC"},  {{14, 9}, "THPS"},
      {{14, 10}, "TVPS"}, {{14, 11}, "CGA"}, {{14, 12}, "BPX"}, {{14, 13}, "FGP"}, {{14, 21}, "SEG"}, {{14, 999}, "DATA"},
  };
  char number_text[8];
  std::snprintf(number_text, sizeof number_text, "%03d", number);
  std::string name = std::to_string(type) + "." + number_text;
  if (number == 1) return name + " LEN";
  if (number == 2 && type != 1) return name + " IDC";
  if (auto it = kNames.find({type, number}); it != kNames.end()) name += std::string(" ") + it->second;
  return name;
}

struct Field {
  int number = 0;
  std::string_view value;  // points into the file
};

// One tagged record: "T.NNN:value" fields split by GS, the last ended by FS.
struct Tagged {
  int type = 0;
  size_t at = 0, end = 0;
  std::vector<Field> fields;
  const Field* Find(int number) const {
    for (const Field& f : fields)
      if (f.number == number) return &f;
    return nullptr;
  }
};

// The subfields (RS) of a field value, each split into items (US).
std::vector<std::vector<std::string_view>> Split(std::string_view value) {
  std::vector<std::vector<std::string_view>> out;
  size_t start = 0;
  while (true) {
    const size_t rs = value.find(kRS, start);
    const std::string_view sub = value.substr(start, rs == std::string_view::npos ? std::string_view::npos : rs - start);
    std::vector<std::string_view> items;
    size_t i = 0;
    while (true) {
      const size_t us = sub.find(kUS, i);
      items.push_back(sub.substr(i, us == std::string_view::npos ? std::string_view::npos : us - i));
      if (us == std::string_view::npos) break;
      i = us + 1;
    }
    out.push_back(std::move(items));
    if (rs == std::string_view::npos) break;
    start = rs + 1;
  }
  return out;
}

// Reads a field tag "T.NNN:" (up to 3 digits each) starting at `at`, not
// reaching `limit`; the offset after the colon, or npos.
size_t ParseTag(std::string_view b, size_t at, size_t limit, int* type, int* number) {
  auto digits = [&](size_t* p, int* value) {
    size_t n = 0;
    *value = 0;
    while (*p < limit && n < 3 && b[*p] >= '0' && b[*p] <= '9') *value = *value * 10 + (b[(*p)++] - '0'), ++n;
    return n > 0;
  };
  size_t p = at;
  if (!digits(&p, type) || p >= limit || b[p++] != '.') return std::string_view::npos;
  if (!digits(&p, number) || p >= limit || b[p++] != ':') return std::string_view::npos;
  return p;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 24)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out + (s.size() > 24 ? "...\"" : "\"");
}

// A pending legacy Type-9 template: minutiae in 0.01 mm from the
// bottom-left corner, placed once every image record has been read.
struct LegacyMinutia {
  uint32_t x = 0, y = 0, theta = 0;
  uint8_t type = 0;
  size_t at = 0;
};

struct Legacy {
  size_t template_index = 0;
  int idc = 0;
  std::vector<LegacyMinutia> minutiae;
};

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}

  Result<An2kTransaction> Read();

 private:
  size_t Off(std::string_view part) const { return static_cast<size_t>(part.data() - b_.data()); }
  Status Fail(size_t at, int type, const std::string& field, const std::string& why) const {
    return Status::Error("ANSI/NIST-ITL file: at byte " + std::to_string(at) + ": Type-" + std::to_string(type) +
                         " record: " + (field.empty() ? "" : field + ": ") + why);
  }
  Status FailField(std::string_view part, int type, int number, const std::string& why) const {
    return Fail(Off(part), type, FieldName(type, number), why);
  }

  // Parses the unsigned decimal `text` of a field (or an item of one).
  Result<uint64_t> Number(std::string_view text, int type, int number, uint64_t max) const {
    if (text.empty()) return FailField(text, type, number, "empty where a number belongs");
    uint64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return FailField(text, type, number, Quote(text) + " is not a number");
      v = v * 10 + static_cast<uint64_t>(c - '0');
      if (v > max) return FailField(text, type, number, Quote(text) + " is over " + std::to_string(max));
    }
    return v;
  }
  Result<uint64_t> NumberField(const Tagged& r, int number, uint64_t max) const {
    const Field* f = r.Find(number);
    if (!f) return Fail(r.at, r.type, FieldName(r.type, number), "missing");
    return Number(f->value, r.type, number, max);
  }
  Result<std::string_view> TextField(const Tagged& r, int number) const {
    const Field* f = r.Find(number);
    if (!f) return Fail(r.at, r.type, FieldName(r.type, number), "missing");
    if (f->value.empty()) return FailField(f->value, r.type, number, "empty");
    return f->value;
  }

  Result<Tagged> ParseTagged(size_t at, int type, bool binary_999) const;
  Result<size_t> TaggedLength(size_t at, int type, std::string_view* len_value) const;
  Status CheckIdc(const Tagged& r, int idc) const;
  Result<size_t> SkipTagged(size_t at, int type, int idc) const;
  Result<size_t> Binary(size_t at, int type, int idc, An2kTransaction* out);
  Status Type9(const Tagged& r, int idc, An2kTransaction* out);
  Status Type9Block(const Tagged& r, FingerTemplate* t) const;
  Status Type9Legacy(const Tagged& r, Legacy* pending) const;
  Status Type14(const Tagged& r, An2kTransaction* out);
  Status PlaceLegacy(const Legacy& l, An2kTransaction* out) const;

  std::string_view b_;
  std::optional<double> nsr_;  // 1.011, pixels per millimetre
  std::vector<Legacy> legacy_;
  std::vector<int> image_idcs_;  // parallel to the transaction's images
};

// The value of a record's first field, LEN, and the length it gives.
Result<size_t> Reader::TaggedLength(size_t at, int type, std::string_view* len_value) const {
  int tag_type = 0, number = 0;
  const size_t value_at = ParseTag(b_, at, b_.size(), &tag_type, &number);
  if (value_at == std::string_view::npos || tag_type != type || number != 1)
    return Fail(at, type, "", "does not start \"" + std::to_string(type) + ".001:\" (1.003 CNT lists a Type-" +
                                  std::to_string(type) + " record here; is the length of the one before right?)");
  size_t stop = value_at;
  while (stop < b_.size() && b_[stop] != kGS && b_[stop] != kFS) ++stop;
  *len_value = b_.substr(value_at, stop - value_at);
  auto length = Number(*len_value, type, 1, 1'000'000'000'000ull);
  if (!length.ok()) return length.status();
  const size_t least = stop + 1 - at;
  if (*length < least)
    return FailField(*len_value, type, 1, std::to_string(*length) + " is shorter than the field itself");
  if (*length > b_.size() - at)
    return FailField(*len_value, type, 1,
                     std::to_string(*length) + " but the file has " + std::to_string(b_.size() - at) + " bytes from here");
  if (b_[at + *length - 1] != kFS)
    return FailField(*len_value, type, 1,
                     std::to_string(*length) + " but byte " + std::to_string(at + *length - 1) +
                         " is not the record separator (FS)");
  return static_cast<size_t>(*length);
}

Result<Tagged> Reader::ParseTagged(size_t at, int type, bool binary_999) const {
  std::string_view len_value;
  auto length = TaggedLength(at, type, &len_value);
  if (!length.ok()) return length.status();
  Tagged r;
  r.type = type;
  r.at = at;
  r.end = at + *length;
  const size_t last = r.end - 1;  // the FS
  std::vector<bool> seen(1000);
  size_t p = at;
  while (true) {
    const size_t tag_at = p;
    int tag_type = 0, number = 0;
    const size_t q = ParseTag(b_, p, last, &tag_type, &number);
    if (q == std::string_view::npos)
      return Fail(tag_at, type, "field tag", Quote(b_.substr(tag_at, std::min<size_t>(12, last - tag_at))) +
                                                 " is not \"" + std::to_string(type) + ".NNN:\"");
    if (tag_type != type)
      return Fail(tag_at, type, "field tag", "field " + std::to_string(tag_type) + "." + std::to_string(number) +
                                                 " belongs to a Type-" + std::to_string(tag_type) + " record");
    if (number == 0) return Fail(tag_at, type, "field tag", "field number 0");
    const int n = number;
    if (seen[n]) return Fail(tag_at, type, FieldName(type, n), "appears twice");
    seen[n] = true;
    if (r.fields.empty() && n != 1) return Fail(tag_at, type, FieldName(type, 1), "is not the first field");
    const size_t value_at = q;
    size_t stop = value_at;
    if (binary_999 && n == 999) {
      stop = last;
    } else {
      while (stop < last && b_[stop] != kGS && b_[stop] != kFS) ++stop;
      if (stop < last && b_[stop] == kFS)
        return Fail(stop, type, FieldName(type, n),
                    "a record separator (FS) before the record's end at byte " + std::to_string(last) +
                        " (is " + std::to_string(type) + ".001 LEN right?)");
    }
    r.fields.push_back({n, b_.substr(value_at, stop - value_at)});
    if (stop == last) break;
    p = stop + 1;
    if (p == last) return Fail(stop, type, FieldName(type, n), "a field separator (GS) right before the record's end");
  }
  return r;
}

Status Reader::CheckIdc(const Tagged& r, int idc) const {
  if (r.fields.size() < 2 || r.fields[1].number != 2)
    return Fail(r.at, r.type, FieldName(r.type, 2), "missing as the second field");
  auto value = Number(r.fields[1].value, r.type, 2, 99);
  if (!value.ok()) return value.status();
  if (static_cast<int>(*value) != idc)
    return FailField(r.fields[1].value, r.type, 2,
                     std::to_string(*value) + " but 1.003 CNT gives this record IDC " + std::to_string(idc));
  return Status::Ok();
}

// A tagged record this reader does not use: its length, first two fields
// and IDC are checked, its other fields (binary ones among them) skipped.
Result<size_t> Reader::SkipTagged(size_t at, int type, int idc) const {
  std::string_view len_value;
  auto length = TaggedLength(at, type, &len_value);
  if (!length.ok()) return length.status();
  const size_t end = at + *length;
  const size_t after_len = Off(len_value) + len_value.size();
  int tag_type = 0, number = 0;
  const size_t value_at =
      b_[after_len] == kGS ? ParseTag(b_, after_len + 1, end - 1, &tag_type, &number) : std::string_view::npos;
  if (value_at == std::string_view::npos || tag_type != type || number != 2)
    return Fail(after_len, type, FieldName(type, 2), "missing as the second field");
  size_t stop = value_at;
  while (stop < end - 1 && b_[stop] != kGS && b_[stop] != kFS) ++stop;
  Tagged r;
  r.type = type;
  r.at = at;
  r.fields = {{1, len_value}, {2, b_.substr(value_at, stop - value_at)}};
  if (auto s = CheckIdc(r, idc); !s.ok()) return s;
  return end;
}

std::string CompressionOfCode(uint32_t gca) {
  switch (gca) {
    case 0: return "NONE";
    case 1: return "WSQ";
    case 2: return "JPEG";
    case 3: return "JPEG-LOSSLESS";
    case 4: case 5: return "JPEG2000";
    case 6: return "PNG";
  }
  return "OTHER";
}

std::string CompressionOfLabel(std::string_view label) {
  std::string upper(label);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "NONE") return "NONE";
  if (upper == "WSQ20" || upper == "WSQ") return "WSQ";
  if (upper == "JPEGB") return "JPEG";
  if (upper == "JPEGL") return "JPEG-LOSSLESS";
  if (upper == "JP2" || upper == "JP2L") return "JPEG2000";
  if (upper == "PNG") return "PNG";
  return "OTHER";
}

// Binary records, types 3 to 8: a 4-byte length and a 1-byte IDC first;
// Type-4 read, the others skipped.
Result<size_t> Reader::Binary(size_t at, int type, int idc, An2kTransaction* out) {
  const size_t left = b_.size() - at;
  const size_t header = type == 4 ? 18 : 5;
  auto u = [&](size_t off, size_t n) { return big_endian(b_, at + off, n); };
  const std::string len_name = std::to_string(type) + ".001 LEN";
  if (left < header)
    return Fail(at, type, "header", "the file ends " + std::to_string(left) + " bytes into its " + std::to_string(header) +
                                        "-byte header");
  const size_t length = u(0, 4);
  if (length < header + (type == 4 ? 1 : 0))
    return Fail(at, type, len_name, std::to_string(length) + " leaves no room for the " + std::to_string(header) +
                                        "-byte header" + (type == 4 ? " and an image" : ""));
  if (length > left)
    return Fail(at, type, len_name, std::to_string(length) + " but the file has " + std::to_string(left) + " bytes from here");
  if (static_cast<int>(u(4, 1)) != idc)
    return Fail(at + 4, type, std::to_string(type) + ".002 IDC",
                std::to_string(u(4, 1)) + " but 1.003 CNT gives this record IDC " + std::to_string(idc));
  if (type != 4) return at + length;

  An2kImage image;
  image.record_type = 4;
  const uint32_t finger = u(6, 1);
  if (finger > 15) return Fail(at + 6, 4, FieldName(4, 4), std::to_string(finger) + " is not a finger position (0-15)");
  for (size_t i = 1; i < 6; ++i)
    if (u(6 + i, 1) > 15 && u(6 + i, 1) != 255)
      return Fail(at + 6 + i, 4, FieldName(4, 4), std::to_string(u(6 + i, 1)) + " is neither a finger position nor 255");
  image.finger = static_cast<uint8_t>(finger);
  const uint32_t isr = u(12, 1);
  if (isr > 1) return Fail(at + 12, 4, FieldName(4, 5), std::to_string(isr) + " is not 0 (500 ppi) or 1 (1.011 NSR)");
  if (isr == 1) {
    if (!nsr_) return Fail(at + 12, 4, FieldName(4, 5), "1 (native resolution) but 1.011 NSR is missing");
    image.ppi = static_cast<uint16_t>(std::lround(*nsr_ * 25.4));
  }
  image.width = static_cast<uint16_t>(u(13, 2));
  image.height = static_cast<uint16_t>(u(15, 2));
  if (image.width == 0) return Fail(at + 13, 4, FieldName(4, 6), "0 pixels");
  if (image.height == 0) return Fail(at + 15, 4, FieldName(4, 7), "0 pixels");
  image.compression = CompressionOfCode(u(17, 1));
  image.data.assign(b_.substr(at + 18, length - 18));
  if (image.compression == "NONE" && image.data.size() != size_t{image.width} * image.height)
    return Fail(at + 18, 4, FieldName(4, 9),
                std::to_string(image.data.size()) + " bytes but an uncompressed " + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + " image takes " + std::to_string(size_t{image.width} * image.height));
  out->images.push_back(std::move(image));
  image_idcs_.push_back(idc);
  return at + length;
}

Status Reader::Type14(const Tagged& r, An2kTransaction* out) {
  An2kImage image;
  image.record_type = 14;
  auto width = NumberField(r, 6, 65535);
  if (!width.ok()) return width.status();
  auto height = NumberField(r, 7, 65535);
  if (!height.ok()) return height.status();
  if (*width == 0) return FailField(r.Find(6)->value, 14, 6, "0 pixels");
  if (*height == 0) return FailField(r.Find(7)->value, 14, 7, "0 pixels");
  image.width = static_cast<uint16_t>(*width);
  image.height = static_cast<uint16_t>(*height);
  auto slc = NumberField(r, 8, 9);
  if (!slc.ok()) return slc.status();
  if (*slc > 2) return FailField(r.Find(8)->value, 14, 8, std::to_string(*slc) + " is not 0, 1 (ppi) or 2 (ppcm)");
  auto thps = NumberField(r, 9, 99999);
  if (!thps.ok()) return thps.status();
  auto tvps = NumberField(r, 10, 99999);
  if (!tvps.ok()) return tvps.status();
  if (*thps == 0) return FailField(r.Find(9)->value, 14, 9, "0");
  if (*tvps == 0) return FailField(r.Find(10)->value, 14, 10, "0");
  const uint64_t ppi = *slc == 0 ? 0 : *slc == 1 ? *thps : static_cast<uint64_t>(std::lround(*thps * 2.54));
  if (ppi > 65535) return FailField(r.Find(9)->value, 14, 9, std::to_string(ppi) + " pixels per inch is over 65535");
  image.ppi = static_cast<uint16_t>(ppi);
  auto cga = TextField(r, 11);
  if (!cga.ok()) return cga.status();
  image.compression = CompressionOfLabel(*cga);
  auto bpx = NumberField(r, 12, 99);
  if (!bpx.ok()) return bpx.status();
  if (*bpx == 0) return FailField(r.Find(12)->value, 14, 12, "0 bits per pixel");
  image.bits_per_pixel = static_cast<uint8_t>(*bpx);
  const Field* fgp = r.Find(13);
  if (!fgp) return Fail(r.at, 14, FieldName(14, 13), "missing");
  const auto positions = Split(fgp->value);
  for (const auto& sub : positions) {
    auto position = Number(sub[0], 14, 13, 255);
    if (!position.ok()) return position.status();
    if (sub.size() != 1) return FailField(sub[1], 14, 13, "a position has one item");
    if (&sub == &positions[0]) image.finger = static_cast<uint8_t>(*position);
  }
  if (const Field* seg = r.Find(21)) {
    for (const auto& sub : Split(seg->value)) {
      if (sub.size() != 5) return FailField(sub[0], 14, 21, "a segment has 5 items (FGP, LHC, RHC, TVC, BVC)");
      auto finger = Number(sub[0], 14, 21, 10);
      if (!finger.ok()) return finger.status();
      auto left = Number(sub[1], 14, 21, image.width - 1u), right = Number(sub[2], 14, 21, image.width - 1u);
      auto top = Number(sub[3], 14, 21, image.height - 1u), bottom = Number(sub[4], 14, 21, image.height - 1u);
      for (const auto* n : {&left, &right, &top, &bottom})
        if (!n->ok()) return n->status();
      if (*left > *right || *top > *bottom)
        return FailField(sub[1], 14, 21, "a segment's left or top edge is past its right or bottom");
      image.segments.push_back({static_cast<uint8_t>(*finger), static_cast<uint16_t>(*left), static_cast<uint16_t>(*right),
                                static_cast<uint16_t>(*top), static_cast<uint16_t>(*bottom)});
    }
  }
  const Field* data = r.Find(999);
  if (!data) return Fail(r.at, 14, FieldName(14, 999), "missing");
  if (data->value.empty()) return FailField(data->value, 14, 999, "an empty image");
  const uint64_t raw = (uint64_t{image.width} * image.height * image.bits_per_pixel + 7) / 8;
  if (image.compression == "NONE" && data->value.size() != raw)
    return FailField(data->value, 14, 999,
                     std::to_string(data->value.size()) + " bytes but an uncompressed " + std::to_string(image.width) +
                         "x" + std::to_string(image.height) + " image of " + std::to_string(image.bits_per_pixel) +
                         " bits per pixel takes " + std::to_string(raw));
  image.data.assign(data->value);
  out->images.push_back(std::move(image));
  return Status::Ok();
}

// The INCITS 378 block of a Type-9 record: one finger view in pixels,
// angles in 2-degree units.
Status Reader::Type9Block(const Tagged& r, FingerTemplate* t) const {
  auto width = NumberField(r, 128, 65535);
  if (!width.ok()) return width.status();
  auto height = NumberField(r, 129, 65535);
  if (!height.ok()) return height.status();
  if (*width == 0) return FailField(r.Find(128)->value, 9, 128, "0 pixels");
  if (*height == 0) return FailField(r.Find(129)->value, 9, 129, "0 pixels");
  auto slc = NumberField(r, 130, 9);
  if (!slc.ok()) return slc.status();
  if (*slc != 1 && *slc != 2) return FailField(r.Find(130)->value, 9, 130, std::to_string(*slc) + " is not 1 (ppi) or 2 (ppcm)");
  auto thps = NumberField(r, 131, 99999);
  if (!thps.ok()) return thps.status();
  auto tvps = NumberField(r, 132, 99999);
  if (!tvps.ok()) return tvps.status();
  auto ppcm = [&](uint64_t scale) { return *slc == 2 ? scale : static_cast<uint64_t>(std::lround(scale / 2.54)); };
  if (ppcm(*thps) == 0 || ppcm(*thps) > 65535) return FailField(r.Find(131)->value, 9, 131, "out of range");
  if (ppcm(*tvps) == 0 || ppcm(*tvps) > 65535) return FailField(r.Find(132)->value, 9, 132, "out of range");
  t->width = static_cast<uint16_t>(*width);
  t->height = static_cast<uint16_t>(*height);
  t->x_resolution = static_cast<uint16_t>(ppcm(*thps));
  t->y_resolution = static_cast<uint16_t>(ppcm(*tvps));
  FingerView view;
  auto number = NumberField(r, 133, 15);
  if (!number.ok()) return number.status();
  auto finger = NumberField(r, 134, 10);
  if (!finger.ok()) return finger.status();
  auto impression = NumberField(r, 3, 255);
  if (!impression.ok()) return impression.status();
  view.view = static_cast<uint8_t>(*number);
  view.finger = static_cast<uint8_t>(*finger);
  view.impression = static_cast<uint8_t>(*impression);
  if (const Field* fqd = r.Find(135)) {
    const auto subs = Split(fqd->value);
    if (subs[0].size() != 3) return FailField(fqd->value, 9, 135, "a quality has 3 items (value, vendor, algorithm)");
    auto quality = Number(subs[0][0], 9, 135, 255);
    if (!quality.ok()) return quality.status();
    if (*quality > 100 && *quality < 254) return FailField(subs[0][0], 9, 135, std::to_string(*quality) + " is over 100");
    view.quality = static_cast<uint8_t>(*quality > 100 ? 0 : *quality);
  }
  auto count = NumberField(r, 136, 255);
  if (!count.ok()) return count.status();
  const Field* fmd = r.Find(137);
  if (*count > 0 && !fmd) return Fail(r.at, 9, FieldName(9, 137), "missing with " + std::to_string(*count) + " minutiae");
  if (fmd) {
    const auto subs = Split(fmd->value);
    if (subs.size() != *count)
      return FailField(fmd->value, 9, 137,
                       std::to_string(subs.size()) + " minutiae but 9.136 NOM says " + std::to_string(*count));
    for (const auto& items : subs) {
      if (items.size() != 6)
        return FailField(items[0], 9, 137, "a minutia has 6 items (index, x, y, angle, type, quality), not " +
                                               std::to_string(items.size()));
      auto index = Number(items[0], 9, 137, 999);
      auto x = Number(items[1], 9, 137, *width - 1);
      auto y = Number(items[2], 9, 137, *height - 1);
      auto angle = Number(items[3], 9, 137, 179);
      auto type = Number(items[4], 9, 137, 2);
      auto quality = Number(items[5], 9, 137, 100);
      for (auto* v : {&index, &x, &y, &angle, &type, &quality})
        if (!v->ok()) return v->status();
      Minutia m;
      m.x = static_cast<uint16_t>(*x);
      m.y = static_cast<uint16_t>(*y);
      m.angle = static_cast<uint8_t>(std::lround(*angle * 2 * 256.0 / 360.0) & 0xff);
      m.type = static_cast<uint8_t>(*type);
      m.quality = static_cast<uint8_t>(*quality);
      view.minutiae.push_back(m);
    }
  }
  t->views.push_back(std::move(view));
  return Status::Ok();
}

// The legacy NIST standard format: 9.010 MIN minutiae in 9.012 MRC, each
// "index, XXXXYYYYTTT, quality, type[, ridge counts...]".
Status Reader::Type9Legacy(const Tagged& r, Legacy* pending) const {
  auto count = NumberField(r, 10, 9999);
  if (!count.ok()) return count.status();
  const Field* mrc = r.Find(12);
  if (*count > 0 && !mrc) return Fail(r.at, 9, FieldName(9, 12), "missing with " + std::to_string(*count) + " minutiae");
  if (!mrc) return Status::Ok();
  const auto subs = Split(mrc->value);
  if (subs.size() != *count)
    return FailField(mrc->value, 9, 12, std::to_string(subs.size()) + " minutiae but 9.010 MIN says " + std::to_string(*count));
  for (const auto& items : subs) {
    if (items.size() < 4)
      return FailField(items[0], 9, 12, "a minutia has at least 4 items (index, XXXXYYYYTTT, quality, type), not " +
                                            std::to_string(items.size()));
    auto index = Number(items[0], 9, 12, 999);
    if (!index.ok()) return index.status();
    if (items[1].size() != 11) return FailField(items[1], 9, 12, Quote(items[1]) + " is not XXXXYYYYTTT");
    auto x = Number(items[1].substr(0, 4), 9, 12, 9999);
    auto y = Number(items[1].substr(4, 4), 9, 12, 9999);
    auto theta = Number(items[1].substr(8, 3), 9, 12, 359);
    auto quality = Number(items[2], 9, 12, 63);
    for (auto* v : {&x, &y, &theta, &quality})
      if (!v->ok()) return v->status();
    LegacyMinutia m;
    m.x = static_cast<uint32_t>(*x);
    m.y = static_cast<uint32_t>(*y);
    m.theta = static_cast<uint32_t>(*theta);
    m.at = Off(items[1]);
    if (items[3] == "A") {
      m.type = 1;
    } else if (items[3] == "B") {
      m.type = 2;
    } else if (items[3] == "C" || items[3] == "D") {
      m.type = 0;
    } else {
      return FailField(items[3], 9, 12, Quote(items[3]) + " is not a minutia type (A, B, C or D)");
    }
    pending->minutiae.push_back(m);
  }
  return Status::Ok();
}

Status Reader::Type9(const Tagged& r, int idc, An2kTransaction* out) {
  auto impression = NumberField(r, 3, 255);
  if (!impression.ok()) return impression.status();
  auto format = TextField(r, 4);
  if (!format.ok()) return format.status();
  if (*format != "S" && *format != "U") return FailField(*format, 9, 4, Quote(*format) + " is not S or U");
  bool block = false;
  for (const Field& f : r.fields) block = block || (f.number >= 126 && f.number <= 150);
  FingerTemplate t;
  t.standard = FmrStandard::kAnsi2004;
  if (block) {
    if (auto s = Type9Block(r, &t); !s.ok()) return s;
    out->templates.push_back(std::move(t));
    return Status::Ok();
  }
  if (*format != "S" || (!r.Find(10) && !r.Find(12))) return Status::Ok();  // vendor or extended features only
  Legacy pending;
  pending.idc = idc;
  if (auto s = Type9Legacy(r, &pending); !s.ok()) return s;
  FingerView view;
  if (const Field* fgp = r.Find(6)) {
    auto finger = Number(Split(fgp->value)[0][0], 9, 6, 255);
    if (!finger.ok()) return finger.status();
    if (*finger > 10) return FailField(fgp->value, 9, 6, std::to_string(*finger) + " is not a single finger (0-10)");
    view.finger = static_cast<uint8_t>(*finger);
  }
  view.impression = static_cast<uint8_t>(*impression);
  t.views.push_back(std::move(view));
  pending.template_index = out->templates.size();
  out->templates.push_back(std::move(t));
  legacy_.push_back(std::move(pending));
  return Status::Ok();
}

// Places legacy minutiae in the pixels of the image with the same IDC, or
// at 500 ppi below the topmost minutia when there is none.
Status Reader::PlaceLegacy(const Legacy& l, An2kTransaction* out) const {
  FingerTemplate& t = out->templates[l.template_index];
  const An2kImage* image = nullptr;
  for (size_t i = 0; i < out->images.size() && !image; ++i)
    if (image_idcs_[i] == l.idc && out->images[i].ppi > 0) image = &out->images[i];
  const double ppi = image ? image->ppi : 500.0;
  auto pixels = [&](uint32_t hundredths) { return static_cast<int64_t>(std::lround(hundredths * ppi / 2540.0)); };
  int64_t top = 0;
  for (const LegacyMinutia& m : l.minutiae) top = std::max(top, pixels(m.y));
  if (image) {
    t.width = image->width;
    t.height = image->height;
  }
  t.x_resolution = t.y_resolution = static_cast<uint16_t>(std::lround(ppi / 2.54));
  for (const LegacyMinutia& m : l.minutiae) {
    const int64_t x = pixels(m.x);
    int64_t y = (image ? image->height : top) - pixels(m.y);
    if (image && y == image->height) y = image->height - 1;  // on the bottom edge
    if (image && (x >= image->width || y < 0))
      return Fail(m.at, 9, FieldName(9, 12),
                  "minutia at " + std::to_string(m.x) + "," + std::to_string(m.y) + " (0.01 mm) lies outside the " +
                      std::to_string(image->width) + "x" + std::to_string(image->height) + " image of IDC " +
                      std::to_string(l.idc));
    if (x > 0x3fff || y > 0x3fff) return Fail(m.at, 9, FieldName(9, 12), "minutia beyond 16383 pixels");
    Minutia out_m;
    out_m.x = static_cast<uint16_t>(x);
    out_m.y = static_cast<uint16_t>(y);
    out_m.angle = static_cast<uint8_t>(std::lround(((m.theta + 180) % 360) * 256.0 / 360.0) & 0xff);
    out_m.type = m.type;
    t.views[0].minutiae.push_back(out_m);
  }
  return Status::Ok();
}

Result<An2kTransaction> Reader::Read() {
  if (!is_an2k(b_)) return Fail(0, 1, "", "does not start \"1.001:\" (not an ANSI/NIST-ITL file)");
  auto type1 = ParseTagged(0, 1, false);
  if (!type1.ok()) return type1.status();
  const Tagged& h = *type1;
  An2kTransaction out;
  auto version = TextField(h, 2);
  if (!version.ok()) return version.status();
  static const char* const kVersions[] = {"0200", "0201", "0300", "0400", "0500", "0501", "0502"};
  if (std::none_of(std::begin(kVersions), std::end(kVersions), [&](const char* v) { return *version == v; }))
    return FailField(*version, 1, 2, Quote(*version) + " is not a version this reader knows (0200 to 0502)");
  auto tot = TextField(h, 4);
  if (!tot.ok()) return tot.status();
  out.transaction_type = std::string(*tot);
  auto date = TextField(h, 5);
  if (!date.ok()) return date.status();
  if (auto d = Number(*date, 1, 5, 99999999); !d.ok() || date->size() != 8)
    return FailField(*date, 1, 5, Quote(*date) + " is not a date YYYYMMDD");
  for (int number : {7, 8, 9})
    if (auto f = TextField(h, number); !f.ok()) return f.status();
  if (const Field* nsr = h.Find(11)) {
    // Pixels per millimetre, "19.69".
    const std::string_view v = nsr->value;
    const size_t dot = std::min(v.find('.'), v.size());
    auto whole = Number(v.substr(0, dot), 1, 11, 9999);
    if (!whole.ok()) return whole.status();
    double value = static_cast<double>(*whole);
    if (dot < v.size()) {
      auto fraction = Number(v.substr(dot + 1), 1, 11, 9999);
      if (!fraction.ok()) return fraction.status();
      value += static_cast<double>(*fraction) / std::pow(10.0, static_cast<double>(v.size() - dot - 1));
    }
    // "00.00" says there is no native resolution: the transaction has no
    // images scanned at one.
    if (value != 0 && (value * 25.4 < 0.5 || value * 25.4 > 65535))
      return FailField(v, 1, 11, Quote(v) + " pixels per millimetre is out of range");
    if (value != 0) nsr_ = value;
  }

  // 1.003: "1" and the count, then a record type and IDC for each record.
  const Field* cnt = h.Find(3);
  if (!cnt) return Fail(0, 1, FieldName(1, 3), "missing");
  const auto entries = Split(cnt->value);
  if (entries[0].size() != 2) return FailField(cnt->value, 1, 3, "the first subfield has 2 items: 1 and the record count");
  auto first = Number(entries[0][0], 1, 3, 99);
  if (!first.ok()) return first.status();
  auto count = Number(entries[0][1], 1, 3, 9999);
  if (!count.ok()) return count.status();
  if (*first != 1) return FailField(entries[0][0], 1, 3, "the first subfield names the Type-1 record itself");
  if (*count != entries.size() - 1)
    return FailField(entries[0][1], 1, 3,
                     std::to_string(*count) + " records but " + std::to_string(entries.size() - 1) + " are listed");
  size_t at = h.end;
  for (size_t i = 1; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    if (entry.size() != 2) return FailField(entry[0], 1, 3, "a record entry has 2 items: record type and IDC");
    auto type = Number(entry[0], 1, 3, 99);
    if (!type.ok()) return type.status();
    auto idc = Number(entry[1], 1, 3, 99);
    if (!idc.ok()) return idc.status();
    if (*type < 2) return FailField(entry[0], 1, 3, "record type " + std::to_string(*type) + " after the Type-1 record");
    if (at == b_.size())
      return Fail(at, static_cast<int>(*type), "",
                  "the file ends before this record, number " + std::to_string(i + 1) + " of the " +
                      std::to_string(entries.size()) + " 1.003 CNT lists");
    const int t = static_cast<int>(*type), id = static_cast<int>(*idc);
    Result<size_t> next = size_t{0};
    if (t >= 3 && t <= 8) {
      next = Binary(at, t, id, &out);
    } else if (t == 9 || t == 14) {
      auto r = ParseTagged(at, t, t == 14);
      if (!r.ok()) return r.status();
      if (auto s = CheckIdc(*r, id); !s.ok()) return s;
      if (auto s = t == 9 ? Type9(*r, id, &out) : Type14(*r, &out); !s.ok()) return s;
      if (t == 14) image_idcs_.push_back(id);
      next = r->end;
    } else {
      next = SkipTagged(at, t, id);
    }
    if (!next.ok()) return next.status();
    at = *next;
  }
  if (at != b_.size())
    return Status::Error("ANSI/NIST-ITL file: at byte " + std::to_string(at) + ": after the last record: " +
                         std::to_string(b_.size() - at) + " bytes that 1.003 CNT does not list");
  for (const Legacy& l : legacy_)
    if (auto s = PlaceLegacy(l, &out); !s.ok()) return s;
  return out;
}

}  // namespace

bool is_an2k(std::string_view bytes) { return bytes.rfind("1.001:", 0) == 0; }

Result<An2kTransaction> read_an2k(std::string_view bytes) {
  if (bytes.empty()) return Status::Error("ANSI/NIST-ITL file: at byte 0: Type-1 record: the file is empty");
  return Reader(bytes).Read();
}

}  // namespace vigil
