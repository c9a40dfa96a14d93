#include "synth/generator.h"

#include <cstdio>

namespace vigil {
namespace {

constexpr const char* kSurnames[] = {
    "SMITH", "NGUYEN", "GARCIA", "MUELLER", "ROSSI", "KOWALSKI", "IVANOV", "OKAFOR", "HASSAN",
    "KIM", "TANAKA", "SILVA", "DUBOIS", "JOHANSSON", "OBRIEN", "PATEL", "CHEN", "NOVAK",
    "ALMEIDA", "YILMAZ", "KHAN", "SCHULZ", "BERG", "MORENO", "PETROV", "MENSAH", "ABDULLAH"};
constexpr const char* kGiven[] = {
    "JOHN", "MARIA", "WEI", "FATIMA", "OLIVIER", "ANNA", "MOHAMMED", "SOFIA", "LUCAS", "AMARA",
    "YUKI", "IVAN", "LEILA", "PEDRO", "EMMA", "KWAME", "ELENA", "RAJ", "HANNA", "OMAR"};
constexpr const char* kCountries[] = {"GBR", "USA", "DEU", "FRA", "NGA", "IND", "CHN", "BRA",
                                      "JPN", "TUR", "POL", "ESP", "ITA", "CAN", "KEN", "EGY"};
constexpr const char* kAirports[] = {"LHR", "JFK", "FRA", "CDG", "DXB", "IST", "AMS", "MAD",
                                     "NBO", "LOS", "DEL", "PEK", "GRU", "YYZ", "WAW", "CAI"};

constexpr size_t N(const auto& a) { return sizeof(a) / sizeof(a[0]); }

}  // namespace

TrafficGenerator::TrafficGenerator(uint64_t seed) : rng_(seed) {}

const char* TrafficGenerator::Pick(const char* const* list, size_t n) {
  return list[std::uniform_int_distribution<size_t>(0, n - 1)(rng_)];
}

std::string TrafficGenerator::Digits(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng_() % 10));
  return s;
}

std::string TrafficGenerator::Letters(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('A' + rng_() % 26));
  return s;
}

std::string TrafficGenerator::Paxlst(int flight, int travellers) {
  char buf[512];
  std::string m;
  m.reserve(static_cast<size_t>(travellers) * 260 + 512);
  const std::string ref = "G" + std::to_string(flight) + Digits(6);
  const char* from = kAirports[flight % N(kAirports)];
  const char* to = kAirports[(flight + 5) % N(kAirports)];
  std::snprintf(buf, sizeof buf,
                "UNA:+.? '\nUNB+UNOA:4+XXAPI:ZZ+GOVAPI:ZZ+261123:0900+%s++APIS'\n"
                "UNH+1+PAXLST:D:05B:UN:IATA+%s'\nBGM+745'\nNAD+MS+++API DESK'\n"
                "TDT+20+XX%d+++XX'\nLOC+125+%s'\nDTM+189:2611231025:201'\nLOC+87+%s'\n"
                "DTM+232:2611231620:201'\n",
                ref.c_str(), ref.c_str(), flight, from, to);
  m += buf;
  int segments = 9;
  for (int i = 0; i < travellers; ++i) {
    const char* nat = Pick(kCountries, N(kCountries));
    const int yy = static_cast<int>(rng_() % 80 + 20) % 100;
    std::snprintf(
        buf, sizeof buf,
        "NAD+FL+++%s:%s:%s'\nATT+2++%c'\nDTM+329:%02d%02d%02d'\nLOC+178+%s'\nLOC+179+%s'\n"
        "LOC+174+%s'\nNAT+2+%s'\nRFF+AVF:%s'\nRFF+SEA:%d%c'\nDOC+P:110:111+%s%s'\n"
        "DTM+36:%02d%02d%02d'\nLOC+91+%s'\n",
        Pick(kSurnames, N(kSurnames)), Pick(kGiven, N(kGiven)), Pick(kGiven, N(kGiven)),
        (rng_() & 1) ? 'M' : 'F', yy, static_cast<int>(rng_() % 12 + 1),
        static_cast<int>(rng_() % 28 + 1), from, to, nat, nat, Letters(6).c_str(),
        static_cast<int>(rng_() % 40 + 1), static_cast<char>('A' + rng_() % 6),
        Letters(1).c_str(), Digits(8).c_str(), static_cast<int>(rng_() % 10 + 27),
        static_cast<int>(rng_() % 12 + 1), static_cast<int>(rng_() % 28 + 1), nat);
    m += buf;
    segments += 12;
  }
  std::snprintf(buf, sizeof buf, "CNT+42:%d'\nUNT+%d+1'\nUNZ+1+%s'\n", travellers, segments + 2,
                ref.c_str());
  m += buf;
  return m;
}

