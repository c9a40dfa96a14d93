// Reader for IATA PNRGOV XML pushes (the OTA-style XML edition of PNRGOV).
//
// Name matching. Element and attribute names are matched ignoring case,
// namespace prefixes and the characters '_' and '-', so "SSR_Code",
// "SSRCode" and "ns:ssrcode" are one name. Attributes with the prefixes
// xml, xmlns and xsi are never read as data.
//
// Notation. @X is an attribute, X a child element, A | B alternatives in
// order of preference. Passenger names, PNR dates, ticket and card numbers
// and SSR/OSI/remark text named X may come as an attribute or as a child
// element whose text (for wrappers like <CardNumber><PlainText>, the text of
// its first nested element) is the value; attributes win.
//
// Input. UTF-8, with or without a byte order mark; a declared ISO-8859-1
// (or windows-1252, read as ISO-8859-1) document is converted to UTF-8
// first. Other encodings, UTF-16/32 and any DOCTYPE are rejected. Entities
// other than the five predefined ones and character references are never
// expanded. A SOAP Envelope/Body around the message is unwrapped.
//
// Message (root element whose local name contains "PNRGOV", normally
// IATA_PNRGOV_NotifRQ):
//   @TimeStamp                                  -> header.prepared
//   @Version                                    -> header.version
//   @EchoToken | @TransactionIdentifier | @MessageID | @MessageRef
//                                               -> header.message_ref
//   Originator | Sender | MessageSource: @AirlineCode | @SystemCode | @Code
//                                        | @ID  -> header.sender
//   Recipient | Receiver | Destination: @Code | @ID | @CountryCode | text,
//     or @Recipient | @RecipientID on the root  -> header.recipient
//   header.message_function is always "22" (push).
//   FlightLeg | Flight | FlightInfo (first one outside any PNR): read as a
//     segment (below)                           -> push.flight
//   PNR | PassengerNameRecord, anywhere below the root (normally in PNRs).
//
// PNR:
//   BookingRefID | RecordLocator | BookingReference | PNRLocator: @ID |
//     @RecordLocator | @Locator | @Value | text -> record_locator; its
//     CompanyName (@Code | @CompanyShortName | text) or @CompanyCode |
//     @AirlineCode | @Airline                   -> carrier. With several
//     BookingRefIDs the one of the originator's airline is preferred. A PNR
//     with no carrier gets the originator's airline code.
//   @RecordLocator on the PNR itself is accepted as well.
//   PNR_CreationDate | CreationDate | CreateDateTime | CreationDateTime |
//     DateCreated | BookingDate (or BookingRefID/@CreateDateTime)
//                                               -> created
//   LastModificationDate | LastModified | LastUpdated | LastChanged |
//     PNR_TransDate | TransDate | ModificationDate -> last_changed
//   POS | PointOfSale / Source: @PseudoCityCode | @AgentSine | @OfficeID
//                                               -> booking_agency
//     Source/RequestorID: CompanyName text | CompanyName/@Code | @ID
//                                               -> travel_agency
//   TravelAgency | BookingAgency: @Name | @IATA_Number | @Code | @ID | text
//                                               -> travel_agency (fallback)
//   ContactInfo | Contact | ContactDetails: @PhoneNumber, @EmailAddress |
//     @Email, @FaxNumber; address parts as for Address; children below.
//   Telephone | Phone (@PhoneNumber | @Number | text; @PhoneTechType "3"
//     means fax), Email | EmailAddress (text | @Value), Fax -> contacts
//   Address | PostalAddress: @Type | @AddressType, StreetNmbr | AddressLine
//     | Street, CityName | City, StateProv | Region | County, PostalCode |
//     Zip, CountryName | Country (@Code | text)  -> addresses
//   Remark | Remarks | GeneralRemark | SpecialRemark: @Text | Text | text
//                                               -> remarks
//   Contacts, addresses, remarks and payments found inside passengers or
//   segments belong to the PNR too.
//
// Passenger | PassengerInfo | Traveler | Traveller | AirTraveler | Pax:
//   names on the element or on a child PersonName | Name | PassengerName |
//   TravelerName: GivenName | FirstName | ForeName (repeatable) and
//   MiddleName -> given_names; Surname | LastName | FamilyName -> surname
//   @RPH | @TravelerRefNumber | @PassengerRPH | @ID | @RefNumber, or child
//     TravelerRefNumber/@RPH                    -> person.reference
//   @PassengerTypeCode | @PassengerType | @PTC | @PaxType | @Type -> type
//   @Gender, @BirthDate | @DateOfBirth, @Nationality
//   Infant child elements are travellers of their own (type "IN" unless
//   given).
//
// Items inside a passenger belong to it (a segment element inside a passenger
// gives them its flight); a passenger element inside a segment, matched by
// @RPH, scopes its items to that passenger. Other items at PNR level or inside
// a segment are linked by @TravelerRefNumber | @TravelerRPH | @PassengerRPH |
// @PassengerRef | @PaxRef | @TravelerRefNumberRPHList (first entry) or a
// TravelerRefNumber/@RPH child, or to the only passenger of the PNR:
//   DOCS | Document | TravelDocument: @DocType | @TravelDocType, @DocID |
//     @DocNumber | @TravelDocNbr, @DocIssueCountry | @IssuingCountry |
//     @IssuingLoc, @DocHolderNationality | @PaxNationality | @Nationality,
//     @BirthDate | @DateOfBirth, @Gender | @Sex, @ExpireDate | @ExpiryDate |
//     @DocExpireDate, @EffectiveDate | @IssueDate, @Surname, @FirstGivenName
//     | @GivenName, @SecondGivenName | @MiddleName (or DocHolderName /
//     DocHolderFormattedName children); with no such data, the element text
//     is read as SSR DOCS free text.
//   DOCO: @BirthLocation | @PlaceOfBirth, @TravelDocType | @DocType,
//     @TravelDocNbr | @DocID, @PlaceOfIssue, @DateOfIssue | @IssueDate,
//     @CountryState | @ApplicableCountry; else text as SSR DOCO.
//   DOCA: @AddressType, @Address | @Street | @AddressLine, @CityName |
//     @City, @StateProvCounty | @StateProv, @PostalCode | @Zip, @Country |
//     @CountryCode; else text as SSR DOCA.
//   SSR | SpecialServiceRequest | SpecialService | DOC_SSR: wrappers of
//     DOCS/DOCO/DOCA elements, or @SSRCode | @Code, @Status | @ActionCode,
//     Airline/@Code | @AirlineCode, @Text | Text | text. SSR DOCS/DOCO/DOCA
//     text fills the passenger (kept as an SSR only if unreadable); others
//     -> ssrs (the passenger's, else the PNR's).
//   OSI | OtherServiceInformation: Airline/@Code | @AirlineCode, Text | text
//     -> ssrs with code "OSI".
//   TicketDocument | Ticket | TicketInfo | ETicket: @TicketDocumentNbr |
//     @TicketNumber | @Number, @Type | @TicketType, @DateOfIssue | @IssueDate
//     -> tickets; payments inside are read.
//   PaymentInfo | FormOfPayment | Payment | PaymentCard | PaymentForm:
//     @PaymentType | @Type (a PaymentCard implies "CC"), @VendorCode |
//     @CardCode | @CardType, @AccountNbr | @CardNumber | @AccountNumber |
//     CardNumber/PlainText | CardNumber/@Mask (only a keyed hash and the
//     last four digits are kept; masked numbers keep the last four only),
//     @ExpiryDate | @ExpireDate ("MMYY", "MM/YY", "YYYY-MM" -> "YYYY-MM"),
//     @PaymentAmount | @Amount, @CurrencyCode | @Currency; a PaymentCard
//     child supplies the card.  -> PNR payments (exact duplicates dropped).
//   CustLoyalty | FrequentFlyer | FrequentFlyerNumber | FQTV: @ProgramID |
//     @Airline | @AirlineCode, @MembershipID | @Number, @LoyalLevel | @Tier
//     -> frequent_flyers
//   Seat | SeatAssignment | SeatInfo | SeatNumber: @SeatNumber | @Number |
//     text, or @RowNumber + @SeatInRow | @SeatLetter -> seats
//   Bag | Baggage | BagTag | CheckedBag | CheckedBaggage | BaggageInfo:
//     @Quantity | @NumberOfBags | @BagCount | @Pieces, tags from
//     @BagTagNumber | @TagNumber | BagTag text   -> bags, person.bag_tags
//     (PNR-level bags of no passenger -> PNR bags). PrepaidBag and
//     ExcessBaggage are purchases, not checked bags, and are not read.
//   CheckIn | CheckInInfo | CheckInStatus | BoardingInfo: flight from
//     @FlightNumber (+ @AirlineCode | @CarrierCode) or the enclosing segment,
//     @SeatNumber | @Seat, @Status | @CheckInStatus | @BoardingStatus
//     -> checked_in as "flight/seat/status"
//
// Segment (Flight | FlightSegment | Segment | AirSegment | FlightLeg inside a
// PNR; FlightLeg at message level):
//   MarketingAirline (@Code | text) or @CarrierCode | @AirlineCode |
//     @Airline                                  -> leg.carrier
//   @FlightNumber | @FlightNbr | MarketingAirline/@FlightNumber
//                                               -> leg.flight_number (a
//                                                  leading carrier removed)
//   OperatingAirline: @Code, @FlightNumber      -> operating_carrier,
//                                                  operating_flight_number
//     (a segment with only an operating airline uses it as the carrier)
//   DepartureAirport | Origin | BoardPoint: @LocationCode | @Code | text
//   ArrivalAirport | Destination | OffPoint: @LocationCode | @Code | text
//   @DepartureDateTime (or @DepartureDate + @DepartureTime), @ArrivalDateTime
//   @ResBookDesigCode | @BookingClass | @ClassOfService -> booking_class
//   @Status | @ActionCode | @SegmentStatus      -> status
//   @RPH                                        -> segment_ref of items inside
//                                                  (else its 1-based position)
//
// Dates: xs:date and xs:dateTime ("2025-03-15", "2025-03-15T08:25:00Z";
// seconds and zone are dropped, times are kept as sent), "CCYYMMDD",
// "CCYYMMDDHHMM" and "DDMMMYY"/"DDMMMYYYY".
//
// Findings. Malformed XML, a missing or foreign root and a message without
// PNRs are errors. A PNR without record locator or passengers, a passenger
// without name, a message without its flight, unreadable dates and items
// that cannot be linked to a passenger are warnings located at the element.
#include "formats/pnrgov/pnrgov_xml.h"

