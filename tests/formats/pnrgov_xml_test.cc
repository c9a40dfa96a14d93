#include "formats/pnrgov/pnrgov_xml.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "model/json.h"

namespace vigil {
namespace {

// A push for BA0117 with two PNRs: a family of two booked through an agency
// (DOCS as attributes and as SSR text, a codeshare segment, one card for two
// tickets), and a web booking that is checked in.
constexpr std::string_view kFull = R"(<?xml version="1.0" encoding="UTF-8"?>
<IATA_PNRGOV_NotifRQ xmlns="http://www.iata.org/IATA/2007/00" Version="13.1"
    TimeStamp="2025-03-14T06:00:12Z" EchoToken="BA0117-20250315-01">
  <Originator AirlineCode="BA" SystemCode="1B"/>
  <FlightLeg CarrierCode="BA" FlightNumber="0117" DepartureDateTime="2025-03-15T08:25:00"
      ArrivalDateTime="2025-03-15T11:10:00">
    <DepartureAirport LocationCode="LHR"/>
    <ArrivalAirport LocationCode="JFK"/>
  </FlightLeg>
  <PNRs NumberOfPnrs="2">
    <PNR NumberOfPassengers="2" PNR_CreationDate="2025-01-20T14:02:00" PNR_TransDate="2025-03-13T09:41:00">
      <BookingRefID ID="ABC123"><CompanyName Code="BA"/></BookingRefID>
      <POS>
        <Source PseudoCityCode="LONGT28AA" ISOCountry="GB">
          <RequestorID Type="5" ID="91212345"><CompanyName Code="GT">GLOBETRAVEL LTD</CompanyName></RequestorID>
        </Source>
      </POS>
      <ContactInfo PhoneNumber="+44 20 7946 0958" EmailAddress="j.smith@example.co.uk">
        <StreetNmbr>14 ACACIA AVENUE</StreetNmbr>
        <CityName>READING</CityName>
        <PostalCode>RG1 1AA</PostalCode>
        <CountryName Code="GB">UNITED KINGDOM</CountryName>
      </ContactInfo>
      <Passenger RPH="1" PassengerTypeCode="ADT">
        <GivenName>JOHN WILLIAM</GivenName>
        <Surname>SMITH</Surname>
        <CustLoyalty ProgramID="BA" MembershipID="12345678" LoyalLevel="GOLD"/>
        <SSR SSR_Code="VGML" Status="HK"><Airline Code="BA"/><Text>VEGETARIAN MEAL</Text></SSR>
        <TicketDocument TicketDocumentNbr="1252345678901" Type="T" DateOfIssue="2025-01-20">
          <PaymentInfo PaymentType="CC" PaymentAmount="2900.40" VendorCode="VI" AccountNbr="4111111111111111"
              ExpiryDate="0827" CurrencyCode="GBP" CardHolderName="JOHN SMITH"/>
        </TicketDocument>
        <DOC_SSR SSR_Code="DOCS" Status="HK">
          <DOCS DocType="P" DocIssueCountry="GBR" DocID="533401234" PaxNationality="GBR" DateOfBirth="1964-07-12"
              Gender="M" ExpiryDate="2029-08-23" Surname="SMITH" FirstGivenName="JOHN" SecondGivenName="WILLIAM"/>
        </DOC_SSR>
        <DOC_SSR SSR_Code="DOCA" Status="HK">
          <DOCA AddressType="D" Address="350 5TH AVE" CityName="NEW YORK" StateProvCounty="NY" PostalCode="10118" Country="USA"/>
        </DOC_SSR>
        <SeatAssignment SeatNumber="12A"/>
      </Passenger>
      <Passenger RPH="2" PassengerTypeCode="ADT">
        <GivenName>JANE</GivenName>
        <Surname>SMITH</Surname>
        <SSR SSR_Code="DOCS" Status="HK"><Airline Code="BA"/><Text>P/GBR/534409876/GBR/03MAR66/F/11FEB31/SMITH/JANE</Text></SSR>
        <TicketDocument TicketDocumentNbr="1252345678902" Type="T" DateOfIssue="2025-01-20">
          <PaymentInfo PaymentType="CC" PaymentAmount="2900.40" VendorCode="VI" AccountNbr="4111111111111111"
              ExpiryDate="0827" CurrencyCode="GBP" CardHolderName="JOHN SMITH"/>
        </TicketDocument>
      </Passenger>
      <OSI><Airline Code="BA"/><Text>CTCM 447700900123</Text></OSI>
      <Remark>PAX TRAVELLING FOR FAMILY WEDDING</Remark>
      <Flight RPH="1" DepartureDateTime="2025-03-15T08:25:00" ArrivalDateTime="2025-03-15T11:10:00"
          ResBookDesigCode="J" Status="HK" FlightNumber="0117">
        <DepartureAirport LocationCode="LHR"/>
        <ArrivalAirport LocationCode="JFK"/>
        <OperatingAirline Code="BA" FlightNumber="0117"/>
        <MarketingAirline Code="BA"/>
      </Flight>
      <Flight RPH="2" DepartureDateTime="2025-03-15T14:00:00" ArrivalDateTime="2025-03-15T15:17:00"
          ResBookDesigCode="J" Status="HK" FlightNumber="1511">
        <DepartureAirport LocationCode="JFK"/>
        <ArrivalAirport LocationCode="BOS"/>
        <OperatingAirline Code="AA" FlightNumber="2171"/>
        <MarketingAirline Code="BA"/>
        <SSR SSR_Code="WCHR" Status="HK" TravelerRefNumber="2"><Text>WHEELCHAIR TO GATE</Text></SSR>
      </Flight>
    </PNR>
    <PNR PNR_CreationDate="2025-03-02T18:30:00" PNR_TransDate="2025-03-15T06:10:00">
      <BookingRefID ID="XK7PQ2"><CompanyName Code="BA"/></BookingRefID>
      <POS><Source PseudoCityCode="LONBA08AA" AgentSine="WEB"/></POS>
      <ContactInfo EmailAddress="m.okafor@example.com">
        <Telephone PhoneTechType="5" PhoneNumber="+44 7700 900456"/>
      </ContactInfo>
      <Passenger RPH="1" PassengerTypeCode="ADT">
        <GivenName>MARGARET</GivenName>
        <Surname>OKAFOR</Surname>
        <DOC_SSR SSR_Code="DOCO" Status="HK">
          <DOCO BirthLocation="LAGOS" TravelDocType="V" TravelDocNbr="K4452109" PlaceOfIssue="LAGOS"
              DateOfIssue="2024-10-15" CountryState="USA"/>
        </DOC_SSR>
        <TicketDocument TicketDocumentNbr="1252398765432" Type="T" DateOfIssue="2025-03-02">
          <PaymentInfo PaymentType="CC" VendorCode="CA" AccountNbr="XXXXXXXXXXXX4444" ExpiryDate="1126"/>
        </TicketDocument>
        <CheckIn FlightNumber="0117" AirlineCode="BA" SeatNumber="31C" Status="C"/>
        <BagTag BagTagNumber="0125123456"/>
      </Passenger>
      <Flight DepartureDateTime="2025-03-15T08:25:00" ArrivalDateTime="2025-03-15T11:10:00"
          ResBookDesigCode="M" Status="HK" FlightNumber="BA117">
        <DepartureAirport LocationCode="LHR"/>
        <ArrivalAirport LocationCode="JFK"/>
        <MarketingAirline Code="BA"/>
      </Flight>
    </PNR>
  </PNRs>
</IATA_PNRGOV_NotifRQ>
)";

// The smallest useful push: one PNR with one passenger.
constexpr std::string_view kMinimal = R"(<IATA_PNRGOV_NotifRQ>
  <Originator AirlineCode="XX"/>
  <FlightLeg CarrierCode="XX" FlightNumber="12" DepartureDateTime="2025-07-01T09:00:00">
    <DepartureAirport LocationCode="AAA"/><ArrivalAirport LocationCode="BBB"/>
  </FlightLeg>
  <PNRs>
    <PNR>
      <BookingRefID ID="MIN001"/>
      <Passenger RPH="1"><GivenName>ANA</GivenName><Surname>LIMA</Surname></Passenger>
    </PNR>
  </PNRs>
</IATA_PNRGOV_NotifRQ>
)";

