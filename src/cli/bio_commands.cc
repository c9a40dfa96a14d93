// `vigil bio`: enrol watch-list subjects' fingerprints, search a probe 1:N
// against the gallery, and list frontline encounters.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <iostream>
#include <limits>

#include "base/file.h"
#include "biometrics/document_security.h"
#include "biometrics/frontline.h"
#include "biometrics/package.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"

namespace vigil::cli {
namespace {

using nlohmann::json;

// Each file's finger position from --positions (1 to 10; 13 to 15, a
// slap's image; 0, as the file says); none named where `positions` is
// empty.
Result<std::vector<int64_t>> ParsePositions(const std::string& positions, size_t files) {
  std::vector<int64_t> out;
  if (positions.empty()) return std::vector<int64_t>(files, 0);
  for (const std::string& p : Options::SplitList(positions)) {
    int64_t v = 0;
    const auto [end, error] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (error != std::errc() || end != p.data() + p.size() || v < 0 || v > 15 || v == 11 || v == 12)
      return Status::Error("--positions: \"" + p + "\" is not a finger position (1 to 10, 13 to 15 for a slap's image, or 0: "
                           "as the file says)");
    out.push_back(v);
  }
  if (out.size() != files)
    return Status::Error("--positions gives " + std::to_string(out.size()) + " finger positions for " +
                         std::to_string(files) + " files: one for each");
  return out;
}

// A file read, and what it holds.
struct BioFile {
  std::string bytes;
  BioProbe read;
};

// Every file read (at once: read_biometrics), each named its finger where
// `positions` names one; the first file's error, in order.
Result<std::vector<BioFile>> ReadBiometrics(const std::vector<std::string>& paths, const std::vector<int64_t>& positions) {
  std::vector<BioFile> out;
  for (const std::string& path : paths) {
    auto bytes = read_file(path);
    if (!bytes.ok()) return bytes.status();
    out.push_back({std::move(*bytes), {}});
  }
  std::vector<std::string_view> files;
  for (const BioFile& f : out) files.push_back(f.bytes);
  std::vector<int64_t> slaps;
  for (int64_t p : positions) slaps.push_back(slap_position(p) ? p : 0);
  std::vector<Result<BioProbe>> read = read_biometrics(files, BioKind::kAny, slaps);
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!read[i].ok()) return Status::Error(paths[i] + ": " + read[i].error());
    out[i].read = std::move(*read[i]);
    if (positions[i] && !slaps[i])
      if (const Status named = set_finger_position(&out[i].read.finger, positions[i]); !named.ok())
        return Status::Error(paths[i] + ": position " + std::to_string(positions[i]) + ": " + named.message());
  }
  return out;
}

}  // namespace