#include "base/text.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "formats/dates.h"
#include "formats/pnrgov/ssr.h"

namespace vigil {
namespace {

using Names = std::initializer_list<std::string_view>;

// ---------------------------------------------------------------------------
// Names and text

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string to_upper(std::string s) {
  for (char& c : s) c = upper(c);
  return s;
}

std::string_view local_part(std::string_view name) {
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// True when `raw` (a name as sent) and `want` are the same name: case,
// namespace prefix, '_' and '-' ignored.
bool name_eq(std::string_view raw, std::string_view want) {
  raw = local_part(raw);
  size_t i = 0, j = 0;
  for (;;) {
    while (i < raw.size() && (raw[i] == '_' || raw[i] == '-')) ++i;
    while (j < want.size() && (want[j] == '_' || want[j] == '-')) ++j;
    if (i == raw.size() || j == want.size()) return i == raw.size() && j == want.size();
    if (lower(raw[i]) != lower(want[j])) return false;
    ++i;
    ++j;
  }
}

bool is(pugi::xml_node n, Names names) {
  if (n.type() != pugi::node_element) return false;
  for (std::string_view want : names)
    if (name_eq(n.name(), want)) return true;
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims and collapses runs of white space to one space.
std::string clean(std::string_view s) { return collapse_spaces(s); }

// Text directly inside `n` (character data and CDATA), cleaned.
std::string own_text(pugi::xml_node n) {
  std::string raw;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) raw += c.value();
  return clean(raw);
}

// Own text, or the text of the first nested element for wrappers such as
// <CardNumber><PlainText>...</PlainText></CardNumber>.
std::string element_text(pugi::xml_node n) {
  for (int depth = 0; n && depth < 4; ++depth) {
    std::string t = own_text(n);
    if (!t.empty()) return t;
    n = n.find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; });
  }
  return {};
}

bool data_attribute(pugi::xml_attribute a) {
  const std::string_view name = a.name();
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos) return name != "xmlns";
  const std::string_view prefix = name.substr(0, colon);
  return prefix != "xmlns" && prefix != "xml" && prefix != "xsi";
}

pugi::xml_attribute find_attr(pugi::xml_node n, Names names) {
  for (std::string_view want : names)
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute())
      if (data_attribute(a) && name_eq(a.name(), want)) return a;
  return {};
}

pugi::xml_node child(pugi::xml_node n, Names names) {
  for (std::string_view want : names)
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element && name_eq(c.name(), want)) return c;
  return {};
}

std::string attr(pugi::xml_node n, Names names) { return clean(find_attr(n, names).value()); }

// An attribute, else the text of a child element, of one of `names`.
std::string value(pugi::xml_node n, Names names) {
  std::string v = attr(n, names);
  if (!v.empty()) return v;
  for (std::string_view want : names)
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element && name_eq(c.name(), want)) {
        v = element_text(c);
        if (!v.empty()) return v;
      }
  return {};
}

// Every attribute and child element of `names`, joined by spaces.
std::string all_values(pugi::xml_node n, Names names) {
  std::string out;
  auto add = [&out](const std::string& v) {
    if (v.empty()) return;
    if (!out.empty()) out.push_back(' ');
    out += v;
  };
  for (std::string_view want : names) {
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute())
      if (data_attribute(a) && name_eq(a.name(), want)) add(clean(a.value()));
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element && name_eq(c.name(), want)) add(element_text(c));
  }
  return out;
}

std::string first_of(std::string a, std::string b) { return a.empty() ? b : a; }

void fill_if_empty(std::string& dst, const std::string& src) {
  if (dst.empty()) dst = src;
}

// A code given as an attribute (@LocationCode, @Code, ...) or as text.
std::string code_of(pugi::xml_node n) {
  if (!n) return {};
  std::string v = attr(n, {"LocationCode", "Code", "AirportCode", "CityCode", "CompanyShortName"});
  return v.empty() ? element_text(n) : v;
}

// Visits the elements below `scope` in document order without recursion;
// `visit` returns true to descend into the element it was given.
template <typename Visit>
void walk(pugi::xml_node scope, Visit&& visit) {
  pugi::xml_node n = scope.first_child();
  while (n) {
    const bool down = n.type() == pugi::node_element && visit(n);
    if (down && n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != scope && !n.next_sibling()) n = n.parent();
    if (n == scope) break;
    n = n.next_sibling();
  }
}

std::optional<uint32_t> parse_count(const std::string& s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v;
}

// ---------------------------------------------------------------------------
// Dates

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Seconds, fractions and zone after "HH:MM", or a zone after a date.
bool time_tail_ok(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '+' || c == '-' || c == 'Z' ||
           c == 'z';
  });
}

// "HH:MM", "HH:MM:SS" or "HHMM" as "HH:MM"; empty unless a real time of day.
std::string time_of_day(std::string_view s) {
  std::string hhmm(s);
  if (s.size() >= 5 && s[2] == ':')
    hhmm = std::string(s.substr(0, 2)) + std::string(s.substr(3, 2));
  if (hhmm.size() != 4 || !all_digits(hhmm)) return {};
  if ((hhmm[0] - '0') * 10 + (hhmm[1] - '0') > 23) return {};
  return iso_time_from_hhmm(hhmm);
}

// An XML or PNR date form as "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" when
// `keep_time` and a time is given; empty when unreadable.
std::string iso_from_xml(std::string_view s, bool keep_time, Century c, int reference_year) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    std::string date(s.substr(0, 10));
    if (!is_valid_iso_date(date)) return {};
    std::string_view rest = s.substr(10);
    if (rest.empty()) return date;
    if (rest[0] == 'T' || rest[0] == 't' || rest[0] == ' ') {
      if (rest.size() < 6 || rest[3] != ':') return {};
      const std::string t = time_of_day(rest.substr(1, 5));
      if (t.empty() || !time_tail_ok(rest.substr(6))) return {};
      return keep_time ? date + "T" + t : date;
    }
    return time_tail_ok(rest) ? date : std::string();
  }
  if (s.size() == 8 && all_digits(s)) return iso_from_ccyymmdd(s);
  if (s.size() == 12 && all_digits(s)) {
    std::string v = iso_from_edifact(s, "203", c, reference_year);
    return keep_time || v.size() < 10 ? v : v.substr(0, 10);
  }
  if (s.size() == 7 || s.size() == 9) return iso_from_ddmmmyy(s, c, reference_year);
  return {};
}