struct Parsed {
  bool ok = false;
  std::vector<PnrPush> pushes;
  Diagnostics diags;
};

const HashKey& test_key() {
  static const HashKey key = HashKey::ForTesting();
  return key;
}

Parsed parse(std::string_view xml, bool strict = false, const HashKey* key = &test_key()) {
  ParseOptions options;
  options.file = "push.xml";
  options.strict = strict;
  options.card_key = key;
  options.reference_year = 2025;
  Parsed p;
  p.ok = parse_pnrgov_xml(xml, options, &p.pushes, &p.diags);
  return p;
}

std::string replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// The first finding whose reason contains `needle`, or null.
const Diagnostic* finding(const Diagnostics& d, std::string_view needle) {
  for (const Diagnostic& x : d.all())
    if (x.reason.find(needle) != std::string::npos) return &x;
  return nullptr;
}

std::string all_findings(const Diagnostics& d) {
  std::string out;
  for (const Diagnostic& x : d.all()) out += x.to_string() + "\n";
  return out;
}

TEST(PnrgovXml, ReadsHeaderAndFlight) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  EXPECT_EQ(p.diags.all().size(), 0u) << all_findings(p.diags);
  ASSERT_EQ(p.pushes.size(), 1u);
  const PnrPush& push = p.pushes[0];
  EXPECT_EQ(push.header.sender, "BA");
  EXPECT_EQ(push.header.prepared, "2025-03-14T06:00");
  EXPECT_EQ(push.header.message_ref, "BA0117-20250315-01");
  EXPECT_EQ(push.header.version, "13.1");
  EXPECT_EQ(push.header.message_function, "22");
  ASSERT_TRUE(push.flight.has_value());
  EXPECT_EQ(push.flight->carrier, "BA");
  EXPECT_EQ(push.flight->flight_number, "0117");
  EXPECT_EQ(push.flight->departure_airport, "LHR");
  EXPECT_EQ(push.flight->arrival_airport, "JFK");
  EXPECT_EQ(push.flight->departure_local, "2025-03-15T08:25");
  EXPECT_EQ(push.flight->arrival_local, "2025-03-15T11:10");
  EXPECT_EQ(push.pnrs.size(), 2u);
}

