// Synthetic but realistic travel messages, for load tests, benchmarks and
// fuzzing seeds. Deterministic for a given seed. No real person's data.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace vigil {

class TrafficGenerator {
 public:
  explicit TrafficGenerator(uint64_t seed);

  // A complete PAXLST interchange (UNA..UNZ) for flight number `flight`
  // with `travellers` passengers, each with name, sex, birth date,
  // nationality, residence, ports, reservation reference, seat and passport.
  std::string Paxlst(int flight, int travellers);

  // A complete PNRGOV EDIFACT interchange for flight `flight` carrying `pnrs`
  // PNRs of one to three travellers each (DOCS, tickets, payment, contacts,
  // itinerary). `version` changes the last-change time and a seat so that
  // pushes of the same flight at different times differ.
  std::string Pnrgov(int flight, int pnrs, int version);

 private:
  const char* Pick(const char* const* list, size_t n);
  std::string Digits(int n);
  std::string Letters(int n);

  std::mt19937_64 rng_;
};

}  // namespace vigil
