#include "model/json.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(TravellerJson, ReadsBackWhatItWrites) {
  Traveller t;
  t.role = Traveller::Role::kInTransitCrew;
  t.surname = "MÜLLER-LÜDENSCHEIDT";
  t.given_names = "ANNA MARIA";
  t.sex = "F";
  t.birth_date = "1992-11-03";
  t.place_of_birth = "BONN";
  t.nationality = "DEU";
  t.residence_country = "DEU";
  t.address = Address{"R", "1 HAUPTSTRASSE", "BONN", "NW", "53111", "DEU"};
  t.documents.push_back({"P", "C01X00T47", "DEU", "2029-05-17", "2019-05-18", "BONN", ""});
  t.documents.push_back({"V", "K4452109", "USA", "", "", "", "USA"});
  t.embarkation = "LHR";
  t.debarkation = "JFK";
  t.transit = {"DUB"};
  t.reservation_reference = "K7QX2M";
  t.seat = "2A";
  t.bags = 2;
  t.bag_tags = {"0125123456"};
  t.reference = "3";

  Traveller back;
  ASSERT_TRUE(from_json(to_json(t), &back));
  EXPECT_EQ(dump_line(to_json(back)), dump_line(to_json(t)));
  EXPECT_EQ(back.role, Traveller::Role::kInTransitCrew);
  EXPECT_EQ(back.documents.at(1).applicable_state, "USA");
  ASSERT_TRUE(back.address.has_value());
  EXPECT_EQ(back.address->postal_code, "53111");
}

TEST(TravellerJson, IgnoresPnrFieldsAndRefusesWrongTypes) {
  Traveller t;
  ASSERT_TRUE(from_json(nlohmann::json::parse(
                            R"({"surname": "OKONKWO", "type": "A", "seats": ["2A"], "tickets": []})"),
                        &t));
  EXPECT_EQ(t.surname, "OKONKWO");
  EXPECT_FALSE(from_json(nlohmann::json::parse(R"({"surname": 7})"), &t));
  EXPECT_FALSE(from_json(nlohmann::json::parse(R"({"documents": {"number": "X"}})"), &t));
  EXPECT_FALSE(from_json(nlohmann::json::parse("[]"), &t));
}

}  // namespace
}  // namespace vigil
