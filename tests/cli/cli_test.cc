// The `vigil` command's stable contract, exercised through the real binary.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "support/test_support.h"

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
  for (const char* cmd : {"vigil parse", "vigil ingest", "vigil mrz", "vigil status"})
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