// Card expiry "MMYY", "MM/YY", "YYYY-MM" or "YYYY-MM-DD" as "YYYY-MM".
std::string iso_card_expiry(std::string_view s, int reference_year) {
  std::string mmyy;
  if (s.size() == 4 && all_digits(s)) mmyy = std::string(s);
  if (s.size() == 5 && s[2] == '/' && all_digits(s.substr(0, 2)) && all_digits(s.substr(3)))
    mmyy = std::string(s.substr(0, 2)) + std::string(s.substr(3));
  if (!mmyy.empty()) {
    const std::string d = iso_from_yymmdd(mmyy.substr(2, 2) + mmyy.substr(0, 2) + "01",
                                          Century::kFuture, reference_year);
    return d.empty() ? d : d.substr(0, 7);
  }
  if (s.size() == 7 && is_valid_iso_date(std::string(s) + "-01")) return std::string(s);
  if (s.size() == 10 && is_valid_iso_date(s)) return std::string(s.substr(0, 7));
  return {};
}

// ---------------------------------------------------------------------------
// Positions

// Line and column (in characters) of byte offsets into one text.
class Positions {
 public:
  explicit Positions(std::string_view text) : text_(text) {
    uint32_t line = 1, column = 1;
    for (size_t i = 0; i < text.size(); ++i) {
      if (i % kStep == 0) marks_.emplace_back(line, column);
      advance(text[i], &line, &column);
    }
  }

  std::pair<uint32_t, uint32_t> at(size_t offset) const {
    offset = std::min(offset, text_.size());
    if (marks_.empty()) return {1, 1};
    size_t mark = std::min(offset / kStep, marks_.size() - 1);
    auto [line, column] = marks_[mark];
    for (size_t i = mark * kStep; i < offset; ++i) advance(text_[i], &line, &column);
    return {line, column};
  }

 private:
  static constexpr size_t kStep = 4096;

  static void advance(char c, uint32_t* line, uint32_t* column) {
    if (c == '\n') {
      ++*line;
      *column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++*column;
    }
  }

  std::string_view text_;
  std::vector<std::pair<uint32_t, uint32_t>> marks_;
};

// ---------------------------------------------------------------------------
// Element name sets

const Names kPassenger = {"Passenger", "PassengerInfo", "Traveler",
                          "Traveller", "AirTraveler",   "Pax"};
const Names kInfant = {"Infant"};
const Names kSegment = {"Flight", "FlightSegment", "Segment", "AirSegment", "FlightLeg"};
const Names kPnr = {"PNR", "PassengerNameRecord"};
const Names kDocs = {"DOCS", "Document", "TravelDocument"};
const Names kSsr = {"SSR", "SpecialServiceRequest", "SpecialService", "DOC_SSR"};
const Names kOsi = {"OSI", "OtherServiceInformation", "OtherServiceInfo"};
const Names kTicket = {"TicketDocument", "Ticket", "TicketInfo", "ETicket"};
const Names kPayment = {"PaymentInfo", "FormOfPayment", "Payment", "PaymentCard", "PaymentForm"};
const Names kLoyalty = {"CustLoyalty", "FrequentFlyer", "FrequentFlyerNumber", "FQTV"};
const Names kSeat = {"Seat", "SeatAssignment", "SeatInfo", "SeatNumber"};
const Names kBag = {"Bag", "Baggage", "BagTag", "CheckedBag", "CheckedBaggage", "BaggageInfo"};
const Names kCheckIn = {"CheckIn", "CheckInInfo", "CheckInStatus", "BoardingInfo"};
const Names kContact = {"ContactInfo", "Contact", "ContactDetails"};
const Names kPhone = {"Telephone", "Phone"};
const Names kEmail = {"Email", "EmailAddress"};
const Names kFax = {"Fax"};
const Names kAddress = {"Address", "PostalAddress"};
const Names kRemark = {"Remark", "Remarks", "GeneralRemark", "SpecialRemark"};
const Names kLocator = {"BookingRefID", "RecordLocator", "BookingReference", "PNRLocator"};
const Names kPos = {"POS", "PointOfSale"};
const Names kAgency = {"TravelAgency", "BookingAgency"};
const Names kTravellerRef = {"TravelerRefNumber",
                             "TravelerRPH",
                             "PassengerRPH",
                             "PassengerRef",
                             "PaxRef",
                             "TravellerRef",
                             "TravelerRefNumberRPHList",
                             "PassengerRefNumber"};
const Names kSegmentRef = {"FlightRefNumber", "FlightRefNumberRPHList", "SegmentRPH", "SegmentRef",
                           "FlightRPH"};

// The first entry of a reference attribute or of a TravelerRefNumber child.
std::string first_token(const std::string& s) {
  const size_t space = s.find(' ');
  return space == std::string::npos ? s : s.substr(0, space);
}

std::string traveller_ref_of(pugi::xml_node n) {
  std::string ref = attr(n, kTravellerRef);
  if (ref.empty()) {
    if (pugi::xml_node c = child(n, {"TravelerRefNumber", "PassengerRefNumber"}))
      ref = first_of(attr(c, {"RPH", "Ref", "ID"}), element_text(c));
  }
  return first_token(ref);
}

std::string segment_ref_of(pugi::xml_node n) {
  std::string ref = attr(n, kSegmentRef);
  if (ref.empty()) {
    if (pugi::xml_node c = child(n, {"FlightRefNumber", "SegmentRefNumber"}))
      ref = first_of(attr(c, {"RPH", "Ref", "ID"}), element_text(c));
  }
  return first_token(ref);
}

std::string normalise_flight_number(std::string number, const std::string& carrier) {
  number.erase(std::remove(number.begin(), number.end(), ' '), number.end());
  if (!carrier.empty() && number.size() > carrier.size() &&
      to_upper(number.substr(0, carrier.size())) == to_upper(carrier) &&
      number[carrier.size()] >= '0' && number[carrier.size()] <= '9')
    number.erase(0, carrier.size());
  return number;
}

std::string sex_code(const std::string& v) {
  const std::string u = to_upper(v);
  if (u == "MALE") return "M";
  if (u == "FEMALE") return "F";
  if (u == "UNKNOWN" || u == "UNDISCLOSED") return "U";
  return normalise_sex(u);
}

// Removes later duplicates (by `key`) from `items`, keeping the order; linear.
template <typename T, typename Key>
void drop_duplicates(std::vector<T>* items, Key key) {
  std::unordered_set<std::string> seen;
  std::vector<T> kept;
  kept.reserve(items->size());
  for (T& item : *items)
    if (seen.insert(key(item)).second) kept.push_back(std::move(item));
  *items = std::move(kept);
}

std::string joined(std::initializer_list<const std::string*> parts) {
  std::string out;
  for (const std::string* p : parts) {
    out += *p;
    out.push_back('\x1f');
  }
  return out;
}

void drop_duplicates(Pnr* pnr) {
  drop_duplicates(&pnr->payments, [](const Payment& p) {
    return joined({&p.type, &p.card_issuer, &p.card_hash, &p.card_last4, &p.card_expiry, &p.amount,
                   &p.currency});
  });
  for (PnrTraveller& t : pnr->travellers) {
    drop_duplicates(&t.seats, [](const std::string& s) { return s; });
    drop_duplicates(&t.person.documents, [](const Document& d) {
      return d.number.empty() ? joined({&d.type, &d.number, &d.applicable_state, &d.issue_date})
                              : joined({&d.type, &d.number});
    });
  }
}

// ---------------------------------------------------------------------------
// The reader

// Where items found while walking part of a PNR belong.
struct Scope {
  PnrTraveller* traveller = nullptr;  // the enclosing passenger, if any
  bool in_segment = false;            // inside an itinerary segment
  std::string segment_ref;            // the enclosing segment's reference
  std::string flight;                 // the enclosing segment's "XX123"
};

class Reader {
 public:
  Reader(std::string_view text, const ParseOptions& options, Diagnostics* diags)
      : text_(text), options_(options), diags_(diags) {}

  // Offsets in Locations are those of the input: `bom` bytes were removed
  // before `text`, or `text` is the UTF-8 form of a Latin-1 input.
  void set_input_mapping(size_t bom, bool transcoded) {
    bom_ = bom;
    transcoded_ = transcoded;
  }

  Location at_offset(size_t offset, std::string segment = {}) {
    if (!positions_) positions_.emplace(text_);
    Location loc;
    loc.file = options_.file;
    std::tie(loc.line, loc.column) = positions_->at(offset);
    loc.offset = input_offset(std::min(offset, text_.size()));
    loc.segment = std::move(segment);
    return loc;
  }

