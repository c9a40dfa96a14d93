#include "formats/mrz/mrz.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
namespace {

using Lines = std::vector<std::string>;

// Check digit per Doc 9303, computed independently of the code under test.
char Cd(std::string_view s) {
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    int v = 0;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    sum += v * kWeights[i % 3];
  }
  return static_cast<char>('0' + sum % 10);
}

std::string Pad(std::string s, size_t n) {
  EXPECT_LE(s.size(), n) << s;
  s.resize(n, '<');
  return s;
}

// The other digit: any wrong check digit.
char Wrong(char digit) { return static_cast<char>('0' + (digit - '0' + 1) % 10); }

// Field values for building zones; check digits are computed unless set.
struct Fields {
  std::string code = "I";
  std::string state = "UTO";
  std::string number = "D23145890";
  std::string nationality = "UTO";
  std::string birth = "740812";
  char sex = 'F';
  std::string expiry = "120415";
  std::string optional;
  std::string optional2;
  std::string name = "ERIKSSON<<ANNA<MARIA";
  std::optional<char> number_cd, birth_cd, expiry_cd, optional_cd, composite_cd;
};

// The document number with its check digit as the zone holds it: nine
// characters and the digit, or for a longer number the first nine, a filler,
// and the rest followed by its digit and a filler at the start of the
// optional data.
std::string NumberPart(const Fields& f, size_t optional_len, std::string* optional) {
  const char cd = f.number_cd.value_or(Cd(f.number));
  if (f.number.size() <= 9) {
    *optional = Pad(f.optional, optional_len);
    return Pad(f.number, 9) + cd;
  }
  *optional = Pad(f.number.substr(9) + cd + "<" + f.optional, optional_len);
  return f.number.substr(0, 9) + "<";
}

std::string Header(const Fields& f) { return Pad(f.code, 2) + Pad(f.state, 3); }

std::string DatesPart(const Fields& f) {
  return f.birth + f.birth_cd.value_or(Cd(f.birth)) + f.sex + f.expiry +
         f.expiry_cd.value_or(Cd(f.expiry));
}

Lines Td1(const Fields& f) {
  std::string optional;
  const std::string number = NumberPart(f, 15, &optional);
  const std::string l1 = Header(f) + number + optional;
  std::string l2 = DatesPart(f) + Pad(f.nationality, 3) + Pad(f.optional2, 11);
  const std::string composite = l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) +
                                l2.substr(18, 11);
  l2 += f.composite_cd.value_or(Cd(composite));
  return {l1, l2, Pad(f.name, 30)};
}

// Line 2 of the two-line formats up to and including the expiry check digit.
std::string TwoLineStart(const Fields& f, size_t optional_len, std::string* optional) {
  const std::string number = NumberPart(f, optional_len, optional);
  return number + Pad(f.nationality, 3) + DatesPart(f);
}

Lines Td2(const Fields& f) {
  std::string optional;
  std::string l2 = TwoLineStart(f, 7, &optional) + optional;
  const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14);
  l2 += f.composite_cd.value_or(Cd(composite));
  return {Pad(Header(f) + f.name, 36), l2};
}

Lines Td3(const Fields& f) {
  std::string optional;
  std::string l2 = TwoLineStart(f, 14, &optional) + optional;
  l2 += f.optional_cd.value_or(Cd(optional));
  const std::string composite = l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22);
  l2 += f.composite_cd.value_or(Cd(composite));
  return {Pad(Header(f) + f.name, 44), l2};
}

Lines MrvA(const Fields& f) {
  std::string optional;
  const std::string l2 = TwoLineStart(f, 16, &optional) + optional;
  return {Pad(Header(f) + f.name, 44), l2};
}

Lines MrvB(const Fields& f) {
  std::string optional;
  const std::string l2 = TwoLineStart(f, 8, &optional) + optional;
  return {Pad(Header(f) + f.name, 36), l2};
}

Fields Passport() {
  Fields f;
  f.code = "P";
  f.number = "L898902C3";
  f.optional = "ZE184226B";
  return f;
}

Fields Visa() {
  Fields f;
  f.code = "V";
  f.number = "L8988901C";
  f.nationality = "XXX";
  f.birth = "400907";
  f.sex = 'F';
  f.expiry = "961210";
  return f;
}

constexpr int kYear = 2024;

