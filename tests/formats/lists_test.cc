#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "formats/lists/generic.h"
#include "formats/lists/ofac.h"
#include "formats/lists/un.h"

#ifndef VIGIL_SOURCE_DIR
#define VIGIL_SOURCE_DIR "/work/main"
#endif

namespace vigil {
namespace {

using Kind = WatchEntry::Kind;
using Strings = std::vector<std::string>;

std::optional<std::string> slurp(const std::string& relative) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const WatchEntry* find(const ListRead& r, std::string_view reference) {
  for (const WatchEntry& e : r.entries)
    if (e.reference == reference) return &e;
  return nullptr;
}

const WatchName* name_of(const WatchEntry& e, std::string_view full) {
  for (const WatchName& n : e.names)
    if (n.full == full) return &n;
  return nullptr;
}

Strings fulls(const WatchEntry& e) {
  Strings out;
  for (const WatchName& n : e.names) out.push_back(n.full);
  return out;
}

// Every finding as "FILE:LINE:COLUMN: ..." text.
Strings findings(const ListRead& r) {
  Strings out;
  for (const Diagnostic& d : r.diags.all()) out.push_back(d.to_string());
  return out;
}

bool has_finding(const ListRead& r, std::string_view part) {
  for (const Diagnostic& d : r.diags.all())
    if (d.to_string().find(part) != std::string::npos) return true;
  return false;
}

// A failed read: an error and no entry.
void expect_rejected(const ListRead& r, std::string_view reason) {
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.entries.empty());
  EXPECT_TRUE(has_finding(r, reason)) << ::testing::PrintToString(findings(r));
}

// ---------------------------------------------------------------------------
// OFAC: inline inputs

ListRead ofac(std::string_view sdn, std::string_view alt = {}, std::string_view add = {},
              std::string_view comments = {}) {
  OfacFiles f;
  f.sdn = {sdn, "sdn.csv"};
  if (!alt.empty()) f.alt = {alt, "alt.csv"};
  if (!add.empty()) f.add = {add, "add.csv"};
  if (!comments.empty()) f.comments = {comments, "sdn_comments.csv"};
  return read_ofac_sdn(f, "ofac-sdn");
}

// One sdn.csv row of a person with these remarks.
std::string person_row(std::string_view ent, std::string_view name, std::string_view remarks) {
  return std::string(ent) + ",\"" + std::string(name) +
         "\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"" + std::string(remarks) +
         "\"\r\n";
}

const WatchEntry& only_entry(const ListRead& r) {
  EXPECT_EQ(r.entries.size(), 1u) << ::testing::PrintToString(findings(r));
  static const WatchEntry kNone;
  return r.entries.empty() ? kNone : r.entries.front();
}

TEST(OfacSdn, PersonNameIsSplitAtTheComma) {
  const ListRead r = ofac(person_row("10", "NORIEGA, Manuel Antonio", "-0-"));
  ASSERT_TRUE(r.ok());
  const WatchEntry& e = only_entry(r);
  EXPECT_EQ(e.kind, Kind::kPerson);
  EXPECT_EQ(e.reference, "10");
  EXPECT_EQ(e.list, "ofac-sdn");
  EXPECT_EQ(e.category, "sanctions");
  EXPECT_EQ(e.severity, "high");
  EXPECT_EQ(e.program, "SDGT");
  ASSERT_EQ(e.names.size(), 1u);
  EXPECT_EQ(e.names[0].full, "NORIEGA, Manuel Antonio");
  EXPECT_EQ(e.names[0].surname, "NORIEGA");
  EXPECT_EQ(e.names[0].given, "Manuel Antonio");
  EXPECT_TRUE(e.names[0].primary);
  EXPECT_FALSE(e.names[0].weak);
}

TEST(OfacSdn, NameSuffixesAndNamesWithoutComma) {
  const ListRead r = ofac(person_row("1", "KNOWLES, JR., Samuel", "-0-") +
                          person_row("2", "DELOS REYES, Feliciano Semborio, Jr.", "-0-") +
                          person_row("3", "MARUF, Taha, Muhyi al-Din", "-0-") +
                          person_row("4", "ABU ZUBAYDAH", "-0-"));
  ASSERT_EQ(r.entries.size(), 4u);
  EXPECT_EQ(r.entries[0].names[0].surname, "KNOWLES");
  EXPECT_EQ(r.entries[0].names[0].given, "Samuel");
  EXPECT_EQ(r.entries[1].names[0].surname, "DELOS REYES");
  EXPECT_EQ(r.entries[1].names[0].given, "Feliciano Semborio");
  EXPECT_EQ(r.entries[1].names[0].full, "DELOS REYES, Feliciano Semborio, Jr.");
  EXPECT_EQ(r.entries[2].names[0].given, "Taha Muhyi al-Din");
  EXPECT_EQ(r.entries[3].names[0].full, "ABU ZUBAYDAH");
  EXPECT_EQ(r.entries[3].names[0].surname, "");
  EXPECT_EQ(r.entries[3].names[0].given, "");
}

TEST(OfacSdn, KindsProgramsAndVesselDetails) {
  const std::string sdn =
      "480,\"CECOEX, S.A.\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      "15036,\"ALBORZ\",\"vessel\",\"IRAN] [NPWMD\",-0- ,\"9HEX9\",\"Container Ship\","
      "\"1000\",\"2000\",\"Malta\",\"SHIPPING CO\",\"Vessel Registration Identification IMO "
      "9328900.\"\r\n"
      "20547,\"P-671\",\"aircraft\",\"DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Aircraft Model "
      "A148-100.\"\r\n";
  const ListRead r = ofac(sdn);
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].kind, Kind::kEntity);
  EXPECT_EQ(r.entries[0].names[0].full, "CECOEX, S.A.");
  EXPECT_EQ(r.entries[0].names[0].surname, "");  // entities are not split
  EXPECT_EQ(r.entries[1].kind, Kind::kVessel);
  EXPECT_EQ(r.entries[1].program, "IRAN; NPWMD");
  EXPECT_EQ(r.entries[1].nationalities, Strings{"MLT"});
  EXPECT_EQ(r.entries[1].remarks,
            "Call Sign: 9HEX9; Vessel Type: Container Ship; Tonnage: 1000; GRT: 2000; Flag: "
            "Malta; Owner: SHIPPING CO; Vessel Registration Identification IMO 9328900");
  EXPECT_EQ(r.entries[2].kind, Kind::kAircraft);
  EXPECT_TRUE(r.diags.all().empty());
}

