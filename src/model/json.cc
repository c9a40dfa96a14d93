#include "model/json.h"

#include <cstdint>
#include <utility>

namespace vigil {
namespace {

using nlohmann::json;

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

void put(json& j, const char* key, uint32_t v) {
  if (v) j[key] = v;
}

void put(json& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}

json to_json_item(const Document& d);
json to_json_item(const Address& a);
json to_json_item(const Contact& c);
json to_json_item(const Payment& p);
json to_json_item(const Ticket& t);
json to_json_item(const FrequentFlyer& f);
json to_json_item(const ServiceRequest& s);
json to_json_item(const ItinerarySegment& s);

template <typename T>
void put_list(json& j, const char* key, const std::vector<T>& items) {
  if (items.empty()) return;
  json arr = json::array();
  for (const auto& item : items) arr.push_back(to_json_item(item));
  j[key] = std::move(arr);
}

json to_json_item(const Document& d) {
  json j = json::object();
  put(j, "type", d.type);
  put(j, "number", d.number);
  put(j, "issuing_state", d.issuing_state);
  put(j, "expiry_date", d.expiry_date);
  put(j, "issue_date", d.issue_date);
  put(j, "place_of_issue", d.place_of_issue);
  put(j, "applicable_state", d.applicable_state);
  return j;
}

json to_json_item(const Address& a) {
  json j = json::object();
  put(j, "type", a.type);
  put(j, "street", a.street);
  put(j, "city", a.city);
  put(j, "region", a.region);
  put(j, "postal_code", a.postal_code);
  put(j, "country", a.country);
  return j;
}

json to_json_item(const Contact& c) { return {{"type", c.type}, {"value", c.value}}; }

json to_json_item(const Payment& p) {
  json j = json::object();
  put(j, "type", p.type);
  put(j, "card_issuer", p.card_issuer);
  put(j, "card_hash", p.card_hash);
  put(j, "card_last4", p.card_last4);
  put(j, "card_expiry", p.card_expiry);
  put(j, "amount", p.amount);
  put(j, "currency", p.currency);
  return j;
}

json to_json_item(const Ticket& t) {
  json j = json::object();
  put(j, "number", t.number);
  put(j, "type", t.type);
  put(j, "issue_date", t.issue_date);
  return j;
}

json to_json_item(const FrequentFlyer& f) {
  json j = json::object();
  put(j, "carrier", f.carrier);
  put(j, "number", f.number);
  put(j, "tier", f.tier);
  return j;
}

json to_json_item(const ServiceRequest& s) {
  json j = json::object();
  put(j, "code", s.code);
  put(j, "status", s.status);
  put(j, "carrier", s.carrier);
  put(j, "text", s.text);
  put(j, "traveller_ref", s.traveller_ref);
  put(j, "segment_ref", s.segment_ref);
  return j;
}

json to_json_item(const ItinerarySegment& s) {
  json j = to_json(s.leg);
  put(j, "booking_class", s.booking_class);
  put(j, "status", s.status);
  put(j, "operating_carrier", s.operating_carrier);
  put(j, "operating_flight_number", s.operating_flight_number);
  return j;
}


json to_json_item(const PnrTraveller& t) {
  json j = to_json(t.person);
  put(j, "type", t.type);
  put_list(j, "tickets", t.tickets);
  put(j, "seats", t.seats);
  put_list(j, "frequent_flyers", t.frequent_flyers);
  put(j, "checked_in", t.checked_in);
  put(j, "bags", t.bags);
  put_list(j, "ssrs", t.ssrs);
  return j;
}

// Readers, the inverses of the writers above. Each leaves what `o` does not
// hold at its default and returns false when `o` is not an object or a key
// it knows holds a value of the wrong type.

bool get(const json& o, const char* key, std::string* out) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

bool get(const json& o, const char* key, uint32_t* out) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  if (it->is_number_unsigned()) {
    const auto v = it->get<uint64_t>();
    if (v > UINT32_MAX) return false;
    *out = static_cast<uint32_t>(v);
    return true;
  }
  if (it->is_number_integer()) {  // a non-negative count written as signed
    const auto v = it->get<int64_t>();
    if (v < 0 || v > int64_t{UINT32_MAX}) return false;
    *out = static_cast<uint32_t>(v);
    return true;
  }
  return false;
}

bool get(const json& o, const char* key, std::vector<std::string>* out) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  if (!it->is_array()) return false;
  for (const auto& v : *it) {
    if (!v.is_string()) return false;
    out->push_back(v.get<std::string>());
  }
  return true;
}

