#include "risk/rule.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

const ValueLists kLists = {{"source-countries", {"col", "JAM", "BOL"}}, {"watch-airports", {"KIN"}}};

// A one-way cash booking made two days before a flight from Kingston.
TravelRecord LateCashOneWay() {
  TravelRecord r;
  r.kind = "pnr";
  r.id = 7;
  r.traveller.surname = "DOE";
  r.traveller.nationality = "GBR";
  r.traveller.birth_date = day_number("1990-05-01");
  r.traveller.age = Number::Of(36);
  r.flight_departure = day_number("2026-11-20");
  r.has_booking = true;
  r.booking_created = day_number("2026-11-18");
  r.days_before_departure = Number::Of(2);
  r.party_size = Number::Of(1);
  r.one_way = true;
  r.payments.push_back({"CASH", ""});
  r.segments.push_back({"BA", "BA2262", "KIN", "LGW", "JAM", "GBR", day_number("2026-11-20"), kNoDate});
  r.route_countries = {"JAM", "GBR"};
  r.documents.push_back({"P", "X123", "GBR", day_number("2027-01-01")});
  return r;
}

Rule Compile(const std::string& text) {
  auto r = Rule::Compile(text, kLists);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? *r : *Rule::Compile("rule \"x\" severity low category c when false", kLists);
}

const int32_t kToday = day_number("2026-11-19");

TEST(RuleTest, TheAnalystsExampleHitsAndExplainsItself) {
  const Rule rule = Compile(
      "rule \"Late cash one-way via source country\" severity high category narcotics\n"
      "when booking.days_before_departure <= 3 and payment.type == \"CASH\"\n"
      "  and itinerary.one_way and any segment.origin_country in list(\"source-countries\")");
  EXPECT_EQ(rule.name(), "Late cash one-way via source country");
  EXPECT_EQ(rule.severity(), "high");
  EXPECT_EQ(rule.category(), "narcotics");
  EXPECT_EQ(rule.lists(), std::set<std::string>{"source-countries"});
  const TravelRecord r = LateCashOneWay();
  const auto outcome = rule.Evaluate(r, kToday);
  EXPECT_TRUE(outcome.hit);
  EXPECT_EQ(outcome.error(), "");
  const auto why = rule.Explain(r, kToday);
  ASSERT_EQ(why.size(), 4u) << testing::PrintToString(why);
  EXPECT_EQ(why[0], "booking.days_before_departure is 2 (<= 3)");
  EXPECT_EQ(why[1], "payment 1: payment.type is CASH (== \"CASH\")");
  EXPECT_EQ(why[2], "itinerary.one_way is true");
  EXPECT_EQ(why[3], "segment 1: segment.origin_country is JAM (in list(\"source-countries\"))");

  TravelRecord paid_by_card = r;
  paid_by_card.payments[0].type = "CARD";
  EXPECT_FALSE(rule.Evaluate(paid_by_card, kToday).hit);
  EXPECT_TRUE(rule.Explain(paid_by_card, kToday).empty());
}

TEST(RuleTest, MissingDataIsReportedUnlessTheConditionIsDecidedWithoutIt) {
  const Rule rule = Compile("rule \"r\" severity low category c when booking.days_before_departure <= 3");
  TravelRecord api_only = LateCashOneWay();
  api_only.has_booking = false;
  const auto outcome = rule.Evaluate(api_only, kToday);
  EXPECT_FALSE(outcome.hit);
  EXPECT_EQ(outcome.error(), "booking.days_before_departure is not known");
  // Decided either way without the booking: no error.
  const Rule guarded = Compile(
      "rule \"r\" severity low category c when present(booking.created) and booking.days_before_departure <= 3");
  EXPECT_EQ(guarded.Evaluate(api_only, kToday).error(), "");
  const Rule either = Compile(
      "rule \"r\" severity low category c when booking.days_before_departure <= 3 or traveller.nationality == \"GBR\"");
  EXPECT_TRUE(either.Evaluate(api_only, kToday).hit);
  const Rule cash = Compile("rule \"r\" severity low category c when any payment.type == \"CASH\"");
  EXPECT_EQ(cash.Evaluate(api_only, kToday).error(), "booking is not known");
}

