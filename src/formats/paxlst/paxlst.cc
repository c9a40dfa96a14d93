#include "formats/paxlst/paxlst.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

namespace vigil {

using edifact::Segment;
using edifact::Tokenizer;

namespace {

// Splits "UA123" / "UA0123A" into carrier and number when the carrier is not
// given separately.
void split_flight(const std::string& id, std::string* carrier, std::string* number) {
  size_t digits = 0;
  // The designator is two or three characters; the number starts at the
  // first digit after position 2.
  for (digits = std::min<size_t>(2, id.size()); digits < id.size(); ++digits)
    if (id[digits] >= '0' && id[digits] <= '9') break;
  if (carrier->empty()) *carrier = id.substr(0, digits);
  if (id.compare(0, carrier->size(), *carrier) == 0)
    *number = id.substr(carrier->size());
  else
    *number = id;
}

Traveller::Role role_for(std::string_view qualifier) {
  if (qualifier == "FM") return Traveller::Role::kCrew;
  if (qualifier == "DDT") return Traveller::Role::kInTransitPassenger;
  if (qualifier == "DDU") return Traveller::Role::kInTransitCrew;
  return Traveller::Role::kPassenger;
}

bool is_traveller_qualifier(std::string_view q) {
  return q == "FL" || q == "FM" || q == "DDT" || q == "DDU" || q == "COT";
}

}  // namespace

PaxlstReader::PaxlstReader(const ParseOptions& options, std::vector<Manifest>* out,
                           Diagnostics* diags)
    : options_(options), out_(out), diags_(diags) {}

void PaxlstReader::Begin(const MessageHeader& header) {
  current_ = Manifest{};
  current_.header = header;
  traveller_ = nullptr;
  document_ = nullptr;
  declared_travellers_ = -1;
}

std::string PaxlstReader::Date(const Segment& seg, const Tokenizer& tk, Century c) {
  const std::string value = seg.text(0, 1);
  const std::string iso = iso_from_edifact(value, seg.text(0, 2), c, options_.reference_year);
  if (iso.empty() && !value.empty())
    diags_->warn(tk.where(seg), "date '" + value + "' (qualifier " + seg.text(0, 0) +
                                    ") is not a valid date");
  return iso;
}

void PaxlstReader::FinishTraveller(const Tokenizer& tk) {
  (void)tk;
  if (traveller_ && traveller_->surname.empty())
    diags_->warn(traveller_at_, "traveller has no surname");
  traveller_ = nullptr;
  document_ = nullptr;
}

void PaxlstReader::OnSegment(const Segment& seg, const Tokenizer& tk) {
  const std::string_view tag = seg.tag();
  if (tag == "BGM") {
    current_.header.message_function = seg.text(0, 0);
  } else if (tag == "NAD") {
    const std::string qualifier = seg.text(0);
    if (!is_traveller_qualifier(qualifier)) return;  // reporting party and the like
    FinishTraveller(tk);
    current_.travellers.emplace_back();
    traveller_ = &current_.travellers.back();
    traveller_at_ = tk.where(seg);
    traveller_->role = role_for(qualifier);
    traveller_->surname = seg.text(3, 0);
    traveller_->given_names = seg.joined(3, 1);
    if (traveller_->surname.empty() && !seg.empty(2)) {
      // Unstructured name in C058: "SURNAME GIVEN ..." or "SURNAME, GIVEN".
      const std::string full = seg.joined(2, 0);
      const size_t cut = full.find_first_of(", ");
      traveller_->surname = full.substr(0, cut);
      if (cut != std::string::npos) {
        size_t b = full.find_first_not_of(", ", cut);
        if (b != std::string::npos) traveller_->given_names = full.substr(b);
      }
    }
    Address a;
    a.street = seg.joined(4, 0);
    a.city = seg.text(5);
    a.region = seg.text(6);
    a.postal_code = seg.text(7);
    a.country = seg.text(8);
    if (!a.street.empty() || !a.city.empty() || !a.country.empty())
      traveller_->address = std::move(a);
  } else if (!traveller_) {
    // Flight-level segments.
    if (tag == "TDT") {
      FlightLeg leg;
      leg.carrier = seg.text(4, 0);
      split_flight(seg.text(1, 0), &leg.carrier, &leg.flight_number);
      if (leg.flight_number.empty())
        diags_->warn(tk.where(seg), "transport details carry no flight number");
      current_.legs.push_back(std::move(leg));
    } else if (tag == "LOC") {
      const std::string q = seg.text(0), place = seg.text(1, 0);
      if (current_.legs.empty()) current_.legs.emplace_back();
      FlightLeg* leg = &current_.legs.back();
      if (q == "125") {
        if (!leg->departure_airport.empty()) {
          // A further leg of the same flight.
          FlightLeg next;
          next.carrier = leg->carrier;
          next.flight_number = leg->flight_number;
          current_.legs.push_back(std::move(next));
          leg = &current_.legs.back();
        }
        leg->departure_airport = place;
      } else if (q == "87") {
        leg->arrival_airport = place;
      }
    } else if (tag == "DTM") {
      if (current_.legs.empty()) return;
      const std::string q = seg.text(0, 0);
      if (q == "189") current_.legs.back().departure_local = Date(seg, tk, Century::kFuture);
      else if (q == "232") current_.legs.back().arrival_local = Date(seg, tk, Century::kFuture);
    } else if (tag == "CNT") {
      // Counted below when the message ends.
      const std::string total = seg.text(0, 1);
      std::from_chars(total.data(), total.data() + total.size(), declared_travellers_);
      count_at_ = tk.where(seg);
    }
  } else {
    // Traveller-level segments.
    Traveller& t = *traveller_;
    if (tag == "ATT") {
      if (seg.text(0) == "2") t.sex = seg.text(2, 0);
    } else if (tag == "DTM") {
      const std::string q = seg.text(0, 0);
      if (q == "329") t.birth_date = Date(seg, tk, Century::kPast);
      else if (q == "36" && document_) document_->expiry_date = Date(seg, tk, Century::kFuture);
      else if (q == "182" && document_) document_->issue_date = Date(seg, tk, Century::kPast);
    } else if (tag == "LOC") {
      const std::string q = seg.text(0), place = seg.text(1, 0);
      if (q == "178") t.embarkation = place;
      else if (q == "179") t.debarkation = place;
      else if (q == "174") t.residence_country = place;
      else if (q == "180") t.place_of_birth = seg.joined(1, 0);
      else if (q == "22") t.transit.push_back(place);
      else if (q == "91" && document_) document_->issuing_state = place;
    } else if (tag == "NAT") {
      t.nationality = seg.text(1, 0);
    } else if (tag == "RFF") {
      const std::string q = seg.text(0, 0), value = seg.text(0, 1);
      if (q == "AVF") t.reservation_reference = value;
      else if (q == "SEA") t.seat = value;
      else if (q == "ABO" || q == "AEA" || q == "CR" || q == "ACD") t.reference = value;
    } else if (tag == "DOC") {
      t.documents.emplace_back();
      document_ = &t.documents.back();
      document_->type = seg.text(0, 0);
      document_->number = seg.text(1, 0);
      if (document_->number.empty()) diags_->warn(tk.where(seg), "document has no number");
    } else if (tag == "FTX") {
      if (seg.text(0) == "BAG") {
        const std::string tag_number = seg.text(3, 0);
        if (!tag_number.empty()) t.bag_tags.push_back(tag_number);
        const std::string count = seg.text(3, 1);
        uint32_t n = 0;
        if (std::from_chars(count.data(), count.data() + count.size(), n).ec == std::errc())
          t.bags += n;
        else if (!tag_number.empty())
          t.bags += 1;
      }
    } else if (tag == "CNT") {
      FinishTraveller(tk);
      const std::string total = seg.text(0, 1);
      std::from_chars(total.data(), total.data() + total.size(), declared_travellers_);
      count_at_ = tk.where(seg);
    }
  }
}

void PaxlstReader::End(const Segment& unt, const Tokenizer& tk) {
  FinishTraveller(tk);
  if (current_.legs.empty())
    diags_->warn(tk.where(unt), "manifest has no flight details (TDT)");
  if (declared_travellers_ >= 0 &&
      declared_travellers_ != static_cast<long>(current_.travellers.size()) &&
      current_.header.last_part && current_.header.part_number == 1)
    diags_->warn(count_at_, "control total says " + std::to_string(declared_travellers_) +
                                " travellers but the message lists " +
                                std::to_string(current_.travellers.size()));
  out_->push_back(std::move(current_));
  current_ = Manifest{};
}

std::vector<Manifest> reassemble_parts(std::vector<Manifest> manifests, Diagnostics* diags) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  auto key_of = [](const Manifest& m) {
    const std::string flight =
        m.legs.empty() ? std::string() : m.legs.front().carrier + m.legs.front().flight_number +
                                             "/" + m.legs.front().departure_local;
    const std::string ref =
        m.header.common_access_ref.empty() ? m.header.message_ref : m.header.common_access_ref;
    return Key{m.header.sender, ref, flight, m.header.message_function};
  };
  std::vector<Manifest> out;
  std::map<Key, std::vector<Manifest>> sets;
  std::vector<Key> order;
  for (auto& m : manifests) {
    const bool is_part = m.header.part_number > 1 || !m.header.last_part;
    if (!is_part) {
      out.push_back(std::move(m));
      continue;
    }
    Key k = key_of(m);
    if (!sets.count(k)) order.push_back(k);
    sets[k].push_back(std::move(m));
  }
  for (const auto& k : order) {
    auto& parts = sets[k];
    std::stable_sort(parts.begin(), parts.end(), [](const Manifest& a, const Manifest& b) {
      return a.header.part_number < b.header.part_number;
    });
    Manifest whole = std::move(parts.front());
    whole.parts = 1;
    uint32_t expected = whole.header.part_number + 1;
    const bool starts_at_one = whole.header.part_number == 1;
    bool has_last = whole.header.last_part;
    for (size_t i = 1; i < parts.size(); ++i) {
      Manifest& p = parts[i];
      if (p.header.part_number != expected) {
        diags->warn(Location{"", 0, 0, 0, "UNH"},
                    "manifest " + std::get<1>(k) + ": part " + std::to_string(expected) +
                        " is missing or repeated (found part " +
                        std::to_string(p.header.part_number) + ")");
      }
      expected = p.header.part_number + 1;
      has_last = has_last || p.header.last_part;
      for (auto& t : p.travellers) whole.travellers.push_back(std::move(t));
      ++whole.parts;
    }
    if (!starts_at_one || !has_last)
      diags->warn(Location{"", 0, 0, 0, "UNH"},
                  "manifest " + std::get<1>(k) + " is incomplete: " +
                      (starts_at_one ? "no final part (F)" : "the first part is missing"));
    whole.header.part_number = 1;
    whole.header.last_part = has_last;
    out.push_back(std::move(whole));
  }
  return out;
}

}  // namespace vigil
