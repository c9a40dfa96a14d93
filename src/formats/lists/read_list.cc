#include "formats/lists/read_list.h"

#include "formats/lists/generic.h"
#include "formats/lists/ofac.h"
#include "formats/lists/un.h"

namespace vigil {

bool is_list_format(const std::string& format) {
  return format == "ofac" || format == "un" || format == "csv" || format == "jsonl";
}

ListRead read_list(const std::string& format, const std::vector<std::pair<std::string, std::string>>& files,
                   const std::string& list_name) {
  ListRead out;
  if (!is_list_format(format)) {
    out.diags.error(Location{}, "unknown list format \"" + format + "\" (ofac, un, csv or jsonl)");
    return out;
  }
  if (format == "ofac") {
    OfacFiles of;
    for (const auto& [path, content] : files) {
      const std::string base = path.substr(path.find_last_of('/') + 1);
      OfacFile* slot = base == "sdn.csv"            ? &of.sdn
                       : base == "alt.csv"          ? &of.alt
                       : base == "add.csv"          ? &of.add
                       : base == "sdn_comments.csv" ? &of.comments
                                                    : nullptr;
      if (!slot) {
        out.diags.error(Location{path, 0, 0, 0, ""},
                        "not an OFAC file (expected sdn.csv, alt.csv, add.csv or sdn_comments.csv)");
        return out;
      }
      *slot = OfacFile{content, path};
    }
    if (!of.sdn.present()) {
      out.diags.error(Location{files.empty() ? "" : files[0].first, 0, 0, 0, ""}, "no sdn.csv given");
      return out;
    }
    return read_ofac_sdn(of, list_name);
  }
  for (const auto& [path, content] : files) {
    ListRead part = format == "un"      ? read_un_consolidated(content, path, list_name)
                    : format == "jsonl" ? read_generic_jsonl(content, path, list_name)
                                        : read_generic_csv(content, path, list_name);
    out.diags.append(part.diags);
    for (auto& e : part.entries) out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace vigil