TEST(RuleTest, CollectionsReadWithAnyAllAndCount) {
  TravelRecord r = LateCashOneWay();
  r.segments.push_back({"BA", "BA15", "LGW", "SIN", "GBR", "SGP", day_number("2026-11-22"), kNoDate});
  auto hit = [&](const std::string& cond) {
    return Compile("rule \"r\" severity low category c when " + cond).Evaluate(r, kToday).hit;
  };
  EXPECT_TRUE(hit("any segment.destination == \"SIN\""));
  EXPECT_TRUE(hit("segment.destination == \"SIN\""));  // a collection outside any: any item
  EXPECT_FALSE(hit("all segment.destination == \"SIN\""));
  EXPECT_TRUE(hit("all segment.carrier == \"BA\""));
  EXPECT_TRUE(hit("count(segment) == 2"));
  EXPECT_TRUE(hit("count(segment where segment.origin_country in list(\"source-countries\")) == 1"));
  EXPECT_TRUE(hit("any segment where (segment.origin == \"KIN\" and segment.destination == \"LGW\")"));
  EXPECT_FALSE(hit("any segment where (segment.origin == \"KIN\" and segment.destination == \"SIN\")"));
  EXPECT_TRUE(hit("any route.country in [\"JAM\", \"PER\"]"));
  EXPECT_TRUE(hit("not any cotraveller.has_alert"));
  r.cotravellers.push_back({});
  r.cotravellers.back().has_alert = true;
  EXPECT_TRUE(hit("any cotraveller.has_alert"));
}

TEST(RuleTest, DatesTextAndArithmetic) {
  const TravelRecord r = LateCashOneWay();
  auto hit = [&](const std::string& cond) {
    return Compile("rule \"r\" severity low category c when " + cond).Evaluate(r, kToday).hit;
  };
  EXPECT_TRUE(hit("flight.departure - booking.created == 2"));
  EXPECT_TRUE(hit("booking.created + 2 == flight.departure"));
  EXPECT_TRUE(hit("flight.departure > today and flight.departure < today + 7"));
  EXPECT_TRUE(hit("traveller.birth_date < date(\"1991-01-01\")"));
  EXPECT_TRUE(hit("traveller.age >= 18 and -traveller.age < 0"));
  EXPECT_TRUE(hit("any document.expiry < flight.departure + 60"));
  EXPECT_TRUE(hit("traveller.surname matches \"^d.e$\""));  // patterns ignore case
  EXPECT_TRUE(hit("traveller.surname == \"doe\""));         // so do texts
  EXPECT_TRUE(hit("traveller.surname starts_with \"DO\" and traveller.surname contains \"OE\""));
  EXPECT_TRUE(hit("traveller.nationality not in [\"FRA\", \"DEU\"]"));
  EXPECT_FALSE(hit("traveller.nationality in list(\"source-countries\")"));
}

// What the analyst sees for a rule that cannot be stored.
std::string ErrorOf(const std::string& text, RuleError* error = nullptr) {
  auto r = Rule::Compile(text, kLists, error);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error();
}

