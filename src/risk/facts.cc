#include "risk/facts.h"

#include <algorithm>
#include <map>

#include "model/airports.h"
#include "model/countries.h"

namespace vigil {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return out;
}

std::string country(std::string_view text) {
  if (text.empty()) return {};
  std::string code = country_alpha3(text);
  return code.empty() ? upper(text) : code;
}

// Whole years from `birth` to `on`.
Number age_on(int32_t birth, int32_t on, std::string_view birth_iso, std::string_view on_iso) {
  if (birth == kNoDate || on == kNoDate || birth > on) return {};
  int years = std::stoi(std::string(on_iso.substr(0, 4))) - std::stoi(std::string(birth_iso.substr(0, 4)));
  if (on_iso.substr(5, 5) < birth_iso.substr(5, 5)) --years;
  return Number::Of(years);
}

PersonFacts person_facts(const Traveller& t, const std::string& departure_iso, int32_t departure) {
  PersonFacts p;
  p.surname = upper(t.surname);
  p.given_names = upper(t.given_names);
  p.sex = upper(t.sex);
  p.birth_date = day_number(t.birth_date);
  p.age = age_on(p.birth_date, departure, t.birth_date, departure_iso);
  p.nationality = country(t.nationality);
  p.residence = country(t.residence_country);
  return p;
}

const char* role_name(Traveller::Role r) {
  switch (r) {
    case Traveller::Role::kPassenger: return "PASSENGER";
    case Traveller::Role::kCrew: return "CREW";
    case Traveller::Role::kInTransitPassenger: return "IN_TRANSIT_PASSENGER";
    case Traveller::Role::kInTransitCrew: return "IN_TRANSIT_CREW";
  }
  return "PASSENGER";
}

std::string payment_type(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> kWords = {
      {"CA", "CASH"}, {"CASH", "CASH"}, {"CC", "CARD"}, {"CARD", "CARD"}, {"MS", "MISC"},
      {"CK", "CHEQUE"}, {"CHEQUE", "CHEQUE"}, {"IN", "INVOICE"}, {"INV", "INVOICE"}};
  const std::string c = upper(code);
  auto it = kWords.find(c);
  return it == kWords.end() ? c : it->second;
}

SegmentFacts segment_facts(const FlightLeg& leg) {
  SegmentFacts s;
  s.carrier = upper(leg.carrier);
  std::string number = leg.flight_number;
  size_t zeros = 0;  // "0117" is flight 117
  while (zeros + 1 < number.size() && number[zeros] == '0') ++zeros;
  number.erase(0, zeros);
  s.flight = s.carrier + upper(number);
  s.origin = upper(leg.departure_airport);
  s.destination = upper(leg.arrival_airport);
  s.origin_country = airport_country(s.origin);
  s.destination_country = airport_country(s.destination);
  s.departure = day_number(leg.departure_local);
  s.arrival = day_number(leg.arrival_local);
  return s;
}

// The country of an airport, or the airport itself when its country is not
// known, so that places can still be compared.
std::string place(const std::string& country_code, const std::string& airport) {
  return country_code.empty() ? airport : country_code;
}

void derive_itinerary(TravelRecord* r) {
  if (r->segments.empty()) return;
  const SegmentFacts& first = r->segments.front();
  const SegmentFacts& last = r->segments.back();
  r->one_way = place(last.destination_country, last.destination) != place(first.origin_country, first.origin);
  for (const SegmentFacts& s : r->segments)
    for (const std::string* c : {&s.origin_country, &s.destination_country})
      if (!c->empty() && (r->route_countries.empty() || r->route_countries.back() != *c))
        r->route_countries.push_back(*c);
  // The stay in the country this flight arrives in.
  const std::string arrival = place(r->flight_destination_country, r->flight_destination);
  // This flight's segment: the same flight on the same day, else the
  // first one from the same airport into that country on that day, else on
  // any day.
  size_t in = r->segments.size();
  for (int pass = 0; pass < 3 && in == r->segments.size(); ++pass) {
    for (size_t i = 0; i < r->segments.size(); ++i) {
      const SegmentFacts& s = r->segments[i];
      const bool same_day = s.departure == r->flight_departure;
      const bool found = pass == 0   ? same_day && s.flight == r->flight_number
                         : pass == 1 ? same_day && s.origin == r->flight_origin &&
                                           place(s.destination_country, s.destination) == arrival
                                     : s.origin == r->flight_origin &&
                                           place(s.destination_country, s.destination) == arrival;
      if (found) {
        in = i;
        break;
      }
    }
  }
  if (in == r->segments.size()) return;
  for (size_t i = in + 1; i < r->segments.size(); ++i) {
    const SegmentFacts& s = r->segments[i];
    if (place(s.origin_country, s.origin) != arrival) continue;
    if (place(s.destination_country, s.destination) == arrival) continue;  // a domestic hop
    r->return_date = s.departure;
    const int32_t arrived = r->segments[in].arrival != kNoDate ? r->segments[in].arrival : r->segments[in].departure;
    if (s.departure != kNoDate && arrived != kNoDate) r->length_of_stay = Number::Of(s.departure - arrived);
    return;
  }
}

}  // namespace

