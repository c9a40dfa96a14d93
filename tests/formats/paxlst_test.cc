#include "formats/paxlst/paxlst.h"

#include <gtest/gtest.h>

#include "formats/detect.h"
#include "support/test_support.h"

namespace vigil {
namespace {

ParsedInput Parse(std::string_view input, bool strict = false) {
  ParseOptions o;
  o.file = "t.edi";
  o.strict = strict;
  o.reference_year = 2026;
  return parse_input(input, o);
}

TEST(PaxlstTest, ReadsFlightAndEveryTravellerField) {
  auto p = Parse(testing::ReadSample("paxlst-ba0117-passengers.edi"));
  ASSERT_TRUE(p.accepted()) << p.diags.all().front().to_string();
  EXPECT_EQ(p.diags.warning_count(), 0u) << p.diags.all().front().to_string();
  ASSERT_EQ(p.manifests.size(), 1u);
  const Manifest& m = p.manifests[0];
  EXPECT_EQ(m.header.sender, "BAAPI");
  EXPECT_EQ(m.header.message_function, "745");
  ASSERT_EQ(m.legs.size(), 1u);
  EXPECT_EQ(m.legs[0].carrier, "BA");
  EXPECT_EQ(m.legs[0].flight_number, "117");
  EXPECT_EQ(m.legs[0].departure_airport, "LHR");
  EXPECT_EQ(m.legs[0].arrival_airport, "JFK");
  EXPECT_EQ(m.legs[0].departure_local, "2026-11-23T10:25");
  EXPECT_EQ(m.legs[0].arrival_local, "2026-11-23T13:20");
  ASSERT_EQ(m.travellers.size(), 3u);

  const Traveller& a = m.travellers[0];
  EXPECT_EQ(a.role, Traveller::Role::kPassenger);
  EXPECT_EQ(a.surname, "OKONKWO");
  EXPECT_EQ(a.given_names, "CHIDI EMEKA");
  EXPECT_EQ(a.sex, "M");
  EXPECT_EQ(a.birth_date, "1985-02-14");
  EXPECT_EQ(a.nationality, "GBR");
  EXPECT_EQ(a.residence_country, "GBR");
  ASSERT_TRUE(a.address.has_value());
  EXPECT_EQ(a.address->street, "14 PALACE ROAD");
  EXPECT_EQ(a.address->city, "LONDON");
  EXPECT_EQ(a.address->postal_code, "SW2 3NB");
  EXPECT_EQ(a.embarkation, "LHR");
  EXPECT_EQ(a.debarkation, "JFK");
  EXPECT_EQ(a.transit, (std::vector<std::string>{"JFK"}));
  EXPECT_EQ(a.reservation_reference, "K7QX2M");
  EXPECT_EQ(a.seat, "14A");
  ASSERT_EQ(a.documents.size(), 1u);
  EXPECT_EQ(a.documents[0].type, "P");
  EXPECT_EQ(a.documents[0].number, "533401872");
  EXPECT_EQ(a.documents[0].issuing_state, "GBR");
  EXPECT_EQ(a.documents[0].expiry_date, "2031-08-22");

  EXPECT_EQ(m.travellers[1].surname, "M\xC3\x9CLLER-L\xC3\x9C" "DENSCHEIDT");
  EXPECT_EQ(m.travellers[1].given_names, "ANNA MARIA");
  EXPECT_EQ(m.travellers[2].surname, "O'BRIEN");
  EXPECT_EQ(m.travellers[2].bags, 2u);
  EXPECT_EQ(m.travellers[2].bag_tags, (std::vector<std::string>{"BA612345"}));
  EXPECT_EQ(m.travellers[2].birth_date, "2001-01-01");
}

TEST(PaxlstTest, CrewListUnderUnusualSeparators) {
  auto p = Parse(testing::ReadSample("paxlst-ac0871-crew.edi"));
  ASSERT_TRUE(p.accepted()) << p.diags.all().front().to_string();
  ASSERT_EQ(p.manifests.size(), 1u);
  const Manifest& m = p.manifests[0];
  EXPECT_EQ(m.header.message_function, "250");
  ASSERT_EQ(m.travellers.size(), 2u);
  EXPECT_EQ(m.travellers[0].role, Traveller::Role::kCrew);
  EXPECT_EQ(m.travellers[0].given_names, "MARIE CLAUDE");
  EXPECT_EQ(m.travellers[1].documents[0].number, "AC654321");
  EXPECT_EQ(m.legs[0].arrival_local, "2026-11-24T07:40");
}

TEST(PaxlstTest, MultiPartManifestIsReassembledInOrder) {
  std::vector<Manifest> parts;
  for (const char* f : {"paxlst-lh0400-part3.edi", "paxlst-lh0400-part1.edi",
                        "paxlst-lh0400-part2.edi"}) {
    auto p = Parse(testing::ReadSample(f));
    ASSERT_TRUE(p.accepted()) << f;
    for (auto& m : p.manifests) parts.push_back(std::move(m));
  }
  Diagnostics d;
  auto whole = reassemble_parts(std::move(parts), &d);
  EXPECT_EQ(d.warning_count(), 0u);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].parts, 3u);
  EXPECT_TRUE(whole[0].header.last_part);
  ASSERT_EQ(whole[0].travellers.size(), 3u);
  EXPECT_EQ(whole[0].travellers[0].surname, "SCHMIDT");
  EXPECT_EQ(whole[0].travellers[1].surname, "NGUYEN");
  EXPECT_EQ(whole[0].travellers[2].surname, "AL-RASHID");
}