  Location where(pugi::xml_node n) {
    const ptrdiff_t off = n.offset_debug();
    if (off < 0) {
      Location loc;
      loc.file = options_.file;
      loc.segment = n.name();
      return loc;
    }
    size_t o = static_cast<size_t>(off);
    if (o > 0 && o <= text_.size() && text_[o - 1] == '<') --o;
    return at_offset(o, n.name());
  }

  void warn(pugi::xml_node n, std::string reason) { diags_->warn(where(n), std::move(reason)); }
  void error(pugi::xml_node n, std::string reason) { diags_->error(where(n), std::move(reason)); }

  // Reads the message below `root` into `push`; errors go to the diagnostics.
  void read_message(pugi::xml_node root, PnrPush* push);

 private:
  uint64_t input_offset(size_t offset) const {
    if (!transcoded_) return offset + bom_;
    uint64_t chars = 0;
    for (size_t i = 0; i < offset; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++chars;
    return chars;
  }

  std::string date(pugi::xml_node at, const std::string& raw, std::string_view what, Century c) {
    if (raw.empty()) return {};
    std::string iso = iso_from_xml(raw, false, c, options_.reference_year);
    if (iso.empty()) warn(at, std::string(what) + " '" + raw + "' is not a readable date");
    return iso;
  }

  std::string date_time(pugi::xml_node at, const std::string& raw, std::string_view what) {
    if (raw.empty()) return {};
    std::string iso = iso_from_xml(raw, true, Century::kFuture, options_.reference_year);
    if (iso.empty()) warn(at, std::string(what) + " '" + raw + "' is not a readable date-time");
    return iso;
  }

  void read_header(pugi::xml_node root, MessageHeader* h);
  ItinerarySegment read_segment(pugi::xml_node n);
  void read_pnr(pugi::xml_node n, Pnr* pnr);
  void read_locator(pugi::xml_node pnr_node, Pnr* pnr);
  void read_pos(pugi::xml_node pnr_node, Pnr* pnr);
  void read_passenger(pugi::xml_node n, bool infant, PnrTraveller* t);

  // Reads the items below `scope_node` (skipping passengers and segments,
  // which have their own scopes) into `pnr`.
  void read_items(pugi::xml_node scope_node, const Scope& scope, Pnr* pnr);
  // Reads `n` if it is an item; returns false to have the walk descend.
  bool read_item(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  bool read_nested_passenger(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_document(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  // Reads a DOCS, DOCO or DOCA element into `t`.
  void read_document_data(pugi::xml_node n, Traveller* t);
  bool read_nested_segment(pugi::xml_node n, const Scope& scope, Pnr* pnr);

  PnrTraveller* traveller_for(pugi::xml_node n, const Scope& scope, Pnr* pnr, bool sole);
  void read_docs(pugi::xml_node n, Traveller* t);
  void read_doco(pugi::xml_node n, Traveller* t);
  void read_doca(pugi::xml_node n, Traveller* t);
  // Applies SSR DOCS/DOCO/DOCA free text to `t`; false when unusable.
  bool apply_ssr_text(pugi::xml_node at, const std::string& code, const std::string& text,
                      Traveller* t);
  void read_ssr(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_osi(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_ticket(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_payment(pugi::xml_node n, Pnr* pnr);
  void read_contact(pugi::xml_node n, Pnr* pnr);
  std::optional<Address> read_address(pugi::xml_node n);
  void read_loyalty(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_seat(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_bag(pugi::xml_node n, const Scope& scope, Pnr* pnr);
  void read_check_in(pugi::xml_node n, const Scope& scope, Pnr* pnr);

  std::string_view text_;
  const ParseOptions& options_;
  Diagnostics* diags_;
  size_t bom_ = 0;
  bool transcoded_ = false;
  std::optional<Positions> positions_;
  std::string originator_airline_;
  // The current PNR's travellers by reference; the first one wins.
  std::unordered_map<std::string, PnrTraveller*> by_ref_;
};

void Reader::read_header(pugi::xml_node root, MessageHeader* h) {
  h->prepared = date_time(root, attr(root, {"TimeStamp", "Timestamp", "CreationDateTime"}),
                          "message time stamp");
  h->version = attr(root, {"Version"});
  h->message_ref = attr(
      root, {"EchoToken", "TransactionIdentifier", "MessageID", "MessageRef", "MessageReference"});
  h->message_function = "22";
  if (pugi::xml_node o = child(root, {"Originator", "Sender", "MessageSource"})) {
    originator_airline_ = attr(o, {"AirlineCode", "Airline", "CarrierCode"});
    h->sender = first_of(originator_airline_, attr(o, {"SystemCode", "Code", "ID"}));
    if (h->sender.empty()) h->sender = element_text(o);
  }
  h->recipient = attr(root, {"Recipient", "RecipientID", "Receiver"});
  if (h->recipient.empty()) {
    if (pugi::xml_node r = child(root, {"Recipient", "Receiver", "Destination"}))
      h->recipient = first_of(attr(r, {"Code", "ID", "CountryCode", "AgencyCode", "Country"}),
                              element_text(r));
  }
}

ItinerarySegment Reader::read_segment(pugi::xml_node n) {
  ItinerarySegment s;
  const pugi::xml_node mkt =
      child(n, {"MarketingAirline", "MarketingCarrier", "Airline", "Carrier"});
  const pugi::xml_node op = child(n, {"OperatingAirline", "OperatingCarrier"});
  FlightLeg& leg = s.leg;
  leg.carrier = attr(n, {"CarrierCode", "AirlineCode", "MarketingAirlineCode", "MarketingCarrier",
                         "Carrier", "Airline"});
  if (leg.carrier.empty()) leg.carrier = code_of(mkt);
  leg.flight_number = attr(n, {"FlightNumber", "FlightNbr", "FlightNo", "MarketingFlightNumber"});
  if (leg.flight_number.empty() && mkt)
    leg.flight_number = attr(mkt, {"FlightNumber", "FlightNbr"});
  if (leg.flight_number.empty()) leg.flight_number = value(n, {"FlightNumber"});
  s.operating_carrier = op ? code_of(op) : attr(n, {"OperatingAirlineCode", "OperatingCarrier"});
  s.operating_flight_number =
      op ? attr(op, {"FlightNumber", "FlightNbr"}) : attr(n, {"OperatingFlightNumber"});
  if (leg.carrier.empty()) leg.carrier = s.operating_carrier;
  if (leg.flight_number.empty()) leg.flight_number = s.operating_flight_number;
  leg.flight_number = normalise_flight_number(leg.flight_number, leg.carrier);
  s.operating_flight_number =
      normalise_flight_number(s.operating_flight_number, s.operating_carrier);

  auto airport = [&](Names names) {
    std::string v = attr(n, names);
    return v.empty() ? code_of(child(n, names)) : v;
  };
  leg.departure_airport = airport(
      {"DepartureAirport", "Origin", "BoardPoint", "DepartureLocation", "DepartureStation"});
  leg.arrival_airport =
      airport({"ArrivalAirport", "Destination", "OffPoint", "ArrivalLocation", "ArrivalStation"});

  auto moment = [&](Names names, Names time_names, std::string_view what) {
    std::string v = date_time(n, value(n, names), what);
    if (v.size() == 10) {
      const std::string t = time_of_day(value(n, time_names));
      if (!t.empty()) v += "T" + t;
    }
    return v;
  };
  leg.departure_local = moment({"DepartureDateTime", "DepartureDate", "ScheduledDepartureDateTime"},
                               {"DepartureTime"}, "departure");
  leg.arrival_local = moment({"ArrivalDateTime", "ArrivalDate", "ScheduledArrivalDateTime"},
                             {"ArrivalTime"}, "arrival");

  s.booking_class =
      attr(n, {"ResBookDesigCode", "BookingClass", "ClassOfService", "BookingClassCode"});
  if (s.booking_class.empty() && mkt) s.booking_class = attr(mkt, {"ResBookDesigCode"});
  if (s.booking_class.empty() && op) s.booking_class = attr(op, {"ResBookDesigCode"});
  s.status = attr(n, {"Status", "ActionCode", "SegmentStatus", "StatusCode", "BookingStatus"});
  return s;
}

void Reader::read_message(pugi::xml_node root, PnrPush* push) {
  read_header(root, &push->header);

  pugi::xml_node flight_node;
  std::vector<pugi::xml_node> pnr_nodes;
  walk(root, [&](pugi::xml_node n) {
    if (is(n, kPnr)) {
      pnr_nodes.push_back(n);
      return false;
    }
    if (!flight_node && is(n, {"FlightLeg", "Flight", "FlightInfo"})) {
      flight_node = n;
      return false;
    }
    return true;
  });

  if (flight_node) {
    push->flight = read_segment(flight_node).leg;
  } else {
    warn(root, "message names no FlightLeg: the flight of the push is unknown");
  }
  if (pnr_nodes.empty()) {
    pugi::xml_node at = child(root, {"PNRs"});
    error(at ? at : root, "message holds no PNR");
    return;
  }
  push->pnrs.resize(pnr_nodes.size());
  for (size_t i = 0; i < pnr_nodes.size(); ++i) read_pnr(pnr_nodes[i], &push->pnrs[i]);
}

void Reader::read_locator(pugi::xml_node pnr_node, Pnr* pnr) {
  pugi::xml_node chosen;
  for (pugi::xml_node c = pnr_node.first_child(); c; c = c.next_sibling()) {
    if (!is(c, kLocator)) continue;
    if (!chosen) chosen = c;
    const pugi::xml_node company = child(c, {"CompanyName", "Company", "Airline"});
    const std::string owner =
        first_of(code_of(company), attr(c, {"CompanyCode", "AirlineCode", "Airline"}));
    if (!originator_airline_.empty() && owner == originator_airline_) {
      chosen = c;
      break;
    }
  }
  if (chosen) {
    pnr->record_locator =
        first_of(attr(chosen, {"ID", "RecordLocator", "Locator", "Value"}), own_text(chosen));
    const pugi::xml_node company = child(chosen, {"CompanyName", "Company", "Airline"});
    pnr->carrier =
        first_of(code_of(company), attr(chosen, {"CompanyCode", "AirlineCode", "Airline"}));
    pnr->created =
        date_time(chosen, attr(chosen, {"CreateDateTime", "CreationDate"}), "PNR creation");
  }
  if (pnr->record_locator.empty())
    pnr->record_locator = attr(pnr_node, {"RecordLocator", "Locator"});
  if (pnr->carrier.empty())
    pnr->carrier = attr(pnr_node, {"AirlineCode", "CarrierCode", "Airline"});
  if (pnr->carrier.empty()) pnr->carrier = originator_airline_;
  pnr->record_locator = to_upper(pnr->record_locator);
  if (pnr->record_locator.empty()) warn(chosen ? chosen : pnr_node, "PNR has no record locator");
}

void Reader::read_pos(pugi::xml_node pnr_node, Pnr* pnr) {
  if (pugi::xml_node pos = child(pnr_node, kPos)) {
    const pugi::xml_node source = child(pos, {"Source"});
    const pugi::xml_node s = source ? source : pos;
    pnr->booking_agency = attr(s, {"PseudoCityCode", "AgentSine", "OfficeID", "BookingAgency"});
    if (pugi::xml_node req = child(s, {"RequestorID"})) {
      const pugi::xml_node company = child(req, {"CompanyName"});
      pnr->travel_agency =
          first_of(element_text(company), attr(company, {"Code", "CompanyShortName"}));
      if (pnr->travel_agency.empty()) pnr->travel_agency = attr(req, {"ID"});
    }
  }
  if (pnr->travel_agency.empty()) {
    if (pugi::xml_node a = child(pnr_node, kAgency)) {
      pnr->travel_agency =
          first_of(attr(a, {"Name", "IATA_Number", "IATANumber", "Code", "ID"}), element_text(a));
    }
  }
}

void Reader::read_passenger(pugi::xml_node n, bool infant, PnrTraveller* t) {
  Traveller& p = t->person;
  pugi::xml_node holder = n;
  if (value(n, {"Surname", "LastName", "FamilyName"}).empty() &&
      value(n, {"GivenName", "FirstName", "ForeName"}).empty()) {
    if (pugi::xml_node h = child(n, {"PersonName", "Name", "PassengerName", "TravelerName"}))
      holder = h;
  }
  p.given_names = all_values(holder, {"GivenName", "FirstName", "ForeName", "MiddleName"});
  p.surname = value(holder, {"Surname", "LastName", "FamilyName"});
  p.reference = attr(n, {"RPH", "TravelerRefNumber", "PassengerRPH", "ID", "RefNumber"});
  if (p.reference.empty()) {
    if (pugi::xml_node r = child(n, {"TravelerRefNumber"})) p.reference = attr(r, {"RPH", "ID"});
  }
  t->type = attr(n, {"PassengerTypeCode", "PassengerType", "PTC", "PaxType", "Type"});
  if (t->type.empty() && infant) t->type = "IN";
  const std::string sex = attr(n, {"Gender", "Sex"});
  if (!sex.empty()) p.sex = sex_code(sex);
  p.birth_date = date(n, attr(n, {"BirthDate", "DateOfBirth"}), "birth date", Century::kPast);
  p.nationality = attr(n, {"Nationality"});
}

PnrTraveller* Reader::traveller_for(pugi::xml_node n, const Scope& scope, Pnr* pnr, bool sole) {
  if (scope.traveller) return scope.traveller;
  const std::string ref = traveller_ref_of(n);
  if (!ref.empty()) {
    if (auto it = by_ref_.find(ref); it != by_ref_.end()) return it->second;
    warn(n, "refers to passenger '" + ref + "', who is not in the PNR");
    return nullptr;
  }
  if (sole && pnr->travellers.size() == 1) return &pnr->travellers.front();
  return nullptr;
}

void Reader::read_docs(pugi::xml_node n, Traveller* t) {
  Document d;
  d.type = attr(n, {"DocType", "TravelDocType", "DocumentType"});
  d.number = attr(n, {"DocID", "DocNumber", "DocumentNumber", "TravelDocNbr", "DocNbr"});
  d.issuing_state = attr(n, {"DocIssueCountry", "IssuingCountry", "IssuingLoc", "IssueCountry",
                             "DocIssueLocation", "IssuingState"});
  d.expiry_date = date(n, attr(n, {"ExpireDate", "ExpiryDate", "DocExpireDate", "ExpirationDate"}),
                       "document expiry date", Century::kFuture);
  d.issue_date = date(n, attr(n, {"EffectiveDate", "IssueDate", "DocIssueDate"}),
                      "document issue date", Century::kPast);
  const std::string nationality =
      attr(n, {"DocHolderNationality", "PaxNationality", "Nationality"});
  const std::string birth =
      date(n, attr(n, {"BirthDate", "DateOfBirth", "DOB"}), "birth date", Century::kPast);
  const std::string sex = attr(n, {"Gender", "Sex"});

  if (d.type.empty() && d.number.empty() && birth.empty() && nationality.empty()) {
    const std::string text = own_text(n);
    if (!text.empty()) {
      apply_ssr_text(n, "DOCS", text, t);
      return;
    }
    warn(n, "DOCS has neither a document number nor a birth date");
    return;
  }
  pugi::xml_node names = child(n, {"DocHolderName", "DocHolderFormattedName", "PersonName"});
  if (!names) names = n;
  const std::string surname = value(names, {"Surname", "DocHolderSurname", "LastName"});
  std::string given = value(names, {"FirstGivenName", "GivenName", "FirstName"});
  const std::string second = value(names, {"SecondGivenName", "MiddleName"});
  if (!second.empty()) given += (given.empty() ? "" : " ") + second;

  if (!d.number.empty()) t->documents.push_back(std::move(d));
  fill_if_empty(t->nationality, nationality);
  fill_if_empty(t->birth_date, birth);
  if (t->sex.empty() && !sex.empty()) t->sex = sex_code(sex);
  fill_if_empty(t->surname, surname);
  fill_if_empty(t->given_names, given);
}

void Reader::read_doco(pugi::xml_node n, Traveller* t) {
  const std::string place = attr(n, {"BirthLocation", "PlaceOfBirth", "BirthPlace"});
  Document d;
  d.type = attr(n, {"TravelDocType", "DocType", "DocumentType"});
  d.number = attr(n, {"TravelDocNbr", "DocID", "DocNumber", "DocumentNumber"});
  d.place_of_issue = attr(n, {"PlaceOfIssue", "IssuePlace", "DocIssueLocation"});
  d.issue_date = date(n, attr(n, {"DateOfIssue", "IssueDate", "EffectiveDate"}), "DOCO issue date",
                      Century::kPast);
  d.applicable_state = attr(n, {"CountryState", "ApplicableCountry", "ApplicableState"});
  if (place.empty() && d.number.empty()) {
    const std::string text = own_text(n);
    if (!text.empty()) {
      apply_ssr_text(n, "DOCO", text, t);
      return;
    }
    warn(n, "DOCO has neither a place of birth nor a document number");
    return;
  }
  fill_if_empty(t->place_of_birth, place);
  if (!d.number.empty()) t->documents.push_back(std::move(d));
}

std::optional<Address> Reader::read_address(pugi::xml_node n) {
  Address a;
  a.type = attr(n, {"AddressType", "Type"});
  a.street = all_values(n, {"StreetNmbr", "AddressLine", "Street", "Address"});
  a.city = value(n, {"CityName", "City"});
  a.region =
      value(n, {"StateProvCounty", "StateProv", "StateProvince", "Region", "State", "County"});
  a.postal_code = value(n, {"PostalCode", "Zip", "ZipCode", "PostCode"});
  a.country = attr(n, {"Country", "CountryCode", "CountryName"});
  if (a.country.empty()) {
    if (pugi::xml_node c = child(n, {"CountryName", "Country", "CountryCode"}))
      a.country = code_of(c);
  }
  if (a.street.empty() && a.city.empty() && a.country.empty() && a.postal_code.empty())
    return std::nullopt;
  return a;
}

void Reader::read_doca(pugi::xml_node n, Traveller* t) {
  std::optional<Address> a = read_address(n);
  if (!a) {
    const std::string text = own_text(n);
    if (!text.empty()) {
      apply_ssr_text(n, "DOCA", text, t);
      return;
    }
    warn(n, "DOCA has no address");
    return;
  }
  if (a->type == "R") fill_if_empty(t->residence_country, a->country);
  if (!t->address || a->type == "R") t->address = std::move(*a);
}

// SSR text sometimes keeps the status and count ("HK1/P/GBR/...") or the
// code itself ("DOCS HK1/P/...") in front of the data.
std::string_view ssr_data(std::string_view text, std::string_view code) {
  if (text.substr(0, code.size()) == code && text.size() > code.size() &&
      (text[code.size()] == ' ' || text[code.size()] == '/'))
    text.remove_prefix(code.size() + (text[code.size()] == ' ' ? 1 : 0));
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos && slash >= 3 && slash <= 5) {
    const std::string_view head = text.substr(0, slash);
    const bool status = head[0] >= 'A' && head[0] <= 'Z' && head[1] >= 'A' && head[1] <= 'Z' &&
                        all_digits(head.substr(2));
    if (status) text.remove_prefix(slash);
  }
  return text;
}

bool Reader::apply_ssr_text(pugi::xml_node at, const std::string& code, const std::string& raw,
                            Traveller* t) {
  const std::string_view text = ssr_data(raw, code);
  std::string problem;
  const int year = options_.reference_year;
  bool applied = false;
  if (code == "DOCS") {
    applied = apply_docs(text, year, t, &problem);
  } else if (code == "DOCO") {
    applied = apply_doco(text, year, t, &problem);
  } else {
    applied = apply_doca(text, t, &problem);
  }
  if (!problem.empty()) warn(at, "SSR " + code + ": " + problem);
  return applied;
}

void Reader::read_ssr(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  bool wrapper = false;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (!is(c, kDocs) && !is(c, {"DOCO", "DOCA"})) continue;
    wrapper = true;
    if (PnrTraveller* t = traveller_for(n, scope, pnr, true)) {
      read_document_data(c, &t->person);
    } else {
      warn(c, "document data is not linked to a passenger");
    }
  }
  if (wrapper) return;

  ServiceRequest r;
  r.code = to_upper(attr(n, {"SSRCode", "Code", "SSRType", "Type"}));
  r.status = attr(n, {"Status", "ActionCode", "StatusCode"});
  r.carrier = attr(n, {"AirlineCode", "Airline", "Carrier", "CarrierCode"});
  if (r.carrier.empty()) r.carrier = code_of(child(n, {"Airline", "Carrier"}));
  r.text = first_of(value(n, {"Text", "FreeText"}), own_text(n));
  r.segment_ref = first_of(scope.segment_ref, segment_ref_of(n));

  const bool document = r.code == "DOCS" || r.code == "DOCO" || r.code == "DOCA";
  PnrTraveller* t = traveller_for(n, scope, pnr, document);
  r.traveller_ref = t ? t->person.reference : traveller_ref_of(n);
  if (document) {
    // Applied document data lives in the person; unreadable data stays an SSR.
    if (!t) {
      warn(n, "SSR " + r.code + " is not linked to a passenger");
    } else if (r.text.empty()) {
      warn(n, "SSR " + r.code + " has no text");
    } else if (apply_ssr_text(n, r.code, r.text, &t->person)) {
      return;
    }
  }
  (t ? t->ssrs : pnr->ssrs).push_back(std::move(r));
}

void Reader::read_osi(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  ServiceRequest r;
  r.code = "OSI";
  r.carrier = attr(n, {"AirlineCode", "Airline", "Carrier", "Code"});
  if (r.carrier.empty()) r.carrier = code_of(child(n, {"Airline", "Carrier"}));
  r.text = first_of(value(n, {"Text", "FreeText"}), own_text(n));
  r.segment_ref = first_of(scope.segment_ref, segment_ref_of(n));
  PnrTraveller* t = traveller_for(n, scope, pnr, false);
  if (t) r.traveller_ref = t->person.reference;
  (t ? t->ssrs : pnr->ssrs).push_back(std::move(r));
}

void Reader::read_ticket(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  Ticket k;
  k.number = attr(n, {"TicketDocumentNbr", "TicketNumber", "TicketNbr", "eTicketNumber",
                      "DocumentNumber", "Number"});
  if (k.number.empty()) k.number = value(n, {"TicketNumber", "TicketDocumentNbr"});
  k.type = attr(n, {"Type", "TicketType", "TicketDocumentType"});
  k.issue_date = date(n, attr(n, {"DateOfIssue", "IssueDate", "IssueDateTime", "DateOfIssuance"}),
                      "ticket issue date", Century::kPast);
  if (k.number.empty()) {
    warn(n, "ticket has no number");
    return;
  }
  PnrTraveller* t = traveller_for(n, scope, pnr, true);
  if (!t) {
    warn(n, "ticket " + k.number + " is not linked to a passenger");
    return;
  }
  t->tickets.push_back(std::move(k));
}

void Reader::read_payment(pugi::xml_node n, Pnr* pnr) {
  Payment p;
  const bool is_card_element = is(n, {"PaymentCard"});
  const pugi::xml_node card = is_card_element ? n : child(n, {"PaymentCard", "CreditCard", "Card"});
  p.type = attr(n, {"PaymentType", "Type", "FormOfPaymentType", "PaymentCode"});
  if (p.type.empty() && card) p.type = "CC";
  const pugi::xml_node c = card ? card : n;
  p.card_issuer = attr(c, {"VendorCode", "CardCode", "CardType", "CardIssuer", "Vendor"});
  std::string number =
      value(c, {"AccountNbr", "CardNumber", "AccountNumber", "CardNbr", "MaskedCardNumber"});
  if (number.empty()) {
    if (pugi::xml_node cn = child(c, {"CardNumber"})) number = attr(cn, {"Mask"});
  }
  const std::string expiry = attr(c, {"ExpiryDate", "ExpireDate", "ExpirationDate"});
  if (!expiry.empty()) {
    p.card_expiry = iso_card_expiry(expiry, options_.reference_year);
    if (p.card_expiry.empty()) warn(c, "card expiry '" + expiry + "' is not a readable date");
  }
  p.amount = first_of(attr(n, {"PaymentAmount", "Amount"}), attr(c, {"PaymentAmount", "Amount"}));
  p.currency =
      first_of(attr(n, {"CurrencyCode", "Currency"}), attr(c, {"CurrencyCode", "Currency"}));
  if (!number.empty()) set_card_number(number, options_.card_key, &p);
  if (p.type.empty() && p.card_issuer.empty() && p.card_last4.empty() && p.amount.empty()) return;
  pnr->payments.push_back(std::move(p));
}

void Reader::read_contact(pugi::xml_node n, Pnr* pnr) {
  auto add = [pnr](const char* type, const std::string& v) {
    if (!v.empty()) pnr->contacts.push_back({type, v});
  };
  if (is(n, kPhone)) {
    const std::string tech = attr(n, {"PhoneTechType", "PhoneType"});
    add(tech == "3" || name_eq(tech, "fax") ? "fax" : "phone",
        first_of(attr(n, {"PhoneNumber", "Number", "Value"}), element_text(n)));
    return;
  }
  if (is(n, kEmail)) {
    add("email", first_of(attr(n, {"Value", "Address", "EmailAddress"}), element_text(n)));
    return;
  }
  if (is(n, kFax)) {
    add("fax", first_of(attr(n, {"PhoneNumber", "Number", "Value"}), element_text(n)));
    return;
  }
  add("phone", attr(n, {"PhoneNumber", "Phone", "Telephone", "MobileNumber"}));
  add("email", attr(n, {"EmailAddress", "Email"}));
  add("fax", attr(n, {"FaxNumber", "Fax"}));
  bool nested_address = false;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (is(c, kPhone) || is(c, kEmail) || is(c, kFax)) read_contact(c, pnr);
    if (is(c, kAddress)) {
      nested_address = true;
      if (auto a = read_address(c)) pnr->addresses.push_back(std::move(*a));
    }
  }
  if (!nested_address) {
    if (auto a = read_address(n)) pnr->addresses.push_back(std::move(*a));
  }
}

void Reader::read_loyalty(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  FrequentFlyer f;
  f.carrier =
      attr(n, {"ProgramID", "Airline", "AirlineCode", "Carrier", "ProgramCode", "VendorCode"});
  f.number = first_of(attr(n, {"MembershipID", "Number", "MembershipNumber", "FrequentFlyerNumber",
                               "AccountNumber"}),
                      own_text(n));
  f.tier = attr(n, {"LoyalLevel", "Tier", "TierLevel", "Level", "LoyalLevelCode"});
  if (f.number.empty()) {
    warn(n, "frequent flyer entry has no number");
    return;
  }
  PnrTraveller* t = traveller_for(n, scope, pnr, true);
  if (!t) {
    warn(n, "frequent flyer number is not linked to a passenger");
    return;
  }
  t->frequent_flyers.push_back(std::move(f));
}

void add_seat(PnrTraveller* t, const std::string& seat) {
  if (!seat.empty()) t->seats.push_back(seat);
}

void Reader::read_seat(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  std::string seat = first_of(attr(n, {"SeatNumber", "Number", "Seat"}), own_text(n));
  if (seat.empty()) {
    const std::string row = attr(n, {"RowNumber", "Row"});
    const std::string letter = attr(n, {"SeatInRow", "SeatLetter", "ColumnLetter", "Column"});
    if (!row.empty() && !letter.empty()) seat = row + letter;
  }
  if (seat.empty()) return;
  PnrTraveller* t = traveller_for(n, scope, pnr, true);
  if (!t) {
    warn(n, "seat " + seat + " is not linked to a passenger");
    return;
  }
  add_seat(t, to_upper(seat));
}

void Reader::read_bag(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  const std::string quantity = attr(n, {"Quantity", "NumberOfBags", "BagCount", "Pieces",
                                        "PieceCount", "NumberOfPieces", "Count"});
  std::string tag = attr(n, {"BagTagNumber", "TagNumber", "BagTagNbr", "TagNbr", "LicensePlate"});
  if (tag.empty() && is(n, {"BagTag"})) tag = first_of(attr(n, {"Number"}), own_text(n));
  uint32_t count = 1;
  if (!quantity.empty()) {
    const std::optional<uint32_t> q = parse_count(quantity);
    if (!q) {
      warn(n, "bag count '" + quantity + "' is not a number");
      return;
    }
    count = *q;
  }
  PnrTraveller* t = traveller_for(n, scope, pnr, true);
  if (!t) {
    pnr->bags += count;
    return;
  }
  t->bags += count;
  if (!tag.empty()) t->person.bag_tags.push_back(tag);
}

void Reader::read_check_in(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  std::string flight = attr(n, {"FlightNumber", "Flight", "FlightNbr"});
  if (!flight.empty()) {
    const std::string carrier = attr(n, {"AirlineCode", "CarrierCode", "Airline", "Carrier"});
    flight = carrier + normalise_flight_number(flight, carrier);
  } else {
    flight = scope.flight;
  }
  const std::string seat = to_upper(attr(n, {"SeatNumber", "Seat"}));
  const std::string status = first_of(
      attr(n, {"Status", "CheckInStatus", "BoardingStatus", "CheckedIn", "Code"}), own_text(n));
  PnrTraveller* t = traveller_for(n, scope, pnr, true);
  if (!t) {
    warn(n, "check-in record is not linked to a passenger");
    return;
  }
  t->checked_in.push_back(flight + "/" + seat + "/" + status);
  add_seat(t, seat);
}

bool Reader::read_nested_passenger(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  // Infants are travellers of their own; other passenger elements inside a
  // passenger are parts of it.
  if (scope.traveller) return is(n, kInfant);
  // At PNR level passengers are read in their own scope.
  if (!scope.in_segment) return true;
  std::string ref = attr(n, {"RPH", "TravelerRefNumber", "PassengerRPH", "ID", "RefNumber"});
  if (ref.empty()) ref = traveller_ref_of(n);
  PnrTraveller* t = nullptr;
  if (auto it = by_ref_.find(ref); !ref.empty() && it != by_ref_.end()) t = it->second;
  if (!t && ref.empty() && pnr->travellers.size() == 1) t = &pnr->travellers.front();
  if (!t) {
    warn(n, "passenger data in a segment is not linked to a passenger of the PNR");
    return true;
  }
  Scope inner = scope;
  inner.traveller = t;
  read_items(n, inner, pnr);
  return true;
}

bool Reader::read_nested_segment(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  // At PNR level segments are read in their own scope.
  if (!scope.traveller && !scope.in_segment) return true;
  if (scope.in_segment) return false;
  // A segment inside a passenger: its items are this passenger's, on that flight.
  const ItinerarySegment s = read_segment(n);
  Scope inner = scope;
  inner.in_segment = true;
  inner.segment_ref = first_of(attr(n, {"RPH", "SegmentRPH"}), segment_ref_of(n));
  inner.flight = s.leg.carrier + s.leg.flight_number;
  read_items(n, inner, pnr);
  return true;
}

void Reader::read_document_data(pugi::xml_node n, Traveller* t) {
  if (is(n, {"DOCO"})) {
    read_doco(n, t);
  } else if (is(n, {"DOCA"})) {
    read_doca(n, t);
  } else {
    read_docs(n, t);
  }
}

void Reader::read_document(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  if (PnrTraveller* t = traveller_for(n, scope, pnr, true)) {
    read_document_data(n, &t->person);
  } else {
    warn(n, "document data is not linked to a passenger");
  }
}

bool Reader::read_item(pugi::xml_node n, const Scope& scope, Pnr* pnr) {
  if (is(n, kPassenger) || is(n, kInfant)) return read_nested_passenger(n, scope, pnr);
  if (is(n, kSegment)) return read_nested_segment(n, scope, pnr);
  if (is(n, kTicket)) {
    read_ticket(n, scope, pnr);
    return false;  // payments inside are read on the way down
  }
  if (is(n, kRemark)) {
    const std::string text = first_of(value(n, {"Text", "FreeText"}), own_text(n));
    if (!text.empty()) pnr->remarks.push_back(text);
    return false;  // <Remarks> may hold <Remark>s
  }
  if (is(n, kBag) && child(n, kBag)) return false;  // a container of bags

  if (is(n, kSsr)) {
    read_ssr(n, scope, pnr);
  } else if (is(n, kDocs) || is(n, {"DOCO", "DOCA"})) {
    read_document(n, scope, pnr);
  } else if (is(n, kOsi)) {
    read_osi(n, scope, pnr);
  } else if (is(n, kPayment)) {
    read_payment(n, pnr);
  } else if (is(n, kLoyalty)) {
    read_loyalty(n, scope, pnr);
  } else if (is(n, kSeat)) {
    read_seat(n, scope, pnr);
  } else if (is(n, kBag)) {
    read_bag(n, scope, pnr);
  } else if (is(n, kCheckIn)) {
    read_check_in(n, scope, pnr);
  } else if (is(n, kContact) || is(n, kPhone) || is(n, kEmail) || is(n, kFax)) {
    read_contact(n, pnr);
  } else if (is(n, kAddress)) {
    if (auto a = read_address(n)) pnr->addresses.push_back(std::move(*a));
  } else {
    return false;
  }
  return true;
}

void Reader::read_items(pugi::xml_node scope_node, const Scope& scope, Pnr* pnr) {
  walk(scope_node, [&](pugi::xml_node n) { return !read_item(n, scope, pnr); });
}

void Reader::read_pnr(pugi::xml_node n, Pnr* pnr) {
  read_locator(n, pnr);
  read_pos(n, pnr);
  if (pnr->created.empty()) {
    pnr->created = date_time(n,
                             value(n, {"PNR_CreationDate", "CreationDate", "CreateDateTime",
                                       "CreationDateTime", "DateCreated", "BookingDate"}),
                             "PNR creation");
  }
  pnr->last_changed =
      date_time(n,
                value(n, {"LastModificationDate", "LastModified", "LastUpdated", "LastChanged",
                          "PNR_TransDate", "TransDate", "ModificationDate"}),
                "PNR last change");

  std::vector<pugi::xml_node> passengers, segments;
  std::vector<bool> infant;
  walk(n, [&](pugi::xml_node c) {
    if (is(c, kPassenger)) {
      passengers.push_back(c);
      infant.push_back(false);
      return false;
    }
    if (is(c, kSegment)) {
      segments.push_back(c);
      return false;
    }
    return !is(c, kLocator) && !is(c, kPos);
  });
  for (size_t i = 0; i < passengers.size(); ++i) {
    const pugi::xml_node p = passengers[i];
    walk(p, [&](pugi::xml_node c) {
      if (is(c, kInfant)) {
        passengers.push_back(c);
        infant.push_back(true);
        return false;
      }
      return !is(c, kSegment);
    });
  }

  pnr->travellers.resize(passengers.size());
  by_ref_.clear();
  for (size_t i = 0; i < passengers.size(); ++i) {
    read_passenger(passengers[i], infant[i], &pnr->travellers[i]);
    const std::string& ref = pnr->travellers[i].person.reference;
    if (!ref.empty()) by_ref_.emplace(ref, &pnr->travellers[i]);
  }
  for (const pugi::xml_node s : segments) pnr->itinerary.push_back(read_segment(s));

  for (size_t i = 0; i < passengers.size(); ++i) {
    Scope scope;
    scope.traveller = &pnr->travellers[i];
    read_items(passengers[i], scope, pnr);
  }
  walk(n, [&](pugi::xml_node c) {
    if (is(c, kLocator) || is(c, kPos) || is(c, kAgency)) return false;
    return !read_item(c, Scope{}, pnr);
  });
  for (size_t i = 0; i < segments.size(); ++i) {
    Scope scope;
    scope.in_segment = true;
    scope.segment_ref = first_of(attr(segments[i], {"RPH", "SegmentRPH"}), std::to_string(i + 1));
    const FlightLeg& leg = pnr->itinerary[i].leg;
    scope.flight = leg.carrier + leg.flight_number;
    read_items(segments[i], scope, pnr);
  }

  drop_duplicates(pnr);
  if (pnr->travellers.empty()) warn(n, "PNR has no passengers");
  for (size_t i = 0; i < passengers.size(); ++i) {
    const Traveller& p = pnr->travellers[i].person;
    if (p.surname.empty() && p.given_names.empty()) warn(passengers[i], "passenger has no name");
  }
}

// ---------------------------------------------------------------------------
// Input handling

std::string declared_encoding(std::string_view s) {
  if (s.substr(0, 5) != "<?xml") return {};
  const size_t end = s.find("?>");
  if (end == std::string_view::npos || end > 1024) return {};
  const std::string_view decl = s.substr(0, end);
  size_t p = decl.find("encoding");
  if (p == std::string_view::npos) return {};
  p += 8;
  while (p < decl.size() && is_space(decl[p])) ++p;
  if (p >= decl.size() || decl[p] != '=') return {};
  ++p;
  while (p < decl.size() && is_space(decl[p])) ++p;
  if (p >= decl.size() || (decl[p] != '"' && decl[p] != '\'')) return {};
  const char quote = decl[p++];
  const size_t close = decl.find(quote, p);
  if (close == std::string_view::npos) return {};
  std::string enc(decl.substr(p, close - p));
  for (char& c : enc) c = lower(c);
  return enc;
}

bool looks_wide(std::string_view s) {
  if (s.size() >= 2) {
    const auto a = static_cast<unsigned char>(s[0]), b = static_cast<unsigned char>(s[1]);
    if ((a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE)) return true;
    if ((a == 0 && b == '<') || (a == '<' && b == 0)) return true;
    if (a == 0 && b == 0) return true;
  }
  return false;
}

// The document's root, with a SOAP Envelope/Body taken off.
pugi::xml_node message_root(const pugi::xml_document& doc) {
  pugi::xml_node root = doc.document_element();
  if (is(root, {"Envelope"})) {
    const pugi::xml_node body = child(root, {"Body"});
    const pugi::xml_node inner =
        body.find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; });
    if (inner) return inner;
  }
  return root;
}

bool root_is_pnrgov(pugi::xml_node root) {
  const std::string name = to_upper(std::string(local_part(root.name())));
  return name.find("PNRGOV") != std::string::npos;
}

bool parse(std::string_view input, const ParseOptions& options, std::vector<PnrPush>* out,
           Diagnostics* diags) {
  Diagnostics local;
  auto fail_at_start = [&](std::string reason) {
    Location loc;
    loc.file = options.file;
    loc.line = 1;
    loc.column = 1;
    diags->error(std::move(loc), std::move(reason));
    return false;
  };

  size_t bom = 0;
  if (input.substr(0, 3) == "\xEF\xBB\xBF") bom = 3;
  std::string_view text = input.substr(bom);
  if (bom == 0 && looks_wide(text))
    return fail_at_start("input is UTF-16 or UTF-32; PNRGOV XML is read as UTF-8 only");
  if (std::all_of(text.begin(), text.end(), is_space)) return fail_at_start("input is empty");

  std::string converted;
  bool transcoded = false;
  const std::string encoding = declared_encoding(text);
  if (!encoding.empty() && encoding != "utf-8" && encoding != "utf8" && encoding != "us-ascii" &&
      encoding != "ascii") {
    if (bom == 0 &&
        (encoding == "iso-8859-1" || encoding == "latin1" || encoding == "latin-1" ||
         encoding == "iso_8859-1" || encoding == "windows-1252" || encoding == "cp1252")) {
      converted = latin1_to_utf8(text);
      text = converted;
      transcoded = true;
    } else if (bom == 0) {
      return fail_at_start("unsupported encoding '" + encoding + "'; expected UTF-8 or ISO-8859-1");
    }
  }

  Reader reader(text, options, &local);
  reader.set_input_mapping(bom, transcoded);

  pugi::xml_document doc;
  const unsigned flags = pugi::parse_default | pugi::parse_doctype;
  const pugi::xml_parse_result result =
      doc.load_buffer(text.data(), text.size(), flags, pugi::encoding_utf8);
  if (!result) {
    std::string reason = std::string("malformed XML: ") + result.description();
    if (result.status == pugi::status_no_document_element) reason = "no root element";
    local.error(reader.at_offset(static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0))),
                std::move(reason));
    diags->append(local);
    return false;
  }
  for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_doctype) {
      const size_t at = text.find("<!DOCTYPE");
      Location loc = reader.at_offset(at == std::string_view::npos ? 0 : at, "DOCTYPE");
      local.error(std::move(loc),
                  "DOCTYPE declarations are not accepted (entity definitions in "
                  "a PNRGOV message are treated as hostile)");
      diags->append(local);
      return false;
    }
  }
  const pugi::xml_node root = message_root(doc);
  if (!root_is_pnrgov(root)) {
    reader.error(root, "root element <" + std::string(root.name()) +
                           "> is not a PNRGOV message (expected IATA_PNRGOV_NotifRQ)");
    diags->append(local);
    return false;
  }

  PnrPush push;
  reader.read_message(root, &push);
  if (options.strict && local.warning_count() > 0) local.escalate_warnings();
  diags->append(local);
  if (local.has_errors()) return false;
  out->push_back(std::move(push));
  return true;
}

}  // namespace

bool parse_pnrgov_xml(std::string_view input, const ParseOptions& options,
                      std::vector<PnrPush>* out, Diagnostics* diags) {
  try {
    return parse(input, options, out, diags);
  } catch (const std::exception& e) {
    try {
      Location loc;
      loc.file = options.file;
      diags->error(std::move(loc), std::string("could not read the message: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
    try {
      Location loc;
      loc.file = options.file;
      diags->error(std::move(loc), "could not read the message");
    } catch (...) {
    }
  }
  return false;
}

}  // namespace vigil
