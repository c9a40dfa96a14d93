// One entry point for every travel message: detects what the bytes are and
// reads them with the matching reader.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "formats/options.h"
#include "model/travel.h"

namespace vigil {

// What an input turned out to be.
enum class InputFormat { kUnknown, kEdifact, kPnrgovXml };

// Everything read from one input (a file or a pushed body).
struct ParsedInput {
  InputFormat format = InputFormat::kUnknown;
  std::vector<Manifest> manifests;  // PAXLST messages, one per part (see reassemble_parts)
  std::vector<PnrPush> pushes;      // PNRGOV messages
  Diagnostics diags;

  // True when the input may be stored: no error (after --strict escalation).
  bool accepted() const { return !diags.has_errors(); }
  // API travellers plus PNR travellers, as read.
  size_t traveller_count() const;
};

// Detects the format of `input` (EDIFACT by its UNA/UNB/UNH start, PNRGOV
// XML by its root element) and reads it. With options.strict, warnings are
// turned into errors. An input that is neither is rejected with a located
// error. On rejection the content lists are cleared: nothing half-read is
// handed on. Never throws.
ParsedInput parse_input(std::string_view input, const ParseOptions& options);

// Inputs larger than this are rejected unread.
constexpr size_t kMaxInputBytes = 64u << 20;

}  // namespace vigil
