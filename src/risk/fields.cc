#include "risk/fields.h"

#include <array>

namespace vigil::risk {
namespace {

Value person_field(const PersonFacts& p, int which) {
  switch (which) {
    case 0: return Value::Text(p.surname);
    case 1: return Value::Text(p.given_names);
    case 2: return Value::Text(p.sex);
    case 3: return Value::Date(p.birth_date);
    case 4: return Value::Num(p.age);
    case 5: return Value::Text(p.nationality);
    case 6: return Value::Text(p.residence);
    default: return Value::Bool(p.has_alert);
  }
}

template <int kWhich>
Value traveller(const TravelRecord& r, size_t) { return person_field(r.traveller, kWhich); }
template <int kWhich>
Value cotraveller(const TravelRecord& r, size_t i) { return person_field(r.cotravellers[i], kWhich); }

// Booking fields are unknown for a traveller without a booking.
template <typename F>
Value booked(const TravelRecord& r, F f) { return r.has_booking ? f(r) : Value{}; }

// The itinerary is known when it has segments.
template <typename F>
Value routed(const TravelRecord& r, F f) { return r.segments.empty() ? Value{} : f(r); }

#define TRAVELLER(name, i, type, meaning) {"traveller." name, type, Scope::kRecord, meaning, &traveller<i>}
#define COTRAVELLER(name, i, type, meaning) {"cotraveller." name, type, Scope::kCotraveller, meaning, &cotraveller<i>}

const std::vector<Field> kFields = {
    TRAVELLER("surname", 0, Type::kText, "family name"),
    TRAVELLER("given_names", 1, Type::kText, "given names"),
    TRAVELLER("sex", 2, Type::kText, "M, F, X or U"),
    TRAVELLER("birth_date", 3, Type::kDate, "date of birth"),
    TRAVELLER("age", 4, Type::kNumber, "whole years on the day of departure"),
    TRAVELLER("nationality", 5, Type::kText, "ISO 3166 alpha-3"),
    TRAVELLER("residence", 6, Type::kText, "country of residence, ISO 3166 alpha-3"),
    TRAVELLER("has_alert", 7, Type::kBool, "an open watch-list match on this flight"),
    {"traveller.role", Type::kText, Scope::kRecord, "PASSENGER, CREW, IN_TRANSIT_PASSENGER or IN_TRANSIT_CREW",
     [](const TravelRecord& r, size_t) { return Value::Text(r.role); }},
    {"flight.carrier", Type::kText, Scope::kRecord, "IATA airline designator",
     [](const TravelRecord& r, size_t) { return Value::Text(r.flight_carrier); }},
    {"flight.number", Type::kText, Scope::kRecord, "carrier and number, e.g. BA117",
     [](const TravelRecord& r, size_t) { return Value::Text(r.flight_number); }},
    {"flight.origin", Type::kText, Scope::kRecord, "IATA airport of departure",
     [](const TravelRecord& r, size_t) { return Value::Text(r.flight_origin); }},
    {"flight.destination", Type::kText, Scope::kRecord, "IATA airport of arrival",
     [](const TravelRecord& r, size_t) { return Value::Text(r.flight_destination); }},
    {"flight.origin_country", Type::kText, Scope::kRecord, "country of departure, ISO 3166 alpha-3",
     [](const TravelRecord& r, size_t) { return Value::Text(r.flight_origin_country); }},
    {"flight.destination_country", Type::kText, Scope::kRecord, "country of arrival, ISO 3166 alpha-3",
     [](const TravelRecord& r, size_t) { return Value::Text(r.flight_destination_country); }},
    {"flight.departure", Type::kDate, Scope::kRecord, "local date of departure",
     [](const TravelRecord& r, size_t) { return Value::Date(r.flight_departure); }},
    {"booking.record_locator", Type::kText, Scope::kRecord, "the PNR's record locator",
     [](const TravelRecord& r, size_t) { return booked(r, [](auto& x) { return Value::Text(x.record_locator); }); }},
    {"booking.created", Type::kDate, Scope::kRecord, "date the booking was made",
     [](const TravelRecord& r, size_t) { return booked(r, [](auto& x) { return Value::Date(x.booking_created); }); }},
    {"booking.days_before_departure", Type::kNumber, Scope::kRecord, "days between booking and departure",
     [](const TravelRecord& r, size_t) { return booked(r, [](auto& x) { return Value::Num(x.days_before_departure); }); }},
    {"booking.agency", Type::kText, Scope::kRecord, "travel agency or booking office",
     [](const TravelRecord& r, size_t) { return booked(r, [](auto& x) { return Value::Text(x.agency); }); }},
    {"booking.party_size", Type::kNumber, Scope::kRecord, "travellers on the booking",
     [](const TravelRecord& r, size_t) { return booked(r, [](auto& x) { return Value::Num(x.party_size); }); }},
    {"booking.third_party", Type::kBool, Scope::kRecord, "booked through a travel agency or office",
     [](const TravelRecord& r, size_t) { return booked(r, [](auto& x) { return Value::Bool(x.third_party); }); }},
    {"itinerary.one_way", Type::kBool, Scope::kRecord, "the itinerary does not come back to where it starts",
     [](const TravelRecord& r, size_t) { return routed(r, [](auto& x) { return Value::Bool(x.one_way); }); }},
    {"itinerary.length_of_stay", Type::kNumber, Scope::kRecord, "days between arriving and leaving again",
     [](const TravelRecord& r, size_t) { return Value::Num(r.length_of_stay); }},
    {"itinerary.return_date", Type::kDate, Scope::kRecord, "date of the journey back",
     [](const TravelRecord& r, size_t) { return Value::Date(r.return_date); }},
    {"itinerary.segments", Type::kNumber, Scope::kRecord, "number of flights on the itinerary",
     [](const TravelRecord& r, size_t) { return routed(r, [](auto& x) { return Value::Num(static_cast<double>(x.segments.size())); }); }},
    {"segment.carrier", Type::kText, Scope::kSegment, "airline of one flight of the itinerary",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.segments[i].carrier); }},
    {"segment.flight", Type::kText, Scope::kSegment, "carrier and number",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.segments[i].flight); }},
    {"segment.origin", Type::kText, Scope::kSegment, "IATA airport of departure",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.segments[i].origin); }},
    {"segment.destination", Type::kText, Scope::kSegment, "IATA airport of arrival",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.segments[i].destination); }},
    {"segment.origin_country", Type::kText, Scope::kSegment, "country of departure",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.segments[i].origin_country); }},
    {"segment.destination_country", Type::kText, Scope::kSegment, "country of arrival",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.segments[i].destination_country); }},
    {"segment.departure", Type::kDate, Scope::kSegment, "local date of departure",
     [](const TravelRecord& r, size_t i) { return Value::Date(r.segments[i].departure); }},
    {"route.country", Type::kText, Scope::kRoute, "each country the itinerary touches",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.route_countries[i]); }},
    {"document.type", Type::kText, Scope::kDocument, "P passport, I identity card, V visa ...",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.documents[i].type); }},
    {"document.number", Type::kText, Scope::kDocument, "document number",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.documents[i].number); }},
    {"document.issuing_country", Type::kText, Scope::kDocument, "issuing state, ISO 3166 alpha-3",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.documents[i].issuing_country); }},
    {"document.expiry", Type::kDate, Scope::kDocument, "date of expiry",
     [](const TravelRecord& r, size_t i) { return Value::Date(r.documents[i].expiry); }},
    COTRAVELLER("surname", 0, Type::kText, "family name of another traveller on the booking"),
    COTRAVELLER("given_names", 1, Type::kText, "given names"),
    COTRAVELLER("sex", 2, Type::kText, "M, F, X or U"),
    COTRAVELLER("birth_date", 3, Type::kDate, "date of birth"),
    COTRAVELLER("age", 4, Type::kNumber, "whole years on the day of departure"),
    COTRAVELLER("nationality", 5, Type::kText, "ISO 3166 alpha-3"),
    COTRAVELLER("residence", 6, Type::kText, "country of residence"),
    COTRAVELLER("has_alert", 7, Type::kBool, "an open watch-list match on this flight"),
    {"payment.type", Type::kText, Scope::kPayment, "CASH, CARD, MISC, CHEQUE, INVOICE or the code as sent",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.payments[i].type); }},
    {"payment.issuer", Type::kText, Scope::kPayment, "card vendor code, e.g. VI",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.payments[i].issuer); }},
    {"contact.type", Type::kText, Scope::kContact, "PHONE, EMAIL, ...",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.contacts[i].type); }},
    {"contact.value", Type::kText, Scope::kContact, "the number or address",
     [](const TravelRecord& r, size_t i) { return Value::Text(r.contacts[i].value); }},
};