TEST(PnrgovXml, ReadsBookingFieldByField) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[0];
  EXPECT_EQ(pnr.record_locator, "ABC123");
  EXPECT_EQ(pnr.carrier, "BA");
  EXPECT_EQ(pnr.created, "2025-01-20T14:02");
  EXPECT_EQ(pnr.last_changed, "2025-03-13T09:41");
  EXPECT_EQ(pnr.booking_agency, "LONGT28AA");
  EXPECT_EQ(pnr.travel_agency, "GLOBETRAVEL LTD");

  ASSERT_EQ(pnr.contacts.size(), 2u);
  EXPECT_EQ(pnr.contacts[0].type, "phone");
  EXPECT_EQ(pnr.contacts[0].value, "+44 20 7946 0958");
  EXPECT_EQ(pnr.contacts[1].type, "email");
  EXPECT_EQ(pnr.contacts[1].value, "j.smith@example.co.uk");
  ASSERT_EQ(pnr.addresses.size(), 1u);
  EXPECT_EQ(pnr.addresses[0].street, "14 ACACIA AVENUE");
  EXPECT_EQ(pnr.addresses[0].city, "READING");
  EXPECT_EQ(pnr.addresses[0].postal_code, "RG1 1AA");
  EXPECT_EQ(pnr.addresses[0].country, "GB");

  ASSERT_EQ(pnr.remarks.size(), 1u);
  EXPECT_EQ(pnr.remarks[0], "PAX TRAVELLING FOR FAMILY WEDDING");
  ASSERT_EQ(pnr.ssrs.size(), 1u);
  EXPECT_EQ(pnr.ssrs[0].code, "OSI");
  EXPECT_EQ(pnr.ssrs[0].carrier, "BA");
  EXPECT_EQ(pnr.ssrs[0].text, "CTCM 447700900123");
}