bool from_json_item(const json& j, Document* d) {
  return j.is_object() && get(j, "type", &d->type) && get(j, "number", &d->number) &&
         get(j, "issuing_state", &d->issuing_state) &&
         get(j, "expiry_date", &d->expiry_date) && get(j, "issue_date", &d->issue_date) &&
         get(j, "place_of_issue", &d->place_of_issue) &&
         get(j, "applicable_state", &d->applicable_state);
}

bool from_json_item(const json& j, Address* a) {
  return j.is_object() && get(j, "type", &a->type) && get(j, "street", &a->street) &&
         get(j, "city", &a->city) && get(j, "region", &a->region) &&
         get(j, "postal_code", &a->postal_code) && get(j, "country", &a->country);
}

bool from_json_item(const json& j, Contact* c) {
  return j.is_object() && get(j, "type", &c->type) && get(j, "value", &c->value);
}

bool from_json_item(const json& j, Payment* p) {
  return j.is_object() && get(j, "type", &p->type) && get(j, "card_issuer", &p->card_issuer) &&
         get(j, "card_hash", &p->card_hash) && get(j, "card_last4", &p->card_last4) &&
         get(j, "card_expiry", &p->card_expiry) && get(j, "amount", &p->amount) &&
         get(j, "currency", &p->currency);
}

bool from_json_item(const json& j, Ticket* t) {
  return j.is_object() && get(j, "number", &t->number) && get(j, "type", &t->type) &&
         get(j, "issue_date", &t->issue_date);
}

bool from_json_item(const json& j, FrequentFlyer* f) {
  return j.is_object() && get(j, "carrier", &f->carrier) && get(j, "number", &f->number) &&
         get(j, "tier", &f->tier);
}

bool from_json_item(const json& j, ServiceRequest* s) {
  return j.is_object() && get(j, "code", &s->code) && get(j, "status", &s->status) &&
         get(j, "carrier", &s->carrier) && get(j, "text", &s->text) &&
         get(j, "traveller_ref", &s->traveller_ref) && get(j, "segment_ref", &s->segment_ref);
}

bool from_json_item(const json& j, FlightLeg* leg) {
  return j.is_object() && get(j, "carrier", &leg->carrier) &&
         get(j, "flight_number", &leg->flight_number) &&
         get(j, "departure_airport", &leg->departure_airport) &&
         get(j, "arrival_airport", &leg->arrival_airport) &&
         get(j, "departure_local", &leg->departure_local) &&
         get(j, "arrival_local", &leg->arrival_local);
}

bool from_json_item(const json& j, ItinerarySegment* s) {
  return from_json_item(j, &s->leg) && get(j, "booking_class", &s->booking_class) &&
         get(j, "status", &s->status) && get(j, "operating_carrier", &s->operating_carrier) &&
         get(j, "operating_flight_number", &s->operating_flight_number);
}

bool from_json_item(const json& j, PnrTraveller* t);

template <typename T>
bool get_list(const json& o, const char* key, std::vector<T>* out) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  if (!it->is_array()) return false;
  for (const auto& item : *it) {
    T v;
    if (!from_json_item(item, &v)) return false;
    out->push_back(std::move(v));
  }
  return true;
}

bool from_json_item(const json& j, PnrTraveller* t) {
  if (!from_json(j, &t->person)) return false;
  // The traveller's own fields and the PNR traveller's share one object, and
  // both name their bag count `bags`: in a PNR the count is the PNR
  // traveller's (the PNRGOV readers never set person.bags).
  t->bags = std::exchange(t->person.bags, 0);
  return get(j, "type", &t->type) && get_list(j, "tickets", &t->tickets) &&
         get(j, "seats", &t->seats) && get_list(j, "frequent_flyers", &t->frequent_flyers) &&
         get(j, "checked_in", &t->checked_in) && get_list(j, "ssrs", &t->ssrs);
}

}  // namespace