Mrz Parse(const Lines& lines, int year = kYear) {
  Result<Mrz> r = parse_mrz(lines, year);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : Mrz();
}

std::vector<std::string> CheckNames(const Mrz& m) {
  std::vector<std::string> names;
  for (const MrzCheck& c : m.checks) names.push_back(c.name);
  return names;
}

std::vector<std::string> FailedChecks(const Mrz& m) {
  std::vector<std::string> names;
  for (const MrzCheck& c : m.checks)
    if (!c.ok) names.push_back(c.name);
  return names;
}

const MrzCheck* FindCheck(const Mrz& m, std::string_view name) {
  for (const MrzCheck& c : m.checks)
    if (c.name == name) return &c;
  return nullptr;
}

void ExpectAnna(const Mrz& m) {
  EXPECT_EQ(m.issuing_state, "UTO");
  EXPECT_EQ(m.surname, "ERIKSSON");
  EXPECT_EQ(m.given_names, "ANNA MARIA");
  EXPECT_EQ(m.sex, "F");
}

// --- ICAO Doc 9303 specimens ----------------------------------------------

TEST(MrzSpecimen, Td1) {
  const Mrz m = Parse({"I<UTOD231458907<<<<<<<<<<<<<<<",
                       "7408122F1204159UTO<<<<<<<<<<<6",
                       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"});
  EXPECT_EQ(m.format, "TD1");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  ExpectAnna(m);
  EXPECT_EQ(m.document_code, "I");
  EXPECT_EQ(m.document_number, "D23145890");
  EXPECT_EQ(m.nationality, "UTO");
  EXPECT_EQ(m.birth_date, "1974-08-12");
  EXPECT_EQ(m.expiry_date, "2012-04-15");
  EXPECT_EQ(m.optional_data, "");
  EXPECT_EQ(m.optional_data2, "");
  EXPECT_EQ(CheckNames(m),
            (std::vector<std::string>{"document_number", "birth_date", "expiry_date",
                                      "composite"}));
}

TEST(MrzSpecimen, Td2) {
  const Mrz m = Parse({"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                       "D231458907UTO7408122F1204159<<<<<<<6"});
  EXPECT_EQ(m.format, "TD2");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  ExpectAnna(m);
  EXPECT_EQ(m.document_number, "D23145890");
  EXPECT_EQ(m.birth_date, "1974-08-12");
  EXPECT_EQ(m.expiry_date, "2012-04-15");
  EXPECT_EQ(CheckNames(m),
            (std::vector<std::string>{"document_number", "birth_date", "expiry_date",
                                      "composite"}));
}

TEST(MrzSpecimen, Td3) {
  const Mrz m = Parse({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"});
  EXPECT_EQ(m.format, "TD3");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  ExpectAnna(m);
  EXPECT_EQ(m.document_code, "P");
  EXPECT_EQ(m.document_number, "L898902C3");
  EXPECT_EQ(m.optional_data, "ZE184226B");
  EXPECT_EQ(CheckNames(m),
            (std::vector<std::string>{"document_number", "birth_date", "expiry_date",
                                      "optional_data", "composite"}));
}

TEST(MrzSpecimen, MrvA) {
  const Mrz m = Parse({"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                       "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
                      2000);
  EXPECT_EQ(m.format, "MRV-A");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  ExpectAnna(m);
  EXPECT_EQ(m.document_code, "V");
  EXPECT_EQ(m.document_number, "L8988901C");
  EXPECT_EQ(m.nationality, "XXX");
  EXPECT_EQ(m.birth_date, "1940-09-07");
  EXPECT_EQ(m.expiry_date, "1996-12-10");
  EXPECT_EQ(m.optional_data, "6ZE184226B");
  EXPECT_EQ(CheckNames(m),
            (std::vector<std::string>{"document_number", "birth_date", "expiry_date"}));
}

TEST(MrzSpecimen, MrvB) {
  const Mrz m = Parse({"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                       "L8988901C4XXX4009078F9612109<<<<<<<<"},
                      2000);
  EXPECT_EQ(m.format, "MRV-B");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  ExpectAnna(m);
  EXPECT_EQ(m.document_number, "L8988901C");
  EXPECT_EQ(m.expiry_date, "1996-12-10");
  EXPECT_EQ(CheckNames(m),
            (std::vector<std::string>{"document_number", "birth_date", "expiry_date"}));
}

TEST(MrzSpecimen, Td1LongDocumentNumber) {
  const Mrz m = Parse({"I<UTOD23145890<7349<<<<<<<<<<<",
                       "3407127M9507122UTO<<<<<<<<<<<2",
                       "STEVENSON<<PETER<JOHN<<<<<<<<<"},
                      1990);
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.document_number, "D23145890734");
  EXPECT_EQ(m.optional_data, "");
  EXPECT_EQ(m.surname, "STEVENSON");
  EXPECT_EQ(m.given_names, "PETER JOHN");
  EXPECT_EQ(m.sex, "M");
  EXPECT_EQ(m.birth_date, "1934-07-12");
  EXPECT_EQ(m.expiry_date, "1995-07-12");
}

TEST(MrzSpecimen, DefaultReferenceYearUsesClock) {
  Result<Mrz> r = parse_mrz({"I<UTOD231458907<<<<<<<<<<<<<<<",
                             "7408122F1204159UTO<<<<<<<<<<<6",
                             "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->birth_date, "1974-08-12");
  EXPECT_EQ(r->expiry_date, "2012-04-15");
}

// --- Zones built field by field -----------------------------------------

TEST(MrzFormat, Td1AllFields) {
  Fields f;
  f.code = "AC";
  f.optional = "OPT1";
  f.optional2 = "OPT<2";
  const Mrz m = Parse(Td1(f));
  EXPECT_EQ(m.format, "TD1");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.document_code, "AC");
  EXPECT_EQ(m.optional_data, "OPT1");
  EXPECT_EQ(m.optional_data2, "OPT<2");
  for (const MrzCheck& c : m.checks) EXPECT_EQ(c.expected, c.found) << c.name;
}

TEST(MrzFormat, Td2) {
  Fields f;
  f.optional = "1234567";
  const Mrz m = Parse(Td2(f));
  EXPECT_EQ(m.format, "TD2");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.optional_data, "1234567");
  ExpectAnna(m);
}

TEST(MrzFormat, Td3) {
  const Mrz m = Parse(Td3(Passport()));
  EXPECT_EQ(m.format, "TD3");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.document_number, "L898902C3");
  EXPECT_EQ(m.optional_data, "ZE184226B");
}

TEST(MrzFormat, VisasHaveNoCompositeOrOptionalCheck) {
  Fields f = Visa();
  f.optional = "ANY<DATA<12";
  const Mrz a = Parse(MrvA(f), 2000);
  EXPECT_EQ(a.format, "MRV-A");
  EXPECT_TRUE(a.valid) << ::testing::PrintToString(a.problems);
  EXPECT_EQ(a.optional_data, "ANY<DATA<12");
  EXPECT_EQ(FindCheck(a, "composite"), nullptr);
  EXPECT_EQ(FindCheck(a, "optional_data"), nullptr);

  f.optional = "ANY<DATA";
  const Mrz b = Parse(MrvB(f), 2000);
  EXPECT_EQ(b.format, "MRV-B");
  EXPECT_TRUE(b.valid) << ::testing::PrintToString(b.problems);
  EXPECT_EQ(b.optional_data, "ANY<DATA");
  EXPECT_EQ(FindCheck(b, "composite"), nullptr);
}

TEST(MrzFormat, FirstLetterOfCodeDecidesVisa) {
  Fields f = Visa();
  f.code = "VI";
  EXPECT_EQ(Parse(MrvA(f)).format, "MRV-A");
  f.code = "P";
  EXPECT_EQ(Parse(Td3(f)).format, "TD3");
  f.code = "AV";  // 'V' in second place is no visa
  EXPECT_EQ(Parse(Td2(f)).format, "TD2");
}

// --- Check digits ---------------------------------------------------------

struct CheckCase {
  const char* format;
  const char* check;
};

class MrzCheckDigitTest : public ::testing::TestWithParam<CheckCase> {};

Lines Build(std::string_view format, const Fields& f) {
  if (format == "TD1") return Td1(f);
  if (format == "TD2") return Td2(f);
  if (format == "TD3") return Td3(f);
  if (format == "MRV-A") return MrvA(f);
  return MrvB(f);
}

// Breaks exactly one check digit (the composite is recomputed around it, so
// no other check fails) and expects exactly that check to be reported.
TEST_P(MrzCheckDigitTest, OneBadDigitFailsOnlyThatCheck) {
  const CheckCase& c = GetParam();
  Fields f = std::string_view(c.format) == "TD3" ? Passport() : Fields();
  if (std::string_view(c.format).starts_with("MRV")) f.code = "V";
  const Mrz good = Parse(Build(c.format, f));
  ASSERT_TRUE(good.valid) << ::testing::PrintToString(good.problems);
  const MrzCheck* before = FindCheck(good, c.check);
  ASSERT_NE(before, nullptr);
  const char bad = Wrong(before->expected);

  const std::string_view check = c.check;
  if (check == "document_number") f.number_cd = bad;
  if (check == "birth_date") f.birth_cd = bad;
  if (check == "expiry_date") f.expiry_cd = bad;
  if (check == "optional_data") f.optional_cd = bad;
  if (check == "composite") f.composite_cd = bad;

  const Mrz m = Parse(Build(c.format, f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(FailedChecks(m), std::vector<std::string>{c.check});
  const MrzCheck* after = FindCheck(m, c.check);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->found, bad);
  EXPECT_EQ(after->expected, before->expected);
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_NE(m.problems[0].find("check digit"), std::string::npos) << m.problems[0];
  // The fields are still read.
  EXPECT_EQ(m.surname, "ERIKSSON");
  EXPECT_FALSE(m.birth_date.empty());
}

INSTANTIATE_TEST_SUITE_P(
    AllChecks, MrzCheckDigitTest,
    ::testing::Values(CheckCase{"TD1", "document_number"}, CheckCase{"TD1", "birth_date"},
                      CheckCase{"TD1", "expiry_date"}, CheckCase{"TD1", "composite"},
                      CheckCase{"TD2", "document_number"}, CheckCase{"TD2", "birth_date"},
                      CheckCase{"TD2", "expiry_date"}, CheckCase{"TD2", "composite"},
                      CheckCase{"TD3", "document_number"}, CheckCase{"TD3", "birth_date"},
                      CheckCase{"TD3", "expiry_date"}, CheckCase{"TD3", "optional_data"},
                      CheckCase{"TD3", "composite"}, CheckCase{"MRV-A", "document_number"},
                      CheckCase{"MRV-A", "birth_date"}, CheckCase{"MRV-A", "expiry_date"},
                      CheckCase{"MRV-B", "document_number"}, CheckCase{"MRV-B", "birth_date"},
                      CheckCase{"MRV-B", "expiry_date"}),
    [](const ::testing::TestParamInfo<CheckCase>& info) {
      std::string name = std::string(info.param.format) + "_" + info.param.check;
      for (char& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

TEST(MrzCheckDigit, CorruptedFieldFailsItsCheck) {
  Lines lines = Td3(Passport());
  lines[1][2] = 'X';  // document number L8X8902C3, digits unchanged
  const Mrz m = Parse(lines);
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(FailedChecks(m), (std::vector<std::string>{"document_number", "composite"}));
  EXPECT_EQ(m.document_number, "L8X8902C3");
}

TEST(MrzCheckDigit, LetterInPlaceOfDigitFails) {
  Fields f;
  f.birth_cd = 'A';
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(FailedChecks(m), std::vector<std::string>{"birth_date"});
  EXPECT_EQ(FindCheck(m, "birth_date")->found, 'A');
}

TEST(MrzCheckDigit, EmptyPersonalNumberMayHaveFillerDigit) {
  Fields f = Passport();
  f.optional = "";
  f.optional_cd = '<';
  Mrz m = Parse(Td3(f));
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.optional_data, "");
  const MrzCheck* c = FindCheck(m, "optional_data");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->ok);
  EXPECT_EQ(c->found, '<');

  f.optional_cd = '0';
  m = Parse(Td3(f));
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
}

TEST(MrzCheckDigit, PersonalNumberNeedsRealDigit) {
  Fields f = Passport();
  f.optional_cd = '<';
  const Mrz m = Parse(Td3(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(FailedChecks(m), std::vector<std::string>{"optional_data"});
}

// --- Long document numbers ------------------------------------------------

TEST(MrzLongNumber, Td1) {
  Fields f;
  f.number = "D23145890734";
  f.optional = "XY12";
  const Lines lines = Td1(f);
  EXPECT_EQ(lines[0].substr(5, 10), "D23145890<");
  const Mrz m = Parse(lines);
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.document_number, "D23145890734");
  EXPECT_EQ(m.optional_data, "XY12");
  const MrzCheck* c = FindCheck(m, "document_number");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->expected, Cd("D23145890734"));
  EXPECT_EQ(c->found, Cd("D23145890734"));
}

TEST(MrzLongNumber, Td1BadDigitOverFullNumber) {
  Fields f;
  f.number = "ABCDEFGHIJKLMN";
  f.number_cd = Wrong(Cd(f.number));
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.document_number, "ABCDEFGHIJKLMN");
  EXPECT_EQ(FailedChecks(m), std::vector<std::string>{"document_number"});
  EXPECT_EQ(FindCheck(m, "document_number")->expected, Cd("ABCDEFGHIJKLMN"));
}

TEST(MrzLongNumber, Td2AndMrvB) {
  Fields f;
  f.number = "X1234567890";
  const Mrz td2 = Parse(Td2(f));
  EXPECT_TRUE(td2.valid) << ::testing::PrintToString(td2.problems);
  EXPECT_EQ(td2.document_number, "X1234567890");
  EXPECT_EQ(td2.optional_data, "");

  f.code = "V";
  const Mrz mrvb = Parse(MrvB(f));
  EXPECT_EQ(mrvb.format, "MRV-B");
  EXPECT_TRUE(mrvb.valid) << ::testing::PrintToString(mrvb.problems);
  EXPECT_EQ(mrvb.document_number, "X1234567890");
}

TEST(MrzLongNumber, FillerDigitWithoutContinuationFails) {
  Fields f;
  f.number_cd = '<';
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.document_number, "D23145890");
  EXPECT_EQ(FailedChecks(m), std::vector<std::string>{"document_number"});
}

TEST(MrzLongNumber, ShortNumberWithFillerDigitIsNotLong) {
  Fields f;
  f.number = "AB123";
  f.number_cd = '<';
  f.optional = "99";
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.document_number, "AB123");
  EXPECT_EQ(m.optional_data, "99");
}

// --- Fillers, codes and names ---------------------------------------------

TEST(MrzFields, FillersAreStripped) {
  Fields f = Passport();
  f.number = "AB12";
  f.optional = "12<34";
  const Mrz m = Parse(Td3(f));
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.document_number, "AB12");
  EXPECT_EQ(m.optional_data, "12<34");
  EXPECT_EQ(m.document_code, "P");
}

TEST(MrzFields, OneLetterCountryCodes) {
  Fields f = Passport();
  f.state = "D";
  f.nationality = "D";
  const Lines lines = Td3(f);
  EXPECT_EQ(lines[0].substr(2, 3), "D<<");
  const Mrz m = Parse(lines);
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.issuing_state, "D");
  EXPECT_EQ(m.nationality, "D");
}

TEST(MrzFields, SpecialCountryCodes) {
  for (const char* code : {"XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "UTO"}) {
    Fields f;
    f.state = code;
    f.nationality = code;
    const Mrz m = Parse(Td1(f));
    EXPECT_TRUE(m.valid) << code << ::testing::PrintToString(m.problems);
    EXPECT_EQ(m.nationality, code);
    EXPECT_EQ(m.issuing_state, code);
  }
}

TEST(MrzFields, BadCountryCodesAreProblems) {
  Fields f;
  f.nationality = "U1O";
  Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.nationality, "");
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_NE(m.problems[0].find("nationality"), std::string::npos);
  EXPECT_TRUE(FailedChecks(m).empty());

  f.nationality = "UTO";
  f.state = "<<<";
  m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_NE(m.problems[0].find("issuing state"), std::string::npos);

  f.state = "D<E";
  m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.issuing_state, "");
}

TEST(MrzFields, SexCodes) {
  Fields f;
  f.sex = 'M';
  EXPECT_EQ(Parse(Td1(f)).sex, "M");
  f.sex = 'X';
  EXPECT_EQ(Parse(Td1(f)).sex, "X");
  f.sex = '<';
  const Mrz filler = Parse(Td1(f));
  EXPECT_EQ(filler.sex, "X");
  EXPECT_TRUE(filler.valid);
  f.sex = 'Q';
  const Mrz bad = Parse(Td1(f));
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.sex, "");
  EXPECT_EQ(bad.problems.size(), 1u);
}

TEST(MrzFields, MissingDocumentNumberIsProblem) {
  Fields f;
  f.number = "";
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.document_number, "");
  EXPECT_TRUE(FailedChecks(m).empty());
  EXPECT_EQ(m.problems.size(), 1u);
}

