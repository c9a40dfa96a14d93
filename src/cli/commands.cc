#include "cli/commands.h"
#include "cli/options.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "base/file.h"
#include "base/hash.h"
#include "formats/detect.h"
#include "formats/mrz/mrz.h"
#include "formats/paxlst/paxlst.h"
#include "intake/ingest.h"
#include "model/json.h"

namespace vigil::cli {
namespace {

constexpr const char* kUsage = R"(vigil - advance passenger data intake, screening and targeting

Usage:
  vigil parse [--strict] FILE...
      Read each file (PAXLST, PNRGOV EDIFACT or PNRGOV XML) and print one JSON
      object per message (JSON Lines) without storing anything. Multi-part
      manifests are joined. Exit 0 when every input was read (warnings
      allowed), 1 when any was rejected; problems go to stderr as
      FILE:LINE:COLUMN: segment TAG: reason
  vigil ingest [--db PATH] [--json] [--strict] [--no-assess] FILE|DIR...
      Read and store each input (directories are walked). Accepted inputs are
      archived raw with their content, rejected ones quarantined with their
      reasons; the same bytes twice are stored once. Prints a summary of this
      call (--json: one JSON object with messages, travellers, flights, pnrs,
      duplicates, warnings, rejected). The flights stored inputs touched are
      then assessed (--no-assess: not). Exit 0 when nothing was rejected.
  vigil mrz LINE1 LINE2 [LINE3]
      Parse and validate an ICAO 9303 machine readable zone (TD1, TD2, TD3,
      MRV-A, MRV-B) and print one JSON object. Exit 0 when valid.
  vigil status [--db PATH] [--json]
      Print what the store holds.
  vigil lists import --name NAME --format ofac|un|csv|jsonl [--config FILE]
                     [--threshold T] PATH...
      Import a watch list as a new version (OFAC: sdn.csv, alt.csv, add.csv,
      sdn_comments.csv or their folder). A list with errors changes nothing.
      A new version re-screens the stored travellers on upcoming flights
      against the entries it added or changed: new hits are stored open, hits
      of removed entries (and of changed entries no longer matching) are
      withdrawn (--json adds rescreened_travellers, rescreened_entries,
      new_hits, withdrawn_hits).
  vigil lists list [--json]
      Every list version, the active one marked.
  vigil lists diff --name NAME [--from V] [--to V] [--json]
      Entries added, removed and changed between two versions.
  vigil screen [--db PATH] [--lists NAME,...] [--threshold T] [--top K]
               [--config FILE] --input FILE --output FILE
      Screen travellers (JSON Lines: {"id", "name"} or {"id", "given_names",
      "surname"}, optional "dob", "nationality", "sex", "documents") against
      the active lists; writes one line per input line, in order:
      {"id", "matches": [{"list", "entry", "score", "explanation"}]}.
  vigil screen [...] --query JSON
      Screen one traveller; the result goes to stdout.
  vigil hits [--db PATH] [--status open|withdrawn|all] [--json]
      Stored screening hits (default: open), oldest first: traveller kind
      (api or pnr) and row id, flight, list, version, entry and its name,
      score, status.
  vigil rules add|check [--file FILE | RULE] [--author NAME]
      Check a targeting rule (errors give line, column and a hint); add stores
      it as a new version and re-assesses upcoming flights (docs/rules.md).
  vigil rules list [--all] | show NAME | enable NAME | disable NAME | fields
  vigil rules test (NAME | --file FILE | RULE) [--days N]
      What the rule would have hit on the last N days (30) of stored flights;
      no alert is created.
  vigil values set NAME [--file FILE] [ITEM...] | list | show NAME
      Named value lists that rules read with list("NAME").
  vigil assess [--flight ID | --all]
      Screen and evaluate the travellers of upcoming flights (one flight,
      every flight) into one alert per traveller per flight.
  vigil alerts list [--status S] [--flight ID] | show ID
  vigil alerts review ID --to in_review|confirmed|dismissed --reason TEXT [--user NAME]
      Alerts with their reasons; a review decision needs a reason.
  vigil report rules | fairness [--days N] [--bound X] [--min-group N]
      Per rule: alerts and analysts' decisions; hit rates by nationality,
      sex and age band against all travellers, disparities flagged.
  vigil eval names PAIRS.tsv [--threshold T]
      Precision, recall and F1 of name matching on name_a<TAB>name_b<TAB>label
      pairs at the threshold, and the threshold with the best F1.
  vigil serve [--listen ADDR:PORT] [--web DIR] [--tls-cert F --tls-key F]
              [--retention-every SECONDS] [--csca PATH] [--fpir RATE]
      The HTTP API and console (docs/server.md); applies the retention
      policy at start and then hourly (0: never). Frontline finger
      searches match at the false-positive identification rate RATE
      (0.001).
  vigil users add|list|disable|enable, vigil tokens add|list|revoke
      Accounts (roles: analyst, frontline, supervisor, rule_manager,
      list_manager, auditor, approver, admin, partner) and system tokens.
  vigil report dpo [--retention FILE]
      The data-protection officer's report: accesses by user and purpose,
      deletions on receipt, retention due and done, re-personalisations.
  vigil audit verify | checkpoint [--audit-key PATH]
      Check the hash-chained access log and its signed checkpoints.
  vigil retention run | show [--retention FILE] [--now TIME]
      Depersonalise, delete and erase what the policy makes due (PNR data
      masked after 6 months, everything deleted after 5 years, API data a
      day after arrival unless an alert stands on it). Resumable.
  vigil repersonalise request TRAVELLER_ID --case REF --grounds TEXT
  vigil repersonalise approve|refuse ID [--note TEXT] | list [--status S]
      See depersonalised PNR data again: asked for a case, decided by
      another person holding the approver role, valid for 72 hours.
  vigil bio enrol --list NAME --id REF [--category C] [--positions P[,P]]
                  FILE...
      Enrol a subject's fingerprints (minutiae templates: ISO/IEC 19794-2
      2005 or 2011, ANSI INCITS 378-2004; fingerprint images) and face
      embeddings (JSON) or photographs; reports templates already enrolled
      and subjects already matched. --positions names each file's finger
      (1 right thumb to 10 left little finger; 0: as the file says; 13
      to 15: a slap's image, right four, left four, both thumbs).
  vigil bio search [--top K] [--fpir RATE] [--location WHERE]
                   [--purpose P] [--sod FILE --csca PATH]
                   [--positions P[,P]] FILE...
      Search one person's probe 1:N against the gallery: every FILE's
      fingers together, and at most one face (--positions as for enrol);
      prints
      {"candidates": [{"list", "id", "score", "match", "threshold",
      "modality"}]} best first (a subject's finger score fuses all the
      probe's fingers; match: score >= threshold, for fingers
      one that rises with the gallery so that about RATE of the
      searches of people not enrolled match: 0.001 unless --fpir says)
      and records the encounter (the probe is kept, sealed, only on a
      hit).
      With --sod, the files that are a chip's data groups (2, 3) are
      checked against the document security object, the CSCA
      certificates at PATH and their CRLs there; the verdict is printed
      ("chip") and recorded.
  vigil bio package --list NAME[,NAME] --expires DATE --out FILE
      A signed gallery subset, with an expiry, for a device working offline
      (vigil bio search --package FILE --trust KEY).
  vigil bio withdrawals --list NAME[,NAME] --out FILE [--after REMOVAL]
      A signed notice of the subjects removed from those lists, for
      devices to stop matching them before their package expires
      (vigil bio search --package FILE --withdrawals FILE ...).
  vigil bio remove --list NAME --id REF
      Remove a subject taken off its list, with all its templates; a
      running server stops matching it at its next check.
  vigil bio encounters [--status awaiting|confirmed|rejected] [--json]
      Frontline biometric checks, newest first: all, or the hits awaiting
      an examiner, or those an examiner confirmed or rejected.
  vigil bio decide ID --decision confirmed|rejected --reason TEXT
      An examiner's decision on a hit (once); a rejected hit's probe is
      deleted.
  vigil keys status | rotate | reseal [--batch N] | retire ID
      The data keys of encryption at rest: rotate adds a key new values are
      sealed with; reseal seals older values again in small transactions
      while the service runs; retire removes a key nothing uses.

Options:
  --db PATH    SQLite database (default: $VIGIL_DB, else var/vigil.db)
  --strict     treat warnings as errors: reject any irregular input
  --json       machine-readable output
  --key PATH   key file for payment card hashes (default: keys/card-hash.key
               beside the database; created on first use)
  --data-key PATH
               key file of encryption at rest (default: keys/data.keys beside
               the database; created with the database, required after)
  --now TIME   act as at TIME (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default:
               $VIGIL_NOW, else the clock)
  --retention FILE
               retention policy (default: that of config/retention.json)
)";

// Loads the card-hash key, creating it (and its folder) when missing.
std::optional<HashKey> LoadKey(const std::string& path, bool create) {
  HashKey key;
  std::string error;
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) return HashKey::Random();
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (!HashKey::LoadOrCreate(path, &key, &error)) {
    std::fprintf(stderr, "vigil: %s\n", error.c_str());
    return std::nullopt;
  }
  return key;
}