std::string TrafficGenerator::Pnrgov(int flight, int pnrs, int version) {
  char buf[768];
  std::string m;
  m.reserve(static_cast<size_t>(pnrs) * 700 + 512);
  const std::string ref = "P" + std::to_string(flight) + "V" + std::to_string(version);
  const char* from = kAirports[flight % N(kAirports)];
  const char* to = kAirports[(flight + 5) % N(kAirports)];
  std::snprintf(buf, sizeof buf,
                "UNA:+.? '\nUNB+IATA:1+XX+GOVPNR+261120:1000+%s++PNRGOV'\n"
                "UNH+1+PNRGOV:13:1:IA+%s'\nMSG+:22'\nORG+XX:HDQ+++A+GB'\n"
                "TVL+231126:1025:231126:1620+%s+%s+XX+%d'\nEQN+%d'\n",
                ref.c_str(), ref.c_str(), from, to, flight, pnrs);
  m += buf;
  int segments = 6;
  std::mt19937_64 stable(static_cast<uint64_t>(flight) * 7919);  // same PNRs in every version
  for (int p = 0; p < pnrs; ++p) {
    std::swap(stable, rng_);
    const std::string locator = Letters(6);
    const int party = static_cast<int>(rng_() % 3 + 1);
    std::snprintf(buf, sizeof buf,
                  "SRC'\nRCI+XX:%s::0%d1126:0900'\nDAT+700:%02d1126:1%d00'\n"
                  "ORG+1A:LON+9%s+++T+GB'\nSSR+CTCE:HK:1:XX:::::P%s//EXAMPLE.COM'\n",
                  locator.c_str(), p % 9 + 1, 10 + version, version % 10, Digits(7).c_str(),
                  Letters(5).c_str());
    m += buf;
    segments += 5;
    for (int t = 0; t < party; ++t) {
      const char* nat = Pick(kCountries, N(kCountries));
      const char* surname = Pick(kSurnames, N(kSurnames));
      const char* given = Pick(kGiven, N(kGiven));
      std::snprintf(buf, sizeof buf,
                    "TIF+%s+%s MR:A:%d'\n"
                    "SSR+DOCS:HK:1:XX:::::/P/%s/%s%s/%s/%02d%s%02d/M/%02dJAN3%d/%s/%s'\n"
                    "TKT+125%s:T:1'\n",
                    surname, given, t + 1, nat, Letters(1).c_str(), Digits(8).c_str(), nat,
                    static_cast<int>(rng_() % 28 + 1), (rng_() & 1) ? "MAR" : "OCT",
                    static_cast<int>(rng_() % 60 + 40), static_cast<int>(rng_() % 28 + 1),
                    static_cast<int>(rng_() % 9), surname, given, Digits(10).c_str());
      m += buf;
      segments += 3;
    }
    std::snprintf(buf, sizeof buf,
                  "FOP+CC:::VI:4%s:0829'\nMON+T:%d.00:EUR'\n"
                  "TVL+231126:1025:231126:1620+%s+%s+XX+%d:Y'\nRPI+%d+HK'\n"
                  "SSR+SEAT:HK:1:XX+%d%c::1'\n",
                  Digits(15).c_str(), static_cast<int>(rng_() % 2000 + 100), from, to, flight,
                  party, static_cast<int>(rng_() % 40 + 1 + version),
                  static_cast<char>('A' + rng_() % 6));
    m += buf;
    segments += 5;
    std::swap(stable, rng_);
  }
  std::snprintf(buf, sizeof buf, "UNT+%d+1'\nUNZ+1+%s'\n", segments + 2, ref.c_str());
  m += buf;
  return m;
}

}  // namespace vigil