TEST(MrzNames, SurnameOnlyWithoutDoubleFiller) {
  Fields f;
  f.name = "ERIKSSON";
  const Mrz m = Parse(Td1(f));
  EXPECT_TRUE(m.valid);
  EXPECT_EQ(m.surname, "ERIKSSON");
  EXPECT_EQ(m.given_names, "");

  f.name = "VAN<DER<BERG";
  const Mrz multi = Parse(Td3(f));
  EXPECT_EQ(multi.surname, "VAN DER BERG");
  EXPECT_EQ(multi.given_names, "");
}

TEST(MrzNames, ManyParts) {
  Fields f = Passport();
  f.name = "DE<LA<CRUZ<<MARIA<JOSE<ANA<LUISA<TERESA";
  const Mrz m = Parse(Td3(f));
  EXPECT_EQ(m.surname, "DE LA CRUZ");
  EXPECT_EQ(m.given_names, "MARIA JOSE ANA LUISA TERESA");
}

TEST(MrzNames, OnlyFirstDoubleFillerSplits) {
  Fields f;
  f.name = "SMITH<<JOHN<<PAUL";
  const Mrz m = Parse(Td1(f));
  EXPECT_EQ(m.surname, "SMITH");
  EXPECT_EQ(m.given_names, "JOHN PAUL");
}

