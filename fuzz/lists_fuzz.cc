// libFuzzer target for the watch-list readers: the input is read as an
// OFAC sdn.csv (alone, and split at the first NUL byte into sdn.csv and
// alt.csv), as a UN consolidated list, and as a generic JSON Lines and CSV
// list. Besides memory safety it checks the promises every reader makes:
// a read has an error exactly when it has no entry, every entry has a
// reference and a name or a document, and at most kMaxListWarnings + 1
// warnings are kept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/lists/generic.h"
#include "formats/lists/list_read.h"
#include "formats/lists/ofac.h"
#include "formats/lists/un.h"

namespace {

void check(const vigil::ListRead& r) {
  if (r.ok() == r.entries.empty()) __builtin_trap();
  if (r.diags.warning_count() > vigil::kMaxListWarnings + 1) __builtin_trap();
  for (const vigil::WatchEntry& e : r.entries) {
    if (e.reference.empty()) __builtin_trap();
    if (e.names.empty() && e.documents.empty()) __builtin_trap();
    for (const vigil::WatchName& n : e.names)
      if (n.full.empty()) __builtin_trap();
    for (const std::string& d : e.birth_dates)
      if (d.size() != 4 && d.size() != 7 && d.size() != 9 && d.size() != 10) __builtin_trap();
  }
  for (const vigil::Diagnostic& d : r.diags.all()) (void)d.to_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string list = "fuzz";

  vigil::OfacFiles alone;
  alone.sdn = {input, "sdn.csv"};
  check(vigil::read_ofac_sdn(alone, list));

  const size_t nul = input.find('\0');
  if (nul != std::string_view::npos) {
    vigil::OfacFiles pair;
    pair.sdn = {input.substr(0, nul), "sdn.csv"};
    pair.alt = {input.substr(nul + 1), "alt.csv"};
    check(vigil::read_ofac_sdn(pair, list));
  }

  check(vigil::read_un_consolidated(input, "un.xml", list));
  check(vigil::read_generic_jsonl(input, "list.jsonl", list));
  check(vigil::read_generic_csv(input, "list.csv", list));
  return 0;
}
