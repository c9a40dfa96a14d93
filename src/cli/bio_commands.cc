// `vigil bio`: enrol watch-list subjects' fingerprints, search a probe 1:N
// against the gallery, and list frontline encounters.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "base/file.h"
#include "biometrics/frontline.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"

namespace vigil::cli {
namespace {

using nlohmann::json;

// The biometric of file `path`: a finger template or a face embedding.
Result<BioProbe> ReadBiometric(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes.ok()) return bytes.status();
  auto probe = read_biometric(*bytes);
  if (!probe.ok()) return Status::Error(path + ": " + probe.error());
  return probe;
}

}  // namespace

int BioCommand(const Args& args) {
  const std::string usage =
      "usage: vigil bio enrol --list NAME --id REF [--category C] FILE... (finger templates, face embeddings) | "
      "vigil bio search [--top K] [--location WHERE] [--purpose P] [--user NAME] FILE | vigil bio encounters [--json]";
  if (args.empty()) return Fail("bio", usage);
  const std::string verb = args[0], command = "bio " + verb;
  Options o;
  std::string list, id, category, location, purpose, user;
  int top = 10, limit = 100;
  o.Value("--list", &list).Value("--id", &id).Value("--category", &category).Value("--location", &location)
      .Value("--purpose", &purpose).Value("--user", &user).Number("--top", &top).Number("--limit", &limit);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& files = o.positional();
  auto store = OpenStore(command, o);
  if (!store) return 2;
  const std::string who = Who(user).empty() ? "command line" : Who(user);

  if (verb == "enrol") {
    if (list.empty() || id.empty() || files.empty()) return Fail("bio", usage);
    // Every file is read before anything is enrolled.
    std::vector<BioTemplate> templates;
    std::vector<BioProbe> read;
    for (const std::string& f : files) {
      auto b = ReadBiometric(f);
      if (!b.ok()) return Fail(command, b.error(), 1);
      for (const FingerView& v : b->finger.views) {
        FingerTemplate one = b->finger;
        one.views = {v};
        templates.push_back({0, list, id, category, "finger", v.finger, write_fmr(one)});
      }
      if (!b->face.empty()) templates.push_back({0, list, id, category, "face", 0, encode_embedding(b->face)});
      read.push_back(std::move(*b));
    }
    // The same person enrolled before under another reference?
    auto gallery = load_gallery(store.get());
    if (!gallery.ok()) return Fail(command, gallery.error());
    json possible = json::array();
    for (const BioProbe& b : read) {
      std::vector<BioCandidate> found = gallery->fingers.Search(b.finger.views, 5);
      if (!b.face.empty() && gallery->faces.size()) found = gallery->faces.Search(b.face, 5);
      for (const BioCandidate& c : found)
        if (c.match && !(c.list == list && c.reference == id))
          possible.push_back({{"list", c.list}, {"id", c.reference}, {"score", c.score}, {"modality", c.modality}});
    }
    auto done = store->EnrolBiometrics(list, id, category, templates);
    store->Audit({0, "", who, "enrol biometrics", "bio:" + list + "/" + id, purpose, "", "command line",
                  done.ok() ? "ok" : "failed", "", ""});
    if (!done.ok()) return Fail(command, done.error());
    if (o.json()) {
      std::cout << dump_line({{"list", list}, {"id", id}, {"added", done->added}, {"duplicates", done->duplicates},
                              {"possible_duplicates", possible}})
                << '\n';
    } else {
      std::printf("enrolled %s/%s: %d templates added, %d already in the gallery\n", list.c_str(), id.c_str(),
                  done->added, done->duplicates);
      for (const auto& p : possible)
        std::printf("  possibly the same person as %s/%s (%s score %.2f)\n", p["list"].get<std::string>().c_str(),
                    p["id"].get<std::string>().c_str(), p["modality"].get<std::string>().c_str(),
                    p["score"].get<double>());
    }
    return 0;
  }

  if (verb == "search") {
    if (files.size() != 1 || top < 1) return Fail("bio", usage);
    auto probe = ReadBiometric(files[0]);
    if (!probe.ok()) return Fail(command, probe.error(), 1);
    auto gallery = load_gallery(store.get());
    if (!gallery.ok()) return Fail(command, gallery.error());
    auto found = search_and_record(store.get(), *gallery, *probe, static_cast<size_t>(top), who, location, purpose);
    if (!found.ok()) return Fail(command, found.error());
    std::cout << dump_line({{"candidates", candidates_json(found->candidates)}}) << '\n';
    return 0;
  }

  if (verb == "encounters") {
    auto all = store->BioEncounters(limit);
    if (!all.ok()) return Fail(command, all.error());
    store->Audit({0, "", who, "read encounters", "encounters", purpose, "", "command line", "ok", "", ""});
    if (o.json()) {
      json out = json::array();
      for (const auto& e : *all)
        out.push_back({{"id", e.id}, {"at", e.at}, {"officer", e.officer}, {"location", e.location},
                       {"result", e.result}, {"candidates", e.candidates}, {"best_list", e.best_list},
                       {"best_id", e.best_reference}, {"best_score", e.best_score}});
      std::cout << dump_line(out) << '\n';
      return 0;
    }
    for (const auto& e : *all)
      std::printf("#%lld %s %s at %s: %s%s\n", static_cast<long long>(e.id), e.at.c_str(), e.officer.c_str(),
                  e.location.empty() ? "-" : e.location.c_str(), e.result.c_str(),
                  e.result == "hit" ? (" " + e.best_list + "/" + e.best_reference).c_str() : "");
    return 0;
  }
  return Fail("bio", usage);
}

}  // namespace vigil::cli
