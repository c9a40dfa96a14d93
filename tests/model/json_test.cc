#include "model/json.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "formats/detect.h"
#include "support/test_support.h"
#include "synth/generator.h"

namespace vigil {
namespace {

TEST(TravellerJson, ReadsBackWhatItWrites) {
  Traveller t;
  t.role = Traveller::Role::kInTransitCrew;
  t.surname = "MÜLLER-LÜDENSCHEIDT";
  t.given_names = "ANNA MARIA";
  t.sex = "F";
  t.birth_date = "1992-11-03";
  t.place_of_birth = "BONN";
  t.nationality = "DEU";
  t.residence_country = "DEU";
  t.address = Address{"R", "1 HAUPTSTRASSE", "BONN", "NW", "53111", "DEU"};
  t.documents.push_back({"P", "C01X00T47", "DEU", "2029-05-17", "2019-05-18", "BONN", ""});
  t.documents.push_back({"V", "K4452109", "USA", "", "", "", "USA"});
  t.embarkation = "LHR";
  t.debarkation = "JFK";
  t.transit = {"DUB"};
  t.reservation_reference = "K7QX2M";
  t.seat = "2A";
  t.bags = 2;
  t.bag_tags = {"0125123456"};
  t.reference = "3";

  Traveller back;
  ASSERT_TRUE(from_json(to_json(t), &back));
  EXPECT_EQ(dump_line(to_json(back)), dump_line(to_json(t)));
  EXPECT_EQ(back.role, Traveller::Role::kInTransitCrew);
  EXPECT_EQ(back.documents.at(1).applicable_state, "USA");
  ASSERT_TRUE(back.address.has_value());
  EXPECT_EQ(back.address->postal_code, "53111");
}

TEST(TravellerJson, IgnoresPnrFieldsAndRefusesWrongTypes) {
  Traveller t;
  ASSERT_TRUE(from_json(nlohmann::json::parse(
                            R"({"surname": "OKONKWO", "type": "A", "seats": ["2A"], "tickets": []})"),
                        &t));
  EXPECT_EQ(t.surname, "OKONKWO");
  EXPECT_FALSE(from_json(nlohmann::json::parse(R"({"surname": 7})"), &t));
  EXPECT_FALSE(from_json(nlohmann::json::parse(R"({"documents": {"number": "X"}})"), &t));
  EXPECT_FALSE(from_json(nlohmann::json::parse("[]"), &t));
}

// Field-by-field equality of the PNR model, independent of the JSON writer.
bool Same(const std::optional<Address>& a, const std::optional<Address>& b);
bool Same(const ItinerarySegment& a, const ItinerarySegment& b);
bool Same(const Traveller& a, const Traveller& b);
bool Same(const PnrTraveller& a, const PnrTraveller& b);

auto Fields(const Document& d) {
  return std::tie(d.type, d.number, d.issuing_state, d.expiry_date, d.issue_date,
                  d.place_of_issue, d.applicable_state);
}
auto Fields(const Address& a) {
  return std::tie(a.type, a.street, a.city, a.region, a.postal_code, a.country);
}
auto Fields(const Contact& c) { return std::tie(c.type, c.value); }
auto Fields(const Payment& p) {
  return std::tie(p.type, p.card_issuer, p.card_hash, p.card_last4, p.card_expiry, p.amount,
                  p.currency);
}
auto Fields(const Ticket& t) { return std::tie(t.number, t.type, t.issue_date); }
auto Fields(const FrequentFlyer& f) { return std::tie(f.carrier, f.number, f.tier); }
auto Fields(const ServiceRequest& s) {
  return std::tie(s.code, s.status, s.carrier, s.text, s.traveller_ref, s.segment_ref);
}
auto Fields(const FlightLeg& l) {
  return std::tie(l.carrier, l.flight_number, l.departure_airport, l.arrival_airport,
                  l.departure_local, l.arrival_local);
}

template <typename T>
bool Same(const T& a, const T& b) {
  return Fields(a) == Fields(b);
}

template <typename T>
bool Same(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const T& x, const T& y) { return Same(x, y); });
}

