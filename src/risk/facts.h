// TravelRecords from stored flight data: one per traveller on the flight.
//
// An API traveller linked to a PNR traveller is one record (kind "api")
// with the booking of that PNR; a PNR traveller no API row is linked to is a
// record of its own (kind "pnr"). Names and codes are upper-cased, countries
// read as ISO alpha-3, airports placed in their countries, and the travel
// features derived: days booked before departure, the itinerary's
// countries, whether it is one-way, and the stay in the country of arrival
// (from arriving on this flight to the next flight out of that country).
// has_alert is left false: assessment sets it after screening.
#pragma once

#include <vector>

#include "risk/record.h"
#include "store/store.h"

namespace vigil {

std::vector<TravelRecord> flight_records(const FlightData& flight);

}  // namespace vigil