TEST(PnrgovXml, ReadsTravellersWithDocs) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[0];
  ASSERT_EQ(pnr.travellers.size(), 2u);

  const PnrTraveller& john = pnr.travellers[0];
  EXPECT_EQ(john.type, "ADT");
  EXPECT_EQ(john.person.reference, "1");
  EXPECT_EQ(john.person.surname, "SMITH");
  EXPECT_EQ(john.person.given_names, "JOHN WILLIAM");
  EXPECT_EQ(john.person.sex, "M");
  EXPECT_EQ(john.person.birth_date, "1964-07-12");
  EXPECT_EQ(john.person.nationality, "GBR");
  ASSERT_EQ(john.person.documents.size(), 1u);
  EXPECT_EQ(john.person.documents[0].type, "P");
  EXPECT_EQ(john.person.documents[0].number, "533401234");
  EXPECT_EQ(john.person.documents[0].issuing_state, "GBR");
  EXPECT_EQ(john.person.documents[0].expiry_date, "2029-08-23");
  ASSERT_TRUE(john.person.address.has_value());
  EXPECT_EQ(john.person.address->type, "D");
  EXPECT_EQ(john.person.address->street, "350 5TH AVE");
  EXPECT_EQ(john.person.address->city, "NEW YORK");
  EXPECT_EQ(john.person.address->region, "NY");
  EXPECT_EQ(john.person.address->country, "USA");
  ASSERT_EQ(john.frequent_flyers.size(), 1u);
  EXPECT_EQ(john.frequent_flyers[0].carrier, "BA");
  EXPECT_EQ(john.frequent_flyers[0].number, "12345678");
  EXPECT_EQ(john.frequent_flyers[0].tier, "GOLD");
  ASSERT_EQ(john.tickets.size(), 1u);
  EXPECT_EQ(john.tickets[0].number, "1252345678901");
  EXPECT_EQ(john.tickets[0].type, "T");
  EXPECT_EQ(john.tickets[0].issue_date, "2025-01-20");
  EXPECT_EQ(john.seats, std::vector<std::string>{"12A"});
  ASSERT_EQ(john.ssrs.size(), 1u);  // DOCS and DOCA went into the person
  EXPECT_EQ(john.ssrs[0].code, "VGML");
  EXPECT_EQ(john.ssrs[0].status, "HK");
  EXPECT_EQ(john.ssrs[0].carrier, "BA");
  EXPECT_EQ(john.ssrs[0].text, "VEGETARIAN MEAL");
  EXPECT_EQ(john.ssrs[0].traveller_ref, "1");

  // DOCS given as SSR free text.
  const PnrTraveller& jane = pnr.travellers[1];
  EXPECT_EQ(jane.person.given_names, "JANE");
  EXPECT_EQ(jane.person.sex, "F");
  EXPECT_EQ(jane.person.birth_date, "1966-03-03");
  EXPECT_EQ(jane.person.nationality, "GBR");
  ASSERT_EQ(jane.person.documents.size(), 1u);
  EXPECT_EQ(jane.person.documents[0].number, "534409876");
  EXPECT_EQ(jane.person.documents[0].expiry_date, "2031-02-11");
  // The segment's SSR names her by reference.
  ASSERT_EQ(jane.ssrs.size(), 1u);
  EXPECT_EQ(jane.ssrs[0].code, "WCHR");
  EXPECT_EQ(jane.ssrs[0].traveller_ref, "2");
  EXPECT_EQ(jane.ssrs[0].segment_ref, "2");
}

TEST(PnrgovXml, ReadsCodeshareSegment) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[0];
  ASSERT_EQ(pnr.itinerary.size(), 2u);
  const ItinerarySegment& first = pnr.itinerary[0];
  EXPECT_EQ(first.leg.carrier, "BA");
  EXPECT_EQ(first.leg.flight_number, "0117");
  EXPECT_EQ(first.booking_class, "J");
  EXPECT_EQ(first.status, "HK");

  const ItinerarySegment& codeshare = pnr.itinerary[1];
  EXPECT_EQ(codeshare.leg.carrier, "BA");
  EXPECT_EQ(codeshare.leg.flight_number, "1511");
  EXPECT_EQ(codeshare.operating_carrier, "AA");
  EXPECT_EQ(codeshare.operating_flight_number, "2171");
  EXPECT_EQ(codeshare.leg.departure_airport, "JFK");
  EXPECT_EQ(codeshare.leg.arrival_airport, "BOS");
  EXPECT_EQ(codeshare.leg.departure_local, "2025-03-15T14:00");
  EXPECT_EQ(codeshare.leg.arrival_local, "2025-03-15T15:17");

  // A flight number that repeats the carrier loses it.
  EXPECT_EQ(p.pushes[0].pnrs[1].itinerary.at(0).leg.flight_number, "117");
}

TEST(PnrgovXml, KeepsOnlyCardHashAndLastFour) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[0];
  ASSERT_EQ(pnr.payments.size(), 1u);  // the same card on both tickets
  const Payment& pay = pnr.payments[0];
  EXPECT_EQ(pay.type, "CC");
  EXPECT_EQ(pay.card_issuer, "VI");
  EXPECT_EQ(pay.card_last4, "1111");
  EXPECT_EQ(pay.card_hash, test_key().keyed_hex("4111111111111111"));
  EXPECT_EQ(pay.card_expiry, "2027-08");
  EXPECT_EQ(pay.amount, "2900.40");
  EXPECT_EQ(pay.currency, "GBP");

  const std::string json = dump_line(to_json(p.pushes[0]));
  EXPECT_EQ(json.find("4111111111111111"), std::string::npos);
  EXPECT_EQ(json.find("411111111111"), std::string::npos);
  EXPECT_NE(json.find(pay.card_hash), std::string::npos);
  EXPECT_NE(json.find("\"card_last4\":\"1111\""), std::string::npos);
}

