// UN/EDIFACT syntax: splits an interchange into segments, data elements and
// components, honouring the UNA service string advice and the release
// character. Pull-based and allocation-free after warm-up: one Segment is
// reused for every call to Next(), so memory does not grow with the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vigil::edifact {

// The six service characters. Defaults are those of ISO 9735 level A.
struct Delimiters {
  char component = ':';
  char element = '+';
  char decimal = '.';
  char release = '?';
  char repetition = ' ';  // reserved; not split on
  char segment = '\'';
};

// One segment of an interchange. Views point into the tokenizer's input and
// are valid until the next call to Tokenizer::Next().
class Segment {
 public:
  std::string_view tag() const { return tag_; }
  uint64_t offset() const { return offset_; }  // byte offset of the tag
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }

  // Number of data elements after the tag.
  size_t element_count() const { return element_start_.size(); }
  // Number of components of element `e` (0 when the element is absent).
  size_t component_count(size_t e) const;
  // Component `c` of element `e` as it stands in the input (release
  // characters still in place); empty when absent.
  std::string_view raw(size_t e, size_t c = 0) const;
  // Component `c` of element `e` with release characters removed, line
  // breaks dropped, text that is not valid UTF-8 read as Latin-1, and
  // surrounding spaces trimmed; empty when absent.
  std::string text(size_t e, size_t c = 0) const;
  // All components of element `e` from `first` on, as text, joined by `sep`
  // (empty components skipped).
  std::string joined(size_t e, size_t first = 0, std::string_view sep = " ") const;
  // True when element `e` is absent or all its components are empty.
  bool empty(size_t e) const;

 private:
  friend class Tokenizer;
  struct Component {
    std::string_view raw;
    bool needs_cleaning;  // holds release characters, line breaks or 8-bit bytes
  };
  std::string_view tag_;
  uint64_t offset_ = 0;
  uint32_t line_ = 0, column_ = 0;
  char release_ = '?';
  std::vector<uint32_t> element_start_;  // index of each element's first component
  std::vector<Component> components_;
};

// Reads segments one at a time from an interchange held in memory.
class Tokenizer {
 public:
  // `file` names the input in diagnostics; `diags` must outlive the tokenizer.
  Tokenizer(std::string_view input, std::string file, Diagnostics* diags);

  // Reads the next segment into `seg`. Returns false at the end of input or
  // on an error that makes the rest unreadable (then `diags` has the error).
  bool Next(Segment* seg);

  const Delimiters& delimiters() const { return delims_; }
  // True when the input began with a UNA service string advice.
  bool had_una() const { return had_una_; }
  // Location of `seg` for diagnostics.
  Location where(const Segment& seg) const;
  // Location of the byte at `offset`.
  Location where_offset(uint64_t offset, std::string_view segment) const;

 private:
  enum Class : uint8_t { kData, kComponent, kElement, kRelease, kTerminator, kNewline, kBad };
  void ReadServiceStringAdvice();
  void BuildClasses();
  void SetSyntaxLevel(std::string_view syntax_id);
  void Warn(uint64_t offset, std::string_view segment, std::string reason);

  std::string_view in_;
  std::string file_;
  Diagnostics* diags_;
  Delimiters delims_;
  bool had_una_ = false;
  bool eight_bit_ = false;  // the syntax level allows 8-bit bytes
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  uint32_t warnings_ = 0;
  uint64_t repertoire_warned_at_ = UINT64_MAX;
  bool failed_ = false;
  Class classes_[256];
};

}  // namespace vigil::edifact
