#include "formats/dates.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(DatesTest, TwoDigitYearsPickTheRightCentury) {
  EXPECT_EQ(iso_from_yymmdd("850214", Century::kPast, 2026), "1985-02-14");
  EXPECT_EQ(iso_from_yymmdd("250101", Century::kPast, 2026), "2025-01-01");
  EXPECT_EQ(iso_from_yymmdd("270101", Century::kPast, 2026), "1927-01-01");
  EXPECT_EQ(iso_from_yymmdd("310822", Century::kFuture, 2026), "2031-08-22");
  EXPECT_EQ(iso_from_yymmdd("750101", Century::kFuture, 2026), "2075-01-01");
  EXPECT_EQ(iso_from_yymmdd("990101", Century::kFuture, 2026), "1999-01-01");
  EXPECT_EQ(iso_from_yymmdd("050101", Century::kFuture, 2026), "2005-01-01");
}

TEST(DatesTest, InvalidDatesGiveEmpty) {
  EXPECT_EQ(iso_from_yymmdd("851314", Century::kPast, 2026), "");
  EXPECT_EQ(iso_from_yymmdd("850230", Century::kPast, 2026), "");
  EXPECT_EQ(iso_from_yymmdd("85021", Century::kPast, 2026), "");
  EXPECT_EQ(iso_from_yymmdd("85O214", Century::kPast, 2026), "");
  EXPECT_EQ(iso_from_ddmmmyy("31FEB85", Century::kPast, 2026), "");
  EXPECT_EQ(iso_from_ddmmmyy("12XYZ85", Century::kPast, 2026), "");
}

TEST(DatesTest, PnrForms) {
  EXPECT_EQ(iso_from_ddmmyy("231126", Century::kFuture, 2026), "2026-11-23");
  EXPECT_EQ(iso_from_ddmmmyy("12JUL64", Century::kPast, 2026), "1964-07-12");
  EXPECT_EQ(iso_from_ddmmmyy("12jul1964", Century::kPast, 2026), "1964-07-12");
  EXPECT_EQ(iso_time_from_hhmm("0915"), "09:15");
  EXPECT_EQ(iso_time_from_hhmm("0975"), "");
}

TEST(DatesTest, EdifactFormatQualifiers) {
  EXPECT_EQ(iso_from_edifact("2611231025", "201", Century::kFuture, 2026), "2026-11-23T10:25");
  EXPECT_EQ(iso_from_edifact("202611231025", "203", Century::kFuture, 2026), "2026-11-23T10:25");
  EXPECT_EQ(iso_from_edifact("20261123", "102", Century::kFuture, 2026), "2026-11-23");
  EXPECT_EQ(iso_from_edifact("850214", "", Century::kPast, 2026), "1985-02-14");
  EXPECT_EQ(iso_from_edifact("2611231099", "201", Century::kFuture, 2026), "");
  EXPECT_EQ(iso_from_edifact("26112310", "999", Century::kFuture, 2026), "");
}

}  // namespace
}  // namespace vigil