TEST(MrzNames, NameFillingTheWholeField) {
  Fields f;
  f.name = "ABCDEFGHIJKLMNOPQRSTUVWX<<YZAB";  // 30 characters, cut off
  const Mrz m = Parse(Td1(f));
  EXPECT_EQ(m.surname, "ABCDEFGHIJKLMNOPQRSTUVWX");
  EXPECT_EQ(m.given_names, "YZAB");
}

TEST(MrzNames, NoSurname) {
  Fields f;
  f.name = "<<ANNA";
  const Mrz m = Parse(Td1(f));
  EXPECT_TRUE(m.valid);
  EXPECT_EQ(m.surname, "");
  EXPECT_EQ(m.given_names, "ANNA");
}

TEST(MrzNames, EmptyNameIsProblem) {
  Fields f;
  f.name = "";
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.problems.size(), 1u);
}

// --- Dates ------------------------------------------------------------------

TEST(MrzDates, InvalidCalendarDates) {
  Fields f;
  f.birth = "741312";
  Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.birth_date, "");
  EXPECT_TRUE(FailedChecks(m).empty());  // the check digit matches
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_NE(m.problems[0].find("birth date"), std::string::npos);

  f.birth = "740812";
  f.expiry = "230229";  // 2023 is no leap year
  m = Parse(Td3(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.expiry_date, "");
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_NE(m.problems[0].find("expiry date"), std::string::npos);

  f.expiry = "240229";
  EXPECT_EQ(Parse(Td3(f)).expiry_date, "2024-02-29");

  f.expiry = "240100";
  EXPECT_FALSE(Parse(Td3(f)).valid);
}

