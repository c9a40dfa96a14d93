// Fuzz target for the EDIFACT path: tokenizer, envelopes, PAXLST and PNRGOV
// readers, through the same entry point intake uses.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/detect.h"
#include "formats/paxlst/paxlst.h"
#include "model/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vigil::HashKey key = vigil::HashKey::ForTesting();
  vigil::ParseOptions options;
  options.file = "fuzz";
  options.card_key = &key;
  options.reference_year = 2026;
  options.strict = size > 0 && (data[0] & 1);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  vigil::ParsedInput parsed = vigil::parse_input(input, options);
  for (const auto& d : parsed.diags.all()) (void)d.to_string();
  vigil::Diagnostics joins;
  for (const auto& m : vigil::reassemble_parts(std::move(parsed.manifests), &joins))
    (void)vigil::dump_line(vigil::to_json(m));
  for (const auto& p : parsed.pushes) (void)vigil::dump_line(vigil::to_json(p));
  return 0;
}