TEST(PnrgovXml, MaskedCardKeepsLastFourWithoutHash) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[1];
  ASSERT_EQ(pnr.payments.size(), 1u);
  EXPECT_EQ(pnr.payments[0].card_last4, "4444");
  EXPECT_TRUE(pnr.payments[0].card_hash.empty());
  EXPECT_EQ(pnr.payments[0].card_expiry, "2026-11");
}

TEST(PnrgovXml, WithoutCardKeyKeepsLastFourOnly) {
  const Parsed p = parse(kFull, false, nullptr);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Payment& pay = p.pushes[0].pnrs[0].payments.at(0);
  EXPECT_EQ(pay.card_last4, "1111");
  EXPECT_TRUE(pay.card_hash.empty());
  EXPECT_EQ(dump_line(to_json(p.pushes[0])).find("4111111111111111"), std::string::npos);
}

TEST(PnrgovXml, ReadsCheckInBagsAndVisa) {
  const Parsed p = parse(kFull);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[1];
  EXPECT_EQ(pnr.record_locator, "XK7PQ2");
  EXPECT_EQ(pnr.booking_agency, "LONBA08AA");
  ASSERT_EQ(pnr.contacts.size(), 2u);
  EXPECT_EQ(pnr.contacts[1].type, "phone");
  EXPECT_EQ(pnr.contacts[1].value, "+44 7700 900456");
  ASSERT_EQ(pnr.travellers.size(), 1u);
  const PnrTraveller& t = pnr.travellers[0];
  EXPECT_EQ(t.checked_in, std::vector<std::string>{"BA0117/31C/C"});
  EXPECT_EQ(t.seats, std::vector<std::string>{"31C"});
  EXPECT_EQ(t.bags, 1u);
  EXPECT_EQ(t.person.bag_tags, std::vector<std::string>{"0125123456"});
  EXPECT_EQ(t.person.place_of_birth, "LAGOS");
  ASSERT_EQ(t.person.documents.size(), 1u);
  EXPECT_EQ(t.person.documents[0].type, "V");
  EXPECT_EQ(t.person.documents[0].number, "K4452109");
  EXPECT_EQ(t.person.documents[0].issue_date, "2024-10-15");
  EXPECT_EQ(t.person.documents[0].applicable_state, "USA");
}

TEST(PnrgovXml, MalformedXmlIsLocated) {
  const std::string xml =
      "<IATA_PNRGOV_NotifRQ>\n"
      "  <PNRs>\n"
      "    <PNR>\n"
      "  </PNRs>\n"
      "</IATA_PNRGOV_NotifRQ>\n";
  Parsed p = parse(xml);
  EXPECT_FALSE(p.ok);
  EXPECT_TRUE(p.pushes.empty());
  ASSERT_TRUE(p.diags.has_errors());
  const Diagnostic& d = p.diags.all().at(0);
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.where.file, "push.xml");
  EXPECT_EQ(d.where.line, 4u);
  EXPECT_GT(d.where.column, 0u);
  EXPECT_NE(d.reason.find("malformed XML"), std::string::npos) << d.reason;
  EXPECT_EQ(d.to_string().rfind("push.xml:4:", 0), 0u) << d.to_string();
}

TEST(PnrgovXml, RejectsDoctype) {
  const std::string xml =
      std::string(
          "<?xml version=\"1.0\"?>\n"
          "<!DOCTYPE IATA_PNRGOV_NotifRQ [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n") +
      std::string(kMinimal).replace(std::string(kMinimal).find("LIMA"), 4, "&xxe;");
  Parsed p = parse(xml);
  EXPECT_FALSE(p.ok);
  EXPECT_TRUE(p.pushes.empty());
  const Diagnostic* d = finding(p.diags, "DOCTYPE");
  ASSERT_NE(d, nullptr) << all_findings(p.diags);
  EXPECT_EQ(d->severity, Severity::kError);
  EXPECT_EQ(d->where.line, 2u);
  EXPECT_EQ(d->where.column, 1u);
}

TEST(PnrgovXml, MissingLocatorIsLocatedWarningAndDataKept) {
  const std::string xml = replace(kMinimal, "<BookingRefID ID=\"MIN001\"/>", "<BookingRefID/>");
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  EXPECT_EQ(p.diags.error_count(), 0u);
  const Diagnostic* d = finding(p.diags, "no record locator");
  ASSERT_NE(d, nullptr) << all_findings(p.diags);
  EXPECT_EQ(d->severity, Severity::kWarning);
  EXPECT_EQ(d->where.line, 8u);
  EXPECT_EQ(d->where.column, 7u);
  EXPECT_EQ(d->where.segment, "BookingRefID");
  const Pnr& pnr = p.pushes.at(0).pnrs.at(0);
  EXPECT_TRUE(pnr.record_locator.empty());
  EXPECT_EQ(pnr.carrier, "XX");  // the originator's
  ASSERT_EQ(pnr.travellers.size(), 1u);
  EXPECT_EQ(pnr.travellers[0].person.surname, "LIMA");
}