TEST(RuleTest, ErrorsNameTheLineTheColumnAndAHint) {
  RuleError e;
  const std::string text =
      "rule \"r\" severity high category c\n"
      "when booking.days_before_departur <= 3";
  const std::string shown = ErrorOf(text, &e);
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 6);
  EXPECT_EQ(e.message, "unknown field booking.days_before_departur");
  EXPECT_EQ(e.hint, "did you mean booking.days_before_departure?");
  EXPECT_EQ(shown,
            "line 2, column 6: unknown field booking.days_before_departur\n"
            "  when booking.days_before_departur <= 3\n"
            "       ^\n"
            "  hint: did you mean booking.days_before_departure?");

  ErrorOf("rule \"r\" severity high category c when traveller.nationality in list(\"source-country\")", &e);
  EXPECT_EQ(e.message, "no value list named \"source-country\"");
  EXPECT_EQ(e.hint, "did you mean source-countries?");
  ErrorOf("rule \"r\" severity high category c when traveller.nationality in list(\"unheard-of\")", &e);
  EXPECT_EQ(e.hint, "create it with: vigil values set unheard-of ITEM...");

  ErrorOf("rule \"r\" severity high category c when traveller.age == \"18\"", &e);
  EXPECT_EQ(e.message, "cannot apply == to traveller.age (number) and \"18\" (text)");
  EXPECT_EQ(e.column, 54);

  ErrorOf("rule \"r\" severity urgent category c when true", &e);
  EXPECT_EQ(e.message, "severity must be high, medium or low");
  ErrorOf("rule \"r\" category c when true", &e);
  EXPECT_EQ(e.message, "the rule has no severity");
  ErrorOf("rule \"r\" severity low category c when traveller.age", &e);
  EXPECT_EQ(e.message, "the condition must be yes/no, but traveller.age is a number");
  ErrorOf("rule \"r\" severity low category c when traveller.surname matches \"(\"", &e);
  EXPECT_NE(e.message.find("invalid pattern"), std::string::npos);
  ErrorOf("rule \"r\" severity low category c when traveller.surname == \"DOE", &e);
  EXPECT_EQ(e.message, "text not closed");
  ErrorOf("rule \"r\" severity low category c when traveller.surname = \"DOE\"", &e);
  EXPECT_EQ(e.hint, "write == to compare");
  ErrorOf("rule \"r\" severity low category c when segment.origin == document.issuing_country", &e);
  EXPECT_EQ(e.message, "segment.origin == document.issuing_country reads two collections at once");
  ErrorOf("rule \"r\" severity low category c when traveller.age > 3 traveller.age < 9", &e);
  EXPECT_EQ(e.message, "unexpected 'traveller' after the condition");
  ErrorOf("rule \"r\" severity low category c when (traveller.age > 3", &e);
  EXPECT_EQ(e.message, "expected ')' before the end");
  ErrorOf("rule \"r\" severity low category c when flight.departure + booking.created > 3", &e);
  EXPECT_EQ(e.hint, "dates take and give days: DATE - DATE, DATE + NUMBER, DATE - NUMBER");
  ErrorOf("rule \"r\" severity low category c when any traveller.age > 3", &e);
  EXPECT_EQ(e.message, "any takes a collection");
}

TEST(RuleTest, DayNumbersRoundTrip) {
  EXPECT_EQ(day_number("1970-01-01"), 0);
  EXPECT_EQ(day_number("2000-03-01") - day_number("2000-02-28"), 2);  // leap year
  EXPECT_EQ(day_number("2026-02-29"), kNoDate);
  EXPECT_EQ(day_number("2026-13-01"), kNoDate);
  EXPECT_EQ(day_number("2026-11-20T10:30"), day_number("2026-11-20"));
  for (int32_t d = -800000; d < 800000; d += 997) EXPECT_EQ(day_number(iso_date(d)), d);
}

TEST(RuleTest, AConstantConditionThatHoldsIsExplained) {
  const Rule rule = Compile("rule \"r\" severity low category c when false or true");
  const TravelRecord r = LateCashOneWay();
  EXPECT_TRUE(rule.Evaluate(r, kToday).hit);
  EXPECT_EQ(rule.Explain(r, kToday), std::vector<std::string>{"true"});
}

TEST(RuleTest, ValuesOfACollectionAreNotConditions) {
  RuleError e;
  ErrorOf("rule \"r\" severity low category c when (-cotraveller.age)", &e);
  EXPECT_EQ(e.message, "the condition must be yes/no, but -cotraveller.age is a number");
  ErrorOf("rule \"r\" severity low category c when not (segment.origin)", &e);
  EXPECT_EQ(e.message, "not applies to a yes/no condition; must be yes/no, but segment.origin is a text");
  ErrorOf("rule \"r\" severity low category c when segment.departure and true", &e);
  EXPECT_EQ(e.message, "and joins yes/no conditions; must be yes/no, but segment.departure is a date");
  // In parentheses a value still takes part in the comparison around it.
  const Rule rule = Compile("rule \"r\" severity low category c when (segment.origin) == \"KIN\"");
  EXPECT_TRUE(rule.Evaluate(LateCashOneWay(), kToday).hit);
}