json to_json(const Traveller& t) {
  json j = json::object();
  j["role"] = to_string(t.role);
  put(j, "surname", t.surname);
  put(j, "given_names", t.given_names);
  put(j, "sex", t.sex);
  put(j, "birth_date", t.birth_date);
  put(j, "place_of_birth", t.place_of_birth);
  put(j, "nationality", t.nationality);
  put(j, "residence_country", t.residence_country);
  if (t.address) j["address"] = to_json_item(*t.address);
  put_list(j, "documents", t.documents);
  put(j, "embarkation", t.embarkation);
  put(j, "debarkation", t.debarkation);
  put(j, "transit", t.transit);
  put(j, "reservation_reference", t.reservation_reference);
  put(j, "seat", t.seat);
  put(j, "bags", t.bags);
  put(j, "bag_tags", t.bag_tags);
  put(j, "reference", t.reference);
  return j;
}

json to_json(const FlightLeg& leg) {
  json j = json::object();
  put(j, "carrier", leg.carrier);
  put(j, "flight_number", leg.flight_number);
  put(j, "departure_airport", leg.departure_airport);
  put(j, "arrival_airport", leg.arrival_airport);
  put(j, "departure_local", leg.departure_local);
  put(j, "arrival_local", leg.arrival_local);
  return j;
}

json to_json(const MessageHeader& h) {
  json j = json::object();
  put(j, "sender", h.sender);
  put(j, "recipient", h.recipient);
  put(j, "prepared", h.prepared);
  put(j, "interchange_ref", h.interchange_ref);
  put(j, "message_ref", h.message_ref);
  put(j, "common_access_ref", h.common_access_ref);
  j["part_number"] = h.part_number;
  j["last_part"] = h.last_part;
  put(j, "message_function", h.message_function);
  put(j, "version", h.version);
  return j;
}

json to_json(const Manifest& m) {
  json j = {{"kind", "paxlst"}, {"header", to_json(m.header)}, {"parts", m.parts}};
  json legs = json::array();
  for (const auto& l : m.legs) legs.push_back(to_json(l));
  j["legs"] = std::move(legs);
  json travellers = json::array();
  for (const auto& t : m.travellers) travellers.push_back(to_json(t));
  j["travellers"] = std::move(travellers);
  return j;
}

json to_json(const Pnr& p) {
  json j = json::object();
  put(j, "record_locator", p.record_locator);
  put(j, "carrier", p.carrier);
  put(j, "created", p.created);
  put(j, "last_changed", p.last_changed);
  put(j, "booking_agency", p.booking_agency);
  put(j, "travel_agency", p.travel_agency);
  json travellers = json::array();
  for (const auto& t : p.travellers) travellers.push_back(to_json_item(t));
  j["travellers"] = std::move(travellers);
  put_list(j, "itinerary", p.itinerary);
  put_list(j, "contacts", p.contacts);
  put_list(j, "addresses", p.addresses);
  put_list(j, "payments", p.payments);
  put_list(j, "ssrs", p.ssrs);
  put(j, "remarks", p.remarks);
  put(j, "bags", p.bags);
  return j;
}

json to_json(const PnrPush& p) {
  json j = {{"kind", "pnrgov"}, {"header", to_json(p.header)}};
  if (p.flight) j["flight"] = to_json(*p.flight);
  json pnrs = json::array();
  for (const auto& r : p.pnrs) pnrs.push_back(to_json(r));
  j["pnrs"] = std::move(pnrs);
  return j;
}

json to_json(const WatchEntry& e) {
  json j = {{"kind", to_string(e.kind)}, {"list", e.list}, {"reference", e.reference}};
  json names = json::array();
  for (const auto& n : e.names) {
    json jn = {{"full", n.full}};
    put(jn, "given", n.given);
    put(jn, "surname", n.surname);
    if (n.primary) jn["primary"] = true;
    if (n.weak) jn["weak"] = true;
    names.push_back(std::move(jn));
  }
  j["names"] = std::move(names);
  put(j, "birth_dates", e.birth_dates);
  put(j, "places_of_birth", e.places_of_birth);
  put(j, "nationalities", e.nationalities);
  put(j, "sex", e.sex);
  if (!e.documents.empty()) {
    json docs = json::array();
    for (const auto& d : e.documents) {
      json jd = json::object();
      put(jd, "type", d.type);
      put(jd, "number", d.number);
      put(jd, "country", d.country);
      put(jd, "note", d.note);
      docs.push_back(std::move(jd));
    }
    j["documents"] = std::move(docs);
  }
  put(j, "category", e.category);
  put(j, "severity", e.severity);
  put(j, "program", e.program);
  put(j, "remarks", e.remarks);
  return j;
}