TEST(PnrgovXml, StrictModeRejectsWarnings) {
  const std::string xml = replace(kMinimal, "<BookingRefID ID=\"MIN001\"/>", "<BookingRefID/>");
  Parsed p = parse(xml, /*strict=*/true);
  EXPECT_FALSE(p.ok);
  EXPECT_TRUE(p.pushes.empty());
  EXPECT_EQ(p.diags.warning_count(), 0u);
  const Diagnostic* d = finding(p.diags, "no record locator");
  ASSERT_NE(d, nullptr) << all_findings(p.diags);
  EXPECT_EQ(d->severity, Severity::kError);

  // A clean message passes in strict mode.
  EXPECT_TRUE(parse(kFull, true).ok);
}

TEST(PnrgovXml, ReadsNamespacedAndOddlyCasedNames) {
  constexpr std::string_view xml = R"(<?xml version="1.0"?>
<p:IATA_PNRGOV_NotifRQ xmlns:p="http://www.iata.org/IATA/2007/00" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <p:Originator AirlineCode="LH"/>
  <p:FlightLeg CarrierCode="LH" FlightNumber="LH400"><p:departureAirport LocationCode="FRA"/></p:FlightLeg>
  <p:PNRs>
    <p:pnr>
      <p:BookingRefID ID="qw9rt4"><p:CompanyName Code="LH"/></p:BookingRefID>
      <p:Passenger RPH="1">
        <p:GivenName>KLAUS</p:GivenName><p:SURNAME>MUELLER</p:SURNAME>
        <p:DOCSSR SSRCode="DOCS"><p:docs DOC_TYPE="P" DocID="C01X00T47" Birth_Date="1971-02-09"/></p:DOCSSR>
        <p:PaymentInfo xsi:type="Card" PaymentType="CC" AccountNbr="5555555555554444"/>
      </p:Passenger>
    </p:pnr>
  </p:PNRs>
</p:IATA_PNRGOV_NotifRQ>
)";
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const PnrPush& push = p.pushes.at(0);
  EXPECT_EQ(push.flight->flight_number, "400");
  EXPECT_EQ(push.flight->departure_airport, "FRA");
  const Pnr& pnr = push.pnrs.at(0);
  EXPECT_EQ(pnr.record_locator, "QW9RT4");
  EXPECT_EQ(pnr.carrier, "LH");
  const Traveller& t = pnr.travellers.at(0).person;
  EXPECT_EQ(t.surname, "MUELLER");
  EXPECT_EQ(t.birth_date, "1971-02-09");
  ASSERT_EQ(t.documents.size(), 1u);
  EXPECT_EQ(t.documents[0].number, "C01X00T47");
  ASSERT_EQ(pnr.payments.size(), 1u);
  EXPECT_EQ(pnr.payments[0].type, "CC");  // xsi:type is not data
  EXPECT_EQ(pnr.payments[0].card_last4, "4444");
}

