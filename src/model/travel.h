// Plain value types for travel data: what every intake adapter produces and
// what the store keeps. No I/O here.
//
// Dates are ISO 8601 strings ("YYYY-MM-DD", date-times "YYYY-MM-DDTHH:MM");
// an empty string means "not given". Country codes are kept as sent (ISO
// 3166 alpha-3 in API data, alpha-2 or alpha-3 in PNR data).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// Which standard a message follows.
enum class MessageKind { kPaxlst, kPnrgov };

const char* to_string(MessageKind kind);

// A travel or identity document.
struct Document {
  std::string type;            // "P" passport, "I" ID card, "V" visa, ...
  std::string number;
  std::string issuing_state;
  std::string expiry_date;
  std::string issue_date;
  std::string place_of_issue;
  std::string applicable_state;  // visas: the country the visa is for
};

// A postal address.
struct Address {
  std::string type;  // "R" residence, "D" destination, or free code
  std::string street;
  std::string city;
  std::string region;
  std::string postal_code;
  std::string country;
};

// One flight leg: a carrier's flight between two airports.
struct FlightLeg {
  std::string carrier;          // IATA airline designator
  std::string flight_number;    // without the carrier, e.g. "123" or "123A"
  std::string departure_airport;
  std::string arrival_airport;
  std::string departure_local;  // local date-time at departure
  std::string arrival_local;    // local date-time at arrival
};

// A traveller as one message describes them.
struct Traveller {
  enum class Role { kPassenger, kCrew, kInTransitPassenger, kInTransitCrew };
  Role role = Role::kPassenger;
  std::string surname;
  std::string given_names;  // name parts separated by single spaces
  std::string sex;          // "M", "F", "X" or "U" (unknown)
  std::string birth_date;
  std::string place_of_birth;
  std::string nationality;
  std::string residence_country;
  std::optional<Address> address;
  std::vector<Document> documents;
  std::string embarkation;    // port where this traveller boards
  std::string debarkation;    // port where this traveller leaves
  std::vector<std::string> transit;  // ports passed through
  std::string reservation_reference;  // record locator given in API data
  std::string seat;
  uint32_t bags = 0;
  std::vector<std::string> bag_tags;
  std::string reference;      // the message's own traveller reference, if any
};

const char* to_string(Traveller::Role role);

// EDIFACT interchange header: who sent a message to whom, and when.
struct MessageHeader {
  std::string sender;
  std::string recipient;
  std::string prepared;        // date-time of preparation
  std::string interchange_ref;
  std::string message_ref;     // UNH message reference
  std::string common_access_ref;  // ties the parts of one multi-part message
  uint32_t part_number = 1;
  bool last_part = true;
  std::string message_function;  // e.g. "745" passenger list, "250" crew list, "22" push
  std::string version;         // e.g. "D:05B" or "13:1"
};

// An advance passenger information manifest for one flight.
struct Manifest {
  MessageHeader header;
  std::vector<FlightLeg> legs;
  std::vector<Traveller> travellers;
  uint32_t parts = 1;  // how many parts were reassembled into this manifest
};

// A phone number, e-mail address or other contact.
struct Contact {
  std::string type;  // "phone", "email", "fax", "other"
  std::string value;
};

// How a booking was paid.
struct Payment {
  std::string type;          // "CC" card, "CA" cash, "MS" miscellaneous, ...
  std::string card_issuer;   // card vendor code, e.g. "VI"
  std::string card_hash;     // keyed hash of the card number; the number is never kept
  std::string card_last4;
  std::string card_expiry;
  std::string amount;
  std::string currency;
};

struct Ticket {
  std::string number;
  std::string type;
  std::string issue_date;
};

struct FrequentFlyer {
  std::string carrier;
  std::string number;
  std::string tier;
};

// A special service request or other service information line.
struct ServiceRequest {
  std::string code;     // "DOCS", "SEAT", "OTHS", ...; "OSI" for OSI lines
  std::string status;
  std::string carrier;
  std::string text;
  std::string traveller_ref;
  std::string segment_ref;
};

// One segment of a booked itinerary.
struct ItinerarySegment {
  FlightLeg leg;
  std::string booking_class;
  std::string status;   // e.g. "HK"
  std::string operating_carrier;        // codeshare: who flies it
  std::string operating_flight_number;
};

// A traveller inside a passenger name record.
struct PnrTraveller {
  Traveller person;  // names and DOCS/DOCO/DOCA data
  std::string type;  // "A" adult, "C" child, "IN" infant, ... as sent
  std::vector<Ticket> tickets;
  std::vector<std::string> seats;
  std::vector<FrequentFlyer> frequent_flyers;
  std::vector<std::string> checked_in;  // check-in records ("flight/seat/status")
  uint32_t bags = 0;
  std::vector<ServiceRequest> ssrs;
};

// A passenger name record as the carrier holds it at one moment.
struct Pnr {
  std::string record_locator;
  std::string carrier;
  std::string created;
  std::string last_changed;
  std::string booking_agency;   // office / agency code that made the booking
  std::string travel_agency;    // agency name or IATA number
  std::vector<PnrTraveller> travellers;
  std::vector<ItinerarySegment> itinerary;
  std::vector<Contact> contacts;
  std::vector<Address> addresses;
  std::vector<Payment> payments;
  std::vector<ServiceRequest> ssrs;  // PNR-level SSR and OSI lines
  std::vector<std::string> remarks;
  uint32_t bags = 0;
};

// A PNRGOV push: the PNRs of one flight.
struct PnrPush {
  MessageHeader header;
  std::optional<FlightLeg> flight;  // the flight the push is for
  std::vector<Pnr> pnrs;
};

}  // namespace vigil
