#include "biometrics/wsq.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace vigil {
namespace {

enum : uint16_t {
  kSoi = 0xffa0,  // start of image
  kEoi = 0xffa1,  // end of image
  kSof = 0xffa2,  // frame header
  kSob = 0xffa3,  // block header, then entropy-coded data
  kDtt = 0xffa4,  // transform table: the wavelet filters
  kDqt = 0xffa5,  // quantisation table
  kDht = 0xffa6,  // Huffman tables
  kDrt = 0xffa7,  // restart interval (not used by the specification's encoders)
  kCom = 0xffa8,  // comment
};

constexpr int kSubbands = 64;
constexpr int kCodedSubbands = 60;  // the last four, the finest diagonal detail, are never coded
constexpr int kHuffmanTables = 8;

// A rectangle of the wavelet plane.
struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
};

// The decomposition the specification fixes. Each of its 20 nodes is a
// rectangle split once into four quadrants (0 top left, 1 top right, 2
// bottom left, 3 bottom right) by one level of the 2-D transform; nodes
// 1 to 19 are quadrants of earlier ones, split again. A quadrant on the
// right holds its parent's high band across, one below its high band
// down: its spectrum along that axis is inverted, and its own split puts
// the smaller half first along it.
struct Node {
  int parent, quadrant;
};
constexpr std::array<Node, 20> kNodes = {{{-1, 0}, {0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {4, 0},
                                          {4, 1},  {4, 2}, {4, 3}, {5, 0}, {5, 1}, {5, 2}, {5, 3},
                                          {1, 0},  {14, 0}, {14, 1}, {14, 2}, {14, 3}, {15, 0}}};

struct Tree {
  std::array<Rect, kNodes.size()> nodes;
  std::vector<Rect> subbands;  // in the order their coefficients are coded
};

bool InvertedAcross(int node) { return kNodes[static_cast<size_t>(node)].quadrant & 1; }
bool InvertedDown(int node) { return kNodes[static_cast<size_t>(node)].quadrant & 2; }

Rect Quadrant(const Rect& r, bool inverted_across, bool inverted_down, int q) {
  const int first_w = inverted_across ? r.w / 2 : (r.w + 1) / 2;
  const int first_h = inverted_down ? r.h / 2 : (r.h + 1) / 2;
  Rect out;
  out.x = r.x + (q & 1 ? first_w : 0);
  out.w = q & 1 ? r.w - first_w : first_w;
  out.y = r.y + (q & 2 ? first_h : 0);
  out.h = q & 2 ? r.h - first_h : first_h;
  return out;
}

// Subbands are the quadrants that are not nodes, depth first in quadrant
// order from the whole image.
void Leaves(Tree& t, int node) {
  for (int q = 0; q < 4; ++q) {
    int child = -1;
    for (size_t n = 1; n < kNodes.size(); ++n)
      if (kNodes[n].parent == node && kNodes[n].quadrant == q) child = static_cast<int>(n);
    if (child >= 0) Leaves(t, child);
    else t.subbands.push_back(Quadrant(t.nodes[static_cast<size_t>(node)], InvertedAcross(node), InvertedDown(node), q));
  }
}

Tree BuildTree(int width, int height) {
  Tree t;
  t.nodes[0] = {0, 0, width, height};
  for (size_t n = 1; n < kNodes.size(); ++n) {
    const int parent = kNodes[n].parent;
    t.nodes[n] = Quadrant(t.nodes[static_cast<size_t>(parent)], InvertedAcross(parent), InvertedDown(parent),
                          kNodes[n].quadrant);
  }
  Leaves(t, 0);
  t.subbands.resize(kCodedSubbands);
  return t;
}

// The synthesis filters, centred: the specification's 7-tap low-pass and
// 9-tap high-pass (from its 9-tap analysis low-pass and 7-tap high-pass).
struct Filters {
  std::array<float, 7> low{};
  std::array<float, 9> high{};
  bool defined = false;
};

struct Quantisation {
  float bin_centre = 0;
  std::array<float, kSubbands> q{}, z{};  // bin width, and zero-bin width, per subband
  bool defined = false;
};

struct Huffman {
  std::array<int, 17> max_code{}, min_code{}, first{};  // per code length, as in JPEG decoding
  std::vector<uint8_t> values;
  bool defined = false;
};

struct Frame {
  int width = 0, height = 0;
  float shift = 0, scale = 1;  // pixel = coefficient * scale + shift
};

class Decoder {
 public:
  explicit Decoder(std::string_view b) : b_(b) {}
  Result<GrayImage> Decode(int fallback_ppi);

 private:
  Status Fail(size_t at, const std::string& what, const std::string& why) const {
    return Status::Error("WSQ image: at byte " + std::to_string(at) + ": " + what + ": " + why);
  }
  bool Has(size_t n) const { return b_.size() - at_ >= n; }
  uint32_t Take(size_t n) {  // after Has(n)
    const uint32_t v = big_endian(b_, at_, n);
    at_ += n;
    return v;
  }
  // A scaled number: a byte of decimal exponent, then `n` bytes of value.
  float Scaled(size_t n) {
    int exponent = static_cast<int>(Take(1));
    float v = static_cast<float>(Take(n));
    while (exponent-- > 0) v = static_cast<float>(v / 10.0);
    return v;
  }
  Result<uint16_t> NextMarker(const char* expected);
  // Reads tables and comments up to the next of the `stops` markers, which
  // it returns with marker_at_ set to its offset; any other marker is
  // refused as `misplaced`.
  Result<uint16_t> TablesUntil(std::initializer_list<uint16_t> stops, const char* expected, const char* misplaced);
  // Reads the segment after `marker` at `at` (its length field first).
  Status Segment(uint16_t marker, size_t at);
  Status Transform(size_t end);
  Status Quantise(size_t end);
  Status Tables(size_t end);
  Status FrameHeader(size_t end);
  void Comment(size_t end);
  Status Entropy(const Tree& tree);

  std::string_view b_;
  size_t at_ = 0;
  Filters filters_;
  Quantisation quant_;
  std::array<Huffman, kHuffmanTables> huffman_;
  Frame frame_;
  size_t marker_at_ = 0;  // of the marker TablesUntil() last returned
  int ppi_ = 0;
  std::vector<int32_t> coefficients_;
};

Result<uint16_t> Decoder::NextMarker(const char* expected) {
  if (!Has(2)) return Fail(at_, "marker", std::string("the file ends where ") + expected + " belongs");
  const size_t at = at_;
  const auto m = static_cast<uint16_t>(Take(2));
  if (m < kSoi || m > kCom) return Fail(at, "marker", std::string("not a WSQ marker where ") + expected + " belongs");
  return m;
}

Result<uint16_t> Decoder::TablesUntil(std::initializer_list<uint16_t> stops, const char* expected, const char* misplaced) {
  while (true) {
    const size_t at = at_;
    auto m = NextMarker(expected);
    if (!m.ok()) return m.status();
    if (std::find(stops.begin(), stops.end(), *m) != stops.end()) {
      marker_at_ = at;
      return *m;
    }
    if (*m == kSoi || *m == kEoi || *m == kSof || *m == kSob) return Fail(at, "marker", misplaced);
    if (auto s = Segment(*m, at); !s.ok()) return s;
  }
}

Status Decoder::Segment(uint16_t marker, size_t at) {
  static const char* const kNames[] = {"SOI", "EOI", "SOF", "SOB", "DTT", "DQT", "DHT", "DRT", "COM"};
  const std::string name = kNames[marker - kSoi];
  if (!Has(2)) return Fail(at, name, "the file ends in the segment's length");
  const size_t length = Take(2);
  if (length < 2 || length - 2 > b_.size() - at_)
    return Fail(at + 2, name, "length " + std::to_string(length) + " runs past the end of the file");
  const size_t end = at_ + length - 2;
  Status s = Status::Ok();
  switch (marker) {
    case kDtt: s = Transform(end); break;
    case kDqt: s = Quantise(end); break;
    case kDht: s = Tables(end); break;
    case kSof: s = FrameHeader(end); break;
    case kCom: Comment(end); break;
    case kDrt: at_ = end; break;
    default: return Fail(at, name, "not expected here");
  }
  if (!s.ok()) return s;
  if (at_ != end) return Fail(at, name, "length " + std::to_string(length) + " does not match its contents");
  return Status::Ok();
}

Status Decoder::Transform(size_t end) {
  const size_t at = at_ - 4;
  if (end - at_ < 2) return Fail(at, "DTT", "too short for the filter lengths");
  const int high_taps = static_cast<int>(Take(1)), low_taps = static_cast<int>(Take(1));
  if (high_taps != 9 || low_taps != 7)
    return Fail(at, "DTT", "synthesis filters of " + std::to_string(high_taps) + " and " + std::to_string(low_taps) +
                               " taps; the specification's are 9 and 7");
  // Half of each analysis filter is sent, centre first; the synthesis
  // filters are them with every other sign turned, the high-pass from the
  // low-pass and the low-pass from the high-pass.
  if (end - at_ != 6 * (5 + 4)) return Fail(at, "DTT", "the filter coefficients do not fill the segment");
  auto coefficient = [&] {
    const bool negative = Take(1) != 0;
    const float v = Scaled(4);
    return negative ? -v : v;
  };
  for (int i = 0; i < 5; ++i) {
    const float v = (i % 2 ? -1.0f : 1.0f) * coefficient();
    filters_.high[static_cast<size_t>(4 + i)] = filters_.high[static_cast<size_t>(4 - i)] = v;
  }
  for (int i = 0; i < 4; ++i) {
    const float v = (i % 2 ? -1.0f : 1.0f) * coefficient();
    filters_.low[static_cast<size_t>(3 + i)] = filters_.low[static_cast<size_t>(3 - i)] = v;
  }
  filters_.defined = true;
  return Status::Ok();
}

Status Decoder::Quantise(size_t end) {
  if (end - at_ != 3 + kSubbands * 6) return Fail(at_ - 4, "DQT", "not 3 + 64 * 6 bytes");
  quant_.bin_centre = Scaled(2);
  for (size_t i = 0; i < kSubbands; ++i) {
    quant_.q[i] = Scaled(2);
    quant_.z[i] = Scaled(2);
  }
  quant_.defined = true;
  return Status::Ok();
}

Status Decoder::Tables(size_t end) {
  while (at_ < end) {
    const size_t at = at_;
    if (end - at_ < 17) return Fail(at, "DHT", "a table ends within its 16 code-length counts");
    const uint32_t id = Take(1);
    if (id >= kHuffmanTables) return Fail(at, "DHT", "table " + std::to_string(id) + " (0 to 7 are allowed)");
    Huffman& h = huffman_[id];
    std::array<int, 17> counts{};
    size_t total = 0;
    for (size_t length = 1; length <= 16; ++length) total += counts[length] = static_cast<int>(Take(1));
    if (total == 0 || total > 256 || end - at_ < total)
      return Fail(at, "DHT", "table " + std::to_string(id) + ": " + std::to_string(total) + " codes");
    h.values.assign(b_.begin() + static_cast<long>(at_), b_.begin() + static_cast<long>(at_ + total));
    at_ += total;
    // Canonical codes: each length's run follows the shorter ones, doubled.
    int code = 0, index = 0;
    for (size_t length = 1; length <= 16; ++length) {
      h.first[length] = index;
      h.min_code[length] = code;
      h.max_code[length] = counts[length] ? code + counts[length] - 1 : -1;
      code += counts[length];
      index += counts[length];
      if (code > (1 << length)) return Fail(at, "DHT", "table " + std::to_string(id) + ": more codes than bits");
      code <<= 1;
    }
    h.defined = true;
  }
  return Status::Ok();
}

Status Decoder::FrameHeader(size_t end) {
  const size_t at = at_ - 4;
  if (end - at_ != 15) return Fail(at, "SOF", "not 17 bytes long");
  Take(2);  // black and white levels: informative
  frame_.height = static_cast<int>(Take(2));
  frame_.width = static_cast<int>(Take(2));
  frame_.shift = Scaled(2);
  frame_.scale = Scaled(2);
  Take(3);  // encoder number and software
  if (auto s = check_image_size("WSQ", frame_.width, frame_.height); !s.ok()) return Fail(at, "SOF", s.message());
  if (frame_.scale == 0) return Fail(at, "SOF", "a scale of 0");
  return Status::Ok();
}

// A NISTCOM comment ("NIST_COM", then "KEY value" lines) may state the
// resolution as "PPI n"; other comments are skipped.
void Decoder::Comment(size_t end) {
  const std::string_view text = b_.substr(at_, end - at_);
  at_ = end;
  if (text.rfind("NIST_COM", 0) != 0) return;
  for (size_t line = 0; line < text.size();) {
    const size_t stop = std::min(text.find('\n', line), text.size());
    const std::string_view l = text.substr(line, stop - line);
    if (l.rfind("PPI ", 0) == 0) {
      int v = 0;
      for (char c : l.substr(4)) {
        if (c < '0' || c > '9' || v > 100000) break;
        v = v * 10 + (c - '0');
      }
      ppi_ = v;
    }
    line = stop + 1;
  }
}

// The entropy-coded blocks: Huffman codes for runs of zeros and for
// quantised coefficients, in subband order, up to the end of the image.
Status Decoder::Entropy(const Tree& tree) {
  size_t wanted = 0;
  for (int i = 0; i < kCodedSubbands; ++i)
    if (quant_.q[static_cast<size_t>(i)] != 0)
      wanted += static_cast<size_t>(tree.subbands[static_cast<size_t>(i)].w) *
                static_cast<size_t>(tree.subbands[static_cast<size_t>(i)].h);
  coefficients_.clear();
  coefficients_.reserve(wanted);
  // Decode() has read the first SOB marker. Tables may be redefined
  // between blocks.
  for (uint16_t marker = kSob; marker != kEoi;) {
    const size_t marker_at = marker_at_;
    if (!Has(3)) return Fail(marker_at, "SOB", "the file ends in the block header");
    if (Take(2) != 3) return Fail(marker_at, "SOB", "length is not 3");
    const uint32_t id = Take(1);
    if (id >= kHuffmanTables || !huffman_[id].defined)
      return Fail(marker_at, "SOB", "Huffman table " + std::to_string(id) + " is not defined");
    const Huffman& h = huffman_[id];
    // Bits, most significant first; 0xFF is followed by a stuffed 0x00,
    // and by anything else only as the marker that ends the block.
    int byte = 0, left = 0;
    bool at_marker = false;
    auto bit = [&]() -> int {
      if (left == 0) {
        if (at_ >= b_.size()) return -1;
        if (static_cast<uint8_t>(b_[at_]) == 0xff) {
          if (at_ + 1 >= b_.size()) return -1;
          if (b_[at_ + 1] != 0) {
            at_marker = true;
            return -1;
          }
          byte = 0xff;
          at_ += 2;
        } else {
          byte = static_cast<uint8_t>(b_[at_++]);
        }
        left = 8;
      }
      return (byte >> --left) & 1;
    };
    auto bits = [&](int n) -> long {
      long v = 0;
      for (int i = 0; i < n; ++i) {
        const int b = bit();
        if (b < 0) return -1;
        v = (v << 1) | b;
      }
      return v;
    };
    while (true) {
      const size_t code_at = at_;
      // One code: a bit at a time until it falls within its length's run.
      int code = 0, length = 0, b = 0;
      bool ones = true;
      while (length < 16 && (b = bit()) >= 0) {
        code = (code << 1) | b;
        ones = ones && b == 1;
        ++length;
        if (code <= h.max_code[static_cast<size_t>(length)]) break;
      }
      if (b < 0) {
        // The block ends: only padding (1 bits) may precede the marker.
        if (!at_marker) return Fail(code_at, "entropy-coded data", "the file ends before EOI");
        if (!ones) return Fail(code_at, "entropy-coded data", "a Huffman code cut short by a marker");
        break;
      }
      if (code > h.max_code[static_cast<size_t>(length)])
        return Fail(code_at, "entropy-coded data", "a code not in Huffman table " + std::to_string(id));
      const int symbol = h.values[static_cast<size_t>(h.first[static_cast<size_t>(length)] + code -
                                                      h.min_code[static_cast<size_t>(length)])];
      // 1-100: that many zeros; 101-104: a value in the next 8 or 16 bits,
      // positive or negative; 105-106: a run of zeros counted in the next 8
      // or 16 bits; 107-254: the value symbol - 180.
      long zeros = 0, value = 0, raw = 0;
      bool is_value = false;
      if (symbol >= 1 && symbol <= 100) zeros = symbol;
      else if (symbol >= 107 && symbol <= 254) value = symbol - 180, is_value = true;
      else if (symbol >= 101 && symbol <= 106) raw = bits(symbol == 101 || symbol == 102 || symbol == 105 ? 8 : 16);
      else return Fail(code_at, "entropy-coded data", "symbol " + std::to_string(symbol) + " has no meaning");
      if (raw < 0) return Fail(code_at, "entropy-coded data", "a value cut short");
      if (symbol == 101 || symbol == 103) value = raw, is_value = true;
      if (symbol == 102 || symbol == 104) value = -raw, is_value = true;
      if (symbol == 105 || symbol == 106) zeros = raw;
      const size_t adding = is_value ? 1 : static_cast<size_t>(zeros);
      if (adding > wanted - coefficients_.size())
        return Fail(code_at, "entropy-coded data", "more coefficients than the subbands hold (" + std::to_string(wanted) + ")");
      if (is_value) coefficients_.push_back(static_cast<int32_t>(value));
      else coefficients_.insert(coefficients_.end(), adding, 0);
    }
    auto m = TablesUntil({kSob, kEoi}, "a table, SOB or EOI", "SOI or SOF after the frame header");
    if (!m.ok()) return m.status();
    marker = *m;
  }
  if (coefficients_.size() != wanted)
    return Fail(marker_at_, "EOI", std::to_string(coefficients_.size()) + " coefficients where the subbands hold " +
                                      std::to_string(wanted));
  return Status::Ok();
}

// Reflects a position into [0, n): the line is symmetric about its first
// and its last sample.
inline int Reflect(int p, int n) {
  if (n == 1) return 0;
  const int period = 2 * (n - 1);
  p %= period;
  if (p < 0) p += period;
  return p < n ? p : period - p;
}

// One line of `n` samples rebuilt from its bands: the low band (ceil(n/2)
// samples, at even places) and the high band (the rest, at odd places),
// low first unless the line is inverted. Reads with `in_step`, writes with
// `out_step`.
void Synthesise(const float* in, ptrdiff_t in_step, int n, bool inverted, const Filters& f, float* out,
                ptrdiff_t out_step, std::vector<float>& line) {
  constexpr int kPad = 4;
  const int low = (n + 1) / 2, high = n / 2;
  const float* lows = in + (inverted ? high : 0) * in_step;
  const float* highs = in + (inverted ? 0 : low) * in_step;
  line.resize(static_cast<size_t>(n + 2 * kPad));
  for (int p = -kPad; p < n + kPad; ++p) {
    const int r = Reflect(p, n);
    line[static_cast<size_t>(p + kPad)] = r % 2 ? highs[(r / 2) * in_step] : lows[(r / 2) * in_step];
  }
  const float* at = line.data() + kPad;
  for (int i = 0; i < n; ++i) {
    // Only taps that land on a sample of the right band count: both
    // filters are centred, and of odd length.
    float v = 0;
    for (int k = (i + 1) % 2; k < 7; k += 2) v += at[i + 3 - k] * f.low[static_cast<size_t>(k)];
    for (int k = (i + 1) % 2; k < 9; k += 2) v += at[i + 4 - k] * f.high[static_cast<size_t>(k)];
    out[i * out_step] = v;
  }
}

Result<GrayImage> Decoder::Decode(int fallback_ppi) {
  auto m = NextMarker("SOI");
  if (!m.ok() || *m != kSoi) return Fail(0, "SOI", "the file does not start with the WSQ start-of-image marker");
  // Tables and comments, the frame header, more tables, then the blocks.
  auto sof = TablesUntil({kSof}, "a table or SOF", "no frame header (SOF) before the image data");
  if (!sof.ok()) return sof.status();
  if (auto s = Segment(kSof, marker_at_); !s.ok()) return s;
  const Tree tree = BuildTree(frame_.width, frame_.height);
  auto sob = TablesUntil({kSob}, "a table or SOB", "no image data (SOB) after the frame header");
  if (!sob.ok()) return sob.status();
  if (!filters_.defined) return Fail(at_, "SOB", "no transform table (DTT) before the image data");
  if (!quant_.defined) return Fail(at_, "SOB", "no quantisation table (DQT) before the image data");
  if (auto s = Entropy(tree); !s.ok()) return s;

  // Dequantise into the wavelet plane.
  const int w = frame_.width, h = frame_.height;
  std::vector<float> plane(static_cast<size_t>(w) * static_cast<size_t>(h), 0.0f);
  size_t next = 0;
  for (size_t i = 0; i < kCodedSubbands; ++i) {
    const float q = quant_.q[i], half_zero = quant_.z[i] / 2.0f, c = quant_.bin_centre;
    if (q == 0) continue;
    const Rect& r = tree.subbands[i];
    for (int y = r.y; y < r.y + r.h; ++y)
      for (int x = r.x; x < r.x + r.w; ++x) {
        const int32_t v = coefficients_[next++];
        plane[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] =
            v == 0 ? 0.0f : v > 0 ? q * (static_cast<float>(v) - c) + half_zero : q * (static_cast<float>(v) + c) - half_zero;
      }
  }
  // Undo the transform, deepest node first: down the columns, then along
  // the rows.
  std::vector<float> across(plane.size());
  std::vector<float> line;
  for (size_t n = kNodes.size(); n-- > 0;) {
    const Rect& r = tree.nodes[n];
    const int node = static_cast<int>(n);
    for (int x = 0; x < r.w; ++x)
      Synthesise(&plane[static_cast<size_t>(r.y) * static_cast<size_t>(w) + static_cast<size_t>(r.x + x)], w, r.h,
                 InvertedDown(node), filters_, &across[static_cast<size_t>(x)], w, line);
    for (int y = 0; y < r.h; ++y)
      Synthesise(&across[static_cast<size_t>(y) * static_cast<size_t>(w)], 1, r.w, InvertedAcross(node), filters_,
                 &plane[static_cast<size_t>(r.y + y) * static_cast<size_t>(w) + static_cast<size_t>(r.x)], 1, line);
  }
  GrayImage image;
  image.width = w;
  image.height = h;
  image.ppi = ppi_ > 0 ? ppi_ : fallback_ppi;
  image.pixels.resize(plane.size());
  for (size_t i = 0; i < plane.size(); ++i) {
    const float v = static_cast<float>(plane[i] * frame_.scale + frame_.shift + 0.5);
    image.pixels[i] = v <= 0 ? 0 : v >= 255 ? 255 : static_cast<uint8_t>(v);
  }
  return image;
}

}  // namespace

Result<GrayImage> decode_wsq(std::string_view bytes, int fallback_ppi) { return Decoder(bytes).Decode(fallback_ppi); }

}  // namespace vigil
