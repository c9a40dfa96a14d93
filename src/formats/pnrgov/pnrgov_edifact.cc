#include "formats/pnrgov/pnrgov_edifact.h"

#include <charconv>

#include "formats/dates.h"
#include "formats/pnrgov/ssr.h"

namespace vigil {

using edifact::Segment;
using edifact::Tokenizer;

namespace {

// Group bookings hold at most 99 names; far more is hostile input.
constexpr size_t kMaxTravellersPerPnr = 999;

uint32_t to_count(const std::string& s) {
  uint32_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Contact lines sent as SSR CTCE/CTCM or OSI CTCx. E-mail addresses use "//"
// for "@" and ".." for "_" in IATA free text.
void add_contact(Pnr* pnr, std::string_view code, std::string text) {
  Contact c;
  if (code == "CTCE") {
    c.type = "email";
    for (size_t p; (p = text.find("//")) != std::string::npos;) text.replace(p, 2, "@");
    for (size_t p; (p = text.find("..")) != std::string::npos;) text.replace(p, 2, "_");
  } else if (code == "CTCF") {
    c.type = "fax";
  } else {
    c.type = "phone";
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '/')) text.erase(0, 1);
  c.value = std::move(text);
  if (!c.value.empty()) pnr->contacts.push_back(std::move(c));
}

std::string upper(std::string s) {
  for (char& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
  return s;
}

}  // namespace

PnrgovReader::PnrgovReader(const ParseOptions& options, std::vector<PnrPush>* out,
                           Diagnostics* diags)
    : options_(options), out_(out), diags_(diags) {}

void PnrgovReader::Begin(const MessageHeader& header) {
  current_ = PnrPush{};
  current_.header = header;
  context_ = Context::kHeader;
  traveller_ = nullptr;
  declared_pnrs_ = -1;
  pending_ticket_date_.clear();
}

std::string PnrgovReader::Date(const std::string& ddmmyy, const std::string& hhmm,
                               const Segment& seg, const Tokenizer& tk, Century c) {
  if (ddmmyy.empty()) return {};
  std::string iso = ddmmyy.size() == 8 ? iso_from_ccyymmdd(ddmmyy.substr(4, 4) + ddmmyy.substr(2, 2) +
                                                           ddmmyy.substr(0, 2))
                                       : iso_from_ddmmyy(ddmmyy, c, options_.reference_year);
  if (iso.empty()) {
    diags_->warn(tk.where(seg), "date '" + ddmmyy + "' is not DDMMYY");
    return {};
  }
  if (!hhmm.empty()) {
    const std::string t = iso_time_from_hhmm(hhmm);
    if (t.empty()) diags_->warn(tk.where(seg), "time '" + hhmm + "' is not HHMM");
    else iso += "T" + t;
  }
  return iso;
}

FlightLeg PnrgovReader::ReadLeg(const Segment& seg, const Tokenizer& tk) {
  // TVL+DDMMYY:HHMM:DDMMYY:HHMM+DEP+ARR+MARKETING:OPERATING+NUMBER:CLASS
  FlightLeg leg;
  leg.departure_local = Date(seg.text(0, 0), seg.text(0, 1), seg, tk, Century::kFuture);
  leg.arrival_local = Date(seg.text(0, 2), seg.text(0, 3), seg, tk, Century::kFuture);
  leg.departure_airport = seg.text(1, 0);
  leg.arrival_airport = seg.text(2, 0);
  leg.carrier = seg.text(3, 0);
  leg.flight_number = seg.text(4, 0);
  if (leg.departure_airport.empty() || leg.arrival_airport.empty())
    diags_->warn(tk.where(seg), "flight leg lacks a departure or arrival airport");
  return leg;
}

void PnrgovReader::FinishPnr(const Tokenizer& tk) {
  (void)tk;
  Pnr* p = pnr();
  if (!p) return;
  if (p->record_locator.empty()) diags_->warn(pnr_at_, "PNR has no record locator (RCI)");
  if (p->travellers.empty()) diags_->warn(pnr_at_, "PNR has no traveller (TIF)");
}

void PnrgovReader::OnFreeText(const Segment& seg) {
  // IFT+4:28::KL+TEXT: qualifier 28 marks OSI; other qualifiers are remarks.
  Pnr* p = pnr();
  if (!p) return;
  std::string text;
  for (size_t e = 1; e < seg.element_count(); ++e) {
    const std::string part = seg.joined(e, 0, " ");
    if (part.empty()) continue;
    if (!text.empty()) text += " ";
    text += part;
  }
  if (text.empty()) return;
  if (seg.text(0, 1) == "28") {
    const std::string code = upper(text.substr(0, 4));
    if (starts_with(code, "CTC")) {
      add_contact(p, code, text.substr(4));
      return;
    }
    ServiceRequest osi;
    osi.code = "OSI";
    osi.carrier = seg.text(0, 3);
    osi.text = text;
    (traveller_ && context_ == Context::kTraveller ? traveller_->ssrs : p->ssrs).push_back(osi);
  } else {
    p->remarks.push_back(text);
  }
}

void PnrgovReader::OnSsr(const Segment& seg, const Tokenizer& tk) {
  // SSR+CODE:STATUS:QUANTITY:CARRIER:...:FREE TEXT (the last component)
  Pnr* p = pnr();
  if (!p) return;
  ServiceRequest s;
  s.code = upper(seg.text(0, 0));
  s.status = seg.text(0, 1);
  s.carrier = seg.text(0, 3);
  for (size_t c = seg.component_count(0); c > 4; --c) {
    s.text = seg.text(0, c - 1);
    if (!s.text.empty()) break;
  }
  if (s.text.empty() && seg.component_count(0) == 5) s.text = seg.text(0, 4);

  if (s.code == "CTCE" || s.code == "CTCM") {
    add_contact(p, s.code, s.text);
    return;
  }
  PnrTraveller* who = (context_ == Context::kTraveller) ? traveller_ : nullptr;
  const bool document_data = s.code == "DOCS" || s.code == "DOCO" || s.code == "DOCA";
  if (!who && document_data) {
    // Find the traveller by the surname inside DOCS, else the only traveller.
    if (s.code == "DOCS") {
      Traveller probe;
      std::string ignored;
      if (apply_docs(s.text, options_.reference_year, &probe, &ignored))
        for (auto& t : p->travellers)
          if (!probe.surname.empty() && upper(t.person.surname) == upper(probe.surname)) who = &t;
    }
    if (!who && p->travellers.size() == 1) who = &p->travellers.front();
    if (!who) diags_->warn(tk.where(seg), s.code + " cannot be tied to one traveller");
  }
  if (who) {
    std::string problem;
    bool applied = true;
    if (s.code == "DOCS") applied = apply_docs(s.text, options_.reference_year, &who->person, &problem);
    else if (s.code == "DOCO") applied = apply_doco(s.text, options_.reference_year, &who->person, &problem);
    else if (s.code == "DOCA") applied = apply_doca(s.text, &who->person, &problem);
    else if (s.code == "SEAT" || s.code == "RQST") {
      std::string seat = seg.text(1, 0);
      if (seat.empty()) seat = s.text;
      if (!seat.empty()) who->seats.push_back(seat);
    }
    if (!problem.empty() || !applied) diags_->warn(tk.where(seg), problem);
    who->ssrs.push_back(std::move(s));
  } else {
    p->ssrs.push_back(std::move(s));
  }
}

void PnrgovReader::OnSegment(const Segment& seg, const Tokenizer& tk) {
  const std::string_view tag = seg.tag();
  if (tag == "MSG") {
    current_.header.message_function = seg.text(0, 1);
    return;
  }
  if (tag == "EQN") {
    declared_pnrs_ = to_count(seg.text(0, 0));
    eqn_at_ = tk.where(seg);
    return;
  }
  if (tag == "SRC") {
    FinishPnr(tk);
    current_.pnrs.emplace_back();
    context_ = Context::kPnr;
    traveller_ = nullptr;
    pnr_at_ = tk.where(seg);
    return;
  }
  if (context_ == Context::kHeader) {
    if (tag == "TVL") current_.flight = ReadLeg(seg, tk);
    return;  // ORG, DAT and the like describe the sender
  }
  Pnr& p = *pnr();
  if (tag == "RCI") {
    // RCI+CARRIER:LOCATOR:QUALIFIER:DDMMYY:HHMM (first composite: the owner)
    p.carrier = seg.text(0, 0);
    p.record_locator = seg.text(0, 1);
    p.created = Date(seg.text(0, 3), seg.text(0, 4), seg, tk, Century::kPast);
  } else if (tag == "DAT") {
    for (size_t e = 0; e < seg.element_count(); ++e) {
      const std::string q = seg.text(e, 0);
      const std::string when = Date(seg.text(e, 1), seg.text(e, 2), seg, tk, Century::kPast);
      if (q == "700") p.last_changed = when;
      else if (q == "710") pending_ticket_date_ = when;
    }
  } else if (tag == "ORG") {
    // ORG+SYSTEM:LOCATION+AGENCY NUMBER:AGENT ...
    const std::string office = seg.joined(0, 0, ":");
    if (p.booking_agency.empty()) p.booking_agency = office;
    const std::string agency = seg.text(1, 0);
    if (p.travel_agency.empty()) p.travel_agency = agency;
  } else if (tag == "ADD") {
    // ADD++PURPOSE:STREET:CITY:REGION:COUNTRY:POSTAL CODE
    Address a;
    a.type = seg.text(1, 0);
    a.street = seg.text(1, 1);
    a.city = seg.text(1, 2);
    a.region = seg.text(1, 3);
    a.country = seg.text(1, 4);
    a.postal_code = seg.text(1, 5);
    const std::string phone = seg.text(1, 6);
    if (!phone.empty()) add_contact(&p, "CTCP", phone);
    if (!a.street.empty() || !a.city.empty() || !a.country.empty())
      p.addresses.push_back(std::move(a));
  } else if (tag == "EBD") {
    const uint32_t bags = to_count(seg.text(1, 0));
    if (traveller_) traveller_->bags += bags;
    else p.bags += bags;
  } else if (tag == "TIF") {
    if (context_ == Context::kCheckIn) {
      // Check-in group: find the traveller this record is about.
      const std::string surname = upper(seg.text(0, 0));
      traveller_ = nullptr;
      for (auto& t : p.travellers)
        if (upper(t.person.surname) == surname) traveller_ = &t;
      return;
    }
    if (p.travellers.size() >= kMaxTravellersPerPnr) {
      diags_->error(tk.where(seg), "PNR has more than " + std::to_string(kMaxTravellersPerPnr) +
                                       " travellers");
      return;
    }
    p.travellers.emplace_back();
    traveller_ = &p.travellers.back();
    context_ = Context::kTraveller;
    Traveller& t = traveller_->person;
    t.surname = seg.text(0, 0);
    t.given_names = seg.text(1, 0);
    traveller_->type = seg.text(1, 1);
    t.reference = seg.text(1, 2);
    if (t.surname.empty()) diags_->warn(tk.where(seg), "traveller has no surname");
  } else if (tag == "FTI") {
    if (!traveller_) return;
    FrequentFlyer f;
    f.carrier = seg.text(0, 0);
    f.number = seg.text(0, 1);
    for (size_t c = seg.component_count(0); c > 2 && f.tier.empty(); --c) f.tier = seg.text(0, c - 1);
    traveller_->frequent_flyers.push_back(std::move(f));
  } else if (tag == "TKT") {
    Ticket t;
    t.number = seg.text(0, 0);
    t.type = seg.text(0, 1);
    t.issue_date = pending_ticket_date_;
    pending_ticket_date_.clear();
    if (traveller_) traveller_->tickets.push_back(std::move(t));
  } else if (tag == "FOP") {
    // FOP+TYPE:::ISSUER:CARD NUMBER:MMYY (one composite per form of payment)
    for (size_t e = 0; e < seg.element_count(); ++e) {
      Payment pay;
      pay.type = seg.text(e, 0);
      pay.card_issuer = seg.text(e, 3);
      const std::string number = seg.text(e, 4);
      if (!number.empty()) set_card_number(number, options_.card_key, &pay);
      pay.card_expiry = seg.text(e, 5);
      if (!pay.type.empty()) p.payments.push_back(std::move(pay));
    }
  } else if (tag == "MON") {
    // MON+B:AMOUNT:CURRENCY or T:... totals apply to the payment.
    if (!p.payments.empty() && p.payments.back().amount.empty()) {
      p.payments.back().amount = seg.text(0, 1);
      p.payments.back().currency = seg.text(0, 2);
    }
  } else if (tag == "IFT") {
    OnFreeText(seg);
  } else if (tag == "SSR") {
    OnSsr(seg, tk);
  } else if (tag == "TVL") {
    ItinerarySegment s;
    s.leg = ReadLeg(seg, tk);
    s.booking_class = seg.text(4, 1);
    s.operating_carrier = seg.text(3, 1);
    if (!s.operating_carrier.empty() && s.operating_carrier != s.leg.carrier)
      // TVL element 6: the operating flight, "CARRIER:NUMBER" or "NUMBER".
      s.operating_flight_number = seg.text(5, seg.component_count(5) >= 2 ? 1 : 0);
    else
      s.operating_carrier.clear();
    p.itinerary.push_back(std::move(s));
    context_ = Context::kItinerary;
    traveller_ = nullptr;
  } else if (tag == "RPI") {
    if (!p.itinerary.empty()) p.itinerary.back().status = seg.text(1, 0);
  } else if (tag == "DCS" || tag == "TRI") {
    context_ = Context::kCheckIn;
    traveller_ = nullptr;
  } else if (tag == "SSD") {
    // Seat given at check-in.
    if (traveller_ && context_ == Context::kCheckIn) {
      const std::string seat = seg.text(0, 0);
      const FlightLeg* leg = p.itinerary.empty() ? (current_.flight ? &*current_.flight : nullptr)
                                                 : &p.itinerary.back().leg;
      traveller_->checked_in.push_back((leg ? leg->carrier + leg->flight_number : "") + "/" +
                                       seat);
      if (!seat.empty()) traveller_->seats.push_back(seat);
    }
  } else if (tag == "TBD") {
    // TBD+...+COUNT:WEIGHT:UNIT: bags checked at the desk.
    if (traveller_) traveller_->bags += to_count(seg.text(2, 0));
  }
}

void PnrgovReader::End(const Segment& unt, const Tokenizer& tk) {
  FinishPnr(tk);
  if (current_.pnrs.empty()) diags_->warn(tk.where(unt), "push carries no PNR (SRC)");
  if (declared_pnrs_ >= 0 && declared_pnrs_ != static_cast<long>(current_.pnrs.size()))
    diags_->warn(eqn_at_, "EQN says " + std::to_string(declared_pnrs_) +
                              " PNRs but the message carries " +
                              std::to_string(current_.pnrs.size()));
  out_->push_back(std::move(current_));
  current_ = PnrPush{};
}

}  // namespace vigil