std::vector<TravelRecord> flight_records(const FlightData& data) {
  const FlightInfo& f = data.flight;
  const int32_t departure = day_number(f.departure_date);
  TravelRecord base;
  base.flight_id = f.id;
  base.flight_carrier = upper(f.carrier);
  base.flight_number = base.flight_carrier + upper(f.flight_number);
  base.flight_origin = upper(f.departure_airport);
  base.flight_destination = upper(f.arrival_airport);
  base.flight_origin_country = airport_country(base.flight_origin);
  base.flight_destination_country = airport_country(base.flight_destination);
  base.flight_departure = departure;

  // PNR traveller row -> (booking, position).
  std::map<int64_t, std::pair<size_t, size_t>> pnr_rows;
  for (size_t b = 0; b < data.bookings.size(); ++b)
    for (size_t i = 0; i < data.bookings[b].traveller_ids.size(); ++i)
      pnr_rows[data.bookings[b].traveller_ids[i]] = {b, i};
  std::map<int64_t, int64_t> linked_pnr;  // api id -> first linked pnr traveller on this flight
  std::map<int64_t, bool> pnr_linked;
  for (const auto& [api, pnr] : data.links) {
    if (!pnr_rows.count(pnr)) continue;
    linked_pnr.emplace(api, pnr);
    pnr_linked[pnr] = true;
  }

  auto add_booking = [&](TravelRecord* r, size_t b, size_t position) {
    const Pnr& p = data.bookings[b].pnr;
    r->has_booking = true;
    r->record_locator = upper(p.record_locator);
    r->booking_created = day_number(p.created);
    if (r->booking_created != kNoDate && departure != kNoDate)
      r->days_before_departure = Number::Of(departure - r->booking_created);
    r->agency = upper(!p.travel_agency.empty() ? p.travel_agency : p.booking_agency);
    r->third_party = !p.travel_agency.empty();
    r->party_size = Number::Of(static_cast<double>(p.travellers.size()));
    for (const auto& pay : p.payments) r->payments.push_back({payment_type(pay.type), upper(pay.card_issuer)});
    for (const auto& c : p.contacts) r->contacts.push_back({upper(c.type), c.value});
    for (size_t i = 0; i < p.travellers.size(); ++i)
      if (i != position) r->cotravellers.push_back(person_facts(p.travellers[i].person, f.departure_date, departure));
    for (const auto& seg : p.itinerary) r->segments.push_back(segment_facts(seg.leg));
  };
  auto this_flight_only = [&](TravelRecord* r) {
    FlightLeg leg{f.carrier, f.flight_number, f.departure_airport, f.arrival_airport, f.departure_local, f.arrival_local};
    r->segments.push_back(segment_facts(leg));
  };

  std::vector<TravelRecord> out;
  out.reserve(data.api.size() + pnr_rows.size());
  for (const auto& a : data.api) {
    TravelRecord r = base;
    r.kind = "api";
    r.id = a.id;
    r.traveller = person_facts(a.person, f.departure_date, departure);
    r.role = role_name(a.person.role);
    for (const auto& d : a.person.documents)
      r.documents.push_back({upper(d.type), upper(d.number), country(d.issuing_state), day_number(d.expiry_date)});
    auto link = linked_pnr.find(a.id);
    if (link != linked_pnr.end()) {
      const auto [b, position] = pnr_rows[link->second];
      add_booking(&r, b, position);
    }
    if (r.segments.empty()) this_flight_only(&r);
    derive_itinerary(&r);
    out.push_back(std::move(r));
  }
  for (size_t b = 0; b < data.bookings.size(); ++b) {
    const auto& booking = data.bookings[b];
    for (size_t i = 0; i < booking.traveller_ids.size(); ++i) {
      if (pnr_linked.count(booking.traveller_ids[i]) || !booking.traveller_ids[i]) continue;
      const Traveller& person = booking.pnr.travellers[i].person;
      TravelRecord r = base;
      r.kind = "pnr";
      r.id = booking.traveller_ids[i];
      r.traveller = person_facts(person, f.departure_date, departure);
      r.role = role_name(person.role);
      for (const auto& d : person.documents)
        r.documents.push_back({upper(d.type), upper(d.number), country(d.issuing_state), day_number(d.expiry_date)});
      add_booking(&r, b, i);
      if (r.segments.empty()) this_flight_only(&r);
      derive_itinerary(&r);
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace vigil
