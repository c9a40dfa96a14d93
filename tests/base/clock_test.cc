#include "base/clock.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(ClockTest, FormatsAndParsesUtc) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  int64_t t = 0;
  ASSERT_TRUE(parse_utc("2026-11-22T13:05:09Z", &t));
  EXPECT_EQ(format_utc(t), "2026-11-22T13:05:09Z");
  ASSERT_TRUE(parse_utc("2024-02-29", &t));
  EXPECT_EQ(format_utc(t), "2024-02-29T00:00:00Z");
  EXPECT_FALSE(parse_utc("2023-02-29", &t));
  EXPECT_FALSE(parse_utc("yesterday", &t));
}

TEST(ClockTest, FixedClockDoesNotMove) {
  auto c = FixedClock(1234);
  EXPECT_EQ(c->now(), 1234);
  EXPECT_GT(SystemClock()->now(), 1700000000);
}

}  // namespace
}  // namespace vigil
