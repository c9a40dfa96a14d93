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
#include "formats/lists/read_list.h"
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
  std::vector<std::pair<std::string, std::string>> bytes;  // path, content
  for (const auto& f : files) {
    auto b = read_file(f);
    if (!b.ok()) {
      out.diags.error(Location{f, 0, 0, 0, ""}, b.error());
      return out;
    }
    *all_bytes += sha256_hex(*b);
    bytes.emplace_back(f, std::move(*b));
  }
  if (format == "ofac" && bytes.empty()) {
    out.diags.error(Location{paths.empty() ? "" : paths[0], 0, 0, 0, ""}, "no sdn.csv given");
    return out;
  }
  return read_list(format, bytes, name);
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
      !is_list_format(format)) {
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
  auto store = OpenStore("lists import", o);
  if (!store) return 2;
  auto update = update_list(store.get(), name, format, sha256_hex(source), read.entries, config);
  if (!update.ok()) {
    std::fprintf(stderr, "vigil lists import: %s\n", update.error().c_str());
    return 2;
  }
  const ListVersionInfo* stored = &update->version;
  const bool unchanged = update->unchanged;
  const ListDiff& d = update->diff;
  const Rescreen& r = update->rescreen;
  const RescreenOutcome& outcome = update->outcome;
  AssessSummary assessment;
  if (!update->affected_flights.empty() &&
      !AssessFlights("lists import", store.get(), o, update->affected_flights, &assessment))
    return 2;
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
  auto store = OpenStore("lists list", o);
  if (!store) return 2;
  auto versions = store->ListVersions("");
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
  auto store = OpenStore("lists diff", o);
  if (!store) return 2;
  auto versions = store->ListVersions(name);
  if (!versions.ok() || versions->empty()) {
    std::fprintf(stderr, "vigil lists diff: no list named '%s'\n", name.c_str());
    return 2;
  }
  if (!to) to = versions->back().version;
  if (!from) from = to - 1;
  std::vector<WatchEntry> a, b;
  if (from > 0) {
    auto ea = store->ListEntries(name, from);
    if (!ea.ok()) {
      std::fprintf(stderr, "vigil lists diff: %s\n", ea.error().c_str());
      return 2;
    }
    a = std::move(*ea);
  }
  auto eb = store->ListEntries(name, to);
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