TEST(OfacSdn, EveryDateOfBirthForm) {
  const ListRead r = ofac(person_row(
      "7", "DOE, John",
      "DOB 01 Jan 1960; alt. DOB 1961; alt. DOB Jan 1962; alt. DOB circa 1963; alt. DOB 1958 to "
      "1964; alt. DOB 01 Jan 1965 to 31 Dec 1966; alt. DOB circa 1979-1982; alt. DOB circa 07 Jul "
      "1967; alt. DOB Mar 1968 to Feb 1969; alt. DOB 5 Sep 1970."));
  const WatchEntry& e = only_entry(r);
  EXPECT_EQ(e.birth_dates, (Strings{"1960-01-01", "1961", "1962-01", "1963", "1958/1964",
                                    "1965/1966", "1979/1982", "1967", "1968/1969", "1970-09-05"}));
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
}

TEST(OfacSdn, UnreadableDateOfBirthIsALocatedWarning) {
  const ListRead r =
      ofac(person_row("7", "DOE, John", "DOB 31 Feb 1960; alt. DOB sometime; POB Baghdad, Iraq"));
  ASSERT_TRUE(r.ok());
  const WatchEntry& e = only_entry(r);
  EXPECT_TRUE(e.birth_dates.empty());
  EXPECT_EQ(e.places_of_birth, Strings{"Baghdad, Iraq"});
  ASSERT_EQ(r.diags.warning_count(), 2u);
  // The remarks field starts at column 70 of line 1.
  EXPECT_EQ(r.diags.all()[0].to_string(),
            "sdn.csv:1:70: warning: entry 7: date of birth not read: 'DOB 31 Feb 1960'");
  EXPECT_EQ(r.diags.all()[0].where.offset, 69u);
}

TEST(OfacSdn, RemarkPatterns) {
  const ListRead r = ofac(person_row(
      "4107", "RODRIGUEZ OREJUELA, Gilberto Jose",
      "DOB 31 Jan 1939; POB Mariquita, Tolima, Colombia; alt. POB Bogota, Colombia; nationality "
      "Colombia; alt. nationality possibly Palestinian; citizen Korea, North; Gender Male; Cedula "
      "No. 6068015 (Colombia); Passport T321642 (Colombia) issued 10 Jul 1998 expires 10 Jul "
      "2008; alt. Passport 77588; National ID No. 660000 73767 (Belgium); Identification Number AO "
      "2879097 (Italy) expires 30 Oct 2012; Diplomatic Passport 008827 (Iran) issued 1999; "
      "Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001; SSN 523-33-8386 (United "
      "States); Tax ID No. 02681293-E (Spain); a.k.a. 'THE CHESS PLAYER'; a.k.a. LUCAS; f.k.a. "
      "'GILBERTO'; Linked To: CALI CARTEL."));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  const WatchEntry& e = only_entry(r);
  EXPECT_EQ(e.birth_dates, Strings{"1939-01-31"});
  EXPECT_EQ(e.places_of_birth, (Strings{"Mariquita, Tolima, Colombia", "Bogota, Colombia"}));
  EXPECT_EQ(e.nationalities, (Strings{"COL", "PSE", "PRK"}));
  EXPECT_EQ(e.sex, "M");
  ASSERT_EQ(e.documents.size(), 8u);
  EXPECT_EQ(e.documents[0].type, "I");
  EXPECT_EQ(e.documents[0].number, "6068015");
  EXPECT_EQ(e.documents[0].country, "COL");
  EXPECT_EQ(e.documents[1].type, "P");
  EXPECT_EQ(e.documents[1].number, "T321642");
  EXPECT_EQ(e.documents[1].note, "issued 10 Jul 1998 expires 10 Jul 2008");
  EXPECT_EQ(e.documents[2].number, "77588");
  EXPECT_EQ(e.documents[2].country, "");
  EXPECT_EQ(e.documents[3].number, "660000 73767");
  EXPECT_EQ(e.documents[3].country, "BEL");
  EXPECT_EQ(e.documents[4].type, "I");
  EXPECT_EQ(e.documents[4].number, "AO 2879097");
  EXPECT_EQ(e.documents[4].country, "ITA");
  EXPECT_EQ(e.documents[4].note, "expires 30 Oct 2012");
  EXPECT_EQ(e.documents[5].type, "P");
  EXPECT_EQ(e.documents[5].country, "IRN");
  EXPECT_EQ(e.documents[6].number, "L 191609");
  EXPECT_EQ(e.documents[6].note, "issued 28 Feb 1996 expires 27 Feb 2001");
  EXPECT_EQ(e.documents[7].type, "SSN");
  EXPECT_EQ(e.documents[7].country, "USA");
  ASSERT_EQ(e.names.size(), 4u);
  for (const char* weak : {"THE CHESS PLAYER", "LUCAS", "GILBERTO"}) {
    const WatchName* n = name_of(e, weak);
    ASSERT_NE(n, nullptr) << weak;
    EXPECT_TRUE(n->weak);
    EXPECT_FALSE(n->primary);
  }
  EXPECT_EQ(name_of(e, "CALI CARTEL"), nullptr);  // links stay in the remarks
  EXPECT_NE(e.remarks.find("Linked To: CALI CARTEL"), std::string::npos);
  EXPECT_EQ(e.remarks.back(), 'L');  // the closing period is dropped
}

TEST(OfacSdn, GenderFemaleAndEntityWeakAlias) {
  const ListRead r =
      ofac(person_row("1", "DOE, Jane", "Gender Female") +
           "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
           "\"a.k.a. 'BNC, S.A.'.\"\r\n");
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].sex, "F");
  const WatchName* bnc = name_of(r.entries[1], "BNC, S.A.");
  ASSERT_NE(bnc, nullptr);
  EXPECT_TRUE(bnc->weak);
  EXPECT_EQ(bnc->surname, "");
}

TEST(OfacSdn, AliasesAddressesAndComments) {
  const std::string sdn =
      person_row("28264", "PARK, Jin Hyok", "DOB 1984; Phone Number 86133; Identificat") +
      "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
  const std::string alt =
      "28264,1,\"aka\",\"PAK, Jin Hek\",-0- \r\n"
      "28264,2,\"aka\",\"PAK, Kwang Jin\",\"weak\"\r\n"
      "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n";
  const std::string add =
      "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n"
      "28264,26,\"Street 1\",\"Pyongyang\",\"Korea, North\",\"as of 2018\"\r\n";
  const std::string comments = "28264,\"ion Number 2103 (China); a.k.a. 'blackjack1987'.\"\r\n";
  const ListRead r = ofac(sdn, alt, add, comments);
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  ASSERT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
  const WatchEntry* park = find(r, "28264");
  ASSERT_NE(park, nullptr);
  EXPECT_EQ(fulls(*park),
            (Strings{"PARK, Jin Hyok", "PAK, Jin Hek", "PAK, Kwang Jin", "blackjack1987"}));
  EXPECT_EQ(name_of(*park, "PAK, Jin Hek")->surname, "PAK");
  EXPECT_FALSE(name_of(*park, "PAK, Jin Hek")->weak);
  EXPECT_TRUE(name_of(*park, "PAK, Kwang Jin")->weak);
  ASSERT_EQ(park->documents.size(), 1u);
  EXPECT_EQ(park->documents[0].number, "2103");
  EXPECT_EQ(park->documents[0].country, "CHN");
  EXPECT_EQ(park->remarks,
            "DOB 1984; Phone Number 86133; Identification Number 2103 (China); a.k.a. "
            "'blackjack1987'; Address: Street 1, Pyongyang, Korea, North (as of 2018)");
  const WatchEntry* air = find(r, "36");
  ASSERT_NE(air, nullptr);
  EXPECT_EQ(fulls(*air), (Strings{"AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"}));
  EXPECT_EQ(air->remarks, "Address: Havana, Cuba");
}

