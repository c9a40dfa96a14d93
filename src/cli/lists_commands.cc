// `vigil lists import|list|diff`; an import re-screens the stored
// travellers on upcoming flights against what the new version changed.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "base/file.h"
#include "base/hash.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "formats/lists/generic.h"
#include "formats/lists/ofac.h"
#include "formats/lists/un.h"
#include "model/json.h"
#include "screening/rescreen.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

// Reads the files of one import. OFAC takes sdn.csv, alt.csv, add.csv and
// sdn_comments.csv (or a folder holding them); the other formats take one
// or more files whose entries are joined.
ListRead ReadList(const std::string& format, const std::vector<std::string>& paths,
                  const std::string& name, std::string* all_bytes) {
  ListRead out;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec) && format == "ofac") {
      for (const char* f : {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}) {
        const auto path = std::filesystem::path(p) / f;
        if (std::filesystem::exists(path, ec)) files.push_back(path.string());
      }
    } else {
      files.push_back(p);
    }
  }
  std::map<std::string, std::string> bytes;  // path -> content
  for (const auto& f : files) {
    auto b = read_file(f);
    if (!b.ok()) {
      out.diags.error(Location{f, 0, 0, 0, ""}, b.error());
      return out;
    }
    *all_bytes += sha256_hex(*b);
    bytes[f] = std::move(*b);
  }
  if (format == "ofac") {
    OfacFiles of;
    for (const auto& [path, content] : bytes) {
      const std::string base = std::filesystem::path(path).filename().string();
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
      out.diags.error(Location{paths.empty() ? "" : paths[0], 0, 0, 0, ""}, "no sdn.csv given");
      return out;
    }
    return read_ofac_sdn(of, name);
  }
  for (const auto& [path, content] : bytes) {
    ListRead part = format == "un"      ? read_un_consolidated(content, path, name)
                    : format == "jsonl" ? read_generic_jsonl(content, path, name)
                                        : read_generic_csv(content, path, name);
    out.diags.append(part.diags);
    for (auto& e : part.entries) out.entries.push_back(std::move(e));
  }
  return out;
}

void PrintDiff(const ListDiff& d, bool json, const std::string& title) {
  if (json) {
    std::cout << nlohmann::json({{"added", d.added}, {"removed", d.removed}, {"changed", d.changed}})
                     .dump()
              << '\n';
    return;
  }
  std::printf("%s: %zu added, %zu removed, %zu changed\n", title.c_str(), d.added.size(),
              d.removed.size(), d.changed.size());
  for (const auto& r : d.added) std::printf("+ %s\n", r.c_str());
  for (const auto& r : d.removed) std::printf("- %s\n", r.c_str());
  for (const auto& r : d.changed) std::printf("~ %s\n", r.c_str());
}

int Import(const Args& args) {
  Options o;
  std::string name, format, config_path;
  double threshold = -1;
  o.Value("--name", &name).Value("--format", &format).Value("--config", &config_path)
      .Number("--threshold", &threshold);
  if (!o.Parse(args, "lists import")) return 2;
  if (name.empty() || o.positional().empty() ||
      (format != "ofac" && format != "un" && format != "csv" && format != "jsonl")) {
    std::fputs("vigil lists import: usage: vigil lists import --name NAME --format "
               "ofac|un|csv|jsonl [--config FILE] [--threshold T] PATH...\n", stderr);
    return 2;
  }
  ScreeningConfig config;
  if (!LoadScreeningConfig("lists import", config_path, threshold, &config)) return 2;
  std::string source;
  ListRead read = ReadList(format, o.positional(), name, &source);
  for (const auto& d : read.diags.all()) std::fprintf(stderr, "%s\n", d.to_string().c_str());
  if (!read.ok() || read.entries.empty()) {
    std::fprintf(stderr, "vigil lists import: %s not imported; the active version is unchanged\n",
                 name.c_str());
    return 1;
  }
  auto store = OpenSqliteStore(o.db(), o.clock());
  if (!store.ok()) {
    std::fprintf(stderr, "vigil lists import: %s\n", store.error().c_str());
    return 2;
  }
  std::vector<WatchEntry> previous;
  if (auto prev = (*store)->ListEntries(name, 0); prev.ok()) previous = std::move(*prev);
  bool unchanged = false;
  auto stored = (*store)->StoreListVersion(name, format, sha256_hex(source), read.entries, &unchanged);
  if (!stored.ok()) {
    std::fprintf(stderr, "vigil lists import: %s\n", stored.error().c_str());
    return 2;
  }
  const ListDiff d = diff_lists(previous, read.entries);
  // A new version re-screens the travellers on upcoming flights against the
  // entries it added or changed, and withdraws the hits it takes back.
  Rescreen r;
  RescreenOutcome outcome;
  std::vector<int64_t> affected;
  AssessSummary assessment;
  if (!unchanged) {
    std::vector<UpcomingTraveller> travellers;
    if (!d.added.empty() || !d.changed.empty()) {
      auto upcoming = (*store)->UpcomingTravellers();
      if (!upcoming.ok()) {
        std::fprintf(stderr, "vigil lists import: %s version %d stored, but re-screening failed: %s\n",
                     name.c_str(), stored->version, upcoming.error().c_str());
        return 2;
      }
      travellers = std::move(*upcoming);
    }
    r = rescreen(name, stored->version, d, read.entries, travellers, config);
    // The flights whose alerts may change: those with a new hit, and those
    // with an open hit of an entry this version removed or changed.
    std::set<int64_t> flights;
    for (const auto& h : r.hits) flights.insert(h.flight_id);
    if (!d.removed.empty() || !d.changed.empty()) {
      const std::set<std::string> gone(d.removed.begin(), d.removed.end());
      const std::set<std::string> changed(d.changed.begin(), d.changed.end());
      auto open = (*store)->Hits("open");
      if (open.ok())
        for (const auto& h : *open)
          if (h.list == name && (gone.count(h.reference) || changed.count(h.reference))) flights.insert(h.flight_id);
    }
    affected.assign(flights.begin(), flights.end());
    auto recorded = record_rescreen(store->get(), name, r);
    if (!recorded.ok()) {
      std::fprintf(stderr, "vigil lists import: %s version %d stored, but re-screening failed: %s\n",
                   name.c_str(), stored->version, recorded.error().c_str());
      return 2;
    }
    outcome = *recorded;
    if (!affected.empty() && !AssessFlights("lists import", store->get(), o, affected, &assessment)) return 2;
  }
  if (o.json()) {
    std::cout << nlohmann::json({{"list", name},
                                 {"version", stored->version},
                                 {"entries", stored->entries},
                                 {"unchanged", unchanged},
                                 {"added", d.added.size()},
                                 {"removed", d.removed.size()},
                                 {"changed", d.changed.size()},
                                 {"warnings", read.diags.warning_count()},
                                 {"rescreened_travellers", r.travellers.size()},
                                 {"rescreened_entries", r.entries},
                                 {"new_hits", outcome.new_hits},
                                 {"withdrawn_hits", outcome.withdrawn},
                                 {"assessment", AssessmentJson(assessment)}})
                     .dump()
              << '\n';
  } else if (unchanged) {
    std::printf("list %s: same entries as version %d; nothing stored\n", name.c_str(), stored->version);
  } else {
    std::printf("list %s version %d: %lld entries (%zu added, %zu removed, %zu changed), %zu warnings\n",
                name.c_str(), stored->version, static_cast<long long>(stored->entries),
                d.added.size(), d.removed.size(), d.changed.size(), read.diags.warning_count());
    std::printf("rescreened %zu travellers on upcoming flights against %zu added or changed entries: "
                "%lld new hits, %lld withdrawn\n",
                r.travellers.size(), r.entries, static_cast<long long>(outcome.new_hits),
                static_cast<long long>(outcome.withdrawn));
    if (assessment.flights) PrintAssessment(assessment);
  }
  return 0;
}