bool Same(const std::optional<Address>& a, const std::optional<Address>& b) {
  return a.has_value() == b.has_value() && (!a || Same(*a, *b));
}

bool Same(const ItinerarySegment& a, const ItinerarySegment& b) {
  return Same(a.leg, b.leg) &&
         std::tie(a.booking_class, a.status, a.operating_carrier, a.operating_flight_number) ==
             std::tie(b.booking_class, b.status, b.operating_carrier, b.operating_flight_number);
}

bool Same(const Traveller& a, const Traveller& b) {
  return a.role == b.role &&
         std::tie(a.surname, a.given_names, a.sex, a.birth_date, a.place_of_birth,
                  a.nationality, a.residence_country, a.embarkation, a.debarkation, a.transit,
                  a.reservation_reference, a.seat, a.bags, a.bag_tags, a.reference) ==
             std::tie(b.surname, b.given_names, b.sex, b.birth_date, b.place_of_birth,
                      b.nationality, b.residence_country, b.embarkation, b.debarkation,
                      b.transit, b.reservation_reference, b.seat, b.bags, b.bag_tags,
                      b.reference) &&
         Same(a.address, b.address) && Same(a.documents, b.documents);
}

bool Same(const PnrTraveller& a, const PnrTraveller& b) {
  return Same(a.person, b.person) &&
         std::tie(a.type, a.seats, a.checked_in, a.bags) ==
             std::tie(b.type, b.seats, b.checked_in, b.bags) &&
         Same(a.tickets, b.tickets) && Same(a.frequent_flyers, b.frequent_flyers) &&
         Same(a.ssrs, b.ssrs);
}

bool Same(const Pnr& a, const Pnr& b) {
  return std::tie(a.record_locator, a.carrier, a.created, a.last_changed, a.booking_agency,
                  a.travel_agency, a.remarks, a.bags) ==
             std::tie(b.record_locator, b.carrier, b.created, b.last_changed, b.booking_agency,
                      b.travel_agency, b.remarks, b.bags) &&
         Same(a.travellers, b.travellers) && Same(a.itinerary, b.itinerary) &&
         Same(a.contacts, b.contacts) && Same(a.addresses, b.addresses) &&
         Same(a.payments, b.payments) && Same(a.ssrs, b.ssrs);
}

// Reads `p` back from its JSON, both as built and after a trip through text.
void ExpectRoundTrip(const Pnr& p) {
  const nlohmann::json j = to_json(p);
  for (const nlohmann::json& in : {j, nlohmann::json::parse(dump_line(j))}) {
    Pnr q;
    q.record_locator = "STALE";  // the reader starts from a fresh record
    ASSERT_TRUE(from_json(in, &q)) << dump_line(in);
    EXPECT_EQ(to_json(q), j) << p.record_locator;
    EXPECT_TRUE(Same(q, p)) << dump_line(j);
  }
}