TEST(OfacSdn, CsvQuotingAndLineEndings) {
  const std::string sdn =
      "1,\"SMITH \"\"THE HAMMER\"\", John\",\"individual\",\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,"
      "-0-\n"
      "2,\"X, Y\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1A";
  const ListRead r = ofac(sdn);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].names[0].surname, "SMITH \"THE HAMMER\"");
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
}

TEST(OfacSdn, MalformedRowsAreLocatedWarningsAndSkipped) {
  const std::string sdn = person_row("1", "GOOD, One", "-0-") +       // line 1
                          "2,\"SHORT, Row\",\"individual\"\r\n" +     // line 2
                          "3,\"OPEN, Quote,individual,-0-\r\n" +      // line 3
                          person_row("X4", "BAD, Number", "-0-") +    // line 4
                          person_row("1", "DUPLICATE, One", "-0-") +  // line 5
                          "6,\"AFTER\"QUOTE,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n" +  // 6
                          person_row("7", "GOOD, Seven", "-0-");  // line 7
  const std::string alt = "99,1,\"aka\",\"NOBODY\",-0- \r\n1,2,\"aka\",\"GOOD, Uno\",-0- \r\n";
  const ListRead r = ofac(sdn, alt);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].reference, "1");
  EXPECT_EQ(r.entries[1].reference, "7");
  EXPECT_EQ(r.entries[0].names.size(), 2u);
  const Strings f = findings(r);
  ASSERT_EQ(f.size(), 6u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0], "sdn.csv:2:1: warning: row has 3 fields; sdn.csv rows have 12; row skipped");
  EXPECT_EQ(f[1], "sdn.csv:3:3: warning: quoted field is not closed; row skipped");
  EXPECT_EQ(f[2], "sdn.csv:4:1: warning: ent_num 'X4' is not a number; row skipped");
  EXPECT_EQ(f[3], "sdn.csv:5:1: warning: ent_num 1 appears twice; the first is kept");
  EXPECT_EQ(f[4], "sdn.csv:6:10: warning: text after the closing quote of a field; row skipped");
  EXPECT_EQ(f[5], "alt.csv:1:1: warning: ent_num 99 is not in sdn.csv; row skipped");
}

TEST(OfacSdn, Latin1IsConvertedWithAWarning) {
  const ListRead r = ofac(person_row("1", "P\xC9REZ, Jos\xE9", "-0-"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(only_entry(r).names[0].full, "PÉREZ, José");
  EXPECT_TRUE(has_finding(r, "sdn.csv:1:1: warning: sdn.csv is not UTF-8; read as ISO-8859-1"));

  // Offsets count the file's bytes, not those of its UTF-8 form.
  const ListRead bad = ofac(person_row("1", "P\xC9REZ, Jos\xE9", "DOB 1 Foo 1960"));
  ASSERT_EQ(bad.diags.all().size(), 2u);
  EXPECT_EQ(bad.diags.all()[1].where.column, 72u);
  EXPECT_EQ(bad.diags.all()[1].where.offset, 71u);
}

TEST(OfacSdn, InputsThatAreNotAnSdnListAreRejected) {
  expect_rejected(ofac(""), "sdn.csv is empty");
  expect_rejected(ofac(" \r\n\x1A"), "sdn.csv is empty");
  expect_rejected(ofac(std::string("1,\"A\0B\"", 7)), "binary");
  expect_rejected(ofac("<?xml version=\"1.0\"?><CONSOLIDATED_LIST/>"),
                  "sdn.csv holds no readable entry");
  expect_rejected(ofac("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n"), "no readable entry");
  expect_rejected(read_ofac_sdn(OfacFiles{}, "ofac-sdn"), "needs sdn.csv");
  const std::string good = person_row("1", "DOE, John", "-0-");
  expect_rejected(ofac(good, std::string("\x01\x02\x03\0", 4)), "alt.csv holds binary data");
  expect_rejected(ofac(good, "a,b\r\nc,d\r\n"), "alt.csv holds no readable row");
}

TEST(OfacSdn, EmptyOptionalFileIsOnlyAWarning) {
  OfacFiles f;
  const std::string sdn = person_row("1", "DOE, John", "-0-");
  f.sdn = {sdn, "sdn.csv"};
  f.comments = {"", "sdn_comments.csv"};
  const ListRead r = read_ofac_sdn(f, "ofac-sdn");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.entries.size(), 1u);
  EXPECT_TRUE(has_finding(r, "sdn_comments.csv: warning: sdn_comments.csv is empty"));
}

// ---------------------------------------------------------------------------
// OFAC: the real sample

class OfacSample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = "data/lists/ofac-sdn/";
    sdn_ = slurp(dir + "sdn.csv");
    alt_ = slurp(dir + "alt.csv");
    add_ = slurp(dir + "add.csv");
    comments_ = slurp(dir + "sdn_comments.csv");
    if (!sdn_ || !alt_ || !add_ || !comments_) return;
    OfacFiles f;
    f.sdn = {*sdn_, "sdn.csv"};
    f.alt = {*alt_, "alt.csv"};
    f.add = {*add_, "add.csv"};
    f.comments = {*comments_, "sdn_comments.csv"};
    read_ = new ListRead(read_ofac_sdn(f, "ofac-sdn"));
  }
  static void TearDownTestSuite() {
    delete read_;
    read_ = nullptr;
  }
  void SetUp() override {
    if (!read_) GTEST_SKIP() << "data/lists/ofac-sdn is missing";
  }

  static inline std::optional<std::string> sdn_, alt_, add_, comments_;
  static inline ListRead* read_ = nullptr;
};

TEST_F(OfacSample, ReadsEveryEntryAndAliasCleanly) {
  const ListRead& r = *read_;
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
  EXPECT_EQ(r.entries.size(), 8976u);
  size_t strong_aliases = 0, weak = 0, primaries = 0;
  for (const WatchEntry& e : r.entries)
    for (const WatchName& n : e.names) {
      primaries += n.primary;
      strong_aliases += !n.primary && !n.weak;
      weak += n.weak;
    }
  EXPECT_EQ(primaries, 8976u);
  // 11,910 alt.csv rows; a few repeat a name the entry already has.
  EXPECT_GE(strong_aliases, 11900u);
  EXPECT_LE(strong_aliases, 11910u);
  EXPECT_GE(weak, 2400u);
}