int List(const Args& args) {
  Options o;
  if (!o.Parse(args, "lists list")) return 2;
  auto store = OpenSqliteStore(o.db(), o.clock());
  if (!store.ok()) {
    std::fprintf(stderr, "vigil lists list: %s\n", store.error().c_str());
    return 2;
  }
  auto versions = (*store)->ListVersions("");
  if (!versions.ok()) {
    std::fprintf(stderr, "vigil lists list: %s\n", versions.error().c_str());
    return 2;
  }
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& v : *versions) {
    if (o.json())
      arr.push_back({{"name", v.name}, {"version", v.version}, {"imported_at", v.imported_at},
                     {"format", v.format}, {"entries", v.entries}, {"active", v.active}});
    else
      std::printf("%-20s v%-3d %s %-6s %8lld entries%s\n", v.name.c_str(), v.version,
                  v.imported_at.c_str(), v.format.c_str(), static_cast<long long>(v.entries),
                  v.active ? "  (active)" : "");
  }
  if (o.json()) std::cout << arr.dump() << '\n';
  return 0;
}

int DiffCommand(const Args& args) {
  Options o;
  std::string name;
  int from = 0, to = 0;
  o.Value("--name", &name).Number("--from", &from).Number("--to", &to);
  if (!o.Parse(args, "lists diff")) return 2;
  if (name.empty()) {
    std::fputs("vigil lists diff: usage: vigil lists diff --name NAME [--from V] [--to V]\n", stderr);
    return 2;
  }
  auto store = OpenSqliteStore(o.db(), o.clock());
  if (!store.ok()) {
    std::fprintf(stderr, "vigil lists diff: %s\n", store.error().c_str());
    return 2;
  }
  auto versions = (*store)->ListVersions(name);
  if (!versions.ok() || versions->empty()) {
    std::fprintf(stderr, "vigil lists diff: no list named '%s'\n", name.c_str());
    return 2;
  }
  if (!to) to = versions->back().version;
  if (!from) from = to - 1;
  std::vector<WatchEntry> a, b;
  if (from > 0) {
    auto ea = (*store)->ListEntries(name, from);
    if (!ea.ok()) {
      std::fprintf(stderr, "vigil lists diff: %s\n", ea.error().c_str());
      return 2;
    }
    a = std::move(*ea);
  }
  auto eb = (*store)->ListEntries(name, to);
  if (!eb.ok()) {
    std::fprintf(stderr, "vigil lists diff: %s\n", eb.error().c_str());
    return 2;
  }
  b = std::move(*eb);
  PrintDiff(diff_lists(a, b), o.json(),
            "list " + name + " v" + std::to_string(from) + " -> v" + std::to_string(to));
  return 0;
}

}  // namespace

int ListsCommand(const Args& args) {
  const std::string sub = args.empty() ? "" : args[0];
  const Args rest = args.empty() ? Args{} : Args(args.begin() + 1, args.end());
  if (sub == "import") return Import(rest);
  if (sub == "list") return List(rest);
  if (sub == "diff") return DiffCommand(rest);
  std::fputs("vigil lists: usage: vigil lists import|list|diff ... (see vigil --help)\n", stderr);
  return 2;
}

}  // namespace vigil::cli