void PrintDiagnostics(const std::vector<Diagnostic>& diags) {
  for (const auto& d : diags) std::fprintf(stderr, "%s\n", d.to_string().c_str());
}

}  // namespace

const char* Usage() { return kUsage; }

int Fail(const std::string& command, const std::string& message, int code) {
  std::fprintf(stderr, "vigil %s: %s\n", command.c_str(), message.c_str());
  return code;
}

bool FpirOk(const std::string& command, double rate) {
  if (rate > 0 && rate < 1) return true;
  Fail(command, "--fpir is a rate between 0 and 1, e.g. 0.001");
  return false;
}

std::unique_ptr<Store> OpenStore(const std::string& command, const Options& o) {
  auto store = OpenSqliteStore(o.db(), o.clock(), o.security());
  if (!store.ok()) {
    Fail(command, store.error());
    return nullptr;
  }
  return std::move(*store);
}

void LogAccess(Store* store, const std::string& user, const std::string& action, const std::string& object,
               const std::string& purpose, const std::string& outcome, const std::string& recipient) {
  store->Audit({0, "", Who(user).empty() ? "command line" : Who(user), action, object, purpose, recipient,
                "command line", outcome, "", ""});
}

int64_t SingleId(const std::vector<std::string>& positional) {
  if (positional.size() != 1) return 0;
  char* end = nullptr;
  const long long v = std::strtoll(positional[0].c_str(), &end, 10);
  return end && *end == '\0' && v > 0 ? v : 0;
}