int BioCommand(const Args& args) {
  const std::string usage =
      "usage: vigil bio enrol --list NAME --id REF [--category C] [--positions P[,P]] FILE... (finger templates or images, "
      "face embeddings) | "
      "vigil bio search [--top K] [--fpir RATE] [--location WHERE] [--purpose P] [--user NAME] [--package FILE --trust KEY "
      "[--sealing-key FILE] [--withdrawals FILE[,FILE]]] [--sod FILE --csca PATH] [--positions P[,P]] FILE... | "
      "vigil bio package --list NAME[,NAME] --expires DATE --out FILE [--sealing-key FILE | --unsealed] | "
      "vigil bio withdrawals --list NAME[,NAME] --out FILE [--after REMOVAL] [--sealing-key FILE | --unsealed] | "
      "vigil bio remove --list NAME --id REF | "
      "vigil bio encounters [--status awaiting|confirmed|rejected] [--json] | "
      "vigil bio decide ID --decision confirmed|rejected --reason TEXT";
  if (args.empty()) return Fail("bio", usage);
  const std::string verb = args[0], command = "bio " + verb;
  Options o;
  std::string list, id, category, location, purpose, user, expires, out, package, trust, package_key, sealing_key,
      withdrawals, sod, csca, status, decision, reason, positions;
  bool unsealed = false;
  int top = 10, limit = 100, after = 0;
  double fpir = kDefaultFpir;
  o.Value("--list", &list).Value("--id", &id).Value("--category", &category).Value("--location", &location)
      .Value("--purpose", &purpose).Value("--user", &user).Number("--top", &top).Number("--limit", &limit)
      .Value("--expires", &expires).Value("--out", &out).Value("--package", &package).Value("--trust", &trust)
      .Value("--package-key", &package_key).Value("--sealing-key", &sealing_key).Flag("--unsealed", &unsealed)
      .Value("--sod", &sod).Value("--csca", &csca).Value("--status", &status).Value("--decision", &decision)
      .Value("--reason", &reason).Value("--withdrawals", &withdrawals).Number("--after", &after).Number("--fpir", &fpir)
      .Value("--positions", &positions);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& files = o.positional();
  auto store = OpenStore(command, o);
  if (!store) return 2;
  const std::string who = Who(user).empty() ? "command line" : Who(user);

  if (verb == "enrol") {
    if (list.empty() || id.empty() || files.empty()) return Fail("bio", usage);
    const auto named = ParsePositions(positions, files.size());
    if (!named.ok()) return Fail(command, named.error());
    // Every file is read before anything is enrolled.
    auto read_files = ReadBiometrics(files, *named);
    if (!read_files.ok()) return Fail(command, read_files.error(), 1);
    std::vector<BioTemplate> templates;
    std::vector<BioProbe> read;
    for (BioFile& file : *read_files) {
      BioProbe& b = file.read;
      const size_t first = templates.size();
      for (const FingerView& v : b.finger.views) {
        FingerTemplate one = b.finger;
        one.views = {v};
        templates.push_back({0, list, id, category, "finger", v.finger, write_fmr(one), ""});
      }
      if (!b.face.empty()) templates.push_back({0, list, id, category, "face", 0, encode_embedding(b.face), ""});
      // The image read, kept once with the file's first template for
      // examiners to compare with probes.
      if (templates.size() > first) templates[first].source = b.image;
      read.push_back(std::move(b));
    }
    // The same person enrolled before under another reference?
    auto gallery = load_gallery(store.get());
    if (!gallery.ok()) return Fail(command, gallery.error());
    json possible = json::array();
    for (const BioProbe& b : read) {
      for (const BioCandidate& c : search_gallery({&*gallery}, b, 5))
        if (c.match && !(c.list == list && c.reference == id))
          possible.push_back({{"list", c.list}, {"id", c.reference}, {"score", c.score}, {"modality", c.modality}});
    }
    auto done = store->EnrolBiometrics(list, id, category, templates);
    LogAccess(store.get(), user, "enrol biometrics", "bio:" + list + "/" + id, purpose, done.ok() ? "ok" : "failed");
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

  if (verb == "remove") {
    // A subject taken off its list: its templates go, and servers' caches
    // of the gallery let it go at their next check.
    if (list.empty() || id.empty() || !files.empty()) return Fail("bio", usage);
    auto done = store->RemoveBioSubject(list, id);
    LogAccess(store.get(), user, "remove biometrics", "bio:" + list + "/" + id, purpose, done.ok() ? "ok" : "failed");
    if (!done.ok()) return Fail(command, done.error(), 1);
    if (o.json())
      std::cout << dump_line({{"list", list}, {"id", id}, {"removed", *done}}) << '\n';
    else
      std::printf("removed %s/%s: %d templates\n", list.c_str(), id.c_str(), *done);
    return 0;
  }

  if (verb == "package" || verb == "withdrawals") {
    // For devices that work offline: a signed subset of the gallery, or a
    // notice of the subjects removed from it since, both sealed unless
    // asked otherwise (they name people on the lists).
    if (list.empty() || out.empty() || !files.empty() || (verb == "package") == expires.empty() || after < 0)
      return Fail("bio", usage);
    const std::string keys = (std::filesystem::path(o.db()).parent_path() / "keys").string();
    auto key = SigningKey::LoadOrCreate(package_key.empty() ? keys + "/package-signing.key" : package_key);
    if (!key.ok()) return Fail(command, key.error());
    const std::string seal_path = sealing_key.empty() ? keys + "/package-sealing.key" : sealing_key;
    std::string seal;
    if (!unsealed) {
      auto k = load_or_create_sealing_key(seal_path);
      if (!k.ok()) return Fail(command, k.error());
      seal = *k;
    }
    // The last removal before the templates are read: a subject removed
    // meanwhile is then withdrawn again by a later notice, never missed.
    auto marks = store->BioGalleryMarks();
    if (!marks.ok()) return Fail(command, marks.error());
    const std::vector<std::string> lists = Options::SplitList(list);
    auto listed = [&](const std::string& l) { return std::find(lists.begin(), lists.end(), l) != lists.end(); };
    std::string text, what;
    if (verb == "package") {
      int64_t until = 0;
      if (!parse_utc(expires, &until) || until <= o.clock()->now())
        return Fail(command, "--expires is a future date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
      auto all = store->BioGallery(0, std::numeric_limits<int64_t>::max());
      if (!all.ok()) return Fail(command, all.error());
      GalleryPackage p{format_utc(o.clock()->now()), format_utc(until), lists, marks->last_removal, {}};
      for (BioTemplate& t : *all)
        if (listed(t.list)) p.templates.push_back(std::move(t));
      text = write_package(p, *key, seal);
      what = std::to_string(p.templates.size()) + " templates of " + list + ", valid until " + p.expires;
    } else {
      auto removed = store->BioRemovals(after);
      if (!removed.ok()) return Fail(command, removed.error());
      WithdrawalNotice n{format_utc(o.clock()->now()), lists, marks->last_removal, {}};
      for (const BioRemoval& r : *removed)
        if (listed(r.list) && r.id <= n.removals_through) n.withdrawals.push_back({r.id, r.list, r.reference});
      text = write_withdrawals(n, *key, seal);
      what = std::to_string(n.withdrawals.size()) + " subjects withdrawn from " + list + " (removals " + std::to_string(after + 1) +
             " to " + std::to_string(n.removals_through) + ")";
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush()) return Fail(command, "cannot write " + out);
    LogAccess(store.get(), user, verb == "package" ? "package gallery" : "notify withdrawals", "lists:" + list, purpose, "ok",
              "device " + verb + " " + out);
    std::printf("%s, signed by %s (give this key to the devices: --trust)%s\n", what.c_str(), key->public_key_hex().c_str(),
                unsealed ? ", not sealed" : ("; sealed with " + seal_path + " (install it on the devices: --sealing-key)").c_str());
    return 0;
  }

  if (verb == "search") {
    if (files.empty() || top < 1) return Fail("bio", usage);
    if (!FpirOk(command, fpir)) return 2;
    // One person's probe, from every file: fingers fused, one face.
    const auto named = ParsePositions(positions, files.size());
    if (!named.ok()) return Fail(command, named.error());
    auto read_files = ReadBiometrics(files, *named);
    if (!read_files.ok()) return Fail(command, read_files.error(), 1);
    BioProbe probe;
    std::vector<std::string_view> groups;  // the files that are a chip's data groups
    for (size_t i = 0; i < files.size(); ++i) {
      BioFile& file = (*read_files)[i];
      if (data_group_number(file.bytes)) groups.push_back(file.bytes);
      if (const Status added = add_to_probe(&probe, std::move(file.read)); !added.ok())
        return Fail(command, files[i] + ": " + added.message(), 1);
    }
    // The chip the data groups were read from, checked against its
    // security object and the trusted CSCAs.
    json chip;
    if (!sod.empty()) {
      if (csca.empty()) return Fail(command, "--sod needs --csca PATH (the trusted CSCA certificates)");
      auto trusted = CscaList::Load(csca);
      if (!trusted.ok()) return Fail(command, trusted.error());
      auto sod_bytes = read_file(sod);
      if (!sod_bytes.ok()) return Fail(command, sod_bytes.error());
      const ChipVerdict verdict = authenticate_chip(*sod_bytes, groups, *trusted);
      chip = chip_json(verdict);
      probe.chip = chip_summary(verdict);
    } else if (!csca.empty()) {
      return Fail(command, "--csca is for --sod FILE (the document security object)");
    }
    // Offline: a package checked against the trusted key and its expiry.
    Result<Gallery> gallery = Status::Error("no gallery");
    if (package.empty() && !withdrawals.empty()) return Fail(command, "--withdrawals is for --package FILE");
    if (!package.empty()) {
      if (trust.empty()) return Fail(command, "--package needs --trust PUBLIC_KEY (hex)");
      auto text = read_file(package);
      if (!text.ok()) return Fail(command, text.error());
      std::string seal;
      if (!sealing_key.empty()) {
        auto k = read_file(sealing_key);
        if (!k.ok()) return Fail(command, k.error());
        seal = *k;
      }
      auto p = read_package(*text, trust, format_utc(o.clock()->now()), seal);
      if (!p.ok()) return Fail(command, p.error(), 1);
      // Subjects removed since the package was made are not matched.
      for (const std::string& path : Options::SplitList(withdrawals)) {
        auto notice_text = read_file(path);
        if (!notice_text.ok()) return Fail(command, notice_text.error());
        auto notice = read_withdrawals(*notice_text, trust, seal);
        if (!notice.ok()) return Fail(command, path + ": " + notice.error(), 1);
        apply_withdrawals(&*p, *notice);
      }
      gallery = gallery_of(p->templates);
    } else {
      gallery = load_gallery(store.get());
    }
    if (!gallery.ok()) return Fail(command, gallery.error());
    // One search: copying a large finger gallery to a GPU costs less than
    // comparing it on the CPU; a face gallery's one scan costs less than
    // the copy, so faces stay.
    if (!probe.finger.views.empty()) (void)gallery->fingers.PreferDevice();
    auto found = search_and_record(store.get(), {&*gallery}, probe, static_cast<size_t>(top), who, location, purpose, fpir);
    if (!found.ok()) return Fail(command, found.error());
    json answer = {{"candidates", candidates_json(found->candidates)}};
    if (!chip.is_null()) answer["chip"] = chip;
    std::cout << dump_line(answer) << '\n';
    return 0;
  }

  if (verb == "encounters") {
    auto all = store->BioEncounters(limit, status);
    if (!all.ok()) return Fail(command, all.error());
    LogAccess(store.get(), user, "read encounters", "encounters", purpose, "ok");
    if (o.json()) {
      json out = json::array();
      for (const auto& e : *all) out.push_back(encounter_json(e));
      std::cout << dump_line(out) << '\n';
      return 0;
    }
    for (const auto& e : *all) {
      const std::string decided =
          e.result != "hit" ? "" : e.decision.empty() ? "; awaiting an examiner" : "; " + e.decision + " by " + e.decided_by;
      std::printf("#%lld %s %s at %s: %s%s%s%s\n", static_cast<long long>(e.id), e.at.c_str(), e.officer.c_str(),
                  e.location.empty() ? "-" : e.location.c_str(), e.result.c_str(),
                  e.result == "hit" ? (" " + e.best_list + "/" + e.best_reference).c_str() : "", decided.c_str(),
                  e.chip.empty() ? "" : ("; chip " + e.chip).c_str());
    }
    return 0;
  }

  if (verb == "decide") {
    // An examiner confirms or rejects a hit: no decision by automation alone.
    if (files.size() != 1 || files[0].find_first_not_of("0123456789") != std::string::npos || files[0].size() > 12)
      return Fail("bio", usage);
    auto e = store->DecideEncounter(std::stoll(files[0]), decision, who, reason);
    LogAccess(store.get(), user, "decide encounter", "encounter:" + files[0], purpose, e.ok() ? "ok" : "failed");
    if (!e.ok()) return Fail(command, e.error(), 1);
    if (o.json())
      std::cout << dump_line(encounter_json(*e)) << '\n';
    else
      std::printf("encounter #%s %s by %s\n", files[0].c_str(), e->decision.c_str(), e->decided_by.c_str());
    return 0;
  }
  return Fail("bio", usage);
}

}  // namespace vigil::cli
