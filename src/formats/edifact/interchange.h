// UN/EDIFACT envelopes: the interchange (UNB..UNZ), functional groups
// (UNG..UNE) and messages (UNH..UNT). Checks trailer counts and references,
// and hands each message's segments to the reader for its message type.
#pragma once

#include <functional>
#include <string_view>

#include "base/status.h"
#include "formats/edifact/tokenizer.h"
#include "model/travel.h"

namespace vigil::edifact {

// Builds the content of one message type from its segments.
class MessageReader {
 public:
  virtual ~MessageReader() = default;
  // A message starts (at UNH). `header` carries the interchange and message
  // header data known so far.
  virtual void Begin(const MessageHeader& header) = 0;
  // One segment between UNH and UNT. `tk.where(seg)` locates it.
  virtual void OnSegment(const Segment& seg, const Tokenizer& tk) = 0;
  // The message is complete (UNT read).
  virtual void End(const Segment& unt, const Tokenizer& tk) = 0;
};

// Returns the reader for an UNH message type ("PAXLST", "PNRGOV"), or null
// when the type is not supported.
using ReaderFor = std::function<MessageReader*(std::string_view message_type)>;

// Reads every message of the interchange in `input`. Structural problems are
// located errors in `diags` (an unreadable segment, a message without UNT, an
// unsupported message type, no message at all, a missing UNZ); irregularities
// (trailer counts or references that disagree, no UNB, stray segments) are
// warnings. Returns true when no error was found.
bool read_interchange(std::string_view input, std::string_view file, const ReaderFor& reader_for,
                      Diagnostics* diags);

}  // namespace vigil::edifact
