#include "biometrics/fmr.h"

#include <cmath>

#include "base/bytes.h"

namespace vigil {
namespace {

// A cursor over the record that refuses to read past its end.
class Bytes {
 public:
  explicit Bytes(std::string_view b) : b_(b) {}
  size_t at() const { return at_; }
  size_t left() const { return b_.size() - at_; }
  bool Need(size_t n, const char* field) {
    if (left() >= n) return true;
    error_ = "at byte " + std::to_string(at_) + ": " + field + ": the record ends early";
    return false;
  }
  uint32_t U(size_t n) {  // big-endian, after Need()
    const uint32_t v = big_endian(b_, at_, n);
    at_ += n;
    return v;
  }
  void Skip(size_t n) { at_ += n; }
  Status Fail(size_t at, const std::string& field, const std::string& why) const {
    return Status::Error("finger minutiae record: at byte " + std::to_string(at) + ": " + field + ": " + why);
  }
  const std::string& error() const { return error_; }

 private:
  std::string_view b_;
  size_t at_ = 0;
  std::string error_;
};

#define NEED(n, field) \
  if (!in.Need(n, field)) return Status::Error("finger minutiae record: " + in.error())

bool Ansi(FmrStandard s) { return s == FmrStandard::kAnsi2004 || s == FmrStandard::kAnsi2009; }

// The minutiae of one view: `count` records of `size` bytes (5: no
// quality, 6: with quality); ANSI angles are in 2-degree units, and ANSI
// 2009 marks a quality not reported by 254.
Status ReadMinutiae(Bytes& in, size_t count, size_t size, FmrStandard standard, FingerView* view) {
  for (size_t i = 0; i < count; ++i) {
    NEED(size, "minutia");
    const size_t at = in.at();
    Minutia m;
    const uint32_t tx = in.U(2), ry = in.U(2);
    m.type = static_cast<uint8_t>(tx >> 14);
    m.x = static_cast<uint16_t>(tx & 0x3fff);
    m.y = static_cast<uint16_t>(ry & 0x3fff);
    const uint32_t angle = in.U(1);
    if (size == 6) m.quality = static_cast<uint8_t>(in.U(1));
    if (m.type == 3) return in.Fail(at, "minutia type", "3 is reserved");
    if (Ansi(standard)) {
      if (angle > 179) return in.Fail(at + 4, "minutia angle", std::to_string(angle) + " is over 179 (2-degree units)");
      m.angle = static_cast<uint8_t>(std::lround(angle * 2 * 256.0 / 360.0) & 0xff);
    } else {
      m.angle = static_cast<uint8_t>(angle);
    }
    if (standard == FmrStandard::kAnsi2009 && m.quality == 254) m.quality = 0;
    if (m.quality > 100 && m.quality != 255) return in.Fail(at + 5, "minutia quality", "over 100");
    view->minutiae.push_back(m);
  }
  NEED(2, "extended data length");
  const size_t extended = in.U(2);
  NEED(extended, "extended data");
  in.Skip(extended);
  return Status::Ok();
}

// ISO 2005 and ANSI 2004 views: 4 bytes each, then 6-byte minutiae.
Status ReadViews2005(Bytes& in, size_t views, FmrStandard standard, FingerTemplate* t) {
  for (size_t v = 0; v < views; ++v) {
    NEED(4, "finger view header");
    const size_t at = in.at();
    FingerView view;
    view.finger = static_cast<uint8_t>(in.U(1));
    const uint32_t vi = in.U(1);
    view.view = static_cast<uint8_t>(vi >> 4);
    view.impression = static_cast<uint8_t>(vi & 0x0f);
    view.quality = static_cast<uint8_t>(in.U(1));
    const size_t count = in.U(1);
    if (view.finger > 10) return in.Fail(at, "finger position", std::to_string(view.finger) + " is over 10");
    if (view.quality > 100) return in.Fail(at + 2, "finger quality", "over 100");
    if (auto s = ReadMinutiae(in, count, 6, standard, &view); !s.ok()) return s;
    t->views.push_back(std::move(view));
  }
  return Status::Ok();
}

Status ReadIso2011(Bytes& in, size_t total, FingerTemplate* t) {
  NEED(3, "header");
  const size_t representations = in.U(2);
  const uint32_t certified = in.U(1);
  if (certified > 1) return in.Fail(14, "device certification block flag", "must be 0 or 1");
  for (size_t r = 0; r < representations; ++r) {
    const size_t start = in.at();
    NEED(4 + 9 + 1 + 2 + 2 + 1, "representation header");
    const size_t length = in.U(4);
    if (length < 4 || length > total - start)
      return in.Fail(start, "representation length", std::to_string(length) + " does not fit the record");
    in.Skip(9 + 1 + 2 + 2);  // capture date and time, device technology, vendor, type
    const size_t qualities = in.U(1);
    NEED(qualities * 5, "quality blocks");
    FingerView view;
    for (size_t q = 0; q < qualities; ++q) {
      const uint32_t score = in.U(1);
      in.Skip(4);
      if (q == 0) view.quality = static_cast<uint8_t>(score == 255 ? 0 : score);
    }
    if (certified) {
      NEED(1, "certification blocks");
      const size_t certs = in.U(1);
      NEED(certs * 3, "certification blocks");
      in.Skip(certs * 3);
    }
    NEED(1 + 1 + 2 + 2 + 1 + 2 + 2 + 1 + 1, "representation");
    const size_t at = in.at();
    view.finger = static_cast<uint8_t>(in.U(1));
    view.view = static_cast<uint8_t>(in.U(1));
    const uint16_t xres = static_cast<uint16_t>(in.U(2)), yres = static_cast<uint16_t>(in.U(2));
    view.impression = static_cast<uint8_t>(in.U(1));
    const uint16_t width = static_cast<uint16_t>(in.U(2)), height = static_cast<uint16_t>(in.U(2));
    const uint32_t field = in.U(1);
    const size_t count = in.U(1);
    const size_t size = field >> 4;
    if (view.finger > 10) return in.Fail(at, "finger position", std::to_string(view.finger) + " is over 10");
    if (size != 5 && size != 6) return in.Fail(at + 11, "minutia field length", std::to_string(size) + " is not 5 or 6");
    if (r == 0) t->width = width, t->height = height, t->x_resolution = xres, t->y_resolution = yres;
    if (auto s = ReadMinutiae(in, count, size, FmrStandard::kIso2011, &view); !s.ok()) return s;
    if (in.at() - start != length)
      return in.Fail(start, "representation length",
                     std::to_string(length) + " but the representation takes " + std::to_string(in.at() - start));
    t->views.push_back(std::move(view));
  }
  if (in.left() != 0)
    return in.Fail(in.at(), "record", std::to_string(in.left()) + " bytes after the last representation");
  return Status::Ok();
}

// ANSI 378-2009 after the record length: product identifier, capture
// equipment, then views of 17 header bytes each (with their own image size
// and resolution), 6-byte minutiae and extended data.
Status ReadAnsi2009(Bytes& in, FingerTemplate* t) {
  NEED(9, "header");
  in.Skip(4 + 1 + 2);  // CBEFF product identifier, equipment compliance, capture device
  const size_t views = in.U(1);
  in.Skip(1);
  for (size_t v = 0; v < views; ++v) {
    NEED(17, "finger view header");
    const size_t at = in.at();
    FingerView view;
    view.finger = static_cast<uint8_t>(in.U(1));
    const uint32_t number = in.U(1);
    view.impression = static_cast<uint8_t>(in.U(1));
    const uint32_t quality = in.U(1);
    in.Skip(4);  // quality algorithm owner and identifier
    const uint16_t width = static_cast<uint16_t>(in.U(2)), height = static_cast<uint16_t>(in.U(2));
    const uint16_t xres = static_cast<uint16_t>(in.U(2)), yres = static_cast<uint16_t>(in.U(2));
    const size_t count = in.U(1);
    if (view.finger > 10) return in.Fail(at, "finger position", std::to_string(view.finger) + " is over 10");
    if (number > 15) return in.Fail(at + 1, "view number", std::to_string(number) + " is over 15");
    if (quality > 100 && quality < 254) return in.Fail(at + 3, "finger quality", "over 100");
    view.view = static_cast<uint8_t>(number);
    view.quality = static_cast<uint8_t>(quality > 100 ? 0 : quality);
    if (v == 0) t->width = width, t->height = height, t->x_resolution = xres, t->y_resolution = yres;
    if (auto s = ReadMinutiae(in, count, 6, FmrStandard::kAnsi2009, &view); !s.ok()) return s;
    t->views.push_back(std::move(view));
  }
  if (in.left() != 0)
    return in.Fail(in.at(), "record", std::to_string(in.left()) + " bytes after the last finger view");
  return Status::Ok();
}

// Whether a "030" record's lengths frame it exactly as ISO 2011 (a 15-byte
// header, then representations that each give their length) or as ANSI
// 2009 (a 21-byte header, then views sized by their minutiae count and
// extended data length), whatever their contents.
bool FramedAsIso2011(std::string_view b) {
  size_t at = 15;
  if (b.size() < at) return false;
  for (size_t r = big_endian(b, 12, 2); r > 0; --r) {
    if (b.size() - at < 4) return false;
    const size_t length = big_endian(b, at, 4);
    if (length < 4 || length > b.size() - at) return false;
    at += length;
  }
  return at == b.size();
}

bool FramedAsAnsi2009(std::string_view b) {
  size_t at = 21;
  if (b.size() < at) return false;
  for (size_t v = big_endian(b, 19, 1); v > 0; --v) {
    if (b.size() - at < 17) return false;
    const size_t minutiae = 6 * big_endian(b, at + 16, 1);
    if (b.size() - at - 17 < minutiae + 2) return false;
    const size_t extended = big_endian(b, at + 17 + minutiae, 2);
    if (b.size() - at - 17 - minutiae - 2 < extended) return false;
    at += 17 + minutiae + 2 + extended;
  }
  return at == b.size();
}

}  // namespace

const char* to_string(FmrStandard s) {
  switch (s) {
    case FmrStandard::kIso2005: return "ISO/IEC 19794-2:2005";
    case FmrStandard::kIso2011: return "ISO/IEC 19794-2:2011";
    case FmrStandard::kAnsi2004: return "ANSI INCITS 378-2004";
    case FmrStandard::kAnsi2009: return "ANSI INCITS 378-2009";
  }
  return "?";
}

uint8_t angle_units(double radians) {
  double a = std::fmod(radians * 128.0 / M_PI, 256.0);
  if (a < 0) a += 256.0;
  return static_cast<uint8_t>(static_cast<int>(std::lround(a)) & 255);
}

Result<FingerTemplate> read_fmr(std::string_view bytes) {
  Bytes in(bytes);
  NEED(12, "header");
  if (bytes.substr(0, 4) != std::string_view("FMR\0", 4)) return in.Fail(0, "format identifier", "not \"FMR\"");
  const std::string_view version = bytes.substr(4, 4);
  FingerTemplate t;
  in.Skip(8);
  if (version == std::string_view("030\0", 4) || version == std::string_view("035\0", 4)) {
    const size_t length = in.U(4);
    if (length != bytes.size())
      return in.Fail(8, "record length", std::to_string(length) + " but the record has " + std::to_string(bytes.size()) + " bytes");
    // "035" is only ANSI (378-2009 with its 2010 amendment). "030" is ISO
    // 2011 or ANSI 2009: the one whose lengths frame the record decides, ISO
    // if both do; if neither does, both readings say where they fail.
    const bool iso = version[2] == '0' && FramedAsIso2011(bytes);
    if (iso || version[2] == '5' || FramedAsAnsi2009(bytes)) {
      t.standard = iso ? FmrStandard::kIso2011 : FmrStandard::kAnsi2009;
      if (auto s = iso ? ReadIso2011(in, bytes.size(), &t) : ReadAnsi2009(in, &t); !s.ok()) return s;
    } else {
      // Neither reading can succeed: one that did would frame the record.
      Bytes ansi_in = in;
      FingerTemplate ignored;
      const Status as_iso = ReadIso2011(in, bytes.size(), &ignored);
      const Status as_ansi = ReadAnsi2009(ansi_in, &ignored);
      const size_t prefix = std::string_view("finger minutiae record: ").size();
      auto where = [&](const Status& s) { return s.ok() ? std::string("?") : s.message().substr(prefix); };
      return Status::Error("finger minutiae record: neither ISO 19794-2:2011 (" + where(as_iso) +
                           ") nor ANSI INCITS 378-2009 (" + where(as_ansi) + ")");
    }
  } else if (version == std::string_view(" 20\0", 4)) {
    // ISO 2005 has a 4-byte length; ANSI 2004 a 2-byte one, or 0 and a
    // 4-byte one after it.
    const uint32_t four = in.U(4);
    Bytes ansi(bytes);
    ansi.Skip(8);
    const uint32_t two = ansi.U(2);
    size_t header = 0;
    if (four == bytes.size()) {
      t.standard = FmrStandard::kIso2005;
      header = 24;
    } else if (two == bytes.size() || (two == 0 && bytes.size() >= 14 && (ansi.U(4) == bytes.size()))) {
      t.standard = FmrStandard::kAnsi2004;
      header = two == 0 ? 30 : 26;
    } else {
      return in.Fail(8, "record length", "matches the record's " + std::to_string(bytes.size()) +
                                              " bytes neither as ISO 19794-2:2005 (4 bytes) nor as ANSI 378-2004 (2 or 6)");
    }
    Bytes h(bytes);
    if (!h.Need(header, "header")) return Status::Error("finger minutiae record: " + h.error());
    h.Skip(header - 10);  // width, height, resolutions, views, reserved: the last 10 bytes of either header
    t.width = static_cast<uint16_t>(h.U(2));
    t.height = static_cast<uint16_t>(h.U(2));
    t.x_resolution = static_cast<uint16_t>(h.U(2));
    t.y_resolution = static_cast<uint16_t>(h.U(2));
    const size_t views = h.U(1);
    h.Skip(1);
    if (auto s = ReadViews2005(h, views, t.standard, &t); !s.ok()) return s;
    if (h.left() != 0)
      return h.Fail(h.at(), "record", std::to_string(h.left()) + " bytes after the last finger view");
  } else {
    return in.Fail(4, "version", "not one this reader knows (\" 20\", \"030\" or \"035\")");
  }
  if (t.views.empty()) return Status::Error("finger minutiae record: no finger view");
  return t;
}

std::string write_fmr(const FingerTemplate& t) {
  std::string out("FMR\0 20\0", 8);
  auto put = [&](uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  size_t length = 24;
  for (const FingerView& v : t.views) length += 4 + 6 * v.minutiae.size() + 2;
  put(static_cast<uint32_t>(length), 4);
  put(0, 2);  // capture equipment
  put(t.width, 2);
  put(t.height, 2);
  put(t.x_resolution, 2);
  put(t.y_resolution, 2);
  put(static_cast<uint32_t>(t.views.size()), 1);
  put(0, 1);
  for (const FingerView& v : t.views) {
    put(v.finger <= 10 ? v.finger : 0, 1);
    put(static_cast<uint32_t>(v.view << 4 | (v.impression & 0x0f)), 1);
    put(v.quality, 1);
    put(static_cast<uint32_t>(v.minutiae.size()), 1);
    for (const Minutia& m : v.minutiae) {
      put(static_cast<uint32_t>(m.type) << 14 | (m.x & 0x3fff), 2);
      put(m.y & 0x3fff, 2);
      put(m.angle, 1);
      put(m.quality, 1);
    }
    put(0, 2);
  }
  return out;
}

}  // namespace vigil