TEST_F(OfacSample, PersonsGetDatesNationalitiesAndPassports) {
  size_t persons = 0, dob = 0, nationality = 0, passport = 0, pob = 0, sex = 0, documents = 0;
  size_t dates = 0;
  for (const WatchEntry& e : read_->entries) {
    if (e.kind != Kind::kPerson) continue;
    ++persons;
    dob += !e.birth_dates.empty();
    dates += e.birth_dates.size();
    nationality += !e.nationalities.empty();
    pob += !e.places_of_birth.empty();
    sex += !e.sex.empty();
    documents += e.documents.size();
    passport += std::any_of(e.documents.begin(), e.documents.end(),
                            [](const WatchDocument& d) { return d.type == "P"; });
    for (const std::string& d : e.birth_dates)
      EXPECT_TRUE(d.size() == 4 || d.size() == 7 || d.size() == 9 || d.size() == 10) << d;
  }
  std::cout << "[ OFAC     ] persons " << persons << ", with DOB " << dob << " (" << dates
            << " dates), with nationality " << nationality << ", with place of birth " << pob
            << ", with sex " << sex << ", with passport " << passport << ", documents " << documents
            << "\n";
  EXPECT_EQ(persons, 4620u);
  EXPECT_GE(dob, 4400u);
  EXPECT_GE(nationality, 2500u);
  EXPECT_GE(passport, 1150u);
  EXPECT_GE(pob, 2800u);
  EXPECT_GE(sex, 1500u);
}

TEST_F(OfacSample, NationalitiesAndDocumentCountriesAreCodes) {
  for (const WatchEntry& e : read_->entries) {
    for (const std::string& n : e.nationalities) EXPECT_EQ(n.size(), 3u) << e.reference << " " << n;
    for (const WatchDocument& d : e.documents)
      EXPECT_TRUE(d.country.empty() || d.country.size() == 3) << e.reference << " " << d.country;
  }
}

TEST_F(OfacSample, KnownEntries) {
  const WatchEntry* e = find(*read_, "2676");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->names[0].surname, "AL ZAWAHIRI");
  EXPECT_EQ(e->names[0].given, "Dr. Ayman");
  EXPECT_EQ(e->birth_dates, Strings{"1951-06-19"});
  EXPECT_EQ(e->places_of_birth, Strings{"Giza, Egypt"});
  ASSERT_GE(e->documents.size(), 2u);
  EXPECT_EQ(e->documents[0].number, "1084010");
  EXPECT_EQ(e->documents[0].country, "EGY");

  e = find(*read_, "28264");  // remarks continued in sdn_comments.csv
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(std::any_of(e->documents.begin(), e->documents.end(), [](const WatchDocument& d) {
    return d.number == "210302198701102136" && d.country == "CHN";
  }));
  EXPECT_NE(name_of(*e, "khaleesi"), nullptr);

  e = find(*read_, "306");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, Kind::kEntity);
  EXPECT_NE(name_of(*e, "NATIONAL BANK OF CUBA"), nullptr);
  ASSERT_NE(name_of(*e, "BNC"), nullptr);
  EXPECT_TRUE(name_of(*e, "BNC")->weak);
}

// ---------------------------------------------------------------------------
// UN: inline inputs

std::string un_list(std::string_view individuals, std::string_view entities = {}) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n" +
         std::string(individuals) + "</INDIVIDUALS>\n<ENTITIES>\n" + std::string(entities) +
         "</ENTITIES>\n</CONSOLIDATED_LIST>\n";
}

ListRead un(std::string_view xml) { return read_un_consolidated(xml, "un.xml", "un"); }

constexpr std::string_view kUnPerson = R"(<INDIVIDUAL>
  <DATAID>1</DATAID>
  <FIRST_NAME>OMAR</FIRST_NAME>
  <SECOND_NAME>SABAWI</SECOND_NAME>
  <THIRD_NAME>IBRAHIM</THIRD_NAME>
  <FOURTH_NAME>HASAN AL-TIKRITI</FOURTH_NAME>
  <UN_LIST_TYPE>Iraq</UN_LIST_TYPE>
  <REFERENCE_NUMBER>IQi.001</REFERENCE_NUMBER>
  <GENDER>Male</GENDER>
  <COMMENTS1>Son of someone.</COMMENTS1>
  <TITLE><VALUE>Dr.</VALUE></TITLE>
  <DESIGNATION><VALUE>Adviser</VALUE><VALUE>Minister</VALUE></DESIGNATION>
  <NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE><VALUE>Iraq</VALUE><VALUE>former Soviet Union</VALUE><VALUE>na</VALUE></NATIONALITY>
  <NAME_ORIGINAL_SCRIPT>عمر سبعاوي إبراهيم حسن التكريتي</NAME_ORIGINAL_SCRIPT>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Umar Sabawi</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Omar</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>AL-TIKRITI, Omar</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Amir Khazmat (original script: Амир Хазмат)</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>حسن غول (Hassan Ghul; Hasan Gul)</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Jin Tiesan (金铁三)</ALIAS_NAME><DATE_OF_BIRTH>1969-02-05</DATE_OF_BIRTH><CITY_OF_BIRTH>Tripoli</CITY_OF_BIRTH><COUNTRY_OF_BIRTH>Libya</COUNTRY_OF_BIRTH></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-01-02</DATE></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1972</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1973</FROM_YEAR><TO_YEAR>1975</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1976 </NOTE></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Tikrit</CITY><STATE_PROVINCE>Salah al-Din</STATE_PROVINCE><COUNTRY>Iraq</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
  <INDIVIDUAL_PLACE_OF_BIRTH><COUNTRY/></INDIVIDUAL_PLACE_OF_BIRTH>
  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>H0347417</NUMBER><ISSUING_COUNTRY>Iraq</ISSUING_COUNTRY><DATE_OF_ISSUE>2003-02-20</DATE_OF_ISSUE><NOTE>expired</NOTE></INDIVIDUAL_DOCUMENT>
  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification
      Number</TYPE_OF_DOCUMENT><NUMBER>national identification number 55252</NUMBER><COUNTRY_OF_ISSUE>Türkiye</COUNTRY_OF_ISSUE><CITY_OF_ISSUE>Ankara</CITY_OF_ISSUE></INDIVIDUAL_DOCUMENT>
  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Número de pasaporte</TYPE_OF_DOCUMENT><NUMBER>X1</NUMBER></INDIVIDUAL_DOCUMENT>
  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT></INDIVIDUAL_DOCUMENT>
  <INDIVIDUAL_DOCUMENT/>
</INDIVIDUAL>
)";