TEST(PnrgovXml, ReadsAlternativeNames) {
  constexpr std::string_view xml = R"(<IATA_PNRGOV_NotifRQ>
  <Originator AirlineCode="XX"/>
  <FlightLeg CarrierCode="XX" FlightNumber="12"/>
  <PNR CreationDate="20250401">
    <RecordLocator>ZZ9ZZ9</RecordLocator>
    <Traveler TravelerRefNumber="7">
      <PersonName><FirstName>MARIA</FirstName><MiddleName>LUISA</MiddleName><LastName>GARCIA</LastName></PersonName>
      <Document DocType="I" DocNumber="X1234567" IssuingCountry="ESP" BirthDate="1990-05-06" Gender="Female"/>
    </Traveler>
    <FlightSegment DepartureDateTime="2025-07-01T09:00" AirlineCode="XX" FlightNumber="12" BookingClass="Y">
      <Origin LocationCode="MAD"/><Destination>LIS</Destination>
    </FlightSegment>
    <FormOfPayment PaymentType="CC">
      <PaymentCard CardCode="MC" ExpireDate="12/27"><CardNumber><PlainText>5555 5555 5555 4444</PlainText></CardNumber></PaymentCard>
    </FormOfPayment>
    <Ticket TicketNumber="0001234567890" TravelerRefNumber="7"/>
    <Email>maria@example.es</Email>
  </PNR>
</IATA_PNRGOV_NotifRQ>
)";
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Pnr& pnr = p.pushes.at(0).pnrs.at(0);
  EXPECT_EQ(pnr.record_locator, "ZZ9ZZ9");
  EXPECT_EQ(pnr.created, "2025-04-01");
  ASSERT_EQ(pnr.travellers.size(), 1u);
  const PnrTraveller& t = pnr.travellers[0];
  EXPECT_EQ(t.person.given_names, "MARIA LUISA");
  EXPECT_EQ(t.person.surname, "GARCIA");
  EXPECT_EQ(t.person.sex, "F");
  EXPECT_EQ(t.person.documents.at(0).type, "I");
  EXPECT_EQ(t.person.documents.at(0).issuing_state, "ESP");
  ASSERT_EQ(t.tickets.size(), 1u);
  EXPECT_EQ(t.tickets[0].number, "0001234567890");
  ASSERT_EQ(pnr.itinerary.size(), 1u);
  EXPECT_EQ(pnr.itinerary[0].leg.departure_airport, "MAD");
  EXPECT_EQ(pnr.itinerary[0].leg.arrival_airport, "LIS");
  EXPECT_EQ(pnr.itinerary[0].booking_class, "Y");
  EXPECT_EQ(pnr.itinerary[0].leg.departure_local, "2025-07-01T09:00");
  ASSERT_EQ(pnr.payments.size(), 1u);
  EXPECT_EQ(pnr.payments[0].card_issuer, "MC");
  EXPECT_EQ(pnr.payments[0].card_expiry, "2027-12");
  EXPECT_EQ(pnr.payments[0].card_hash, test_key().keyed_hex("5555555555554444"));
  ASSERT_EQ(pnr.contacts.size(), 1u);
  EXPECT_EQ(pnr.contacts[0].type, "email");
}

TEST(PnrgovXml, EmptyInputFails) {
  for (std::string_view input :
       {std::string_view(""), std::string_view("  \n\t"), std::string_view("\xEF\xBB\xBF")}) {
    Parsed p = parse(input);
    EXPECT_FALSE(p.ok);
    EXPECT_TRUE(p.pushes.empty());
    ASSERT_TRUE(p.diags.has_errors());
    EXPECT_EQ(p.diags.all()[0].where.file, "push.xml");
  }
}

TEST(PnrgovXml, ForeignRootFails) {
  Parsed p = parse("<?xml version=\"1.0\"?>\n<PAXLST><Flight/></PAXLST>");
  EXPECT_FALSE(p.ok);
  const Diagnostic* d = finding(p.diags, "not a PNRGOV message");
  ASSERT_NE(d, nullptr) << all_findings(p.diags);
  EXPECT_EQ(d->where.line, 2u);
  EXPECT_EQ(d->where.column, 1u);
  EXPECT_EQ(d->where.segment, "PAXLST");
}

TEST(PnrgovXml, MessageWithoutPnrFails) {
  Parsed p = parse(
      "<IATA_PNRGOV_NotifRQ>\n<Originator AirlineCode=\"XX\"/>\n<PNRs/>\n</IATA_PNRGOV_NotifRQ>");
  EXPECT_FALSE(p.ok);
  EXPECT_TRUE(p.pushes.empty());
  const Diagnostic* d = finding(p.diags, "no PNR");
  ASSERT_NE(d, nullptr) << all_findings(p.diags);
  EXPECT_EQ(d->severity, Severity::kError);
  EXPECT_EQ(d->where.line, 3u);
  EXPECT_EQ(d->where.segment, "PNRs");
}

TEST(PnrgovXml, ReadsMinimalOnePassengerPush) {
  Parsed p = parse(kMinimal);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  EXPECT_EQ(p.diags.all().size(), 0u) << all_findings(p.diags);
  const PnrPush& push = p.pushes.at(0);
  EXPECT_EQ(push.header.sender, "XX");
  EXPECT_EQ(push.flight->departure_local, "2025-07-01T09:00");
  ASSERT_EQ(push.pnrs.size(), 1u);
  EXPECT_EQ(push.pnrs[0].record_locator, "MIN001");
  ASSERT_EQ(push.pnrs[0].travellers.size(), 1u);
  EXPECT_EQ(push.pnrs[0].travellers[0].person.given_names, "ANA");
  EXPECT_EQ(push.pnrs[0].travellers[0].person.surname, "LIMA");
}

