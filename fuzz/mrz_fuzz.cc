// libFuzzer target: any bytes, split into lines at '\n', must parse to a zone
// or an error and serialise without crashing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/mrz/mrz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> lines(1);
  for (size_t i = 0; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\n') {
      lines.emplace_back();
    } else {
      lines.back() += c;
    }
  }
  // Fixed reference years keep runs reproducible; the first byte varies it.
  const int reference_year = size > 0 ? 1950 + data[0] : 2024;
  vigil::Result<vigil::Mrz> r = vigil::parse_mrz(lines, reference_year);
  if (r.ok()) {
    const nlohmann::json j = vigil::to_json(*r);
    (void)j.dump();
  } else {
    (void)r.error().size();
  }
  return 0;
}
