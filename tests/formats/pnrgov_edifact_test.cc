#include "formats/pnrgov/pnrgov_edifact.h"

#include <gtest/gtest.h>

#include "formats/detect.h"
#include "formats/pnrgov/ssr.h"
#include "model/json.h"
#include "support/test_support.h"

namespace vigil {
namespace {

const HashKey kKey = HashKey::ForTesting();

ParsedInput Parse(std::string_view input, bool strict = false) {
  ParseOptions o;
  o.file = "p.edi";
  o.strict = strict;
  o.card_key = &kKey;
  o.reference_year = 2026;
  return parse_input(input, o);
}

TEST(PnrgovEdifactTest, ReadsRecordsTravellersAndItinerary) {
  auto p = Parse(testing::ReadSample("pnrgov-ba0117-72h.edi"));
  ASSERT_TRUE(p.accepted()) << p.diags.all().front().to_string();
  EXPECT_EQ(p.diags.warning_count(), 0u) << p.diags.all().front().to_string();
  ASSERT_EQ(p.pushes.size(), 1u);
  const PnrPush& push = p.pushes[0];
  EXPECT_EQ(push.header.version, "13:1");
  EXPECT_EQ(push.header.message_function, "22");
  ASSERT_TRUE(push.flight.has_value());
  EXPECT_EQ(push.flight->carrier, "BA");
  EXPECT_EQ(push.flight->flight_number, "117");
  EXPECT_EQ(push.flight->departure_local, "2026-11-23T10:25");
  ASSERT_EQ(push.pnrs.size(), 2u);

  const Pnr& a = push.pnrs[0];
  EXPECT_EQ(a.record_locator, "K7QX2M");
  EXPECT_EQ(a.carrier, "BA");
  EXPECT_EQ(a.created, "2026-11-01T14:33");
  EXPECT_EQ(a.last_changed, "2026-11-01T14:33");
  EXPECT_EQ(a.booking_agency, "1A:LON");
  EXPECT_EQ(a.travel_agency, "91234567");
  ASSERT_EQ(a.travellers.size(), 2u);
  const PnrTraveller& t = a.travellers[0];
  EXPECT_EQ(t.person.surname, "OKONKWO");
  EXPECT_EQ(t.person.given_names, "CHIDI EMEKA MR");
  EXPECT_EQ(t.type, "A");
  EXPECT_EQ(t.person.birth_date, "1985-02-14");
  EXPECT_EQ(t.person.sex, "M");
  EXPECT_EQ(t.person.nationality, "GBR");
  ASSERT_EQ(t.person.documents.size(), 1u);
  EXPECT_EQ(t.person.documents[0].number, "533401872");
  EXPECT_EQ(t.person.documents[0].expiry_date, "2031-08-22");
  ASSERT_TRUE(t.person.address.has_value());
  EXPECT_EQ(t.person.address->city, "LONDON");
  ASSERT_EQ(t.frequent_flyers.size(), 1u);
  EXPECT_EQ(t.frequent_flyers[0].number, "12345678");
  EXPECT_EQ(t.frequent_flyers[0].tier, "GOLD");
  ASSERT_EQ(t.tickets.size(), 1u);
  EXPECT_EQ(t.tickets[0].number, "1252345678901");

  ASSERT_EQ(a.contacts.size(), 2u);
  EXPECT_EQ(a.contacts[0].type, "phone");
  EXPECT_EQ(a.contacts[1].type, "email");
  EXPECT_EQ(a.contacts[1].value, "C.OKONKWO@EXAMPLE.NET");
  ASSERT_EQ(a.addresses.size(), 1u);
  EXPECT_EQ(a.addresses[0].postal_code, "SW2 3NB");

  ASSERT_EQ(a.payments.size(), 1u);
  EXPECT_EQ(a.payments[0].type, "CC");
  EXPECT_EQ(a.payments[0].card_issuer, "VI");
  EXPECT_EQ(a.payments[0].card_last4, "1111");
  EXPECT_EQ(a.payments[0].card_hash, kKey.keyed_hex("4111111111111111"));
  EXPECT_EQ(a.payments[0].amount, "1840.50");
  EXPECT_EQ(a.payments[0].currency, "GBP");

  ASSERT_EQ(a.itinerary.size(), 2u);
  EXPECT_EQ(a.itinerary[0].booking_class, "J");
  EXPECT_EQ(a.itinerary[0].status, "HK");
  const ItinerarySegment& back = a.itinerary[1];
  EXPECT_EQ(back.leg.carrier, "BA");
  EXPECT_EQ(back.leg.flight_number, "6172");
  EXPECT_EQ(back.operating_carrier, "AA");
  EXPECT_EQ(back.operating_flight_number, "106");
  EXPECT_EQ(back.leg.arrival_local, "2026-12-01T06:40");

  const Pnr& b = push.pnrs[1];
  EXPECT_EQ(b.travellers[0].person.surname, "O'BRIEN");
  EXPECT_EQ(b.payments[0].type, "CA");
  EXPECT_EQ(b.bags, 2u);
  ASSERT_EQ(b.remarks.size(), 1u);
}

TEST(PnrgovEdifactTest, CardNumberNeverLeavesTheReader) {
  auto p = Parse(testing::ReadSample("pnrgov-ba0117-72h.edi"));
  ASSERT_TRUE(p.accepted());
  const std::string json = dump_line(to_json(p.pushes[0]));
  EXPECT_EQ(json.find("4111111111111111"), std::string::npos);
  EXPECT_NE(json.find("\"card_last4\":\"1111\""), std::string::npos);
}

TEST(PnrgovEdifactTest, DocsAfterItineraryIsTiedByName) {
  auto p = Parse(
      "UNB+IATA:1+XX+YY+261123:1000+R1'UNH+1+PNRGOV:11:1:IA+X'MSG+:22'"
      "TVL+231126:1025+LHR+JFK+XX+1'SRC'RCI+XX:ABC123'TIF+ROE+JANE:A:1'TIF+DOE+JOHN:A:2'"
      "TVL+231126:1025+LHR+JFK+XX+1'SSR+DOCS:HK:1:XX:::::/P/GBR/123/GBR/01JAN80/M/01JAN30/DOE/JOHN'"
      "UNT+10+1'UNZ+1+R1'");
  ASSERT_TRUE(p.accepted()) << p.diags.all().front().to_string();
  const Pnr& r = p.pushes[0].pnrs[0];
  EXPECT_TRUE(r.travellers[0].person.documents.empty());
  ASSERT_EQ(r.travellers[1].person.documents.size(), 1u);
  EXPECT_EQ(r.travellers[1].person.birth_date, "1980-01-01");
}

TEST(PnrgovEdifactTest, MissingLocatorAndBadDocsAreWarnings) {
  auto p = Parse(
      "UNB+IATA:1+XX+YY+261123:1000+R1'UNH+1+PNRGOV:11:1:IA+X'MSG+:22'SRC'"
      "TIF+DOE+JOHN:A:1'SSR+DOCS:HK:1:XX:::::/P/GBR/123/GBR/99ZZZ80/M'EQN+2'UNT+7+1'UNZ+1+R1'");
  ASSERT_TRUE(p.accepted());
  EXPECT_EQ(p.diags.warning_count(), 3u);  // locator, DOCS date, EQN count
  EXPECT_FALSE(Parse("UNB+IATA:1+XX+YY+261123:1000+R1'UNH+1+PNRGOV:11:1:IA+X'SRC'"
                     "TIF+DOE+JOHN'UNT+4+1'UNZ+1+R1'",
                     true)
                   .accepted());
}

TEST(PnrgovEdifactTest, HostileSizesAreBounded) {
  std::string many = "UNH+1+PNRGOV:13:1:IA'SRC'RCI+XX:ABC123'";
  for (int i = 0; i < 1000; ++i) many += "TIF+DOE+JOHN'";
  many += "UNT+1003+1'";
  auto p = Parse(many);
  EXPECT_FALSE(p.accepted());
  bool named = false;
  for (const auto& d : p.diags.all())
    named = named || (d.severity == Severity::kError &&
                      d.reason.find("more than 999 travellers") != std::string::npos);
  EXPECT_TRUE(named);

  std::string docs = "UNH+1+PNRGOV:13:1:IA'SRC'RCI+XX:ABC123'TIF+DOE+JOHN'";
  for (int i = 0; i < 40; ++i)
    docs += "SSR+DOCS:HK:1:XX:::::/P/GBR/N" + std::to_string(i) + "/GBR/01JAN80/M/01JAN30/DOE/JOHN'";
  docs += "UNT+44+1'";
  auto d = Parse(docs);
  ASSERT_TRUE(d.accepted());
  EXPECT_EQ(d.pushes[0].pnrs[0].travellers[0].person.documents.size(), kMaxDocumentsPerTraveller);
  EXPECT_GE(d.diags.warning_count(), 8u);
}

}  // namespace
}  // namespace vigil