bool from_json(const json& j, Traveller* t) {
  if (!j.is_object()) return false;
  *t = Traveller{};
  std::string role;
  if (!get(j, "role", &role)) return false;
  for (auto r : {Traveller::Role::kPassenger, Traveller::Role::kCrew,
                 Traveller::Role::kInTransitPassenger, Traveller::Role::kInTransitCrew})
    if (role == to_string(r)) t->role = r;
  if (auto it = j.find("address"); it != j.end()) {
    Address a;
    if (!from_json_item(*it, &a)) return false;
    t->address = std::move(a);
  }
  return get(j, "surname", &t->surname) && get(j, "given_names", &t->given_names) &&
         get(j, "sex", &t->sex) && get(j, "birth_date", &t->birth_date) &&
         get(j, "place_of_birth", &t->place_of_birth) &&
         get(j, "nationality", &t->nationality) &&
         get(j, "residence_country", &t->residence_country) &&
         get_list(j, "documents", &t->documents) && get(j, "embarkation", &t->embarkation) &&
         get(j, "debarkation", &t->debarkation) && get(j, "transit", &t->transit) &&
         get(j, "reservation_reference", &t->reservation_reference) &&
         get(j, "seat", &t->seat) && get(j, "bags", &t->bags) &&
         get(j, "bag_tags", &t->bag_tags) && get(j, "reference", &t->reference);
}

bool from_json(const json& j, Pnr* p) {
  if (!j.is_object()) return false;
  *p = Pnr{};
  return get(j, "record_locator", &p->record_locator) && get(j, "carrier", &p->carrier) &&
         get(j, "created", &p->created) && get(j, "last_changed", &p->last_changed) &&
         get(j, "booking_agency", &p->booking_agency) &&
         get(j, "travel_agency", &p->travel_agency) &&
         get_list(j, "travellers", &p->travellers) &&
         get_list(j, "itinerary", &p->itinerary) && get_list(j, "contacts", &p->contacts) &&
         get_list(j, "addresses", &p->addresses) && get_list(j, "payments", &p->payments) &&
         get_list(j, "ssrs", &p->ssrs) && get(j, "remarks", &p->remarks) &&
         get(j, "bags", &p->bags);
}

bool from_json(const json& j, WatchEntry* e) {
  if (!j.is_object()) return false;
  auto str = [&](const json& o, const char* key) -> std::string {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto strings = [&](const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
      for (const auto& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
  };
  *e = WatchEntry{};
  const std::string kind = str(j, "kind");
  for (auto k : {WatchEntry::Kind::kPerson, WatchEntry::Kind::kEntity, WatchEntry::Kind::kVessel,
                 WatchEntry::Kind::kAircraft, WatchEntry::Kind::kDocument})
    if (kind == to_string(k)) e->kind = k;
  e->list = str(j, "list");
  e->reference = str(j, "reference");
  if (auto it = j.find("names"); it != j.end() && it->is_array())
    for (const auto& n : *it) {
      if (!n.is_object()) return false;
      WatchName wn;
      wn.full = str(n, "full");
      wn.given = str(n, "given");
      wn.surname = str(n, "surname");
      wn.primary = n.value("primary", false);
      wn.weak = n.value("weak", false);
      e->names.push_back(std::move(wn));
    }
  e->birth_dates = strings("birth_dates");
  e->places_of_birth = strings("places_of_birth");
  e->nationalities = strings("nationalities");
  e->sex = str(j, "sex");
  if (auto it = j.find("documents"); it != j.end() && it->is_array())
    for (const auto& d : *it) {
      if (!d.is_object()) return false;
      e->documents.push_back({str(d, "type"), str(d, "number"), str(d, "country"), str(d, "note")});
    }
  e->category = str(j, "category");
  e->severity = str(j, "severity");
  e->program = str(j, "program");
  e->remarks = str(j, "remarks");
  return !e->reference.empty();
}

std::string dump_line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vigil
