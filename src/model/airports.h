// Countries of airports, by IATA airport code. Flight legs name only
// airports; rules that ask which countries an itinerary passes through look
// the country up here.
//
// The table (data/airports/airports.tsv, from OurAirports) is compiled into
// the library; nothing is read at run time. It is parsed once, on first use.
// Everything here is pure and thread-safe; nothing throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

// The ISO 3166-1 alpha-3 code of the country of the airport with this
// three-letter IATA code (either case), e.g. "LHR" -> "GBR", "prn" -> "XKX";
// empty when the code is not three letters or names no airport in the table.
std::string airport_country(std::string_view iata);

// How many airport codes airport_country() knows.
size_t airport_count();

}  // namespace vigil