TEST(PnrgovXml, AcceptsByteOrderMarkAndCountsOffsetsFromInput) {
  const std::string xml = "\xEF\xBB\xBF" + replace(kMinimal, "ID=\"MIN001\"", "");
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Diagnostic* d = finding(p.diags, "no record locator");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.line, 8u);
  EXPECT_EQ(d->where.column, 7u);
  EXPECT_EQ(xml.substr(d->where.offset, 13), "<BookingRefID");
}

TEST(PnrgovXml, WarnsOnUnreadableDateAndNamelessPassenger) {
  std::string xml = replace(kMinimal, "2025-07-01T09:00:00", "01/07/2025 9am");
  xml = replace(xml, "<GivenName>ANA</GivenName><Surname>LIMA</Surname>", "");
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  const Diagnostic* date = finding(p.diags, "01/07/2025 9am");
  ASSERT_NE(date, nullptr) << all_findings(p.diags);
  EXPECT_EQ(date->severity, Severity::kWarning);
  EXPECT_EQ(date->where.line, 3u);
  EXPECT_EQ(date->where.segment, "FlightLeg");
  EXPECT_TRUE(p.pushes[0].flight->departure_local.empty());
  EXPECT_EQ(p.pushes[0].flight->departure_airport, "AAA");

  const Diagnostic* name = finding(p.diags, "passenger has no name");
  ASSERT_NE(name, nullptr) << all_findings(p.diags);
  EXPECT_EQ(name->where.line, 9u);
  EXPECT_EQ(name->where.segment, "Passenger");
  EXPECT_EQ(p.pushes[0].pnrs[0].travellers.size(), 1u);
}

TEST(PnrgovXml, UnwrapsSoapEnvelope) {
  const std::string xml =
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" +
      std::string(kMinimal) + "</s:Body></s:Envelope>";
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  EXPECT_EQ(p.pushes.at(0).pnrs.at(0).record_locator, "MIN001");
}

TEST(PnrgovXml, ConvertsDeclaredLatin1) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + replace(kMinimal, "LIMA",
                                                                                  "LIMA GON\xC7"
                                                                                  "ALVES");
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  EXPECT_EQ(p.pushes.at(0).pnrs.at(0).travellers.at(0).person.surname,
            "LIMA GON\xC3\x87"
            "ALVES");
}

TEST(PnrgovXml, RejectsUtf16) {
  const std::string xml("\xFF\xFE<\0I\0", 6);
  Parsed p = parse(xml);
  EXPECT_FALSE(p.ok);
  ASSERT_NE(finding(p.diags, "UTF-16"), nullptr) << all_findings(p.diags);
}

TEST(PnrgovXml, WarnsOnReferenceToUnknownPassenger) {
  const std::string xml = replace(kMinimal, "</Passenger>",
                                  "</Passenger><SSR SSRCode=\"WCHR\" TravelerRefNumber=\"9\"/>");
  Parsed p = parse(xml);
  ASSERT_TRUE(p.ok) << all_findings(p.diags);
  ASSERT_NE(finding(p.diags, "passenger '9'"), nullptr) << all_findings(p.diags);
  const Pnr& pnr = p.pushes[0].pnrs[0];
  ASSERT_EQ(pnr.ssrs.size(), 1u);  // kept at PNR level
  EXPECT_EQ(pnr.ssrs[0].traveller_ref, "9");
}

TEST(PnrgovXml, NeverThrowsOnTruncatedInput) {
  const std::string full(kFull);
  for (size_t n = 0; n < full.size(); n += 37) {
    std::vector<PnrPush> out;
    Diagnostics diags;
    ParseOptions options;
    options.card_key = &test_key();
    const bool ok = parse_pnrgov_xml(std::string_view(full).substr(0, n), options, &out, &diags);
    EXPECT_EQ(ok, out.size() == 1) << n;
    if (!ok) {
      EXPECT_TRUE(diags.has_errors()) << n;
    }
  }
}

TEST(PnrgovXml, SampleFilesParseCleanly) {
  const std::filesystem::path dir = std::string(VIGIL_SOURCE_DIR) + "/data/samples";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("pnrgov-xml-", 0) != 0 || entry.path().extension() != ".xml") continue;
    ++seen;
    Parsed p = parse(testing::ReadSample(name), /*strict=*/true);
    EXPECT_TRUE(p.ok) << name << "\n" << all_findings(p.diags);
    EXPECT_EQ(dump_line(to_json(p.pushes.at(0))).find("4111111111111111"), std::string::npos);
  }
  EXPECT_GT(seen, 0);
}

}  // namespace
}  // namespace vigil
