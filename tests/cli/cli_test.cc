// The `vigil` command's stable contract, exercised through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fstream>
#include <random>
#include <sstream>

#include "base/clock.h"
#include "store/store.h"
#include "support/test_support.h"
#include "biometrics/chip_issuer.h"
#include "biometrics/image.h"
#include "synth/finger_generator.h"
#include "synth/finger_image.h"

namespace vigil {
namespace {

using nlohmann::json;
using testing::RunVigil;
using testing::SamplePath;

std::vector<json> JsonLines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(json::parse(line));
  return lines;
}

TEST(CliTest, HelpDocumentsEveryCommand) {
  auto r = RunVigil({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"vigil parse", "vigil ingest", "vigil mrz", "vigil status", "vigil hits", "vigil retention", "vigil bio",
                          "vigil repersonalise", "vigil keys", "vigil report dpo", "vigil serve"})
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  EXPECT_EQ(RunVigil({"frobnicate"}).exit_code, 2);
}

TEST(CliTest, ParsePrintsOneJsonObjectPerMessage) {
  auto r = RunVigil({"parse", SamplePath("paxlst-ba0117-passengers.edi"),
                     SamplePath("pnrgov-ba0117-72h.edi")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["kind"], "pnrgov");
  EXPECT_EQ(lines[0]["pnrs"].size(), 2u);
  EXPECT_EQ(lines[0]["pnrs"][0]["travellers"][0]["surname"], "OKONKWO");
  EXPECT_EQ(lines[1]["kind"], "paxlst");
  EXPECT_EQ(lines[1]["travellers"].size(), 3u);
  EXPECT_EQ(lines[1]["travellers"][0]["documents"][0]["number"], "533401872");
  EXPECT_EQ(r.out.find("4111111111111111"), std::string::npos);
}

TEST(CliTest, ParseJoinsPartsAcrossFiles) {
  auto r = RunVigil({"parse", SamplePath("paxlst-lh0400-part2.edi"),
                     SamplePath("paxlst-lh0400-part1.edi"), SamplePath("paxlst-lh0400-part3.edi")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["parts"], 3);
  EXPECT_EQ(lines[0]["travellers"][0]["surname"], "SCHMIDT");
  EXPECT_EQ(lines[0]["travellers"][1]["given_names"], "THI MAI");
}

TEST(CliTest, ParseRejectionIsLocatedOnStderr) {
  const std::string dir = testing::TempDir();
  const std::string bad = dir + "/bad.edi";
  FILE* f = fopen(bad.c_str(), "w");
  fputs("UNA:+.? '\nUNB+UNOA:4+S+R+261123:0912+R1'\nUNH+1+PAXLST:D:05B:UN:IATA'\nNAD+FL+++DOE", f);
  fclose(f);
  auto r = RunVigil({"parse", bad, SamplePath("paxlst-ac0871-crew.edi")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad + ":4:1: segment NAD: input ends inside the segment"), std::string::npos)
      << r.err;
  EXPECT_EQ(JsonLines(r.out).size(), 1u);  // the good file is still printed
}

TEST(CliTest, IngestJsonSummaryAndExitCodes) {
  const std::string db = testing::TempDir() + "/v.db";
  auto r = RunVigil({"ingest", "--db", db, "--json", VIGIL_SOURCE_DIR "/data/samples"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  for (const char* key : {"messages", "travellers", "flights", "pnrs", "duplicates", "warnings",
                          "rejected"})
    ASSERT_TRUE(j.contains(key) && j[key].is_number_integer()) << key;
  EXPECT_GE(j["messages"].get<int>(), 8);
  EXPECT_EQ(j["duplicates"], 0);
  EXPECT_EQ(j["rejected"], 0);

  auto again = RunVigil({"ingest", "--db", db, "--json", VIGIL_SOURCE_DIR "/data/samples"});
  auto j2 = json::parse(again.out);
  EXPECT_EQ(j2["duplicates"], j["messages"]);
  EXPECT_EQ(j2["travellers"], 0);

  const std::string junk = testing::TempDir() + "/junk.txt";
  FILE* f = fopen(junk.c_str(), "w");
  fputs("not a message", f);
  fclose(f);
  auto bad = RunVigil({"ingest", "--db", db, "--json", junk});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(json::parse(bad.out)["rejected"], 1);

  auto status = RunVigil({"status", "--db", db, "--json"});
  ASSERT_EQ(status.exit_code, 0);
  EXPECT_EQ(json::parse(status.out)["quarantined"], 1);
}

TEST(CliTest, MrzValidAndInvalid) {
  // ICAO 9303 part 4 specimen (TD3).
  auto r = RunVigil({"mrz", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["format"], "TD3");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["surname"], "ERIKSSON");
  EXPECT_EQ(j["given_names"], "ANNA MARIA");
  EXPECT_EQ(j["document_number"], "L898902C3");
  EXPECT_EQ(j["birth_date"], "1974-08-12");

  auto bad = RunVigil({"mrz", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                       "L898902C37UTO7408122F1204159ZE184226B<<<<<10"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(json::parse(bad.out)["valid"], false);
  EXPECT_EQ(RunVigil({"mrz", "short", "lines"}).exit_code, 1);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

using nlohmann::json;
using testing::RunVigil;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  FILE* f = fopen(path.c_str(), "w");
  fputs(text.c_str(), f);
  fclose(f);
  return path;
}

TEST(CliListsTest, ImportScreenAndDiff) {
  const std::string db = testing::TempDir() + "/v.db";
  const std::string v1 = WriteTemp(
      "v1.jsonl",
      "{\"id\": \"N1\", \"names\": [\"Yasir AL-KHAYALI\", \"ياسر الخيالي\"], \"dob\": [\"1971-03-14\"], "
      "\"nationality\": [\"IRQ\"]}\n"
      "{\"id\": \"D1\", \"documents\": [{\"type\": \"P\", \"number\": \"ZZ0000901\", \"country\": \"FRA\"}]}\n");
  auto imp = RunVigil({"lists", "import", "--db", db, "--name", "national", "--format", "jsonl", "--json", v1});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_EQ(json::parse(imp.out)["version"], 1);

  const std::string in = WriteTemp(
      "in.jsonl",
      "{\"id\": \"t1\", \"given_names\": \"Yaser\", \"surname\": \"Al Khayali\", \"dob\": \"1971-03-14\"}\n"
      "{\"id\": \"t2\", \"name\": \"Jane Doe\"}\n"
      "not json\n"
      "{\"id\": \"t4\", \"name\": \"Someone\", \"documents\": [{\"number\": \"ZZ0000901\"}]}\n");
  const std::string out = testing::TempDir() + "/out.jsonl";
  auto scr = RunVigil({"screen", "--db", db, "--input", in, "--output", out});
  EXPECT_EQ(scr.exit_code, 1);  // one line was not JSON
  EXPECT_NE(scr.err.find(in + ":3:"), std::string::npos) << scr.err;
  std::vector<json> lines;
  {
    std::ifstream f(out);
    std::string line;
    while (std::getline(f, line)) lines.push_back(json::parse(line));
  }
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["id"], "t1");
  ASSERT_EQ(lines[0]["matches"].size(), 1u);
  EXPECT_EQ(lines[0]["matches"][0]["entry"], "N1");
  EXPECT_EQ(lines[0]["matches"][0]["list"], "national");
  EXPECT_GE(lines[0]["matches"][0]["score"].get<double>(), 0.9);
  EXPECT_TRUE(lines[1]["matches"].empty());
  EXPECT_TRUE(lines[2].contains("error"));
  ASSERT_EQ(lines[3]["matches"].size(), 1u);
  EXPECT_EQ(lines[3]["matches"][0]["entry"], "D1");

  auto q = RunVigil({"screen", "--db", db, "--query", "{\"id\": \"x\", \"name\": \"Yasir Alkhayali\"}"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(json::parse(q.out)["matches"][0]["entry"], "N1");

  // A broken import changes nothing.
  const std::string broken = WriteTemp("broken.jsonl", "\x01\x02 not a list\n");
  auto bad = RunVigil({"lists", "import", "--db", db, "--name", "national", "--format", "jsonl", broken});
  EXPECT_EQ(bad.exit_code, 1);
  auto list = RunVigil({"lists", "list", "--db", db, "--json"});
  EXPECT_EQ(json::parse(list.out).size(), 1u);

  const std::string v2 = WriteTemp(
      "v2.jsonl",
      "{\"id\": \"N1\", \"names\": [\"Yasir AL-KHAYALI\"], \"dob\": [\"1971-03-14\"]}\n"
      "{\"id\": \"N2\", \"names\": [\"Other Person\"]}\n");
  ASSERT_EQ(RunVigil({"lists", "import", "--db", db, "--name", "national", "--format", "jsonl", v2}).exit_code, 0);
  auto diff = RunVigil({"lists", "diff", "--db", db, "--name", "national", "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  auto d = json::parse(diff.out);
  EXPECT_EQ(d["added"], json::array({"N2"}));
  EXPECT_EQ(d["removed"], json::array({"D1"}));
  EXPECT_EQ(d["changed"], json::array({"N1"}));
}

// The BA117 sample manifest moved to a flight `days` from now (real clock):
// the command has no clock of its own.
std::string Ba117In(int days) {
  const std::string when = format_utc(SystemClock()->now() + days * 86400LL);  // YYYY-MM-DDTHH:MM:SSZ
  const std::string yymmdd = when.substr(2, 2) + when.substr(5, 2) + when.substr(8, 2);
  std::string bytes = testing::ReadSample("paxlst-ba0117-passengers.edi");
  for (const char* hhmm : {"1025", "1320"}) {
    const std::string from = std::string("261123") + hhmm;
    const size_t at = bytes.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) bytes.replace(at, from.size(), yymmdd + hhmm);
  }
  return WriteTemp("ba0117.edi", bytes);
}

TEST(CliListsTest, NewListVersionAlertsOnStoredTravellersOfUpcomingFlights) {
  const std::string db = testing::TempDir() + "/v.db";
  // OKONKWO, CHIDI EMEKA (born 1985-02-14) flies in 30 days; SMITH, JOHN
  // WILLIAM (born 1964-07-12) flew on 2025-03-15.
  auto ing = RunVigil({"ingest", "--db", db, Ba117In(30), testing::SamplePath("pnrgov-xml-push.xml")});
  ASSERT_EQ(ing.exit_code, 0) << ing.err;
  auto import = [&](const std::string& file, bool json) {
    std::vector<std::string> args = {"lists", "import", "--db", db, "--name", "national", "--format", "jsonl", file};
    if (json) args.push_back("--json");
    return RunVigil(args);
  };
  const std::string unrelated = "{\"id\": \"N1\", \"names\": [\"Unrelated Person\"]}\n";
  const std::string v1 = WriteTemp("v1.jsonl", unrelated);
  const std::string v2 = WriteTemp(
      "v2.jsonl", unrelated +
                      "{\"id\": \"W1\", \"names\": [\"Chidi OKONKWO\"], \"dob\": [\"1985-02-14\"]}\n"
                      "{\"id\": \"W2\", \"names\": [\"John William SMITH\"], \"dob\": [\"1964-07-12\"]}\n");

  auto r1 = import(v1, true);
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  auto j1 = json::parse(r1.out);
  EXPECT_EQ(j1["rescreened_travellers"], 3) << "the three BA117 travellers; the 2025 push is past";
  EXPECT_EQ(j1["rescreened_entries"], 1);
  EXPECT_EQ(j1["new_hits"], 0);
  EXPECT_EQ(j1["withdrawn_hits"], 0);

  auto r2 = import(v2, false);
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_NE(r2.out.find("rescreened 3 travellers on upcoming flights against 2 added or changed "
                        "entries: 1 new hits, 0 withdrawn"),
            std::string::npos)
      << r2.out;
  auto hits = RunVigil({"hits", "--db", db, "--json"});
  ASSERT_EQ(hits.exit_code, 0) << hits.err;
  auto h = json::parse(hits.out);
  ASSERT_EQ(h.size(), 1u) << hits.out;
  EXPECT_EQ(h[0]["traveller_kind"], "api");
  EXPECT_EQ(h[0]["list"], "national");
  EXPECT_EQ(h[0]["list_version"], 2);
  EXPECT_EQ(h[0]["entry"], "W1");
  EXPECT_EQ(h[0]["entry_name"], "Chidi OKONKWO");
  EXPECT_EQ(h[0]["flight"], "BA117");
  EXPECT_EQ(h[0]["status"], "open");
  EXPECT_GE(h[0]["score"].get<double>(), 0.9);
  for (const char* key : {"id", "traveller_id", "flight_id", "departure_date", "created_at", "withdrawn_at"})
    EXPECT_TRUE(h[0].contains(key)) << key;
  EXPECT_EQ(hits.out.find("CHIDI"), std::string::npos) << "travellers are shown by row, not by name";

  auto same = import(v2, true);
  ASSERT_EQ(same.exit_code, 0) << same.err;
  auto js = json::parse(same.out);
  EXPECT_EQ(js["unchanged"], true);
  EXPECT_EQ(js["new_hits"], 0);
  EXPECT_EQ(js["rescreened_travellers"], 0);
  EXPECT_EQ(json::parse(RunVigil({"hits", "--db", db, "--json"}).out).size(), 1u);

  auto r3 = import(v1, true);
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  auto j3 = json::parse(r3.out);
  EXPECT_EQ(j3["removed"], 2);
  EXPECT_EQ(j3["new_hits"], 0);
  EXPECT_EQ(j3["withdrawn_hits"], 1);
  EXPECT_TRUE(json::parse(RunVigil({"hits", "--db", db, "--json"}).out).empty());
  auto withdrawn = json::parse(RunVigil({"hits", "--db", db, "--status", "withdrawn", "--json"}).out);
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0]["entry"], "W1");
  EXPECT_TRUE(withdrawn[0]["withdrawn_at"].is_string());
  EXPECT_EQ(json::parse(RunVigil({"hits", "--db", db, "--status", "all", "--json"}).out).size(), 1u);
  auto text = RunVigil({"hits", "--db", db, "--status", "all"});
  EXPECT_NE(text.out.find("withdrawn"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("W1 (Chidi OKONKWO)"), std::string::npos) << text.out;
  EXPECT_EQ(RunVigil({"hits", "--db", db, "--status", "closed"}).exit_code, 2);
}

TEST(CliListsTest, EvalNamesReportsPrecisionRecallF1) {
  const std::string pairs = WriteTemp("pairs.tsv",
                                      "Mohammed Ali\tMuhammad Ali\t1\n"
                                      "John Smith\tSMITH, John\t1\n"
                                      "John Smith\tJane Smith\t0\n"
                                      "Maria Garcia\tPeter Parker\t0\n");
  auto r = RunVigil({"eval", "names", pairs});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["pairs"], 4);
  EXPECT_DOUBLE_EQ(j["f1"].get<double>(), 1.0);
  EXPECT_TRUE(j.contains("best_threshold"));
}

// The analyst's loop: a value list and a rule, then a watch-list entry, give
// one alert for the traveller; review decisions need reasons; a dismissed
// watch-list match stays quiet until the entry changes.
TEST(CliTargetingTest, RulesListsAndReviewKeepOneAlertPerTravellerPerFlight) {
  const std::string db = testing::TempDir() + "/t.db";
  auto ing = RunVigil({"ingest", "--db", db, Ba117In(30)});
  ASSERT_EQ(ing.exit_code, 0) << ing.err;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin() + (args[0] == "rules" || args[0] == "values" || args[0] == "alerts" ||
                                        args[0] == "lists" || args[0] == "report"
                                    ? 2
                                    : 1),
                {"--db", db});
    return RunVigil(args);
  };
  auto alerts = [&] {
    auto r = run({"alerts", "list", "--status", "all", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  // OKONKWO's alert, the one this test follows.
  auto okonkwo = [&] {
    for (const auto& x : alerts())
      if (x["traveller_name"].get<std::string>().find("OKONKWO") != std::string::npos) return x;
    return json();
  };
  ASSERT_EQ(run({"values", "set", "nationalities-of-interest", "IRL", "GBR", "--author", "a1"}).exit_code, 0);

  auto bad = run({"rules", "add", "--author", "a1",
                  "rule \"Interest\" severity medium category test when traveller.nationalty in "
                  "list(\"nationalities-of-interest\")"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("line 1, column 52: unknown field traveller.nationalty"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("hint: did you mean traveller.nationality?"), std::string::npos) << bad.err;
  EXPECT_TRUE(json::parse(run({"rules", "list", "--json"}).out).empty()) << "an invalid rule is never stored";

  auto good = run({"rules", "add", "--author", "a1", "--json",
                   "rule \"Interest\" severity medium category test when traveller.nationality in "
                   "list(\"nationalities-of-interest\")"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(json::parse(good.out)["assessment"]["alerts"]["created"], 2) << good.out;  // OKONKWO and O'BRIEN
  ASSERT_EQ(alerts().size(), 2u);
  auto a = okonkwo();
  ASSERT_TRUE(a.is_object());
  EXPECT_EQ(a["status"], "new");
  EXPECT_EQ(a["severity"], "medium");
  EXPECT_EQ(a["flight"], "BA117");
  EXPECT_EQ(a["reasons"][0]["kind"], "rule");
  EXPECT_EQ(a["reasons"][0]["explanation"][0], "traveller.nationality is GBR (in list(\"nationalities-of-interest\"))");
  const std::string id = std::to_string(a["id"].get<int64_t>());

  // A watch-list entry for the same traveller joins the same alert.
  const std::string entry =
      "{\"id\": \"W1\", \"names\": [\"Chidi OKONKWO\"], \"dob\": [\"1985-02-14\"], \"severity\": \"high\"}\n";
  ASSERT_EQ(run({"lists", "import", "--name", "national", "--format", "jsonl", WriteTemp("w1.jsonl", entry)}).exit_code, 0);
  EXPECT_EQ(alerts().size(), 2u) << "one alert per traveller per flight";
  a = okonkwo();
  ASSERT_EQ(a["reasons"].size(), 2u);
  EXPECT_EQ(a["reasons"][0]["kind"], "watchlist");
  EXPECT_EQ(a["reasons"][0]["entry"], "W1");
  EXPECT_EQ(a["severity"], "high");

  // Review: a reason is mandatory, transitions follow the workflow.
  EXPECT_EQ(run({"alerts", "review", id, "--to", "dismissed", "--reason", "no", "--user", "a1"}).exit_code, 1);
  EXPECT_EQ(run({"alerts", "review", id, "--to", "in_review", "--reason", " ", "--user", "a1"}).exit_code, 1);
  ASSERT_EQ(run({"alerts", "review", id, "--to", "in_review", "--reason", "checking", "--user", "a1"}).exit_code, 0);
  auto dismissed = run({"alerts", "review", id, "--to", "dismissed", "--reason", "different person: other birth place",
                        "--user", "a2", "--json"});
  ASSERT_EQ(dismissed.exit_code, 0) << dismissed.err;
  auto d = json::parse(dismissed.out);
  EXPECT_EQ(d["status"], "dismissed");
  ASSERT_EQ(d["events"].size(), 4u);
  EXPECT_EQ(d["events"][3]["user"], "a2");
  EXPECT_EQ(d["events"][3]["reason"], "different person: other birth place");

  // Nothing changed: assessing again leaves the decision alone.
  auto again = run({"assess", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["alerts"]["unchanged"], 3) << again.out;
  EXPECT_EQ(okonkwo()["status"], "dismissed");

  // The entry changes: the match is new evidence and the alert reopens.
  const std::string changed =
      "{\"id\": \"W1\", \"names\": [\"Chidi OKONKWO\", \"Chidi Emeka OKONKWO\"], \"dob\": [\"1985-02-14\"], "
      "\"severity\": \"high\"}\n";
  ASSERT_EQ(run({"lists", "import", "--name", "national", "--format", "jsonl", WriteTemp("w2.jsonl", changed)}).exit_code, 0);
  EXPECT_EQ(alerts().size(), 2u);
  EXPECT_EQ(okonkwo()["status"], "new");

  // What the command line showed and changed is in the access log.
  {
    auto store = OpenSqliteStore(db);
    ASSERT_TRUE(store.ok());
    bool review = false, read = false;
    auto entries = (*store)->AuditEntries(100);
    ASSERT_TRUE(entries.ok());
    for (const auto& e : *entries) {
      review = review || (e.actor == "a2" && e.action == "review alerts" && e.outcome == "ok");
      read = read || e.action == "read alerts";
    }
    EXPECT_TRUE(review && read);
  }
  auto report = run({"report", "rules", "--json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  auto rep = json::parse(report.out);
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0]["rule"], "Interest");
  EXPECT_EQ(rep[0]["alerts"], 2);
}

// A rule tried on history creates nothing; the fairness report sees a rule
// that singles out one nationality.
TEST(CliTargetingTest, RuleTestOnHistoryAndFairnessReport) {
  const std::string db = testing::TempDir() + "/h.db";
  ASSERT_EQ(RunVigil({"ingest", "--db", db, Ba117In(-5)}).exit_code, 0);  // flew five days ago
  const std::string rule =
      "rule \"British travellers\" severity low category test when traveller.nationality == \"GBR\"";
  auto test = RunVigil({"rules", "test", "--db", db, "--days", "30", "--json", rule});
  ASSERT_EQ(test.exit_code, 0) << test.err;
  auto t = json::parse(test.out);
  EXPECT_EQ(t["travellers"], 3);
  ASSERT_EQ(t["hits"].size(), 1u);
  EXPECT_EQ(t["hits"][0]["flight"], "BA117");
  EXPECT_EQ(t["hits"][0]["why"][0], "traveller.nationality is GBR (== \"GBR\")");
  EXPECT_TRUE(json::parse(RunVigil({"alerts", "list", "--db", db, "--status", "all", "--json"}).out).empty());
  auto older = RunVigil({"rules", "test", "--db", db, "--days", "2", "--json", rule});
  EXPECT_EQ(json::parse(older.out)["travellers"], 0) << "the flight is outside the last two days";

  ASSERT_EQ(RunVigil({"rules", "add", "--db", db, "--author", "a1", rule}).exit_code, 0);
  auto fair = RunVigil({"report", "fairness", "--db", db, "--min-group", "1", "--bound", "2", "--json"});
  ASSERT_EQ(fair.exit_code, 0) << fair.err;
  auto f = json::parse(fair.out);
  EXPECT_EQ(f["travellers"], 3);
  ASSERT_EQ(f["rules"].size(), 1u);
  const auto& r = f["rules"][0];
  EXPECT_EQ(r["hits"], 1);
  EXPECT_TRUE(r["flagged"].get<bool>());
  bool gbr = false;
  for (const auto& g : r["groups"])
    if (g["dimension"] == "nationality" && g["group"] == "GBR") {
      gbr = true;
      EXPECT_DOUBLE_EQ(g["ratio"].get<double>(), 3.0);
      EXPECT_TRUE(g["flagged"].get<bool>());
    }
  EXPECT_TRUE(gbr);
  // Groups too small to judge never flag.
  auto small = RunVigil({"report", "fairness", "--db", db, "--min-group", "2", "--json"});
  EXPECT_FALSE(json::parse(small.out)["rules"][0]["flagged"].get<bool>());
}

// Accounts and tokens are made from the command line; passwords come from
// standard input, never from arguments, and only their hashes are kept.
TEST(CliAccountsTest, UsersAndTokensFromTheCommandLine) {
  const std::string db = testing::TempDir() + "/a.db";
  auto weak = RunVigil({"users", "add", "ana", "--db", db, "--roles", "analyst"}, "short\n");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.err.find("at least 12 characters"), std::string::npos) << weak.err;
  auto role = RunVigil({"users", "add", "ana", "--db", db, "--roles", "wizard"}, "a long passphrase 7\n");
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_NE(role.err.find("unknown role \"wizard\""), std::string::npos) << role.err;
  ASSERT_EQ(RunVigil({"users", "add", "ana", "--db", db, "--roles", "analyst,supervisor"}, "a long passphrase 7\n").exit_code, 0);
  EXPECT_EQ(RunVigil({"users", "add", "ana", "--db", db, "--roles", "analyst"}, "a long passphrase 8\n").exit_code, 1);
  auto list = RunVigil({"users", "list", "--db", db, "--json"});
  auto users = json::parse(list.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["roles"], json({"analyst", "supervisor"}));
  EXPECT_EQ(list.out.find("passphrase"), std::string::npos);
  auto token = RunVigil({"tokens", "add", "gate-4", "--db", db, "--scopes", "check"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  EXPECT_EQ(token.out.substr(0, 4), "vgl_");
  auto tokens = RunVigil({"tokens", "list", "--db", db});
  EXPECT_NE(tokens.out.find("gate-4"), std::string::npos);
  EXPECT_EQ(tokens.out.find(token.out.substr(4, 20)), std::string::npos) << "a token is shown once, never listed";
  EXPECT_EQ(RunVigil({"tokens", "revoke", "gate-4", "--db", db}).exit_code, 0);
  EXPECT_NE(RunVigil({"tokens", "list", "--db", db}).out.find("revoked"), std::string::npos);
  // Only hashes are in the database file.
  std::ifstream file(db, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("a long passphrase 7"), std::string::npos);
  EXPECT_EQ(bytes.find(token.out.substr(0, 30)), std::string::npos);
}

// `vigil audit verify` says where a tampered trail breaks, and fails.
TEST(CliAuditTest, VerifyFindsTamperingAndSaysWhere) {
  const std::string dir = testing::TempDir();
  const std::string db = dir + "/audit.db";
  {
    auto store = OpenSqliteStore(db);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*store)->Audit({0, "", "ana", "read alerts", "alerts", "case 1", "", "127.0.0.1", "ok", "", ""}).ok());
  }
  EXPECT_EQ(RunVigil({"audit", "verify", "--db", db}).exit_code, 2) << "no key yet: nothing to verify against";
  ASSERT_EQ(RunVigil({"audit", "checkpoint", "--db", db}).exit_code, 0);
  auto ok = RunVigil({"audit", "verify", "--db", db});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("audit trail intact: 3 entries, 1 signed checkpoints"), std::string::npos) << ok.out;
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "DROP TRIGGER access_log_append_only_update; UPDATE access_log SET actor = 'bob' WHERE id = 2",
                         nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto broken = RunVigil({"audit", "verify", "--db", db, "--json"});
  EXPECT_EQ(broken.exit_code, 1);
  auto j = json::parse(broken.out);
  EXPECT_EQ(j["intact"], false);
  EXPECT_EQ(j["problems"][0]["entry"], 2);
}

// Data protection from the command line: retention moved through time,
// re-personalisation decided only by an approver other than the requester,
// and the data keys rotated, resealed and retired.
TEST(CliPrivacyTest, RetentionRepersonalisationAndKeys) {
  const std::string dir = testing::TempDir(), db = dir + "/p.db";
  const std::vector<std::string> at_start = {"--db", db, "--now", "2026-11-18T08:00:00Z"};
  auto with = [](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  ASSERT_EQ(RunVigil(with({"ingest", testing::SamplePath("paxlst-ba0117-passengers.edi"),
                           testing::SamplePath("pnrgov-ba0117-72h.edi")},
                          at_start))
                .exit_code,
            0);
  for (const char* user : {"ana", "judge"})
    ASSERT_EQ(RunVigil({"users", "add", user, "--db", db, "--roles", std::string(user) == "ana" ? "analyst" : "approver"},
                       "a long passphrase 7\n")
                  .exit_code,
              0);
  auto policy = RunVigil({"retention", "show", "--db", db});
  ASSERT_EQ(policy.exit_code, 0) << policy.err;
  EXPECT_EQ(json::parse(policy.out)["pnr_depersonalise_after_days"], 183);
  auto early = RunVigil({"retention", "run", "--db", db, "--json", "--now", "2026-11-25T08:00:00Z"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  EXPECT_EQ(json::parse(early.out)["api_travellers_deleted"], 3) << "a day after BA117 arrived";
  EXPECT_EQ(json::parse(early.out)["pnr_versions_depersonalised"], 0);
  auto later = RunVigil({"retention", "run", "--db", db, "--json", "--now", "2027-06-01T00:00:00Z"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(json::parse(later.out)["pnr_versions_depersonalised"], 2);
  auto bad = RunVigil({"retention", "run", "--db", db, "--retention", dir + "/none.json"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("none.json"), std::string::npos) << bad.err;

  const std::vector<std::string> now = {"--db", db, "--now", "2027-06-01T01:00:00Z"};
  auto req = RunVigil(with({"repersonalise", "request", "1", "--case", "CASE-9", "--grounds", "seizure 9", "--user",
                            "ana"},
                           now));
  ASSERT_EQ(req.exit_code, 0) << req.err;
  auto self = RunVigil(with({"repersonalise", "approve", "1", "--user", "ana"}, now));
  EXPECT_EQ(self.exit_code, 1);
  EXPECT_NE(self.err.find("does not hold the approver role"), std::string::npos) << self.err;
  auto approved = RunVigil(with({"repersonalise", "approve", "1", "--user", "judge", "--note", "ok"}, now));
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_NE(approved.out.find("approved"), std::string::npos);
  EXPECT_NE(approved.out.find("until 2027-06-04T01:00:00Z"), std::string::npos) << approved.out;
  auto dpo = RunVigil(with({"report", "dpo", "--json"}, now));
  ASSERT_EQ(dpo.exit_code, 0) << dpo.err;
  const json report = json::parse(dpo.out);
  EXPECT_EQ(report["done"]["api_travellers_deleted"], 3);
  EXPECT_EQ(report["repersonalisations"][0]["decided_by"], "judge");

  auto status = RunVigil({"keys", "status", "--db", db, "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(json::parse(status.out)["current"], 1);
  ASSERT_EQ(RunVigil({"keys", "rotate", "--db", db}).exit_code, 0);
  auto early_retire = RunVigil({"keys", "retire", "1", "--db", db});
  EXPECT_EQ(early_retire.exit_code, 2);
  EXPECT_NE(early_retire.err.find("still sealed with key 1"), std::string::npos) << early_retire.err;
  ASSERT_EQ(RunVigil({"keys", "reseal", "--db", db, "--batch", "5"}).exit_code, 0);
  ASSERT_EQ(RunVigil({"keys", "retire", "1", "--db", db}).exit_code, 0);
  auto after = json::parse(RunVigil({"keys", "status", "--db", db, "--json"}).out);
  EXPECT_EQ(after["keys"].size(), 1u);
  EXPECT_EQ(after["keys"][0]["id"], 2);
  EXPECT_EQ(RunVigil({"alerts", "list", "--db", db}).exit_code, 0) << "everything still opens";
  std::filesystem::rename(dir + "/keys/data.keys", dir + "/elsewhere.keys");
  auto missing = RunVigil({"status", "--db", db});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("data key file"), std::string::npos) << missing.err;

  // Reads from the command line are logged with who and why.
  std::filesystem::rename(dir + "/elsewhere.keys", dir + "/keys/data.keys");
  ASSERT_EQ(RunVigil({"hits", "--db", db, "--purpose", "CASE-12", "--user", "ana"}).exit_code, 0);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw,
                               "SELECT actor || '|' || purpose FROM access_log WHERE action = 'read hits' "
                               "ORDER BY id DESC LIMIT 1",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), "ana|CASE-12");
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

// A passport chip's photograph searched with its document security
// object: the verdict printed with the candidates and kept with the
// encounter; a tampered photograph is told as such.
TEST(CliBioTest, AChipsDataGroupIsAuthenticatedWhenItsSecurityObjectIsGiven) {
  const std::string dir = testing::TempDir(), db = dir + "/bio.db";
  auto save = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    return dir + "/" + name;
  };
  const std::string photo = testing::ReadSource("data/faces/astronaut.jpg");
  const std::string dg2 = testing::DataGroup('\x75', {testing::FaceRecord({{0, photo}})});
  const testing::ChipIssuer utopia("UT");
  const std::string csca = save("csca.pem", utopia.CscaPem()), group = save("dg2.bin", dg2);
  ASSERT_EQ(RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "PH1", group}).exit_code, 0);

  auto r = RunVigil({"bio", "search", "--db", db, "--sod", save("sod.bin", utopia.SodOver({{2, dg2}})), "--csca",
                     csca, group});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["chip"]["authentic"], true) << r.out;
  EXPECT_EQ(j["chip"]["revocation"], "revocation not checked: no CRL from its CSCA is loaded");
  EXPECT_EQ(j["candidates"][0]["id"], "PH1");
  // With its CSCA's CRL revoking the document signer.
  auto revoked = RunVigil({"bio", "search", "--db", db, "--sod", dir + "/sod.bin", "--csca",
                           save("revoking.pem", utopia.CscaPem() + utopia.Crl(true)), group});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(json::parse(revoked.out)["chip"]["authentic"], false) << revoked.out;
  const std::string other = testing::DataGroup('\x75', {testing::FaceRecord({{0, photo}}, 1)});
  r = RunVigil({"bio", "search", "--db", db, "--sod", save("other.bin", utopia.SodOver({{2, other}})), "--csca", csca,
                group});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_EQ(j["chip"]["authentic"], false);
  EXPECT_NE(j["chip"]["reason"].get<std::string>().find("data group 2 does not hash"), std::string::npos);
  auto listed = RunVigil({"bio", "encounters", "--db", db});
  EXPECT_NE(listed.out.find("; chip not authentic: data group 2 does not hash"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("; chip authentic; signer revocation not checked: no CRL from its CSCA is loaded"),
            std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("; chip not authentic: the document signer's certificate was revoked on "), std::string::npos)
      << listed.out;

  EXPECT_EQ(RunVigil({"bio", "search", "--db", db, "--sod", dir + "/sod.bin", group}).exit_code, 2)
      << "--sod needs --csca";
  auto no_cert = RunVigil({"bio", "search", "--db", db, "--sod", dir + "/sod.bin", "--csca", group, group});
  EXPECT_NE(no_cert.exit_code, 0);
  EXPECT_NE(no_cert.err.find("dg2.bin: no certificate or CRL (PEM, DER or a master list) in it"), std::string::npos) << no_cert.err;
}

// Synthetic finger `finger`'s impression `impression` (seed 3) written to
// `dir` as a PNG image; its path.
std::string WritePrint(const std::string& dir, int finger, int impression) {
  static const FingerImageGenerator images(3);
  const std::string path = dir + "/p" + std::to_string(finger) + "-" + std::to_string(impression) + ".png";
  std::ofstream(path, std::ios::binary) << encode_png(images.Impression(finger, impression).image);
  return path;
}

// One person's fingerprint images, each named its finger (--positions),
// enrolled and searched as one probe: the search fuses both fingers into
// one score, above either finger's alone. Misnamed or mismatched files are
// refused before anything is read into the gallery.
TEST(CliBioTest, SeveralFilesAreOneProbeWithTheirFingersNamed) {
  const std::string dir = testing::TempDir(), db = dir + "/bio.db";
  auto picture = [&](int finger, int impression) { return WritePrint(dir, finger, impression); };
  for (int s = 0; s < 4; ++s) {
    auto r = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "S" + std::to_string(s), "--positions",
                       "2,3", picture(2 * s, 0), picture(2 * s + 1, 0), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["added"], 2);
  }
  auto both = RunVigil({"bio", "search", "--db", db, "--positions", "2,3", picture(4, 2), picture(5, 2)});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  const json best = json::parse(both.out)["candidates"][0];
  EXPECT_EQ(best["id"], "S2");
  EXPECT_TRUE(best["match"]);
  ASSERT_EQ(best["fingers"].size(), 2u) << best;
  EXPECT_EQ(best["fingers"][0]["position"], 2);
  EXPECT_EQ(best["fingers"][1]["position"], 3);
  for (int k = 0; k < 2; ++k) {
    auto one = RunVigil({"bio", "search", "--db", db, "--positions", k ? "3" : "2", picture(4 + k, 2)});
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const json alone = json::parse(one.out)["candidates"][0];
    EXPECT_EQ(alone["id"], "S2");
    EXPECT_EQ(alone["score"], best["fingers"][k]["score"]) << "each finger compared with its own finger only";
    EXPECT_GT(best["score"].get<double>(), alone["score"].get<double>() + 2) << both.out << one.out;
  }

  // Read as a right-hand slap (13), an image of one print is that slap's
  // first print, of the hand's fingers.
  auto as_slap = RunVigil({"bio", "search", "--db", db, "--positions", "13", picture(4, 2)});
  ASSERT_EQ(as_slap.exit_code, 0) << as_slap.err;
  const json slapped = json::parse(as_slap.out)["candidates"][0];
  EXPECT_EQ(slapped["id"], "S2") << slapped;
  EXPECT_EQ(slapped["fingers"][0]["position"], 13) << slapped;
  EXPECT_EQ(slapped["fingers"][0]["print"], 1) << slapped;
  auto counted = RunVigil({"bio", "search", "--db", db, "--positions", "2", picture(4, 2), picture(5, 2)});
  EXPECT_EQ(counted.exit_code, 2);
  EXPECT_NE(counted.err.find("--positions gives 1 finger positions for 2 files"), std::string::npos) << counted.err;
  auto eleven = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "S9", "--positions", "11",
                          picture(9, 0)});
  EXPECT_EQ(eleven.exit_code, 2);
  EXPECT_NE(eleven.err.find("\"11\" is not a finger position"), std::string::npos) << eleven.err;
  const std::string face = std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg";
  auto faces = RunVigil({"bio", "search", "--db", db, face, face});
  EXPECT_EQ(faces.exit_code, 1);
  EXPECT_NE(faces.err.find("astronaut.jpg: a second face; a probe holds one"), std::string::npos) << faces.err;
  auto encounters = RunVigil({"bio", "encounters", "--db", db, "--json"});
  ASSERT_EQ(encounters.exit_code, 0) << encounters.err;
  EXPECT_EQ(json::parse(encounters.out).size(), 4u) << "the four searches that ran";
}

// Fingerprints from the command line: enrolment (with duplicates found),
// a 1:N search printing its candidates, and the encounters it records.
TEST(CliBioTest, EnrolSearchAndEncounters) {
  const std::string dir = testing::TempDir(), db = dir + "/bio.db";
  FingerGenerator gen(11);
  auto write = [&](int finger, int impression) {
    FingerTemplate t;
    t.width = 400;
    t.height = 500;
    t.views = {gen.Impression(finger, impression)};
    const std::string path = dir + "/f" + std::to_string(finger) + "-" + std::to_string(impression) + ".fmr";
    std::ofstream(path, std::ios::binary) << write_fmr(t);
    return path;
  };
  for (int f = 0; f < 5; ++f) {
    auto r = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "W" + std::to_string(f + 1),
                       "--category", "terrorism", write(f, 0), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["added"], 1);
  }
  // The same print again is not stored twice; another print of a known
  // person is flagged as possibly the same.
  auto again = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "W1", write(0, 0), "--json"});
  EXPECT_EQ(json::parse(again.out)["duplicates"], 1);
  auto alias = RunVigil({"bio", "enrol", "--db", db, "--list", "interpol", "--id", "R-77", write(2, 2), "--json"});
  ASSERT_EQ(alias.exit_code, 0) << alias.err;
  EXPECT_EQ(json::parse(alias.out)["possible_duplicates"][0]["id"], "W3") << alias.out;

  auto hit = RunVigil({"bio", "search", "--db", db, "--top", "3", "--location", "BCP Nord", "--user", "officer7",
                       write(3, 1)});
  ASSERT_EQ(hit.exit_code, 0) << hit.err;
  const json found = json::parse(hit.out)["candidates"];
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0]["id"], "W4");
  EXPECT_EQ(found[0]["list"], "national");
  EXPECT_TRUE(found[0]["match"]);
  EXPECT_FALSE(found[1]["match"]);
  EXPECT_GE(found[0]["score"].get<double>(), found[1]["score"].get<double>());
  // Five subjects: the identification threshold is the 1:1 one.
  for (const json& c : found) EXPECT_EQ(c["threshold"], 10.6) << c;
  // What the score fuses: the probe's one view, against the subject's.
  ASSERT_EQ(found[0]["fingers"].size(), 1u) << found[0];
  EXPECT_EQ(found[0]["fingers"][0]["score"], found[0]["score"]);
  EXPECT_EQ(found[0]["fingers"][0]["position"], gen.Impression(3, 1).finger);
  auto miss = RunVigil({"bio", "search", "--db", db, write(40, 1)});
  ASSERT_EQ(miss.exit_code, 0) << miss.err;
  EXPECT_FALSE(json::parse(miss.out)["candidates"][0]["match"]);

  // Bad input: nothing enrolled half-way, a clear reason.
  std::ofstream(dir + "/bad.fmr", std::ios::binary) << "FMR" << std::string(1, '\0') << " 20" << std::string(1, '\0')
                                                    << "garbage";
  auto bad = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "W6", write(6, 0), dir + "/bad.fmr"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("bad.fmr: finger minutiae record: at byte 8: record length"), std::string::npos) << bad.err;
  std::ofstream(dir + "/photo.png", std::ios::binary) << "\x89PNG\r\n";
  auto image = RunVigil({"bio", "search", "--db", db, dir + "/photo.png"});
  EXPECT_EQ(image.exit_code, 1);
  EXPECT_NE(image.err.find("photo.png: PNG image"), std::string::npos) << image.err;
  GrayImage blank;
  blank.width = 300, blank.height = 400;
  blank.pixels.assign(300 * 400, 250);
  std::ofstream(dir + "/blank.png", std::ios::binary) << encode_png(blank);
  auto empty = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "W7", write(7, 0), dir + "/blank.png"});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("blank.png: face image: no face found; read as a fingerprint: fingerprint image: blank or flat"), std::string::npos) << empty.err;

  // Fingerprint images: minutiae extracted at enrolment and at search.
  auto picture = [&](int finger, int impression) { return WritePrint(dir, finger, impression); };
  for (int f = 0; f < 3; ++f) {
    auto enrol = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "P" + std::to_string(f), picture(f, 1)});
    ASSERT_EQ(enrol.exit_code, 0) << enrol.err;
  }
  // A face photograph, enrolled and searched as a face.
  auto photo_enrol = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "PH1", std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg"});
  ASSERT_EQ(photo_enrol.exit_code, 0) << photo_enrol.err;
  auto pictured = RunVigil({"bio", "search", "--db", db, picture(1, 2)});
  ASSERT_EQ(pictured.exit_code, 0) << pictured.err;
  EXPECT_EQ(json::parse(pictured.out)["candidates"][0]["id"], "P1");
  EXPECT_TRUE(json::parse(pictured.out)["candidates"][0]["match"]);
  // A WSQ image (a real inked print) is read as a fingerprint.
  const std::string wsq = std::string(VIGIL_SOURCE_DIR) + "/tests/biometrics/data/wsq/sample.wsq";
  auto wsq_enrol = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "WSQ1", wsq});
  ASSERT_EQ(wsq_enrol.exit_code, 0) << wsq_enrol.err;
  auto wsq_search = RunVigil({"bio", "search", "--db", db, wsq});
  ASSERT_EQ(wsq_search.exit_code, 0) << wsq_search.err;
  EXPECT_EQ(json::parse(wsq_search.out)["candidates"][0]["id"], "WSQ1");
  EXPECT_EQ(json::parse(wsq_search.out)["candidates"][0]["modality"], "finger");
  auto retry = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "W6", write(6, 0), "--json"});
  EXPECT_EQ(json::parse(retry.out)["added"], 1) << "the failed enrolment left nothing behind";

  // Faces: precomputed embeddings, enrolled and searched exactly.
  std::mt19937 rng(5);
  std::normal_distribution<float> g(0, 1);
  std::vector<std::vector<float>> faces(3, std::vector<float>(128));
  for (auto& f : faces)
    for (float& x : f) x = g(rng);
  for (size_t i = 0; i < faces.size(); ++i) {
    const std::string path = dir + "/face" + std::to_string(i) + ".json";
    std::ofstream(path) << json{{"embedding", faces[i]}}.dump();
    auto r = RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "F" + std::to_string(i), path, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::vector<float> probe = faces[1];
  for (float& x : probe) x += 0.2f * g(rng);
  std::ofstream(dir + "/probe.json") << json(probe).dump();
  auto face = RunVigil({"bio", "search", "--db", db, dir + "/probe.json"});
  ASSERT_EQ(face.exit_code, 0) << face.err;
  const json faced = json::parse(face.out)["candidates"];
  EXPECT_EQ(faced[0]["id"], "F1");
  EXPECT_EQ(faced[0]["modality"], "face");
  EXPECT_TRUE(faced[0]["match"]);
  EXPECT_FALSE(faced[1]["match"]);
  std::ofstream(dir + "/zero.json") << "[0, 0, 0]";
  auto zero = RunVigil({"bio", "search", "--db", db, dir + "/zero.json"});
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_NE(zero.err.find("all zero"), std::string::npos) << zero.err;
  auto face_photo = RunVigil({"bio", "search", "--db", db, std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg"});
  ASSERT_EQ(face_photo.exit_code, 0) << face_photo.err;
  EXPECT_EQ(json::parse(face_photo.out)["candidates"][0]["id"], "PH1");
  EXPECT_TRUE(json::parse(face_photo.out)["candidates"][0]["match"]);

  auto encounters = RunVigil({"bio", "encounters", "--db", db, "--json"});
  ASSERT_EQ(encounters.exit_code, 0) << encounters.err;
  const json e = json::parse(encounters.out);
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0]["best_id"], "PH1");
  EXPECT_EQ(e[1]["best_id"], "F1");
  EXPECT_EQ(e[2]["best_id"], "WSQ1");
  EXPECT_EQ(e[3]["best_id"], "P1");
  EXPECT_EQ(e[4]["result"], "no_hit");
  EXPECT_EQ(e[5]["result"], "hit");
  EXPECT_EQ(e[5]["best_id"], "W4");
  EXPECT_EQ(e[5]["officer"], "officer7");
  EXPECT_EQ(e[5]["location"], "BCP Nord");

  // A stricter false-positive identification rate raises the threshold;
  // the scores stay.
  auto usual = RunVigil({"bio", "search", "--db", db, write(3, 1)});
  auto strict = RunVigil({"bio", "search", "--db", db, "--fpir", "0.000001", write(3, 1)});
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  const json u = json::parse(usual.out)["candidates"][0], s = json::parse(strict.out)["candidates"][0];
  EXPECT_EQ(u["id"], "W4");
  EXPECT_EQ(s["id"], "W4");
  EXPECT_EQ(u["score"], s["score"]);
  EXPECT_GT(s["threshold"].get<double>(), u["threshold"].get<double>() + 3) << u << s;
  EXPECT_EQ(s["match"], s["score"].get<double>() >= s["threshold"].get<double>());
  auto no_rate = RunVigil({"bio", "search", "--db", db, "--fpir", "1", write(3, 1)});
  EXPECT_EQ(no_rate.exit_code, 2);
  EXPECT_NE(no_rate.err.find("vigil bio search: --fpir is a rate between 0 and 1"), std::string::npos) << no_rate.err;
  EXPECT_EQ(RunVigil({"bio", "search", "--db", db, "--fpir", "0", write(3, 1)}).exit_code, 2);
  EXPECT_EQ(RunVigil({"bio", "search", "--db", db, "--fpir", "1", write(3, 1)}).exit_code, 2);
  EXPECT_EQ(RunVigil({"serve", "--db", db, "--fpir", "-0.1"}).exit_code, 2);

  // An offline package for a handheld device: signed, with an expiry, and
  // sealed so that the file alone names nobody.
  const std::string pkg = dir + "/national.pkg";
  auto packed = RunVigil({"bio", "package", "--db", db, "--list", "national", "--expires", "2026-12-31", "--out", pkg,
                          "--now", "2026-11-22"});
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  const size_t by = packed.out.find("signed by ");
  ASSERT_NE(by, std::string::npos) << packed.out;
  const std::string key = packed.out.substr(by + 10, 64);
  const std::string seal = dir + "/keys/package-sealing.key";
  EXPECT_NE(packed.out.find("sealed with " + seal), std::string::npos) << packed.out;
  std::string bytes;
  {
    std::ifstream in(pkg, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  EXPECT_EQ(bytes.find("\"W4\""), std::string::npos) << "a reference readable in a sealed package";
  const std::string device = dir + "/device.db";  // the device's own store, for its encounters
  auto offline = RunVigil({"bio", "search", "--db", device, "--package", pkg, "--trust", key, "--sealing-key", seal,
                           "--now", "2026-12-01", write(3, 1)});
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_EQ(json::parse(offline.out)["candidates"][0]["id"], "W4");
  auto keyless = RunVigil({"bio", "search", "--db", device, "--package", pkg, "--trust", key, "--now", "2026-12-01", write(3, 1)});
  EXPECT_EQ(keyless.exit_code, 1);
  EXPECT_NE(keyless.err.find("sealed; give its sealing key"), std::string::npos) << keyless.err;
  std::ofstream(dir + "/other.key") << std::string(64, 'a');
  auto wrong = RunVigil({"bio", "search", "--db", device, "--package", pkg, "--trust", key, "--sealing-key", dir + "/other.key",
                         "--now", "2026-12-01", write(3, 1)});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("the sealing key does not open it"), std::string::npos) << wrong.err;
  auto late = RunVigil({"bio", "search", "--db", device, "--package", pkg, "--trust", key, "--sealing-key", seal, "--now",
                        "2027-01-01", write(3, 1)});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_NE(late.err.find("expired"), std::string::npos) << late.err;

  // Unsealed on request; altering it breaks the signature.
  auto plain = RunVigil({"bio", "package", "--db", db, "--list", "national", "--expires", "2026-12-31", "--out", pkg,
                         "--unsealed", "--now", "2026-11-22"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  {
    std::ifstream in(pkg, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  const size_t w4 = bytes.find("\"W4\"");
  ASSERT_NE(w4, std::string::npos);
  bytes[w4 + 2] = '5';  // W4 becomes W5
  std::ofstream(pkg, std::ios::binary | std::ios::trunc) << bytes;
  auto altered = RunVigil({"bio", "search", "--db", device, "--package", pkg, "--trust", key, "--now", "2026-12-01",
                           write(3, 1)});
  EXPECT_EQ(altered.exit_code, 1);
  EXPECT_NE(altered.err.find("signature"), std::string::npos) << altered.err;

  // A device's package, made before W4 is taken off the list.
  const std::string before = dir + "/before.pkg";
  ASSERT_EQ(RunVigil({"bio", "package", "--db", db, "--list", "national", "--expires", "2026-12-31", "--out", before, "--now",
                      "2026-11-22"}).exit_code, 0);

  // Taken off the list: removed with its templates, and no longer found.
  auto removed = RunVigil({"bio", "remove", "--db", db, "--list", "national", "--id", "W4", "--purpose", "delisted"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "removed national/W4: 1 templates\n");
  auto after = RunVigil({"bio", "search", "--db", db, write(3, 1)});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const json after_removal = json::parse(after.out);
  ASSERT_FALSE(after_removal["candidates"].empty()) << after.out;
  for (const auto& c : after_removal["candidates"]) EXPECT_NE(c["id"], "W4");
  auto twice = RunVigil({"bio", "remove", "--db", db, "--list", "national", "--id", "W4"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("no biometric subject national/W4"), std::string::npos) << twice.err;

  // The device's package still holds W4 until it expires; a signed notice
  // of the removals since takes it out on the device, and only from
  // packages made before the removal.
  const std::string notice = dir + "/national.withdrawn";
  auto notified = RunVigil({"bio", "withdrawals", "--db", db, "--list", "national", "--out", notice, "--now", "2026-11-23"});
  ASSERT_EQ(notified.exit_code, 0) << notified.err;
  EXPECT_EQ(notified.out.find("1 subjects withdrawn from national"), 0u) << notified.out;
  EXPECT_NE(notified.out.find(key), std::string::npos) << "signed by the packages' key";
  {
    std::ifstream in(notice, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  EXPECT_EQ(bytes.find("\"W4\""), std::string::npos) << "a reference readable in a sealed notice";
  auto ids = [](const std::string& out) {
    const json answer = json::parse(out);
    std::vector<std::string> v;
    for (const auto& c : answer["candidates"]) v.push_back(c["id"]);
    return v;
  };
  auto stale = RunVigil({"bio", "search", "--db", device, "--package", before, "--trust", key, "--sealing-key", seal, "--now",
                         "2026-12-01", write(3, 1)});
  ASSERT_EQ(stale.exit_code, 0) << stale.err;
  ASSERT_FALSE(ids(stale.out).empty()) << stale.out;
  EXPECT_EQ(ids(stale.out)[0], "W4");
  auto withdrawn = RunVigil({"bio", "search", "--db", device, "--package", before, "--trust", key, "--sealing-key", seal,
                             "--withdrawals", notice, "--now", "2026-12-01", write(3, 1)});
  ASSERT_EQ(withdrawn.exit_code, 0) << withdrawn.err;
  EXPECT_FALSE(ids(withdrawn.out).empty());
  for (const std::string& found_id : ids(withdrawn.out)) EXPECT_NE(found_id, "W4");
  // Enrolled again and packaged afresh, W4 is found despite the old notice.
  ASSERT_EQ(RunVigil({"bio", "enrol", "--db", db, "--list", "national", "--id", "W4", write(3, 0)}).exit_code, 0);
  const std::string fresh = dir + "/fresh.pkg";
  ASSERT_EQ(RunVigil({"bio", "package", "--db", db, "--list", "national", "--expires", "2026-12-31", "--out", fresh, "--now",
                      "2026-11-24"}).exit_code, 0);
  auto back = RunVigil({"bio", "search", "--db", device, "--package", fresh, "--trust", key, "--sealing-key", seal,
                        "--withdrawals", notice, "--now", "2026-12-01", write(3, 1)});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  ASSERT_FALSE(ids(back.out).empty()) << back.out;
  EXPECT_EQ(ids(back.out)[0], "W4");
  // A notice altered, or signed by another key, is refused.
  const size_t brace = bytes.find("\"withdrawals\":");
  ASSERT_NE(brace, std::string::npos);
  bytes[brace + 15] = bytes[brace + 15] == '1' ? '2' : '1';
  std::ofstream(notice, std::ios::binary | std::ios::trunc) << bytes;
  auto forged = RunVigil({"bio", "search", "--db", device, "--package", before, "--trust", key, "--sealing-key", seal,
                          "--withdrawals", notice, "--now", "2026-12-01", write(3, 1)});
  EXPECT_EQ(forged.exit_code, 1);
  EXPECT_NE(forged.err.find("withdrawal notice: the signature is not the trusted key's"), std::string::npos) << forged.err;
  EXPECT_EQ(RunVigil({"bio", "search", "--db", device, "--withdrawals", notice, write(3, 1)}).exit_code, 2)
      << "a notice is for a package";

  // An examiner decides the hits, once each, with a reason.
  auto awaiting = RunVigil({"bio", "encounters", "--db", db, "--status", "awaiting", "--json"});
  ASSERT_EQ(awaiting.exit_code, 0) << awaiting.err;
  const json hits = json::parse(awaiting.out);
  ASSERT_FALSE(hits.empty());
  const std::string id = std::to_string(hits[0]["id"].get<int64_t>());
  auto decided = RunVigil({"bio", "decide", "--db", db, id, "--decision", "confirmed", "--reason", "14 points agree",
                           "--user", "examiner2"});
  ASSERT_EQ(decided.exit_code, 0) << decided.err;
  EXPECT_EQ(decided.out, "encounter #" + id + " confirmed by examiner2\n");
  auto twice_decided = RunVigil({"bio", "decide", "--db", db, id, "--decision", "rejected", "--reason", "x"});
  EXPECT_EQ(twice_decided.exit_code, 1);
  EXPECT_NE(twice_decided.err.find("was confirmed by examiner2"), std::string::npos) << twice_decided.err;
  auto listed = RunVigil({"bio", "encounters", "--db", db, "--status", "confirmed", "--json"});
  EXPECT_EQ(json::parse(listed.out)[0]["reason"], "14 points agree");
  EXPECT_EQ(json::parse(listed.out).size(), 1u);
  EXPECT_EQ(RunVigil({"bio", "encounters", "--db", db, "--status", "later"}).exit_code, 2);
}

}  // namespace
}  // namespace vigil
