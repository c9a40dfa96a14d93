// TravelRecords built from stored flight data: which travellers become
// records, and the travel features derived for the rules.
#include "risk/facts.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "base/hash.h"
#include "intake/ingest.h"
#include "support/test_support.h"

namespace vigil {
namespace {

Traveller Person(const std::string& surname, const std::string& given, const std::string& birth,
                 const std::string& nationality, const std::string& sex = "m") {
  Traveller t;
  t.surname = surname;
  t.given_names = given;
  t.birth_date = birth;
  t.nationality = nationality;
  t.sex = sex;
  return t;
}

PnrTraveller Booked(Traveller person) {
  PnrTraveller t;
  t.person = std::move(person);
  t.type = "A";
  return t;
}

ItinerarySegment Leg(const std::string& carrier, const std::string& number, const std::string& from,
                     const std::string& to, const std::string& departs, const std::string& arrives) {
  ItinerarySegment s;
  s.leg = FlightLeg{carrier, number, from, to, departs, arrives};
  s.status = "HK";
  return s;
}

// BA117 LHR-JFK on 23 November 2026, the flight assessed throughout.
FlightInfo Ba117() {
  FlightInfo f;
  f.id = 42;
  f.carrier = "ba";
  f.flight_number = "117";
  f.departure_airport = "LHR";
  f.arrival_airport = "JFK";
  f.departure_date = "2026-11-23";
  f.departure_local = "2026-11-23T10:25";
  f.arrival_local = "2026-11-23T13:20";
  return f;
}

ItinerarySegment Ba117Leg() { return Leg("BA", "117", "LHR", "JFK", "2026-11-23T10:25", "2026-11-23T13:20"); }

// Everything about one traveller: "kind:id" -> record.
std::map<std::string, TravelRecord> ByKey(const std::vector<TravelRecord>& records) {
  std::map<std::string, TravelRecord> out;
  for (const auto& r : records) {
    const bool fresh = out.emplace(r.kind + ":" + std::to_string(r.id), r).second;
    EXPECT_TRUE(fresh) << r.kind << ":" << r.id << " is one record, not two";
  }
  return out;
}

std::vector<std::string> Names(const std::vector<PersonFacts>& people) {
  std::vector<std::string> out;
  for (const auto& p : people) out.push_back(p.surname + "/" + p.given_names);
  return out;
}

std::vector<std::string> Payments(const TravelRecord& r) {
  std::vector<std::string> out;
  for (const auto& p : r.payments) out.push_back(p.type + "/" + p.issuer);
  return out;
}

std::vector<std::string> Flights(const TravelRecord& r) {
  std::vector<std::string> out;
  for (const auto& s : r.segments) out.push_back(s.flight);
  return out;
}

using Countries = std::vector<std::string>;

// Three API travellers (one linked to a booking, one without any, one crew
// member) and two bookings: a family of three through a travel agency, of
// whom one is the linked API traveller, and a lone traveller who booked
// directly.
FlightData Mixed() {
  FlightData d;
  d.flight = Ba117();
  Traveller chidi = Person("okonkwo", "chidi emeka", "1985-11-24", "gbr");  // 41 the day after
  chidi.documents.push_back({"p", "ab123", "gbr", "2031-08-22", "", "", ""});
  d.api.push_back({1, chidi});
  d.api.push_back({2, Person("o'brien", "sean", "2001-11-22", "IRL")});  // 25 the day before
  Traveller pilot = Person("pilot", "amy", "1980-11-23", "D", "f");       // 46 on the day
  pilot.role = Traveller::Role::kCrew;
  d.api.push_back({3, pilot});

  FlightData::Booking family;
  family.version_id = 100;
  Pnr& p = family.pnr;
  p.record_locator = "abc123";
  p.carrier = "BA";
  p.created = "2026-11-01T14:33";
  p.last_changed = "2026-11-20T09:00";
  p.booking_agency = "1A:LON";
  p.travel_agency = "globetravel";
  p.travellers = {Booked(Person("OKONKWO", "CHIDI EMEKA MR", "1985-11-24", "GB")),
                  Booked(Person("mueller", "anna", "1992-11-03", "de", "f")),
                  Booked(Person("okonkwo", "ada", "2019-01-01", "GB", "f"))};
  Payment card;
  card.type = "CC";
  card.card_issuer = "vi";
  Payment cash;
  cash.type = "ca";
  Payment misc;
  misc.type = "MS";
  Payment invoice;
  invoice.type = "IN";
  Payment other;
  other.type = "zz";
  p.payments = {card, cash, misc, invoice, other};
  p.contacts = {{"email", "Chidi@Example.net"}};
  p.itinerary = {Ba117Leg(), Leg("AA", "0123", "JFK", "BOS", "2026-11-25T09:00", "2026-11-25T10:20"),
                 Leg("BA", "0238", "BOS", "LGW", "2026-11-30T18:00", "2026-12-01T06:00")};
  family.traveller_ids = {10, 11, 12};
  d.bookings.push_back(family);

  FlightData::Booking lone;
  lone.version_id = 200;
  lone.pnr.record_locator = "XYZ789";
  lone.pnr.carrier = "BA";
  lone.pnr.created = "2026-11-21T22:10";
  lone.pnr.booking_agency = "BA:DUB";
  lone.pnr.travellers = {Booked(Person("doe", "jane", "1970-02-02", "usa", "f"))};
  Payment lone_cash;
  lone_cash.type = "CA";
  lone.pnr.payments = {lone_cash};
  lone.pnr.itinerary = {Ba117Leg()};
  lone.traveller_ids = {20};
  d.bookings.push_back(lone);

  d.links = {{1, 10}};
  return d;
}

TEST(FlightRecordsTest, OneRecordPerTravellerLinkedOnesCarryingTheirBooking) {
  const std::vector<TravelRecord> records = flight_records(Mixed());
  ASSERT_EQ(records.size(), 6u);
  const auto by = ByKey(records);
  EXPECT_EQ(by.size(), 6u);
  for (const char* key : {"api:1", "api:2", "api:3", "pnr:11", "pnr:12", "pnr:20"})
    EXPECT_TRUE(by.count(key)) << key;
  EXPECT_FALSE(by.count("pnr:10")) << "the linked PNR traveller is the API record api:1";
  for (const auto& r : records) {
    EXPECT_EQ(r.flight_id, 42);
    EXPECT_EQ(r.flight_carrier, "BA");
    EXPECT_EQ(r.flight_number, "BA117");
    EXPECT_EQ(r.flight_origin, "LHR");
    EXPECT_EQ(r.flight_destination, "JFK");
    EXPECT_EQ(r.flight_origin_country, "GBR");
    EXPECT_EQ(r.flight_destination_country, "USA");
    EXPECT_EQ(r.flight_departure, day_number("2026-11-23"));
    EXPECT_FALSE(r.traveller.has_alert);
  }

  const TravelRecord& linked = by.at("api:1");
  EXPECT_EQ(linked.traveller.surname, "OKONKWO");
  EXPECT_EQ(linked.traveller.given_names, "CHIDI EMEKA") << "the API data describes the person";
  EXPECT_EQ(linked.traveller.sex, "M");
  EXPECT_EQ(linked.traveller.nationality, "GBR");
  EXPECT_EQ(linked.traveller.birth_date, day_number("1985-11-24"));
  EXPECT_EQ(linked.role, "PASSENGER");
  ASSERT_EQ(linked.documents.size(), 1u);
  EXPECT_EQ(linked.documents[0].type, "P");
  EXPECT_EQ(linked.documents[0].number, "AB123");
  EXPECT_EQ(linked.documents[0].issuing_country, "GBR");
  EXPECT_EQ(linked.documents[0].expiry, day_number("2031-08-22"));
  EXPECT_TRUE(linked.has_booking);
  EXPECT_EQ(linked.record_locator, "ABC123");
  EXPECT_EQ(linked.booking_created, day_number("2026-11-01"));
  ASSERT_TRUE(linked.days_before_departure.known);
  EXPECT_EQ(linked.days_before_departure.value, 22);
  EXPECT_EQ(linked.agency, "GLOBETRAVEL");
  EXPECT_TRUE(linked.third_party);
  ASSERT_TRUE(linked.party_size.known);
  EXPECT_EQ(linked.party_size.value, 3);
  EXPECT_EQ(Names(linked.cotravellers), (std::vector<std::string>{"MUELLER/ANNA", "OKONKWO/ADA"}));
  EXPECT_EQ(linked.cotravellers[0].nationality, "DEU");
  EXPECT_EQ(linked.cotravellers[0].sex, "F");
  EXPECT_EQ(linked.cotravellers[1].nationality, "GBR");
  ASSERT_TRUE(linked.cotravellers[1].age.known);
  EXPECT_EQ(linked.cotravellers[1].age.value, 7);
  EXPECT_EQ(Payments(linked),
            (std::vector<std::string>{"CARD/VI", "CASH/", "MISC/", "INVOICE/", "ZZ/"}));
  ASSERT_EQ(linked.contacts.size(), 1u);
  EXPECT_EQ(linked.contacts[0].type, "EMAIL");
  EXPECT_EQ(linked.contacts[0].value, "Chidi@Example.net") << "contact values are kept as sent";
  EXPECT_EQ(Flights(linked), (std::vector<std::string>{"BA117", "AA123", "BA238"}));

  const TravelRecord& anna = by.at("pnr:11");
  EXPECT_EQ(anna.traveller.surname, "MUELLER");
  EXPECT_EQ(anna.traveller.given_names, "ANNA");
  EXPECT_EQ(anna.traveller.nationality, "DEU") << "alpha-2 in PNR data read as alpha-3";
  EXPECT_EQ(anna.record_locator, "ABC123");
  EXPECT_EQ(anna.party_size.value, 3);
  EXPECT_TRUE(anna.third_party);
  EXPECT_EQ(Names(anna.cotravellers), (std::vector<std::string>{"OKONKWO/CHIDI EMEKA MR", "OKONKWO/ADA"}));
  const TravelRecord& ada = by.at("pnr:12");
  EXPECT_EQ(Names(ada.cotravellers), (std::vector<std::string>{"OKONKWO/CHIDI EMEKA MR", "MUELLER/ANNA"}));

  const TravelRecord& jane = by.at("pnr:20");
  EXPECT_TRUE(jane.has_booking);
  EXPECT_EQ(jane.record_locator, "XYZ789");
  EXPECT_EQ(jane.traveller.nationality, "USA");
  EXPECT_EQ(jane.days_before_departure.value, 2);
  EXPECT_EQ(jane.agency, "BA:DUB");
  EXPECT_FALSE(jane.third_party) << "booked directly with the airline";
  EXPECT_EQ(jane.party_size.value, 1);
  EXPECT_TRUE(jane.cotravellers.empty());
  EXPECT_EQ(Payments(jane), std::vector<std::string>{"CASH/"});
}

TEST(FlightRecordsTest, ApiTravellerWithoutBookingTravelsOnThisFlightOnly) {
  const auto by = ByKey(flight_records(Mixed()));
  const TravelRecord& sean = by.at("api:2");
  EXPECT_FALSE(sean.has_booking);
  EXPECT_EQ(sean.record_locator, "");
  EXPECT_FALSE(sean.days_before_departure.known);
  EXPECT_FALSE(sean.party_size.known);
  EXPECT_TRUE(sean.cotravellers.empty());
  EXPECT_TRUE(sean.payments.empty());
  ASSERT_EQ(sean.segments.size(), 1u);
  const SegmentFacts& s = sean.segments[0];
  EXPECT_EQ(s.carrier, "BA");
  EXPECT_EQ(s.flight, "BA117");
  EXPECT_EQ(s.origin, "LHR");
  EXPECT_EQ(s.destination, "JFK");
  EXPECT_EQ(s.origin_country, "GBR");
  EXPECT_EQ(s.destination_country, "USA");
  EXPECT_EQ(s.departure, day_number("2026-11-23"));
  EXPECT_EQ(s.arrival, day_number("2026-11-23"));
  EXPECT_TRUE(sean.one_way);
  EXPECT_EQ(sean.route_countries, (Countries{"GBR", "USA"}));
  EXPECT_EQ(sean.return_date, kNoDate);
  EXPECT_FALSE(sean.length_of_stay.known);

  const TravelRecord& crew = by.at("api:3");
  EXPECT_EQ(crew.role, "CREW");
  EXPECT_EQ(crew.traveller.nationality, "DEU") << "the document code D is Germany";
  EXPECT_EQ(crew.traveller.sex, "F");
}

TEST(FlightRecordsTest, AgeIsInWholeYearsOnTheDayOfDeparture) {
  const auto by = ByKey(flight_records(Mixed()));
  auto age = [&](const char* key) {
    const Number n = by.at(key).traveller.age;
    EXPECT_TRUE(n.known) << key;
    return n.value;
  };
  EXPECT_EQ(age("api:1"), 40) << "born 1985-11-24: 41 only the day after departure";
  EXPECT_EQ(age("api:2"), 25) << "born 2001-11-22: 25 the day before departure";
  EXPECT_EQ(age("api:3"), 46) << "born 1980-11-23: 46 on the day of departure";

  FlightData d = Mixed();
  d.api[0].person.birth_date = "";
  d.api[1].person.birth_date = "1990-13-01";
  const auto unknown = ByKey(flight_records(d));
  EXPECT_FALSE(unknown.at("api:1").traveller.age.known);
  EXPECT_FALSE(unknown.at("api:2").traveller.age.known);
  EXPECT_EQ(unknown.at("api:2").traveller.birth_date, kNoDate);
}

TEST(FlightRecordsTest, LinkToARowOfAnotherBookingVersionIsIgnored) {
  FlightData d = Mixed();
  d.links = {{1, 10}, {2, 555}};  // 555: a traveller of a PNR version that is no longer current
  const auto by = ByKey(flight_records(d));
  EXPECT_EQ(by.size(), 6u);
  EXPECT_FALSE(by.at("api:2").has_booking);
  EXPECT_TRUE(by.at("api:1").has_booking);
}

TEST(FlightRecordsTest, EveryTravellerOfABookingLinkedToApiDataAppearsOnce) {
  FlightData d = Mixed();
  d.api.push_back({4, Person("mueller", "anna", "1992-11-03", "DEU", "f")});
  d.links = {{1, 10}, {4, 11}};
  const auto by = ByKey(flight_records(d));
  EXPECT_EQ(by.size(), 6u);
  EXPECT_FALSE(by.count("pnr:11"));
  const TravelRecord& anna = by.at("api:4");
  EXPECT_EQ(anna.record_locator, "ABC123");
  EXPECT_EQ(Names(anna.cotravellers), (std::vector<std::string>{"OKONKWO/CHIDI EMEKA MR", "OKONKWO/ADA"}));
}

// A record of the one unlinked PNR traveller of a booking whose itinerary
// is `itinerary` (which includes BA117 of 23 November).
TravelRecord WithItinerary(std::vector<ItinerarySegment> itinerary) {
  FlightData d;
  d.flight = Ba117();
  FlightData::Booking b;
  b.version_id = 7;
  b.pnr.record_locator = "TRIP01";
  b.pnr.carrier = "BA";
  b.pnr.created = "2026-10-01T10:00";
  b.pnr.travellers = {Booked(Person("ROE", "RICHARD", "1975-05-05", "GBR"))};
  b.pnr.itinerary = std::move(itinerary);
  b.traveller_ids = {70};
  d.bookings.push_back(b);
  const auto records = flight_records(d);
  EXPECT_EQ(records.size(), 1u);
  return records.empty() ? TravelRecord{} : records[0];
}

TEST(FlightRecordsTest, ReturnToTheCountryOfDepartureIsNotOneWay) {
  const TravelRecord back = WithItinerary(
      {Ba117Leg(), Leg("BA", "178", "JFK", "LHR", "2026-11-30T18:00", "2026-12-01T06:00")});
  EXPECT_FALSE(back.one_way);
  EXPECT_EQ(back.route_countries, (Countries{"GBR", "USA", "GBR"}));

  const TravelRecord other_airport = WithItinerary(
      {Ba117Leg(), Leg("BA", "2272", "JFK", "LGW", "2026-11-30T18:00", "2026-12-01T06:00")});
  EXPECT_FALSE(other_airport.one_way) << "LGW is in the country of LHR";

  const TravelRecord onward = WithItinerary(
      {Ba117Leg(), Leg("AF", "7", "JFK", "CDG", "2026-11-30T18:00", "2026-12-01T07:30")});
  EXPECT_TRUE(onward.one_way);
  EXPECT_EQ(onward.route_countries, (Countries{"GBR", "USA", "FRA"}));

  const TravelRecord single = WithItinerary({Ba117Leg()});
  EXPECT_TRUE(single.one_way);
  EXPECT_EQ(single.route_countries, (Countries{"GBR", "USA"}));
}

TEST(FlightRecordsTest, RouteCountriesListEachCountryOnceWhereTheRouteStaysInIt) {
  const TravelRecord r = WithItinerary(
      {Leg("AF", "1680", "CDG", "LHR", "2026-11-23T07:00", "2026-11-23T07:20"), Ba117Leg(),
       Leg("AA", "10", "JFK", "LAX", "2026-11-25T08:00", "2026-11-25T11:30"),
       Leg("AA", "20", "LAX", "JFK", "2026-11-27T08:00", "2026-11-27T16:30"),
       Leg("BA", "178", "JFK", "LHR", "2026-11-30T18:00", "2026-12-01T06:00"),
       Leg("AF", "1681", "LHR", "CDG", "2026-12-01T09:00", "2026-12-01T11:15")});
  EXPECT_EQ(r.route_countries, (Countries{"FRA", "GBR", "USA", "GBR", "FRA"}));
  EXPECT_FALSE(r.one_way);
  EXPECT_EQ(Flights(r), (std::vector<std::string>{"AF1680", "BA117", "AA10", "AA20", "BA178", "AF1681"}));
  // The stay in the USA: from BA117's arrival to BA178, the connection in
  // Paris before and the flights inside the USA notwithstanding.
  EXPECT_EQ(r.return_date, day_number("2026-11-30"));
  ASSERT_TRUE(r.length_of_stay.known);
  EXPECT_EQ(r.length_of_stay.value, 7);
}

TEST(FlightRecordsTest, StayLastsUntilTheNextFlightOutOfTheCountryOfArrival) {
  const TravelRecord week = WithItinerary(
      {Ba117Leg(), Leg("BA", "178", "JFK", "LHR", "2026-11-30T18:00", "2026-12-01T06:00")});
  EXPECT_EQ(week.return_date, day_number("2026-11-30"));
  ASSERT_TRUE(week.length_of_stay.known);
  EXPECT_EQ(week.length_of_stay.value, 7);

  // A domestic flight inside the USA does not end the stay.
  const TravelRecord hop = WithItinerary({Ba117Leg(), Leg("AA", "10", "JFK", "BOS", "2026-11-24T08:00", "2026-11-24T09:15"),
                                          Leg("BA", "238", "BOS", "LHR", "2026-12-03T18:00", "2026-12-04T06:00")});
  EXPECT_EQ(hop.return_date, day_number("2026-12-03"));
  EXPECT_EQ(hop.length_of_stay.value, 10);

  // Leaving for a third country ends it too.
  const TravelRecord onward = WithItinerary(
      {Ba117Leg(), Leg("AC", "701", "JFK", "YUL", "2026-11-26T08:00", "2026-11-26T09:30"),
       Leg("AC", "864", "YUL", "LHR", "2026-11-29T20:00", "2026-11-30T08:00")});
  EXPECT_EQ(onward.return_date, day_number("2026-11-26"));
  EXPECT_EQ(onward.length_of_stay.value, 3);

  // Counted from the day of arrival, which may be the day after departure.
  const TravelRecord overnight = WithItinerary(
      {Leg("BA", "117", "LHR", "JFK", "2026-11-23T22:00", "2026-11-24T01:00"),
       Leg("BA", "178", "JFK", "LHR", "2026-11-30T18:00", "2026-12-01T06:00")});
  EXPECT_EQ(overnight.length_of_stay.value, 6);

  // No flight out: the stay has no end.
  const TravelRecord open = WithItinerary(
      {Ba117Leg(), Leg("AA", "10", "JFK", "BOS", "2026-11-24T08:00", "2026-11-24T09:15")});
  EXPECT_EQ(open.return_date, kNoDate);
  EXPECT_FALSE(open.length_of_stay.known);
  EXPECT_TRUE(open.one_way);
}

TEST(FlightRecordsTest, StayIsMeasuredFromThisFlightNotAnEarlierTripOnTheSameRoute) {
  // Two trips to New York in one booking; the second one is assessed.
  const TravelRecord r = WithItinerary(
      {Leg("BA", "115", "LHR", "JFK", "2026-11-02T10:25", "2026-11-02T13:20"),
       Leg("BA", "178", "JFK", "LHR", "2026-11-05T18:00", "2026-11-06T06:00"), Ba117Leg(),
       Leg("BA", "178", "JFK", "LHR", "2026-11-30T18:00", "2026-12-01T06:00")});
  EXPECT_EQ(r.return_date, day_number("2026-11-30"));
  ASSERT_TRUE(r.length_of_stay.known);
  EXPECT_EQ(r.length_of_stay.value, 7);
}

TEST(FlightRecordsTest, DaysBeforeDepartureNeedTheBookingDate) {
  FlightData d = Mixed();
  d.bookings[1].pnr.created = "";
  const auto by = ByKey(flight_records(d));
  EXPECT_FALSE(by.at("pnr:20").days_before_departure.known);
  EXPECT_EQ(by.at("pnr:20").booking_created, kNoDate);
  EXPECT_TRUE(by.at("pnr:20").has_booking);
}

// Records of flights stored from the sample messages.
class StoredFlightRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(testing::TempDir() + "/v.db", FixedClock(1795000000));
    ASSERT_TRUE(s.ok()) << s.error();
    store_ = std::move(*s);
  }

