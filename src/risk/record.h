// What targeting rules read: one traveller on one flight, with the booking
// (current PNR version) and advance passenger data merged, and the travel
// features analysts ask about derived once (days booked before departure,
// length of stay, countries on the route, party size ...).
//
// A record is built by risk/facts (from stored data) or by hand in tests;
// the rule engine only reads it. Text fields are upper-case as stored;
// countries are ISO 3166 alpha-3 where known. Dates are day numbers (days
// since 1970-01-01); kNoDate means not known.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

constexpr int32_t kNoDate = std::numeric_limits<int32_t>::min();

// The day number of "YYYY-MM-DD" (a longer date-time is read up to its
// date), or kNoDate when it is not a calendar date.
int32_t day_number(std::string_view iso);
// "YYYY-MM-DD" for a day number; empty for kNoDate.
std::string iso_date(int32_t day);

// A number that may be unknown.
struct Number {
  double value = 0;
  bool known = false;
  static Number Of(double v) { return {v, true}; }
};

struct PersonFacts {
  std::string surname;
  std::string given_names;
  std::string sex;            // "M", "F", "X", "U" or empty
  int32_t birth_date = kNoDate;
  Number age;                 // whole years on the day of departure
  std::string nationality;
  std::string residence;
  bool has_alert = false;     // an open watch-list hit or alert on this flight
};

struct SegmentFacts {
  std::string carrier;
  std::string flight;         // carrier and number, e.g. "BA117"
  std::string origin;         // IATA airport codes
  std::string destination;
  std::string origin_country;
  std::string destination_country;
  int32_t departure = kNoDate;
  int32_t arrival = kNoDate;
};

struct DocumentFacts {
  std::string type;
  std::string number;
  std::string issuing_country;
  int32_t expiry = kNoDate;
};

struct PaymentFacts {
  std::string type;    // "CASH", "CARD", "MISC", "CHEQUE", "INVOICE", or the code as sent
  std::string issuer;  // card vendor code
};

struct ContactFacts {
  std::string type;    // "PHONE", "EMAIL", ...
  std::string value;
};

struct TravelRecord {
  // Which stored traveller this is: "api" or "pnr", and its row.
  std::string kind;
  int64_t id = 0;
  int64_t flight_id = 0;

  PersonFacts traveller;
  std::string role;           // "PASSENGER", "CREW", "IN_TRANSIT_PASSENGER", "IN_TRANSIT_CREW"

  // The flight being assessed.
  std::string flight_carrier;
  std::string flight_number;
  std::string flight_origin;
  std::string flight_destination;
  std::string flight_origin_country;
  std::string flight_destination_country;
  int32_t flight_departure = kNoDate;

  // The booking; absent (has_booking false) for API data without a PNR.
  bool has_booking = false;
  std::string record_locator;
  int32_t booking_created = kNoDate;
  Number days_before_departure;
  std::string agency;
  Number party_size;
  bool third_party = false;   // booked through a travel agency or office, not by the traveller

  // The itinerary of the booking (or the API legs).
  bool one_way = false;
  Number length_of_stay;      // days between arriving and leaving again
  int32_t return_date = kNoDate;
  std::vector<std::string> route_countries;  // every country the itinerary touches, in order

  std::vector<SegmentFacts> segments;
  std::vector<DocumentFacts> documents;
  std::vector<PersonFacts> cotravellers;     // the others on the same booking
  std::vector<PaymentFacts> payments;
  std::vector<ContactFacts> contacts;
};

}  // namespace vigil