TEST(UnConsolidated, ReadsEveryPartOfAnIndividual) {
  const ListRead r = un(un_list(kUnPerson));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
  const WatchEntry& e = only_entry(r);
  EXPECT_EQ(e.kind, Kind::kPerson);
  EXPECT_EQ(e.reference, "IQi.001");
  EXPECT_EQ(e.program, "Iraq");
  EXPECT_EQ(e.list, "un");
  EXPECT_EQ(e.category, "sanctions");
  EXPECT_EQ(e.severity, "high");
  EXPECT_EQ(e.sex, "M");
  ASSERT_FALSE(e.names.empty());
  EXPECT_EQ(e.names[0].full, "OMAR SABAWI IBRAHIM HASAN AL-TIKRITI");
  EXPECT_EQ(e.names[0].given, "OMAR SABAWI IBRAHIM");
  EXPECT_EQ(e.names[0].surname, "HASAN AL-TIKRITI");
  EXPECT_TRUE(e.names[0].primary);
  EXPECT_EQ(fulls(e),
            (Strings{"OMAR SABAWI IBRAHIM HASAN AL-TIKRITI", "عمر سبعاوي إبراهيم حسن التكريتي",
                     "Umar Sabawi", "Abu Omar", "AL-TIKRITI, Omar", "Amir Khazmat", "Амир Хазмат",
                     "حسن غول", "Hassan Ghul", "Hasan Gul", "Jin Tiesan", "金铁三"}));
  EXPECT_FALSE(e.names[1].primary);
  EXPECT_FALSE(e.names[1].weak);
  EXPECT_TRUE(name_of(e, "Abu Omar")->weak);
  EXPECT_FALSE(name_of(e, "Umar Sabawi")->weak);
  EXPECT_EQ(name_of(e, "AL-TIKRITI, Omar")->surname, "AL-TIKRITI");
  EXPECT_EQ(e.birth_dates,
            (Strings{"1969-02-05", "1970-01-02", "1971", "1972", "1973/1975", "1976-11"}));
  EXPECT_EQ(e.places_of_birth, (Strings{"Tripoli, Libya", "Tikrit, Salah al-Din, Iraq"}));
  EXPECT_EQ(e.nationalities, (Strings{"IRN", "IRQ", "former Soviet Union"}));
  ASSERT_EQ(e.documents.size(), 3u);
  EXPECT_EQ(e.documents[0].type, "P");
  EXPECT_EQ(e.documents[0].number, "H0347417");
  EXPECT_EQ(e.documents[0].country, "IRQ");
  EXPECT_EQ(e.documents[0].note, "issued 2003-02-20; expired");
  EXPECT_EQ(e.documents[1].type, "I");
  EXPECT_EQ(e.documents[1].number, "55252");
  EXPECT_EQ(e.documents[1].country, "TUR");
  EXPECT_EQ(e.documents[1].note, "in Ankara");
  EXPECT_EQ(e.documents[2].type, "P");
  EXPECT_EQ(e.remarks, "Title: Dr.; Designation: Adviser, Minister; Son of someone.");
}

TEST(UnConsolidated, NameOrderRules) {
  const ListRead r = un(un_list(
      R"(<INDIVIDUAL><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER></INDIVIDUAL>
<INDIVIDUAL><FIRST_NAME>RI</FIRST_NAME><SECOND_NAME>SONG HYOK</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER></INDIVIDUAL>
<INDIVIDUAL><FIRST_NAME>RUSTAM</FIRST_NAME><SECOND_NAME>MAGOMEDOVICH</SECOND_NAME><THIRD_NAME>ASELDEROV</THIRD_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Hilarion Santos, III (third)</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Al-Hadad, born 1 Jan. 1953</ALIAS_NAME></INDIVIDUAL_ALIAS></INDIVIDUAL>
<INDIVIDUAL><FIRST_NAME> MOHAMMAD  YAQOUB </FIRST_NAME><UN_LIST_TYPE>Taliban</UN_LIST_TYPE><REFERENCE_NUMBER>TAi.001</REFERENCE_NUMBER></INDIVIDUAL>
)",
      R"(<ENTITY><FIRST_NAME>KOREA MINING DEVELOPMENT TRADING CORPORATION</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>CHANGGWANG SINYONG CORPORATION</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>KOMID, LTD</ALIAS_NAME></ENTITY_ALIAS></ENTITY>
)"));
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  ASSERT_EQ(r.entries.size(), 5u);
  EXPECT_EQ(r.entries[0].names[0].surname, "BADEGE");
  EXPECT_EQ(r.entries[0].names[0].given, "ERIC");
  EXPECT_EQ(r.entries[1].names[0].full, "RI SONG HYOK");
  EXPECT_EQ(r.entries[1].names[0].surname, "RI");
  EXPECT_EQ(r.entries[1].names[0].given, "SONG HYOK");
  EXPECT_EQ(r.entries[2].names[0].surname, "ASELDEROV");
  EXPECT_EQ(r.entries[2].names[0].given, "RUSTAM MAGOMEDOVICH");
  // A note in parentheses gives the name without it as well; commas before
  // a suffix or a date do not split a name.
  EXPECT_EQ(fulls(r.entries[2]),
            (Strings{"RUSTAM MAGOMEDOVICH ASELDEROV", "Hilarion Santos, III (third)",
                     "Hilarion Santos, III", "Al-Hadad, born 1 Jan. 1953"}));
  for (size_t i = 1; i < r.entries[2].names.size(); ++i)
    EXPECT_EQ(r.entries[2].names[i].surname, "") << r.entries[2].names[i].full;
  EXPECT_EQ(r.entries[3].names[0].full, "MOHAMMAD YAQOUB");
  EXPECT_EQ(r.entries[3].names[0].surname, "");
  const WatchEntry& entity = r.entries[4];
  EXPECT_EQ(entity.kind, Kind::kEntity);
  EXPECT_EQ(fulls(entity), (Strings{"KOREA MINING DEVELOPMENT TRADING CORPORATION",
                                    "CHANGGWANG SINYONG CORPORATION", "KOMID, LTD"}));
  EXPECT_EQ(entity.names[2].surname, "");  // entity aliases are not split
}

