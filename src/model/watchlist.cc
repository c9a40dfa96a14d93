#include "model/watchlist.h"

#include <charconv>

namespace vigil {

const char* to_string(WatchEntry::Kind kind) {
  switch (kind) {
    case WatchEntry::Kind::kPerson: return "person";
    case WatchEntry::Kind::kEntity: return "entity";
    case WatchEntry::Kind::kVessel: return "vessel";
    case WatchEntry::Kind::kAircraft: return "aircraft";
    case WatchEntry::Kind::kDocument: return "document";
  }
  return "person";
}

namespace {

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

PartialDate parse_partial_date(std::string_view s) {
  PartialDate d;
  if (s.size() >= 4) d.year = to_int(s.substr(0, 4));
  if (s.size() == 9 && s[4] == '/') {
    d.year_to = to_int(s.substr(5, 4));
    return d;
  }
  if (s.size() >= 7 && s[4] == '-') d.month = to_int(s.substr(5, 2));
  if (s.size() >= 10 && s[7] == '-') d.day = to_int(s.substr(8, 2));
  if (d.year < 1000) d = PartialDate{};
  return d;
}

}  // namespace vigil