TEST(PaxlstTest, MissingPartIsWarnedAndKept) {
  std::vector<Manifest> parts;
  for (const char* f : {"paxlst-lh0400-part1.edi", "paxlst-lh0400-part3.edi"}) {
    auto p = Parse(testing::ReadSample(f));
    for (auto& m : p.manifests) parts.push_back(std::move(m));
  }
  Diagnostics d;
  auto whole = reassemble_parts(std::move(parts), &d);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].travellers.size(), 2u);
  EXPECT_EQ(d.warning_count(), 1u);
}

TEST(PaxlstTest, FirstPartAloneIsIncomplete) {
  auto p = Parse(testing::ReadSample("paxlst-lh0400-part1.edi"));
  Diagnostics d;
  auto whole = reassemble_parts(std::move(p.manifests), &d);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_FALSE(whole[0].header.last_part);
  ASSERT_EQ(d.warning_count(), 1u);
  EXPECT_NE(d.all()[0].reason.find("no final part"), std::string::npos);
}

TEST(PaxlstTest, IrregularContentIsWarnedNotRejected) {
  const std::string msg =
      "UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'"
      "TDT+20+XX1+++XX'LOC+125+AAA'DTM+189:2613231025:201'LOC+87+BBB'"
      "NAD+FL+++:JOHN'DTM+329:851399'DOC+P'CNT+42:5'UNT+11+M1'UNZ+1+R1'";
  auto p = Parse(msg);
  ASSERT_TRUE(p.accepted());
  // bad flight date, bad birth date, no document number, no surname, count
  EXPECT_EQ(p.diags.warning_count(), 5u);
  for (const auto& d : p.diags.all()) EXPECT_GT(d.where.line, 0u) << d.to_string();
  auto strict = Parse(msg, true);
  EXPECT_FALSE(strict.accepted());
  EXPECT_TRUE(strict.manifests.empty());
}

TEST(PaxlstTest, TwoLegFlight) {
  auto p = Parse(
      "UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+QR0701+++QR'LOC+125+DOH'"
      "DTM+189:2611230100:201'LOC+87+BOS'DTM+232:2611230800:201'LOC+125+BOS'"
      "DTM+189:2611231000:201'LOC+87+YUL'DTM+232:2611231130:201'UNT+12+M1'");
  ASSERT_TRUE(p.accepted());
  ASSERT_EQ(p.manifests[0].legs.size(), 2u);
  EXPECT_EQ(p.manifests[0].legs[0].flight_number, "0701");
  EXPECT_EQ(p.manifests[0].legs[1].departure_airport, "BOS");
  EXPECT_EQ(p.manifests[0].legs[1].arrival_airport, "YUL");
  EXPECT_EQ(p.manifests[0].legs[1].carrier, "QR");
}

}  // namespace
}  // namespace vigil