// Every field of every part set, each to a value no other field holds (but
// the traveller's own bag count, which a PNR keeps in PnrTraveller::bags).
Pnr FullPnr() {
  Pnr p;
  p.record_locator = "K7QX2M";
  p.carrier = "BA";
  p.created = "2026-11-01T09:00";
  p.last_changed = "2026-11-20T15:30";
  p.booking_agency = "LON1A0955";
  p.travel_agency = "91234567";

  PnrTraveller t;
  t.person.role = Traveller::Role::kInTransitPassenger;
  t.person.surname = "MÜLLER-LÜDENSCHEIDT";
  t.person.given_names = "ANNA MARIA";
  t.person.sex = "F";
  t.person.birth_date = "1992-11-03";
  t.person.place_of_birth = "BONN";
  t.person.nationality = "DEU";
  t.person.residence_country = "AUT";
  t.person.address = Address{"R", "1 HAUPTSTRASSE", "WIEN", "W", "1010", "AT"};
  t.person.documents.push_back(
      {"P", "C01X00T47", "CHE", "2029-05-17", "2019-05-18", "KOELN", "DE"});
  t.person.documents.push_back({"V", "K4452109", "CAN", "2027-01-31", "", "", "USA"});
  t.person.embarkation = "LHR";
  t.person.debarkation = "JFK";
  t.person.transit = {"DUB", "KEF"};
  t.person.reservation_reference = "ABC123";
  t.person.seat = "2A";
  t.person.bag_tags = {"0125123456", "0125123457"};
  t.person.reference = "1.1";
  t.type = "A";
  t.tickets = {{"1251234567890", "T", "2026-11-02"}, {"1259876543210", "E", "2026-11-03"}};
  t.seats = {"14C", "22F"};
  t.frequent_flyers = {{"LH", "FF1234567", "GOLD"}, {"KL", "KL7654321", "SILVER"}};
  t.checked_in = {"BA117/14C/CKIN", "AA100/22F/BRD"};
  t.bags = 3;
  t.ssrs = {{"VGML", "HK", "XX", "VEGETARIAN", "T1", "S1"},
            {"WCHR", "KK", "YY", "WHEELCHAIR", "T2", "S2"}};
  p.travellers.push_back(t);
  PnrTraveller infant;
  infant.person.surname = "OKONKWO";
  infant.type = "IN";
  p.travellers.push_back(infant);

  ItinerarySegment s;
  s.leg = {"AA", "6123", "LGW", "EWR", "2026-11-23T10:25", "2026-11-23T13:40"};
  s.booking_class = "J";
  s.status = "HX";
  s.operating_carrier = "IB";
  s.operating_flight_number = "117A";
  p.itinerary.push_back(s);
  p.itinerary.push_back({{"EI", "155", "ORD", "SFO", "", ""}, "", "", "", ""});

  p.contacts = {{"phone", "+44 20 7946 0000"}, {"email", "ANNA@EXAMPLE.COM"}};
  p.addresses = {{"D", "350 FIFTH AVENUE", "NEW YORK", "NY", "10118", "US"},
                 {"B", "9 RUE DE RIVOLI", "PARIS", "IDF", "75001", "FRA"}};
  p.payments = {{"CC", "VI", "9f86d081884c7d65", "1111", "0829", "1234.50", "GBP"},
                {"CA", "MC", "2c26b46b68ffc68f", "4444", "1230", "17.00", "EUR"}};
  p.ssrs = {{"CTCE", "HN", "ZZ", "ANNA//EXAMPLE.COM", "T3", "S3"},
            {"OSI", "NN", "WW", "VIP CONTACT", "T4", "S4"}};
  p.remarks = {"RM PAID BY EMPLOYER", "RM LATE CHECK-IN"};
  p.bags = 5;
  return p;
}

// Every string and number the JSON of `j` holds, with the keys it is under.
void Leaves(const nlohmann::json& j, const std::string& at,
            std::vector<std::pair<std::string, std::string>>* out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) Leaves(v, at + "." + k, out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) Leaves(j[i], at + "[" + std::to_string(i) + "]", out);
  } else {
    out->emplace_back(j.dump(), at);
  }
}

TEST(PnrJson, ReadsBackEveryField) {
  const Pnr p = FullPnr();
  // The test is only as good as its data: every field is set, to a value of
  // its own, so a field the reader forgets or confuses shows.
  std::vector<std::pair<std::string, std::string>> leaves;
  Leaves(to_json(p), "", &leaves);
  std::set<std::string> values;
  for (const auto& [value, at] : leaves)
    EXPECT_TRUE(values.insert(value).second) << value << " at " << at << " is not distinct";
  ExpectRoundTrip(p);
}

TEST(PnrJson, ReadsBackSparseAndEmptyRecords) {
  ExpectRoundTrip(Pnr{});
  Pnr p;
  p.record_locator = "ZZ9PLZ";
  p.travellers.emplace_back();
  p.itinerary.emplace_back();
  p.contacts.emplace_back();
  ExpectRoundTrip(p);
}

