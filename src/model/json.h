// JSON views of the travel model: the output of `vigil parse` and the form
// documented in docs/formats.md. Empty strings and empty lists are left out.
#pragma once

#include <nlohmann/json.hpp>

#include "model/travel.h"
#include "model/watchlist.h"

namespace vigil {

nlohmann::json to_json(const Traveller& t);
// The inverse of to_json(Traveller); keys it does not know (those a PNR
// traveller adds) are ignored. False when `j` is not an object or a known
// key holds a value of the wrong type.
bool from_json(const nlohmann::json& j, Traveller* t);
nlohmann::json to_json(const FlightLeg& leg);
nlohmann::json to_json(const MessageHeader& h);
// {"kind": "paxlst", "header", "legs", "travellers", "parts"}
nlohmann::json to_json(const Manifest& m);
nlohmann::json to_json(const Pnr& p);
// The inverse of to_json(Pnr); false when `j` is not of that shape. A
// traveller's `bags` is read as PnrTraveller::bags (person.bags stays 0).
bool from_json(const nlohmann::json& j, Pnr* p);
// {"kind": "pnrgov", "header", "flight", "pnrs"}
nlohmann::json to_json(const PnrPush& p);

// {"kind", "list", "reference", "names": [{"full", "given", "surname",
//  "primary", "weak"}], "birth_dates", "places_of_birth", "nationalities",
//  "sex", "documents", "category", "severity", "program", "remarks"}
nlohmann::json to_json(const WatchEntry& e);
// The inverse of to_json(WatchEntry); false when `j` is not of that shape.
bool from_json(const nlohmann::json& j, WatchEntry* e);

// Serialises to one line; invalid UTF-8 is replaced, never thrown on.
std::string dump_line(const nlohmann::json& j);

}  // namespace vigil