TEST(MrzDates, NonDigitDatesAreProblems) {
  Fields f;
  f.expiry = "12AB15";
  const Mrz m = Parse(Td1(f));
  EXPECT_FALSE(m.valid);
  EXPECT_EQ(m.expiry_date, "");
  EXPECT_TRUE(FailedChecks(m).empty());
}

TEST(MrzDates, UnknownBirthDate) {
  Fields f;
  f.birth = "<<<<<<";
  const Mrz m = Parse(Td1(f));
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.birth_date, "");
}

TEST(MrzDates, Centuries) {
  Fields f;
  f.birth = "240101";
  f.expiry = "040101";
  Mrz m = Parse(Td1(f), 2024);
  EXPECT_EQ(m.birth_date, "2024-01-01");
  EXPECT_EQ(m.expiry_date, "2004-01-01");

  f.birth = "250101";
  f.expiry = "030101";
  m = Parse(Td1(f), 2024);
  EXPECT_EQ(m.birth_date, "1925-01-01");
  EXPECT_EQ(m.expiry_date, "2003-01-01");

  // Expiry dates fall within 50 years before to 49 years after the reference.
  f.expiry = "730101";
  m = Parse(Td1(f), 2024);
  EXPECT_EQ(m.expiry_date, "2073-01-01");
  f.expiry = "990101";
  m = Parse(Td1(f), 2024);
  EXPECT_EQ(m.expiry_date, "1999-01-01");
}