#undef TRAVELLER
#undef COTRAVELLER

constexpr std::array<std::string_view, kScopes> kScopeNames = {"", "segment", "document", "cotraveller",
                                                                "payment", "contact", "route"};

}  // namespace

const char* type_name(Type t) {
  switch (t) {
    case Type::kBool: return "yes/no";
    case Type::kNumber: return "number";
    case Type::kText: return "text";
    case Type::kDate: return "date";
    case Type::kSet: return "list";
  }
  return "?";
}

std::string_view scope_name(Scope s) { return kScopeNames[static_cast<size_t>(s)]; }

Scope scope_named(std::string_view name) {
  for (size_t i = 1; i < kScopeNames.size(); ++i)
    if (kScopeNames[i] == name) return static_cast<Scope>(i);
  return Scope::kRecord;
}

int64_t scope_size(const TravelRecord& r, Scope s) {
  switch (s) {
    case Scope::kRecord: return 1;
    case Scope::kSegment: return static_cast<int64_t>(r.segments.size());
    case Scope::kDocument: return static_cast<int64_t>(r.documents.size());
    case Scope::kRoute: return static_cast<int64_t>(r.route_countries.size());
    case Scope::kCotraveller: return r.has_booking ? static_cast<int64_t>(r.cotravellers.size()) : -1;
    case Scope::kPayment: return r.has_booking ? static_cast<int64_t>(r.payments.size()) : -1;
    case Scope::kContact: return r.has_booking ? static_cast<int64_t>(r.contacts.size()) : -1;
  }
  return -1;
}

const std::vector<Field>& fields() { return kFields; }

const Field* find_field(std::string_view path) {
  for (const Field& f : kFields)
    if (f.path == path) return &f;
  return nullptr;
}

}  // namespace vigil::risk