TEST(UnConsolidated, EntryProblemsAreLocatedWarnings) {
  const ListRead r =
      un(un_list("<INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL>\n"
                 "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><SECOND_NAME>B</SECOND_NAME>"
                 "<REFERENCE_NUMBER>X.2</REFERENCE_NUMBER>\n"
                 "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>"
                 "<NOTE>30-35 years old</NOTE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>\n"
                 "<INDIVIDUAL><FIRST_NAME>C</FIRST_NAME><REFERENCE_NUMBER>X.2</REFERENCE_NUMBER>"
                 "</INDIVIDUAL>\n"
                 "<INDIVIDUAL><FIRST_NAME>D</FIRST_NAME></INDIVIDUAL>\n"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].reference, "X.2");
  const Strings f = findings(r);
  ASSERT_EQ(f.size(), 4u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0], "un.xml:4:2: segment INDIVIDUAL: warning: entry X.1 has no name; skipped");
  EXPECT_EQ(f[1],
            "un.xml:6:2: segment INDIVIDUAL_DATE_OF_BIRTH: warning: entry X.2: date of birth not "
            "read: '30-35 years old'");
  EXPECT_EQ(f[2],
            "un.xml:7:2: segment INDIVIDUAL: warning: reference X.2 appears twice; the first is "
            "kept");
  EXPECT_EQ(f[3],
            "un.xml:8:2: segment INDIVIDUAL: warning: entry without REFERENCE_NUMBER or DATAID; "
            "skipped");
}

TEST(UnConsolidated, InputsThatAreNotTheListAreRejected) {
  expect_rejected(un(""), "the UN list is empty");
  expect_rejected(un("<CONSOLIDATED_LIST><INDIVIDUALS>"),
                  "un.xml:1:32: not well-formed XML: Start-end tags mismatch");
  expect_rejected(un("not xml at all"), "un.xml:1:15: not XML: no root element");
  expect_rejected(un("<OTHER_LIST/>"), "root element <OTHER_LIST> is not a UN consolidated list");
  expect_rejected(un("<CONSOLIDATED_LIST/>"), "neither INDIVIDUALS nor ENTITIES");
  expect_rejected(un(un_list("")), "holds no readable entry");
  expect_rejected(
      un("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"boom\">]>\n<CONSOLIDATED_LIST/>"),
      "un.xml:2:1: segment DOCTYPE: DOCTYPE declarations are not accepted");
  expect_rejected(un(std::string("<CONSOLIDATED_LIST>\0</CONSOLIDATED_LIST>", 40)), "binary");
  expect_rejected(un(un_list("<INDIVIDUAL><FIRST_NAME>\xE9</FIRST_NAME></INDIVIDUAL>")),
                  "un.xml:4:25: the UN list is not UTF-8");
  expect_rejected(un("\xFF\xFE<\0C\0"), "UTF-16");
  expect_rejected(un(R"(sdn,"not","xml")"), "not XML: no root element");
}

// ---------------------------------------------------------------------------
// UN: the real sample

TEST(UnSample, ReadsEveryIndividualAndEntity) {
  const std::optional<std::string> xml = slurp("data/lists/un/UN_consolidated.xml");
  if (!xml) GTEST_SKIP() << "data/lists/un is missing";
  const ListRead r = read_un_consolidated(*xml, "UN_consolidated.xml", "un-consolidated");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  size_t persons = 0, entities = 0, names = 0, weak = 0, dob = 0, dates = 0, nationality = 0,
         documents = 0, passport = 0;
  for (const WatchEntry& e : r.entries) {
    (e.kind == Kind::kPerson ? persons : entities) += 1;
    names += e.names.size();
    for (const WatchName& n : e.names) weak += n.weak;
    dob += !e.birth_dates.empty();
    dates += e.birth_dates.size();
    nationality += !e.nationalities.empty();
    documents += e.documents.size();
    passport += std::any_of(e.documents.begin(), e.documents.end(),
                            [](const WatchDocument& d) { return d.type == "P"; });
    for (const std::string& n : e.nationalities) {
      if (n.size() != 3) {
        EXPECT_EQ(n, "former Soviet Union") << e.reference;
      }
    }
  }
  std::cout << "[ UN       ] individuals " << persons << ", entities " << entities << ", names "
            << names << " (" << weak << " weak), with DOB " << dob << " (" << dates
            << " dates), with nationality " << nationality << ", documents " << documents
            << ", with passport " << passport << "\n";
  EXPECT_EQ(persons, 730u);
  EXPECT_EQ(entities, 273u);
  EXPECT_GE(names, 4000u);
  EXPECT_GE(weak, 600u);
  EXPECT_GE(dob, 670u);
  EXPECT_GE(nationality, 620u);
  EXPECT_GE(documents, 450u);
  // Only dates written in words the reader does not take ("30-35 years old",
  // a Hijri date) are warnings.
  EXPECT_EQ(r.diags.error_count(), 0u);
  EXPECT_LE(r.diags.warning_count(), 5u) << ::testing::PrintToString(findings(r));

  const WatchEntry* e = find(r, "CDi.003");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->names[0].surname, "IYAMUREMYE");
  EXPECT_TRUE(name_of(*e, "Rumuli")->weak);
  EXPECT_EQ(e->nationalities, Strings{"RWA"});
  e = find(r, "KPi.016");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->names[0].surname, "JANG");
  EXPECT_EQ(e->nationalities, Strings{"PRK"});
}

// ---------------------------------------------------------------------------
// Generic JSON Lines

ListRead jsonl(std::string_view text) { return read_generic_jsonl(text, "list.jsonl", "national"); }

TEST(GenericJsonl, ReadsEveryField) {
  const ListRead r = jsonl(
      R"({"id": "N-1", "names": [{"full": "Yasir AL-KHAYALI", "given": "Yasir", "surname": "AL-KHAYALI"}, "ياسر الخيالي", {"full": "Abu Khayal", "weak": true}], "dob": ["1971-03-14", "1971-03", "1971", "1970/1972"], "place_of_birth": "Mosul, Iraq", "nationality": ["IRQ", "de", "Syria"], "sex": "male", "documents": [{"type": "passport", "number": "A123", "country": "IRQ", "note": "stolen"}, {"type": "X9", "number": 456}], "category": "wanted", "severity": "HIGH", "kind": "person", "program": "P1", "remarks": "Armed."})"
      "\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
  const WatchEntry& e = only_entry(r);
  EXPECT_EQ(e.reference, "N-1");
  EXPECT_EQ(e.list, "national");
  EXPECT_EQ(e.kind, Kind::kPerson);
  ASSERT_EQ(e.names.size(), 3u);
  EXPECT_TRUE(e.names[0].primary);
  EXPECT_EQ(e.names[0].surname, "AL-KHAYALI");
  EXPECT_EQ(e.names[1].full, "ياسر الخيالي");
  EXPECT_FALSE(e.names[1].primary);
  EXPECT_TRUE(e.names[2].weak);
  EXPECT_EQ(e.birth_dates, (Strings{"1971-03-14", "1971-03", "1971", "1970/1972"}));
  EXPECT_EQ(e.places_of_birth, Strings{"Mosul, Iraq"});
  EXPECT_EQ(e.nationalities, (Strings{"IRQ", "DEU", "SYR"}));
  EXPECT_EQ(e.sex, "M");
  ASSERT_EQ(e.documents.size(), 2u);
  EXPECT_EQ(e.documents[0].type, "P");
  EXPECT_EQ(e.documents[0].number, "A123");
  EXPECT_EQ(e.documents[0].country, "IRQ");
  EXPECT_EQ(e.documents[0].note, "stolen");
  EXPECT_EQ(e.documents[1].type, "X9");
  EXPECT_EQ(e.documents[1].number, "456");
  EXPECT_EQ(e.category, "wanted");
  EXPECT_EQ(e.severity, "high");
  EXPECT_EQ(e.program, "P1");
  EXPECT_EQ(e.remarks, "Armed.");
}

TEST(GenericJsonl, DefaultsAndDocumentOnlyEntries) {
  const ListRead r = jsonl(
      "{\"id\": 7, \"names\": \"Tomasz FIKCYJNY\"}\r\n"
      "\n"
      "   \n"
      "{\"id\": \"LS-1\", \"documents\": [{\"type\": \"P\", \"number\": \"ZZ1\", \"country\": "
      "\"DEU\"}]}\r\n"
      "{\"id\": \"E-1\", \"kind\": \"entity\", \"names\": [\"ACME LTD\"]}");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].reference, "7");
  EXPECT_EQ(r.entries[0].kind, Kind::kPerson);
  EXPECT_EQ(r.entries[0].category, "watch");
  EXPECT_EQ(r.entries[0].severity, "medium");
  EXPECT_EQ(r.entries[1].kind, Kind::kDocument);
  EXPECT_EQ(r.entries[1].category, "lost-stolen-document");
  EXPECT_TRUE(r.entries[1].names.empty());
  EXPECT_EQ(r.entries[2].kind, Kind::kEntity);
}