// --- Malformed zones --------------------------------------------------------

TEST(MrzMalformed, LowerCase) {
  Lines lines = Td3(Passport());
  lines[0][6] = 'r';
  Result<Mrz> r = parse_mrz(lines, kYear);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("lower-case"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("line 1 position 7"), std::string::npos) << r.error();
}

TEST(MrzMalformed, BadCharacters) {
  for (char bad : {' ', '-', '.', '\t', '\0', '\xC3'}) {
    Lines lines = Td1(Fields());
    lines[1][3] = bad;
    Result<Mrz> r = parse_mrz(lines, kYear);
    ASSERT_FALSE(r.ok()) << static_cast<int>(bad);
    EXPECT_NE(r.error().find("line 2 position 4"), std::string::npos) << r.error();
  }
}

TEST(MrzMalformed, WrongLineCount) {
  const Lines td3 = Td3(Passport());
  EXPECT_FALSE(parse_mrz({}, kYear).ok());
  EXPECT_FALSE(parse_mrz({td3[0]}, kYear).ok());
  EXPECT_FALSE(parse_mrz({td3[0], td3[1], td3[1], td3[1]}, kYear).ok());
  Result<Mrz> r = parse_mrz({"", "  "}, kYear);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("0 lines"), std::string::npos) << r.error();
}

