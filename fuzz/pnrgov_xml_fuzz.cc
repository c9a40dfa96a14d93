// libFuzzer target for the PNRGOV XML reader. Besides memory safety it
// checks the reader's promises: success appends exactly one push and leaves
// no error; failure appends nothing and leaves at least one error.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/hash.h"
#include "base/status.h"
#include "formats/options.h"
#include "formats/pnrgov/pnrgov_xml.h"
#include "model/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vigil::HashKey key = vigil::HashKey::ForTesting();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const bool strict : {false, true}) {
    vigil::ParseOptions options;
    options.file = "fuzz.xml";
    options.strict = strict;
    options.card_key = &key;
    options.reference_year = 2025;
    std::vector<vigil::PnrPush> out;
    vigil::Diagnostics diags;
    const bool ok = vigil::parse_pnrgov_xml(input, options, &out, &diags);
    if (ok != (out.size() == 1)) __builtin_trap();
    if (ok == diags.has_errors()) __builtin_trap();
    if (strict && ok && diags.warning_count() != 0) __builtin_trap();
    if (ok) (void)vigil::dump_line(vigil::to_json(out.front()));
  }
  return 0;
}