  void Ingest(std::initializer_list<const char*> names) {
    static const HashKey key = HashKey::ForTesting();
    IngestOptions o;
    o.card_key = &key;
    o.reference_year = 2026;
    Ingestor ingestor(store_.get(), o);
    for (const char* name : names) {
      auto r = ingestor.Ingest(testing::ReadSample(name), name);
      ASSERT_TRUE(r.ok() && r->accepted) << name;
    }
  }

  FlightData Load(const std::string& carrier, const std::string& number, const std::string& date) {
    auto flights = store_->Flights(date, date);
    EXPECT_TRUE(flights.ok()) << flights.error();
    if (flights.ok())
      for (const auto& f : *flights)
        if (f.carrier == carrier && f.flight_number == number) {
          auto d = store_->LoadFlight(f.id);
          EXPECT_TRUE(d.ok()) << d.error();
          return d.ok() ? *d : FlightData{};
        }
    ADD_FAILURE() << "no flight " << carrier << number << " on " << date;
    return {};
  }

  // The record of the traveller with `surname`, which must be there once.
  static const TravelRecord& Of(const std::vector<TravelRecord>& records, const std::string& surname) {
    const TravelRecord* found = nullptr;
    for (const auto& r : records)
      if (r.traveller.surname == surname) {
        EXPECT_EQ(found, nullptr) << surname << " appears twice";
        found = &r;
      }
    if (!found) {
      ADD_FAILURE() << "no record of " << surname;
      static const TravelRecord kNone;
      return kNone;
    }
    return *found;
  }

