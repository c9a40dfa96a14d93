#include "formats/detect.h"

#include <exception>

#include "formats/edifact/interchange.h"
#include "formats/paxlst/paxlst.h"
#include "formats/pnrgov/pnrgov_edifact.h"
#include "formats/pnrgov/pnrgov_xml.h"

namespace vigil {

size_t ParsedInput::traveller_count() const {
  size_t n = 0;
  for (const auto& m : manifests) n += m.travellers.size();
  for (const auto& p : pushes)
    for (const auto& r : p.pnrs) n += r.travellers.size();
  return n;
}

namespace {

InputFormat sniff(std::string_view input) {
  size_t i = 0;
  if (input.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < input.size() && (input[i] == ' ' || input[i] == '\r' || input[i] == '\n' ||
                              input[i] == '\t'))
    ++i;
  const std::string_view head = input.substr(i, 3);
  if (head == "UNA" || head == "UNB" || head == "UNH") return InputFormat::kEdifact;
  if (!head.empty() && head[0] == '<') return InputFormat::kPnrgovXml;
  return InputFormat::kUnknown;
}

void read(std::string_view input, const ParseOptions& options, ParsedInput* out) {
  out->format = sniff(input);
  switch (out->format) {
    case InputFormat::kEdifact: {
      PaxlstReader paxlst(options, &out->manifests, &out->diags);
      PnrgovReader pnrgov(options, &out->pushes, &out->diags);
      edifact::read_interchange(input, options.file,
                                [&](std::string_view type) -> edifact::MessageReader* {
                                  if (type == "PAXLST") return &paxlst;
                                  if (type == "PNRGOV") return &pnrgov;
                                  return nullptr;
                                },
                                &out->diags);
      break;
    }
    case InputFormat::kPnrgovXml:
      parse_pnrgov_xml(input, options, &out->pushes, &out->diags);
      break;
    case InputFormat::kUnknown: {
      const bool utf16 = input.substr(0, 2) == "\xFF\xFE" || input.substr(0, 2) == "\xFE\xFF";
      bool binary = false;
      for (char ch : input.substr(0, 512)) binary = binary || ch == '\0';
      out->diags.error(Location{options.file, 1, 1, 0, ""},
                       input.empty() ? "input is empty"
                       : utf16       ? "input is UTF-16 encoded; travel messages must be 8-bit or UTF-8"
                       : binary      ? "input is binary data, not a travel message"
                                     : "input is neither UN/EDIFACT (UNA/UNB/UNH) nor PNRGOV XML");
      break;
    }
  }
}

}  // namespace

ParsedInput parse_input(std::string_view input, const ParseOptions& options) {
  ParsedInput out;
  if (input.size() > kMaxInputBytes) {
    out.diags.error(Location{options.file, 0, 0, 0, ""},
                    "input is " + std::to_string(input.size()) + " bytes, over the limit of " +
                        std::to_string(kMaxInputBytes));
    return out;
  }
  try {
    read(input, options, &out);
  } catch (const std::exception& e) {
    out.diags.error(Location{options.file, 0, 0, 0, ""},
                    std::string("internal error while reading: ") + e.what());
  }
  if (options.strict) out.diags.escalate_warnings();
  if (!out.accepted()) {
    out.manifests.clear();
    out.pushes.clear();
  }
  return out;
}

}  // namespace vigil