TEST(PnrJson, ReadsBackTheSamplesAndGeneratedTraffic) {
  const HashKey key = HashKey::ForTesting();
  ParseOptions o;
  o.card_key = &key;
  o.reference_year = 2026;
  std::vector<Pnr> pnrs;
  auto take = [&](const std::string& bytes) {
    ParsedInput in = parse_input(bytes, o);
    ASSERT_TRUE(in.accepted());
    for (const auto& push : in.pushes) pnrs.insert(pnrs.end(), push.pnrs.begin(), push.pnrs.end());
  };
  for (const char* sample : {"pnrgov-ba0117-72h.edi", "pnrgov-ba0117-24h.edi",
                             "pnrgov-xml-push.xml", "pnrgov-xml-soap.xml"})
    take(testing::ReadSample(sample));
  const size_t samples = pnrs.size();
  EXPECT_GT(samples, 0u);
  TrafficGenerator gen(2026);
  for (int flight = 0; flight < 20; ++flight) take(gen.Pnrgov(400 + flight, 10, flight % 3));
  ASSERT_EQ(pnrs.size(), samples + 200);
  for (const Pnr& p : pnrs) ExpectRoundTrip(p);
}

TEST(PnrJson, IgnoresUnknownKeysAndRefusesWrongTypes) {
  Pnr p;
  ASSERT_TRUE(from_json(nlohmann::json::parse(
                            R"({"record_locator": "K7QX2M", "kind": "pnr", "extra": [1, 2],
                                "travellers": [{"surname": "OKONKWO", "nickname": "OK"}]})"),
                        &p));
  EXPECT_EQ(p.record_locator, "K7QX2M");
  ASSERT_EQ(p.travellers.size(), 1u);
  EXPECT_EQ(p.travellers[0].person.surname, "OKONKWO");
  EXPECT_TRUE(p.itinerary.empty());
  EXPECT_EQ(p.bags, 0u);

  ASSERT_TRUE(from_json(nlohmann::json::parse(R"({"bags": 2, "travellers": [{"bags": 1}]})"), &p));
  EXPECT_EQ(p.bags, 2u);
  EXPECT_EQ(p.travellers.at(0).bags, 1u);
  EXPECT_EQ(p.travellers.at(0).person.bags, 0u);

  for (const char* bad : {
           R"([])",
           R"("K7QX2M")",
           R"({"record_locator": 7})",
           R"({"remarks": "RM ONE"})",
           R"({"remarks": ["RM ONE", 2]})",
           R"({"bags": "2"})",
           R"({"bags": -1})",
           R"({"bags": 1.5})",
           R"({"bags": 4294967296})",
           R"({"travellers": {"surname": "OKONKWO"}})",
           R"({"travellers": ["OKONKWO"]})",
           R"({"travellers": [{"surname": 7}]})",
           R"({"travellers": [{"type": ["A"]}]})",
           R"({"travellers": [{"tickets": [{"number": 1251234567890}]}]})",
           R"({"travellers": [{"seats": "14C"}]})",
           R"({"travellers": [{"frequent_flyers": [["AA", "FF1"]]}]})",
           R"({"travellers": [{"bags": true}]})",
           R"({"travellers": [{"ssrs": [{"code": null}]}]})",
           R"({"itinerary": [{"departure_airport": ["LHR"]}]})",
           R"({"itinerary": [{"booking_class": 1}]})",
           R"({"contacts": [{"type": "phone", "value": 442079460000}]})",
           R"({"addresses": [{"city": {"name": "PARIS"}}]})",
           R"({"payments": [{"amount": 17.0}]})",
           R"({"ssrs": {"code": "OSI"}})",
       }) {
    EXPECT_FALSE(from_json(nlohmann::json::parse(bad), &p)) << bad;
  }
}

}  // namespace
}  // namespace vigil