  std::unique_ptr<Store> store_;
};

TEST_F(StoredFlightRecordsTest, Ba117ApiTravellersCarryTheCurrentVersionOfTheirBookings) {
  Ingest({"paxlst-ba0117-passengers.edi", "pnrgov-ba0117-72h.edi", "pnrgov-ba0117-24h.edi"});
  const FlightData d = Load("BA", "117", "2026-11-23");
  ASSERT_EQ(d.api.size(), 3u);
  ASSERT_EQ(d.bookings.size(), 2u) << "the current version of each PNR";
  EXPECT_EQ(d.links.size(), 5u) << "links to the old K7QX2M version are there too";

  const std::vector<TravelRecord> records = flight_records(d);
  ASSERT_EQ(records.size(), 3u) << "every PNR traveller is linked to an API traveller";
  std::set<int64_t> api_ids;
  for (const auto& a : d.api) api_ids.insert(a.id);
  for (const auto& r : records) {
    EXPECT_EQ(r.kind, "api");
    EXPECT_TRUE(api_ids.count(r.id)) << r.id;
    EXPECT_TRUE(r.has_booking) << r.traveller.surname;
    EXPECT_EQ(r.flight_id, d.flight.id);
    EXPECT_EQ(r.flight_number, "BA117");
    EXPECT_EQ(r.flight_destination_country, "USA");
  }

  const TravelRecord& chidi = Of(records, "OKONKWO");
  EXPECT_EQ(chidi.traveller.given_names, "CHIDI EMEKA");
  EXPECT_EQ(chidi.traveller.nationality, "GBR");
  EXPECT_EQ(chidi.traveller.age.value, 41);  // born 1985-02-14
  EXPECT_EQ(chidi.record_locator, "K7QX2M");
  EXPECT_EQ(chidi.days_before_departure.value, 22);  // booked 1 November
  EXPECT_EQ(chidi.party_size.value, 2);
  ASSERT_EQ(chidi.cotravellers.size(), 1u);
  EXPECT_EQ(chidi.cotravellers[0].surname, "MUELLER LUEDENSCHEIDT");
  EXPECT_EQ(chidi.cotravellers[0].nationality, "DEU");
  EXPECT_TRUE(chidi.third_party) << "booked through agency 91234567";
  EXPECT_EQ(Payments(chidi), std::vector<std::string>{"CARD/VI"});
  EXPECT_EQ(Flights(chidi), (std::vector<std::string>{"BA117", "BA6172"}));
  EXPECT_FALSE(chidi.one_way);
  EXPECT_EQ(chidi.route_countries, (Countries{"GBR", "USA", "GBR"}));
  EXPECT_EQ(chidi.return_date, day_number("2026-11-30"));
  EXPECT_EQ(chidi.length_of_stay.value, 7);

  const TravelRecord& anna = Of(records, "MÜLLER-LÜDENSCHEIDT");
  EXPECT_EQ(anna.traveller.nationality, "DEU");
  EXPECT_EQ(anna.traveller.age.value, 34);  // born 1992-11-03
  EXPECT_EQ(anna.record_locator, "K7QX2M");
  ASSERT_EQ(anna.cotravellers.size(), 1u);
  EXPECT_EQ(anna.cotravellers[0].surname, "OKONKWO");

  const TravelRecord& sean = Of(records, "O'BRIEN");
  EXPECT_EQ(sean.traveller.nationality, "IRL");
  EXPECT_EQ(sean.record_locator, "P9ZZ4L");
  EXPECT_EQ(sean.days_before_departure.value, 8);  // booked 15 November
  EXPECT_EQ(sean.party_size.value, 1);
  EXPECT_TRUE(sean.cotravellers.empty());
  EXPECT_FALSE(sean.third_party) << "booked at the airline's Dublin office";
  EXPECT_EQ(Payments(sean), std::vector<std::string>{"CASH/"});
  EXPECT_TRUE(sean.one_way);
  EXPECT_EQ(sean.route_countries, (Countries{"GBR", "USA"}));
  EXPECT_EQ(sean.return_date, kNoDate);
}