TEST(MrzMalformed, WrongLengths) {
  Lines td1 = Td1(Fields());
  td1[2] += "<";
  EXPECT_FALSE(parse_mrz(td1, kYear).ok());

  const Lines td3 = Td3(Passport());
  const Lines td2 = Td2(Fields());
  EXPECT_FALSE(parse_mrz({td3[0], td2[1]}, kYear).ok());
  EXPECT_FALSE(parse_mrz({td3[0].substr(0, 43), td3[1].substr(0, 43)}, kYear).ok());
  EXPECT_FALSE(parse_mrz({td1[0], td1[1]}, kYear).ok());  // two lines of 30
  Result<Mrz> r = parse_mrz({td3[0] + "<", td3[1] + "<"}, kYear);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("45"), std::string::npos) << r.error();
}

TEST(MrzInput, SurroundingWhitespaceAndBlankLinesIgnored) {
  const Lines td3 = Td3(Passport());
  const Mrz m = Parse({"", "  " + td3[0] + "\r", "\t" + td3[1] + " \r\n", "", " "});
  EXPECT_EQ(m.format, "TD3");
  EXPECT_TRUE(m.valid) << ::testing::PrintToString(m.problems);
}

// --- JSON -------------------------------------------------------------------

TEST(MrzJson, AllKeysAndChecks) {
  Fields f = Passport();
  f.birth_cd = Wrong(Cd(f.birth));
  const Mrz m = Parse(Td3(f));
  const nlohmann::json j = to_json(m);
  for (const char* key :
       {"format", "valid", "document_code", "issuing_state", "document_number", "surname",
        "given_names", "nationality", "birth_date", "sex", "expiry_date", "optional_data",
        "optional_data2", "checks", "problems"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["format"], "TD3");
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["given_names"], "ANNA MARIA");
  ASSERT_EQ(j["checks"].size(), 5u);
  const nlohmann::json& birth = j["checks"][1];
  EXPECT_EQ(birth["name"], "birth_date");
  EXPECT_EQ(birth["expected"], std::string(1, Cd(f.birth)));
  EXPECT_EQ(birth["found"], std::string(1, *f.birth_cd));
  EXPECT_EQ(birth["ok"], false);
  ASSERT_EQ(j["problems"].size(), 1u);
  EXPECT_TRUE(j["problems"][0].is_string());
}

TEST(MrzJson, ValidZoneHasEmptyProblems) {
  const nlohmann::json j = to_json(Parse(Td1(Fields())));
  EXPECT_EQ(j["valid"], true);
  EXPECT_TRUE(j["problems"].is_array());
  EXPECT_TRUE(j["problems"].empty());
  EXPECT_EQ(j["checks"][3]["name"], "composite");
  EXPECT_EQ(j["checks"][3]["ok"], true);
}

}  // namespace
}  // namespace vigil