TEST(GenericJsonl, ValueProblemsAreLocatedWarnings) {
  const ListRead r = jsonl(
      R"({"id": "A", "names": ["Ann"], "dob": ["1980-02-30", "1980-13", "80", "1990/1980", "1975"], "sex": "Q", "nationality": ["ZZZ", "FR"], "severity": "urgent", "kind": "alien"})"
      "\n");
  ASSERT_TRUE(r.ok());
  const WatchEntry& e = only_entry(r);
  EXPECT_EQ(e.birth_dates, Strings{"1975"});
  EXPECT_EQ(e.sex, "");
  EXPECT_EQ(e.nationalities, (Strings{"ZZZ", "FRA"}));
  EXPECT_EQ(e.severity, "medium");
  EXPECT_EQ(e.kind, Kind::kPerson);
  const Strings f = findings(r);
  ASSERT_EQ(f.size(), 8u) << ::testing::PrintToString(f);
  EXPECT_EQ(f[0],
            "list.jsonl:1:39: warning: date of birth '1980-02-30' is not YYYY-MM-DD, YYYY-MM, "
            "YYYY or YYYY/YYYY; skipped");
  EXPECT_EQ(f[1].substr(0, 23), "list.jsonl:1:53: warnin");
  EXPECT_TRUE(has_finding(r, "kind 'alien' is not person, entity, vessel, aircraft or document"));
  EXPECT_TRUE(has_finding(r, "nationality 'ZZZ' is not a known country code; kept as written"));
  EXPECT_TRUE(has_finding(r, "severity 'urgent' is not high, medium or low"));
  EXPECT_TRUE(has_finding(r, "sex 'Q' is not M, F, X or U"));
}