TEST_F(StoredFlightRecordsTest, PnrOnlyFlightHasOneRecordPerBookedTraveller) {
  Ingest({"pnrgov-xml-push.xml"});
  const FlightData d = Load("BA", "117", "2025-03-15");
  ASSERT_TRUE(d.api.empty());
  const std::vector<TravelRecord> records = flight_records(d);
  ASSERT_EQ(records.size(), 3u);
  std::set<int64_t> pnr_ids;
  for (const auto& b : d.bookings) pnr_ids.insert(b.traveller_ids.begin(), b.traveller_ids.end());
  for (const auto& r : records) {
    EXPECT_EQ(r.kind, "pnr");
    EXPECT_TRUE(pnr_ids.count(r.id)) << r.id;
    EXPECT_EQ(r.flight_number, "BA117") << "stored without the leading zero";
  }
  std::set<std::string> names;
  for (const auto& r : records) names.insert(r.traveller.given_names + " " + r.traveller.surname);
  EXPECT_EQ(names, (std::set<std::string>{"JOHN WILLIAM SMITH", "JANE SMITH", "MARGARET ADAEZE OKAFOR"}));

  const TravelRecord* john = nullptr;
  for (const auto& r : records)
    if (r.traveller.given_names == "JOHN WILLIAM") john = &r;
  ASSERT_NE(john, nullptr);
  EXPECT_EQ(john->record_locator, "ABC123");
  EXPECT_EQ(john->traveller.nationality, "GBR");
  EXPECT_EQ(john->traveller.age.value, 60);  // born 1964-07-12
  EXPECT_EQ(john->days_before_departure.value, 54);  // booked 20 January
  EXPECT_EQ(john->party_size.value, 2);
  EXPECT_EQ(Names(john->cotravellers), std::vector<std::string>{"SMITH/JANE"});
  EXPECT_TRUE(john->third_party);
  EXPECT_EQ(john->agency, "GLOBETRAVEL LTD");
  ASSERT_FALSE(john->payments.empty());
  for (const auto& p : john->payments) {
    EXPECT_EQ(p.type, "CARD");
    EXPECT_EQ(p.issuer, "VI");
  }
  EXPECT_EQ(Flights(*john), (std::vector<std::string>{"BA117", "BA1511"}));
  EXPECT_TRUE(john->one_way) << "LHR-JFK-BOS";
  EXPECT_EQ(john->route_countries, (Countries{"GBR", "USA"}));
  EXPECT_EQ(john->return_date, kNoDate);

  const TravelRecord& margaret = Of(records, "OKAFOR");
  EXPECT_EQ(margaret.traveller.nationality, "NGA");
  EXPECT_EQ(margaret.traveller.age.value, 36);  // born 1988-11-30
  EXPECT_EQ(margaret.party_size.value, 1);
  EXPECT_TRUE(margaret.cotravellers.empty());
  EXPECT_FALSE(margaret.third_party) << "booked on the airline's web site";
  EXPECT_EQ(margaret.agency, "LONBA08AA");
  // A card whose vendor code is CA (Mastercard) is a card, not cash.
  EXPECT_EQ(Payments(margaret), std::vector<std::string>{"CARD/CA"});
}