TEST(RuleTest, NestedQuantifiersOverOneCollection) {
  TravelRecord r = LateCashOneWay();
  r.segments.push_back({"BA", "BA15", "LGW", "SIN", "GBR", "SGP", day_number("2026-11-22"), kNoDate});
  auto outcome = [&](const std::string& cond) {
    return Compile("rule \"r\" severity low category c when " + cond).Evaluate(r, kToday);
  };
  EXPECT_TRUE(outcome("all segment where any segment where segment.origin == \"KIN\"").hit);
  EXPECT_FALSE(outcome("all segment where any segment where segment.origin == \"SIN\"").hit);
  EXPECT_TRUE(outcome("count(segment where any segment where segment.origin == \"LGW\") == 2").hit);
  const Rule rule = Compile(
      "rule \"r\" severity low category c when "
      "any segment where (count(segment where segment.origin == \"KIN\") == 1 and segment.origin == \"LGW\")");
  EXPECT_TRUE(rule.Evaluate(r, kToday).hit);
  EXPECT_EQ(rule.Explain(r, kToday),
            (std::vector<std::string>{"segment 2: count(segment where segment.origin == \"KIN\") is 1 (== 1)",
                                      "segment 2: segment.origin is LGW (== \"LGW\")"}));
}

TEST(RuleTest, DateArithmeticBeyondAnyCalendarIsUnknown) {
  const TravelRecord r = LateCashOneWay();
  for (const char* cond : {"today + 2147483000 > today", "flight.departure - 3000000000 < today",
                           "today + 99999999999999999999 - today > 0"}) {
    const auto outcome = Compile(std::string("rule \"r\" severity low category c when ") + cond).Evaluate(r, kToday);
    EXPECT_FALSE(outcome.hit) << cond;
    EXPECT_EQ(outcome.error(), "the condition could not be decided") << cond;
  }
  EXPECT_TRUE(Compile("rule \"r\" severity low category c when today + 365000 - today == 365000").Evaluate(r, kToday).hit);
}

TEST(RuleTest, PatternsAreReadAsWrittenAndExplanationsIgnoreParentheses) {
  const TravelRecord r = LateCashOneWay();
  // \w would read as \W once upper-cased.
  EXPECT_TRUE(Compile("rule \"r\" severity low category c when traveller.surname matches \"^\\w+$\"").Evaluate(r, kToday).hit);
  EXPECT_TRUE(Compile("rule \"r\" severity low category c when traveller.surname matches \"^[[:alpha:]]+$\"")
                  .Evaluate(r, kToday).hit);
  const Rule rule = Compile("rule \"r\" severity low category c when (traveller.age > 3) and ((traveller.age + 1) > 4)");
  EXPECT_EQ(rule.Explain(r, kToday),
            (std::vector<std::string>{"traveller.age is 36 (> 3)", "traveller.age + 1 is 37 (> 4)"}));
}

TEST(RuleTest, AnUndecidedRuleNamesWhatItNeededNotWhatItSkipped) {
  TravelRecord r = LateCashOneWay();
  r.has_booking = false;
  r.traveller.nationality.clear();
  // The booking branch is decided false by the age; only the nationality is needed.
  const Rule rule = Compile(
      "rule \"r\" severity low category c when (booking.days_before_departure < 3 and traveller.age > 90) or "
      "traveller.nationality == \"GBR\"");
  const auto o = rule.Evaluate(r, kToday);
  EXPECT_FALSE(o.decided);
  EXPECT_EQ(o.missing, "traveller.nationality");
  EXPECT_EQ(o.error(), "traveller.nationality is not known");
}

TEST(RuleTest, NumbersBeyondRangeAreRejected) {
  RuleError e;
  ErrorOf("rule \"r\" severity low category c when traveller.age < 1" + std::string(400, '0'), &e);
  EXPECT_EQ(e.message.substr(0, 20), "number out of range ");
}

TEST(RuleTest, TheExampleAsWrittenInTheRequirementCompiles) {
  const ValueLists lists = {{"source-countries", {"KIN", "BOG"}}};  // airports, as segment.origin reads them
  auto rule = Rule::Compile(
      "rule \"Late cash one-way via source country\" severity high category narcotics when "
      "booking.days_before_departure <= 3 and payment.type == \"CASH\" and itinerary.one_way and "
      "any segment.origin in list(\"source-countries\")",
      lists);
  ASSERT_TRUE(rule.ok()) << rule.error();
  EXPECT_TRUE(rule->Evaluate(LateCashOneWay(), kToday).hit);
}

}  // namespace
}  // namespace vigil