TEST(GenericJsonl, LineProblemsSkipTheLine) {
  const std::string long_name(513, 'a');
  const ListRead r = jsonl(
      "{\"id\": \"1\", \"names\": [\"One\"]}\n"    // 1 kept
      "{\"names\": [\"No Id\"]}\n"                 // 2 no id
      "{\"id\": \"1\", \"names\": [\"Again\"]}\n"  // 3 duplicate
      "{\"id\": \"4\", \"names\": [\"" +
      long_name +
      "\", \"Four\"]}\n"                                                // 4 long name
      "{\"id\": \"5\", \"names\": [\"F\xC3\x28ve\"]}\n"                 // 5 bad UTF-8
      "{\"id\": \"6\", \"names\": [\"Six\"]\n"                          // 6 not JSON
      "[\"7\"]\n"                                                       // 7 not an object
      "{\"id\": \"8\", \"names\": [\"Eight\"], \"nickname\": \"x\"}\n"  // 8 unknown field
      "{\"id\": \"9\"}\n"                                               // 9 nothing
      "{\"id\": true, \"names\": [\"Ten\"]}\n"                          // 10 bad id
      "{\"id\": \"11\", \"names\": "
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n"
      "{\"id\": \"12\", \"documents\": [{\"type\": \"P\"}], \"names\": [42]}\n"
      "{\"id\": \"13\", \"names\": [\"Thir\\u0000teen\"]}\n");
  ASSERT_TRUE(r.ok());
  Strings refs;
  for (const WatchEntry& e : r.entries) refs.push_back(e.reference);
  EXPECT_EQ(refs, (Strings{"1", "4", "8"}));
  EXPECT_EQ(fulls(r.entries[1]), Strings{"Four"});
  EXPECT_TRUE(r.entries[1].names[0].primary);
  const Strings f = findings(r);
  EXPECT_TRUE(has_finding(r, "list.jsonl:2:1: warning: entry without an id skipped"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:3:1: warning: id '1' appears more than once"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:4:"));
  EXPECT_TRUE(has_finding(r, "name longer than 512 bytes skipped"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:5:25: warning: line is not valid UTF-8; skipped"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:6:"));
  EXPECT_TRUE(has_finding(r, "not valid JSON"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:7:1: warning: line is not a JSON object; skipped"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:8:33: warning: unknown field \"nickname\" ignored"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:9:1: warning: entry 9 has no name and no document"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:10:2: warning: id must be a string or an integer"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:11:1: warning: JSON nested deeper than 32 levels"));
  EXPECT_TRUE(has_finding(r, "document without a number skipped"));
  EXPECT_TRUE(has_finding(r, "a name must be a string or an object"));
  EXPECT_TRUE(has_finding(r, "list.jsonl:13:14: warning: name with control characters skipped"));
  EXPECT_EQ(r.diags.error_count(), 0u);
}

TEST(GenericJsonl, InputsThatAreNotJsonLinesAreRejected) {
  expect_rejected(jsonl(""), "list.jsonl:1:1: the list is empty");
  expect_rejected(jsonl("\n\n  \n"), "the list is empty");
  expect_rejected(jsonl(std::string("{\"id\":\0}", 8)), "binary");
  expect_rejected(jsonl("id,names\n1,Ann\n"), "not JSON Lines: no line holds a JSON object");
  expect_rejected(jsonl("<?xml version=\"1.0\"?><CONSOLIDATED_LIST/>"), "not JSON Lines");
  expect_rejected(jsonl("{\"names\": [\"No Id\"]}\n"), "the list holds no usable entry");
  expect_rejected(jsonl("\xFF\xFE{\0"), "UTF-16");
}

TEST(GenericJsonl, ByteOrderMarkIsSkippedAndOffsetsCountIt) {
  const ListRead r = jsonl("\xEF\xBB\xBF{\"id\": \"1\", \"names\": [\"A\"], \"sex\": \"?\"}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.entries.size(), 1u);
  ASSERT_EQ(r.diags.all().size(), 1u);
  EXPECT_EQ(r.diags.all()[0].where.column, 36u);
  EXPECT_EQ(r.diags.all()[0].where.offset, 38u);
}

TEST(GenericJsonl, DemoFile) {
  const std::optional<std::string> text = slurp("data/lists/national-demo.jsonl");
  if (!text) GTEST_SKIP() << "data/lists/national-demo.jsonl is missing";
  const ListRead r = read_generic_jsonl(*text, "national-demo.jsonl", "national-demo");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
  EXPECT_EQ(r.entries.size(), 20u);
  size_t documents_only = 0;
  for (const WatchEntry& e : r.entries) documents_only += e.kind == Kind::kDocument;
  EXPECT_EQ(documents_only, 5u);
  const WatchEntry* e = find(r, "DEMO-0002");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(fulls(*e),
            (Strings{"Igor Petrovich VYMYSLOV", "Игорь Петрович Вымыслов", "Igor VIMISLOV"}));
}

// ---------------------------------------------------------------------------
// Generic CSV

ListRead csv(std::string_view text) { return read_generic_csv(text, "list.csv", "national"); }

TEST(GenericCsv, ReadsEveryColumn) {
  const ListRead r = csv(
      "ID,Names,dob,nationality,sex,documents,category,severity,place_of_birth,kind,program,"
      "remarks\r\n"
      "N-1,\"AL-KHAYALI, Yasir;ياسر الخيالي\",1971-03-14;1971,IRQ;SY,F,"
      "P:A123:IRQ;I:B456:IRQ:stolen;C789,wanted,low,\"Mosul, Iraq\",person,P1,\"two\nlines\"\r\n"
      "LS-1,,,,,passport:ZZ9:DEU,,,,,,\r\n");
  ASSERT_TRUE(r.ok()) << ::testing::PrintToString(findings(r));
  EXPECT_TRUE(r.diags.all().empty()) << ::testing::PrintToString(findings(r));
  ASSERT_EQ(r.entries.size(), 2u);
  const WatchEntry& e = r.entries[0];
  EXPECT_EQ(fulls(e), (Strings{"AL-KHAYALI, Yasir", "ياسر الخيالي"}));
  EXPECT_TRUE(e.names[0].primary);
  EXPECT_EQ(e.birth_dates, (Strings{"1971-03-14", "1971"}));
  EXPECT_EQ(e.nationalities, (Strings{"IRQ", "SYR"}));
  EXPECT_EQ(e.sex, "F");
  ASSERT_EQ(e.documents.size(), 3u);
  EXPECT_EQ(e.documents[1].type, "I");
  EXPECT_EQ(e.documents[1].note, "stolen");
  EXPECT_EQ(e.documents[2].type, "");
  EXPECT_EQ(e.documents[2].number, "C789");
  EXPECT_EQ(e.category, "wanted");
  EXPECT_EQ(e.severity, "low");
  EXPECT_EQ(e.places_of_birth, Strings{"Mosul, Iraq"});
  EXPECT_EQ(e.remarks, "two\nlines");
  EXPECT_EQ(r.entries[1].kind, Kind::kDocument);
  EXPECT_EQ(r.entries[1].documents[0].type, "P");
  EXPECT_EQ(r.entries[1].documents[0].country, "DEU");
}

TEST(GenericCsv, RowProblemsAreLocatedWarnings) {
  const ListRead r =
      csv("names,id,dob,colour\n"   // 1
          "Ann,1,1980-02-30,red\n"  // 2 bad date
          "Bob,2\n"                 // 3 short row
          "\"Cy,3,1990,blue\n"      // 4 quote never closed
          "Dee,1,1990,green\n"      // 5 duplicate id
          ",5,1990,x\n"             // 6 no name
          "Eve,,1990,x\n"           // 7 no id
          "F\xC3\x28,7,1990,x\n"    // 8 bad UTF-8
          "Gus,8,1990,x\n");        // 9 fine
  ASSERT_TRUE(r.ok());
  Strings refs;
  for (const WatchEntry& e : r.entries) refs.push_back(e.reference);
  // The quote of row 4 is never closed: that row is lost, the next is read.
  EXPECT_EQ(refs, (Strings{"1", "8"}));
  EXPECT_TRUE(has_finding(r, "list.csv:1:14: warning: unknown column 'colour' ignored"));
  EXPECT_TRUE(has_finding(r, "list.csv:2:7: warning: date of birth '1980-02-30'"));
  EXPECT_TRUE(has_finding(r, "list.csv:3:1: warning: row has 2 fields; the header has 4"));
  EXPECT_TRUE(has_finding(r, "list.csv:4:1: warning: quoted field is not closed; row skipped"));
  EXPECT_TRUE(has_finding(r, "list.csv:5:1: warning: id '1' appears more than once"));
  EXPECT_TRUE(has_finding(r, "list.csv:6:1: warning: entry 5 has no name and no document"));
  EXPECT_TRUE(has_finding(r, "list.csv:7:1: warning: entry without an id skipped"));
  EXPECT_TRUE(has_finding(r, "list.csv:8:1: warning: field is not valid UTF-8; row skipped"));
}

TEST(GenericCsv, InputsThatAreNotTheCsvListAreRejected) {
  expect_rejected(csv(""), "the list is empty");
  expect_rejected(csv("names,dob\nAnn,1980\n"), "list.csv:1:1: not a CSV list: the header row");
  expect_rejected(csv("id,dob\n1,1980\n"), "must name the columns id and names or documents");
  expect_rejected(csv("{\"id\": \"1\", \"names\": [\"Ann\"]}\n"), "not a CSV list");
  expect_rejected(csv(std::string("id,names\n1,\0\n", 13)), "binary");
  expect_rejected(csv("id,names\n"), "the list holds no usable entry");
  expect_rejected(csv("id,names\n,Ann\n"), "the list holds no usable entry");
  expect_rejected(csv("\"id,names\n"), "header row cannot be read");
}

TEST(Lists, WarningsAreCapped) {
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += "{\"id\": \"" + std::to_string(i) + "\", \"names\": [\"N\"], \"sex\": \"?\"}\n";
  const ListRead r = jsonl(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.entries.size(), 300u);
  EXPECT_EQ(r.diags.warning_count(), kMaxListWarnings + 1);
  EXPECT_EQ(r.diags.all().back().to_string(), "warning: 100 further warnings not shown");
}

}  // namespace
}  // namespace vigil