TEST_F(StoredFlightRecordsTest, ApiOnlyFlightTravellersHaveTheFlightAsTheirItinerary) {
  Ingest({"paxlst-lh0400-part1.edi", "paxlst-lh0400-part2.edi", "paxlst-lh0400-part3.edi"});
  const FlightData d = Load("LH", "400", "2026-11-23");
  ASSERT_FALSE(d.api.empty());
  const std::vector<TravelRecord> records = flight_records(d);
  ASSERT_EQ(records.size(), d.api.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const TravelRecord& r = records[i];
    SCOPED_TRACE(r.traveller.surname);
    EXPECT_EQ(r.kind, "api");
    EXPECT_EQ(r.id, d.api[i].id);
    EXPECT_FALSE(r.has_booking);
    ASSERT_EQ(r.segments.size(), 1u);
    EXPECT_EQ(r.segments[0].flight, "LH400");
    EXPECT_EQ(r.segments[0].origin, "FRA");
    EXPECT_EQ(r.segments[0].destination, "YYZ");
    EXPECT_TRUE(r.one_way);
    EXPECT_EQ(r.route_countries, (Countries{"DEU", "CAN"}));
  }
  EXPECT_EQ(Of(records, "SCHMIDT").traveller.nationality, "DEU");
  EXPECT_EQ(Of(records, "SCHMIDT").traveller.age.value, 56);  // born 1970-06-12
}

}  // namespace
}  // namespace vigil
