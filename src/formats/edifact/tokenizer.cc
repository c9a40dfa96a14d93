#include "formats/edifact/tokenizer.h"

#include "base/text.h"

#include <cstring>

namespace vigil::edifact {
namespace {

constexpr uint32_t kMaxWarnings = 50;

void trim(std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  if (b || e != s.size()) s = s.substr(b, e - b);
}

}  // namespace

size_t Segment::component_count(size_t e) const {
  if (e >= element_start_.size()) return 0;
  const size_t end = e + 1 < element_start_.size() ? element_start_[e + 1] : components_.size();
  return end - element_start_[e];
}

std::string_view Segment::raw(size_t e, size_t c) const {
  if (c >= component_count(e)) return {};
  return components_[element_start_[e] + c].raw;
}

std::string Segment::text(size_t e, size_t c) const {
  if (c >= component_count(e)) return {};
  const Component& comp = components_[element_start_[e] + c];
  std::string out;
  if (!comp.needs_cleaning) {
    out.assign(comp.raw);
  } else {
    out.reserve(comp.raw.size());
    for (size_t i = 0; i < comp.raw.size(); ++i) {
      char ch = comp.raw[i];
      if (ch == release_ && i + 1 < comp.raw.size()) {
        ch = comp.raw[++i];
        out.push_back(ch);
        continue;
      }
      if (ch == '\r' || ch == '\n') continue;
      out.push_back(ch);
    }
    // Not UTF-8: read the bytes as Latin-1.
    if (invalid_utf8_at(out) != std::string::npos) out = latin1_to_utf8(out);
  }
  trim(out);
  return out;
}

std::string Segment::joined(size_t e, size_t first, std::string_view sep) const {
  std::string out;
  for (size_t c = first; c < component_count(e); ++c) {
    std::string part = text(e, c);
    if (part.empty()) continue;
    if (!out.empty()) out += sep;
    out += part;
  }
  return out;
}

bool Segment::empty(size_t e) const {
  for (size_t c = 0; c < component_count(e); ++c)
    if (!raw(e, c).empty()) return false;
  return true;
}

Tokenizer::Tokenizer(std::string_view input, std::string file, Diagnostics* diags)
    : in_(input), file_(std::move(file)), diags_(diags) {
  if (in_.size() >= 3 && std::memcmp(in_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\r' || in_[pos_] == '\n' ||
                               in_[pos_] == '\t')) {
    if (in_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }
  if (in_.substr(pos_, 3) == "UNA") ReadServiceStringAdvice();
  BuildClasses();
}

void Tokenizer::ReadServiceStringAdvice() {
  had_una_ = true;
  if (in_.size() - pos_ < 9) {
    diags_->error(where_offset(pos_, "UNA"), "service string advice is truncated");
    failed_ = true;
    return;
  }
  const char* p = in_.data() + pos_ + 3;
  delims_ = {p[0], p[1], p[2], p[3], p[4], p[5]};
  const char set[] = {p[0], p[1], p[3], p[5]};
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j)
      if (set[i] == set[j]) {
        diags_->error(where_offset(pos_, "UNA"),
                      "service string advice repeats the character '" + std::string(1, set[i]) +
                          "'");
        failed_ = true;
        return;
      }
  pos_ += 9;
}

void Tokenizer::BuildClasses() {
  for (int i = 0; i < 256; ++i) classes_[i] = kData;
  for (int i = 0; i < 0x20; ++i) classes_[i] = kBad;
  classes_[static_cast<unsigned char>('\t')] = kData;
  classes_[static_cast<unsigned char>('\r')] = kNewline;
  classes_[static_cast<unsigned char>('\n')] = kNewline;
  if (!eight_bit_)
    for (int i = 0x80; i < 256; ++i) classes_[i] = kBad;
  classes_[static_cast<unsigned char>(delims_.component)] = kComponent;
  classes_[static_cast<unsigned char>(delims_.element)] = kElement;
  classes_[static_cast<unsigned char>(delims_.release)] = kRelease;
  classes_[static_cast<unsigned char>(delims_.segment)] = kTerminator;
}

void Tokenizer::SetSyntaxLevel(std::string_view id) {
  // UNOA and UNOB are 7-bit; UNOC.. UNOK are 8-bit ISO 8859 sets, UNOW/UNOX/
  // UNOY are Unicode, and PNRGOV's "IATA" carries 8-bit text as well.
  const bool eight_bit = !(id == "UNOA" || id == "UNOB");
  if (eight_bit != eight_bit_) {
    eight_bit_ = eight_bit;
    BuildClasses();
  }
}

Location Tokenizer::where_offset(uint64_t offset, std::string_view segment) const {
  // Line and column are recomputed from the input so that they are exact for
  // any offset, not only for the segment being read.
  uint32_t line = 1;
  size_t line_start = 0;
  const size_t end = std::min<size_t>(offset, in_.size());
  for (size_t i = 0; i < end; ++i)
    if (in_[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return Location{file_, line, static_cast<uint32_t>(end - line_start + 1), offset,
                  std::string(segment)};
}

Location Tokenizer::where(const Segment& seg) const {
  return Location{file_, seg.line_, seg.column_, seg.offset_, std::string(seg.tag_)};
}

void Tokenizer::Warn(uint64_t offset, std::string_view segment, std::string reason) {
  if (++warnings_ > kMaxWarnings) {
    if (warnings_ == kMaxWarnings + 1)
      diags_->warn(where_offset(offset, segment), "further syntax warnings suppressed");
    return;
  }
  diags_->warn(where_offset(offset, segment), std::move(reason));
}

bool Tokenizer::Next(Segment* seg) {
  if (failed_) return false;
  const char* const data = in_.data();
  const size_t n = in_.size();
  size_t i = pos_;
  // Line breaks and blanks between segments are layout, not data.
  while (i < n && (classes_[static_cast<unsigned char>(data[i])] == kNewline ||
                   ((data[i] == ' ' || data[i] == '\t') &&
                    classes_[static_cast<unsigned char>(data[i])] == kData))) {
    if (data[i] == '\n') {
      ++line_;
      line_start_ = i + 1;
    }
    ++i;
  }
  if (i >= n) {
    pos_ = i;
    return false;
  }
  if (n - i >= 3 && data[i] == 'U' && data[i + 1] == 'N' && data[i + 2] == 'A') {
    // A further interchange in the same input, with its own separators.
    pos_ = i;
    ReadServiceStringAdvice();
    if (failed_) return false;
    BuildClasses();
    return Next(seg);
  }

  seg->offset_ = i;
  seg->line_ = line_;
  seg->column_ = static_cast<uint32_t>(i - line_start_ + 1);
  seg->release_ = delims_.release;
  seg->element_start_.clear();
  seg->components_.clear();

  const size_t tag_start = i;
  while (i < n && classes_[static_cast<unsigned char>(data[i])] == kData) ++i;
  size_t tag_end = i;
  while (tag_end > tag_start && data[tag_end - 1] == ' ') --tag_end;
  seg->tag_ = std::string_view(data + tag_start, tag_end - tag_start);
  const std::string_view tag = seg->tag_;
  bool tag_ok = tag.size() == 3;
  for (char ch : tag) tag_ok = tag_ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
  if (!tag_ok) {
    if (tag.empty() && i < n && classes_[static_cast<unsigned char>(data[i])] == kBad &&
        data[i] == '\0') {
      diags_->error(where_offset(i, ""), "binary data (NUL byte) where a segment tag belongs");
    } else {
      const std::string shown(tag.substr(0, 16));
      diags_->error(where_offset(tag_start, shown),
                    "expected a three-character segment tag, found '" + shown + "'");
    }
    failed_ = true;
    return false;
  }
  if (tag_end != i) Warn(tag_end, tag, "stray space after the segment tag");

  // Elements and components.
  if (i < n && classes_[static_cast<unsigned char>(data[i])] == kElement) {
    ++i;
    seg->element_start_.push_back(0);
    for (;;) {
      const size_t start = i;
      bool cleaning = false;
      for (;;) {
        // Fast scan over plain data: the common case.
        while (i < n && classes_[static_cast<unsigned char>(data[i])] == kData) ++i;
        if (i >= n) break;
        const Class cls = classes_[static_cast<unsigned char>(data[i])];
        if (cls == kRelease) {
          if (i + 1 >= n) {
            diags_->error(where_offset(i, tag), "release character at the end of the input");
            failed_ = true;
            return false;
          }
          if (data[i + 1] == '\n') {
            ++line_;
            line_start_ = i + 2;
          }
          cleaning = true;
          i += 2;
        } else if (cls == kNewline) {
          if (data[i] == '\n') {
            Warn(i, tag, "line break inside a data element");
            ++line_;
            line_start_ = i + 1;
          }
          cleaning = true;
          ++i;
        } else if (cls == kBad) {
          if (data[i] == '\0') {
            diags_->error(where_offset(i, tag), "binary data (NUL byte) inside a segment");
            failed_ = true;
            return false;
          }
          if (repertoire_warned_at_ != seg->offset_) {  // once per segment
            repertoire_warned_at_ = seg->offset_;
            Warn(i, tag, "character outside the declared repertoire (byte 0x" +
                             std::string(1, "0123456789ABCDEF"[(data[i] >> 4) & 0xF]) +
                             std::string(1, "0123456789ABCDEF"[data[i] & 0xF]) + ")");
          }
          cleaning = true;
          ++i;
        } else {
          break;
        }
      }
      seg->components_.push_back({std::string_view(data + start, i - start), cleaning});
      if (i >= n) {
        diags_->error(where_offset(seg->offset_, tag),
                      "input ends inside the segment (no segment terminator)");
        failed_ = true;
        return false;
      }
      const Class cls = classes_[static_cast<unsigned char>(data[i])];
      ++i;
      if (cls == kComponent) continue;
      if (cls == kElement) {
        seg->element_start_.push_back(static_cast<uint32_t>(seg->components_.size()));
        continue;
      }
      break;  // terminator
    }
  } else if (i < n && classes_[static_cast<unsigned char>(data[i])] == kTerminator) {
    ++i;
  } else {
    diags_->error(where_offset(seg->offset_, tag),
                  i >= n ? "input ends inside the segment (no segment terminator)"
                         : "unexpected character after the segment tag");
    failed_ = true;
    return false;
  }
  pos_ = i;
  if (tag == "UNB") SetSyntaxLevel(seg->raw(0, 0));
  return true;
}

}  // namespace vigil::edifact
