#include "model/airports.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace vigil {
namespace {

TEST(Airports, KnowsTheBigHubs) {
  EXPECT_EQ(airport_country("LHR"), "GBR");
  EXPECT_EQ(airport_country("JFK"), "USA");
  EXPECT_EQ(airport_country("CDG"), "FRA");
  EXPECT_EQ(airport_country("FRA"), "DEU");
  EXPECT_EQ(airport_country("NRT"), "JPN");
  EXPECT_EQ(airport_country("SYD"), "AUS");
  EXPECT_EQ(airport_country("DXB"), "ARE");
  EXPECT_EQ(airport_country("GRU"), "BRA");
  EXPECT_EQ(airport_country("JNB"), "ZAF");
}

TEST(Airports, AnswersInAlpha3EvenWhereIsoHasNoCode) {
  EXPECT_EQ(airport_country("PRN"), "XKX");  // Pristina, Kosovo
  EXPECT_EQ(airport_country("WDH"), "NAM");  // Windhoek: alpha-2 "NA"
}

TEST(Airports, ReadsEitherCase) {
  EXPECT_EQ(airport_country("lhr"), "GBR");
  EXPECT_EQ(airport_country("Jfk"), "USA");
  EXPECT_EQ(airport_country("cDg"), "FRA");
}

TEST(Airports, UnknownOrMalformedCodesGiveNothing) {
  EXPECT_EQ(airport_country(""), "");
  EXPECT_EQ(airport_country("LH"), "");
  EXPECT_EQ(airport_country("LHRX"), "");
  EXPECT_EQ(airport_country("EGLL"), "");  // ICAO, not IATA
  EXPECT_EQ(airport_country("L1R"), "");
  EXPECT_EQ(airport_country("LH "), "");
  EXPECT_EQ(airport_country(" LHR"), "");
  EXPECT_EQ(airport_country(std::string_view("LH\0", 3)), "");
  EXPECT_EQ(airport_country("\xC3\x84HR"), "");
  size_t unknown = 0;
  for (char a = 'A'; a <= 'Z'; ++a)
    for (char b = 'A'; b <= 'Z'; ++b)
      for (char c = 'A'; c <= 'Z'; ++c) {
        const std::string country = airport_country(std::string{a, b, c});
        if (country.empty()) ++unknown;
        else EXPECT_EQ(country.size(), 3u);
      }
  EXPECT_EQ(unknown, size_t{26 * 26 * 26} - airport_count());
}

TEST(Airports, TableIsLarge) { EXPECT_GT(airport_count(), 5000u); }

TEST(Airports, FirstUseFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> got(8);
  for (size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&got, i] { got[i] = airport_country(i % 2 ? "cdg" : "LHR"); });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], i % 2 ? "FRA" : "GBR");
}

}  // namespace
}  // namespace vigil