std::string Who(const std::string& user) {
  if (!user.empty()) return user;
  for (const char* var : {"VIGIL_USER", "USER"})
    if (const char* v = std::getenv(var); v && *v) return v;
  return "";
}

int ParseCommand(const Args& args) {
  Options c;
  if (!c.Parse(args, "parse")) return 2;
  if (c.positional().empty()) {
    std::fputs("vigil parse: no input files (see vigil --help)\n", stderr);
    return 2;
  }
  // Nothing is stored: an existing key is used so hashes match stored ones,
  // else a throw-away key.
  auto key = LoadKey(c.key_path(), false);
  if (!key) return 2;
  auto files = expand_paths(c.positional());
  if (!files.ok()) {
    std::fprintf(stderr, "vigil parse: %s\n", files.error().c_str());
    return 1;
  }
  bool rejected = false;
  std::vector<Manifest> manifests;
  for (const auto& file : *files) {
    auto bytes = read_file(file);
    if (!bytes.ok()) {
      std::fprintf(stderr, "%s\n", bytes.error().c_str());
      rejected = true;
      continue;
    }
    ParseOptions opts;
    opts.file = file;
    opts.strict = c.strict();
    opts.card_key = &*key;
    ParsedInput parsed = parse_input(*bytes, opts);
    PrintDiagnostics(parsed.diags.all());
    if (!parsed.accepted()) {
      rejected = true;
      continue;
    }
    for (auto& m : parsed.manifests) manifests.push_back(std::move(m));
    for (const auto& p : parsed.pushes) std::cout << dump_line(to_json(p)) << '\n';
  }
  Diagnostics joins;
  for (const auto& m : reassemble_parts(std::move(manifests), &joins))
    std::cout << dump_line(to_json(m)) << '\n';
  PrintDiagnostics(joins.all());
  std::cout.flush();
  return rejected ? 1 : 0;
}

int IngestCommand(const Args& args) {
  Options c;
  bool no_assess = false;
  c.Flag("--no-assess", &no_assess);
  if (!c.Parse(args, "ingest")) return 2;
  if (c.positional().empty()) {
    std::fputs("vigil ingest: no input files (see vigil --help)\n", stderr);
    return 2;
  }
  auto files = expand_paths(c.positional());
  if (!files.ok()) {
    std::fprintf(stderr, "vigil ingest: %s\n", files.error().c_str());
    return 1;
  }
  auto store = OpenStore("ingest", c);
  if (!store) return 2;
  auto key = LoadKey(c.key_path(), true);
  if (!key) return 2;
  IngestOptions opts;
  opts.strict = c.strict();
  opts.card_key = &*key;
  Ingestor ingestor(store.get(), opts);
  bool failed = false;
  for (const auto& file : *files) {
    auto bytes = read_file(file);
    if (!bytes.ok()) {
      std::fprintf(stderr, "%s\n", bytes.error().c_str());
      failed = true;
      continue;
    }
    auto r = ingestor.Ingest(*bytes, file);
    if (!r.ok()) {
      std::fprintf(stderr, "vigil ingest: %s: not stored: %s\n", file.c_str(), r.error().c_str());
      failed = true;
      continue;
    }
    PrintDiagnostics(r->diagnostics);
  }
  const IngestSummary& s = ingestor.summary();
  // What was stored is assessed at once: its travellers' alerts.
  AssessSummary assessment;
  if (!no_assess && !ingestor.flights().empty() &&
      !AssessFlights("ingest", store.get(), c,
                     std::vector<int64_t>(ingestor.flights().begin(), ingestor.flights().end()), &assessment))
    failed = true;
  if (c.json()) {
    nlohmann::json j = {{"messages", s.messages},     {"travellers", s.travellers},
                        {"flights", s.flights},       {"pnrs", s.pnrs},
                        {"duplicates", s.duplicates}, {"warnings", s.warnings},
                        {"rejected", s.rejected},     {"links", s.links},
                        {"minimised", s.minimised}};
    if (!no_assess) j["assessment"] = AssessmentJson(assessment);
    std::cout << j.dump() << '\n';
  } else {
    std::printf("ingested %llu messages into %s: %llu travellers on %llu flights, %llu PNRs, "
                "%llu API-PNR links; %llu duplicates, %llu warnings, %llu rejected (quarantined)\n",
                (unsigned long long)s.messages, c.db().c_str(), (unsigned long long)s.travellers,
                (unsigned long long)s.flights, (unsigned long long)s.pnrs,
                (unsigned long long)s.links, (unsigned long long)s.duplicates,
                (unsigned long long)s.warnings, (unsigned long long)s.rejected);
    if (s.minimised)
      std::printf("%llu items revealing religion, health or other protected data deleted on receipt\n",
                  (unsigned long long)s.minimised);
    if (assessment.flights) PrintAssessment(assessment);
  }
  return (failed || s.rejected) ? 1 : 0;
}

int MrzCommand(const Args& args) {
  if (args.size() < 2 || args.size() > 3) {
    std::fputs("vigil mrz: give the MRZ as two or three lines (see vigil --help)\n", stderr);
    return 2;
  }
  auto mrz = parse_mrz(args);
  if (!mrz.ok()) {
    std::fprintf(stderr, "vigil mrz: %s\n", mrz.error().c_str());
    std::cout << nlohmann::json({{"valid", false}, {"error", mrz.error()}}).dump() << '\n';
    return 1;
  }
  std::cout << dump_line(to_json(*mrz)) << '\n';
  return mrz->valid ? 0 : 1;
}

int StatusCommand(const Args& args) {
  Options c;
  if (!c.Parse(args, "status")) return 2;
  auto store = OpenStore("status", c);
  if (!store) return 2;
  auto counts = store->Counts();
  if (!counts.ok()) {
    std::fprintf(stderr, "vigil status: %s\n", counts.error().c_str());
    return 2;
  }
  const StoreCounts& k = *counts;
  if (c.json()) {
    std::cout << nlohmann::json({{"raw_messages", k.raw_messages},
                                 {"quarantined", k.quarantined},
                                 {"flights", k.flights},
                                 {"api_travellers", k.api_travellers},
                                 {"pnrs", k.pnrs},
                                 {"pnr_versions", k.pnr_versions},
                                 {"pnr_travellers", k.pnr_travellers},
                                 {"links", k.links}})
                     .dump()
              << '\n';
  } else {
    std::printf("%s holds %lld raw messages (%lld quarantined), %lld flights, %lld API travellers, "
                "%lld PNRs in %lld versions with %lld PNR travellers, %lld API-PNR links\n",
                c.db().c_str(), (long long)k.raw_messages, (long long)k.quarantined,
                (long long)k.flights, (long long)k.api_travellers, (long long)k.pnrs,
                (long long)k.pnr_versions, (long long)k.pnr_travellers, (long long)k.links);
  }
  return 0;
}

}  // namespace vigil::cli
