#include <gtest/gtest.h>

#include "formats/edifact/tokenizer.h"

namespace vigil::edifact {
namespace {

struct Tokens {
  std::vector<std::vector<std::vector<std::string>>> segments;  // [seg][elem][comp], tag first
  Diagnostics diags;
  Delimiters delims;
};

Tokens Tokenize(std::string_view input) {
  Tokens t;
  Tokenizer tk(input, "in.edi", &t.diags);
  Segment seg;
  while (tk.Next(&seg)) {
    std::vector<std::vector<std::string>> s{{std::string(seg.tag())}};
    for (size_t e = 0; e < seg.element_count(); ++e) {
      std::vector<std::string> comps;
      for (size_t c = 0; c < seg.component_count(e); ++c) comps.push_back(seg.text(e, c));
      s.push_back(comps);
    }
    t.segments.push_back(s);
  }
  t.delims = tk.delimiters();
  return t;
}

using Elements = std::vector<std::vector<std::string>>;

TEST(TokenizerTest, DefaultSeparatorsWithoutUna) {
  auto t = Tokenize("UNH+1+PAXLST:D:05B'NAD+FL+++DOE:JOHN'");
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(t.segments[0], (Elements{{"UNH"}, {"1"}, {"PAXLST", "D", "05B"}}));
  EXPECT_EQ(t.segments[1], (Elements{{"NAD"}, {"FL"}, {""}, {""}, {"DOE", "JOHN"}}));
  EXPECT_FALSE(t.diags.has_errors());
  EXPECT_EQ(t.diags.warning_count(), 0u);
}

// The separator sets seen in real traffic; each carries the same content.
struct SeparatorCase {
  const char* name;
  const char* input;
};

class SeparatorSetTest : public ::testing::TestWithParam<SeparatorCase> {};

TEST_P(SeparatorSetTest, SameContentUnderEverySet) {
  auto t = Tokenize(GetParam().input);
  ASSERT_FALSE(t.diags.has_errors()) << t.diags.all().front().to_string();
  ASSERT_EQ(t.segments.size(), 3u);
  EXPECT_EQ(t.segments[0], (Elements{{"UNB"}, {"UNOA", "4"}, {"SENDER"}}));
  EXPECT_EQ(t.segments[1], (Elements{{"NAD"}, {"FL"}, {""}, {""}, {"O'NEIL-SMITH", "ANN+MARIE"}}));
  EXPECT_EQ(t.segments[2], (Elements{{"DTM"}, {"329", "850214"}}));
}

INSTANTIATE_TEST_SUITE_P(
    RealSets, SeparatorSetTest,
    ::testing::Values(
        SeparatorCase{"standard", "UNA:+.? 'UNB+UNOA:4+SENDER'NAD+FL+++O?'NEIL-SMITH:ANN?+MARIE'"
                                  "DTM+329:850214'"},
        SeparatorCase{"repetition_star",
                      "UNA:+.?*'UNB+UNOA:4+SENDER'NAD+FL+++O?'NEIL-SMITH:ANN?+MARIE'"
                      "DTM+329:850214'"},
        SeparatorCase{"star_dollar", "UNA:*.? $UNB*UNOA:4*SENDER$NAD*FL***O'NEIL-SMITH:ANN+MARIE$"
                                     "DTM*329:850214$"},
        SeparatorCase{"paren_dash", "UNA:(.) -UNB(UNOA:4(SENDER-NAD(FL(((O'NEIL)-SMITH:ANN+MARIE-"
                                    "DTM(329:850214-"},
        SeparatorCase{"crlf_between_segments",
                      "UNA:+.? '\r\nUNB+UNOA:4+SENDER'\r\nNAD+FL+++O?'NEIL-SMITH:ANN?+MARIE'\r\n"
                      "DTM+329:850214'\r\n"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TokenizerTest, UnaSetsAllDelimiters) {
  auto t = Tokenize("UNA:(.) -UNB(UNOA:4-");
  EXPECT_EQ(t.delims.component, ':');
  EXPECT_EQ(t.delims.element, '(');
  EXPECT_EQ(t.delims.release, ')');
  EXPECT_EQ(t.delims.segment, '-');
}

TEST(TokenizerTest, ReleaseCharacterEscapesEveryDelimiterAndItself) {
  auto t = Tokenize("FTX+AAA+++A?:B?+C?'D??E'");
  ASSERT_EQ(t.segments.size(), 1u);
  EXPECT_EQ(t.segments[0][4], (std::vector<std::string>{"A:B+C'D?E"}));
}

TEST(TokenizerTest, RawKeepsReleaseCharacters) {
  Diagnostics d;
  Tokenizer tk("FTX+A?+B'", "f", &d);
  Segment s;
  ASSERT_TRUE(tk.Next(&s));
  EXPECT_EQ(s.raw(0), "A?+B");
  EXPECT_EQ(s.text(0), "A+B");
}

TEST(TokenizerTest, StraySpaceAfterTagIsAWarning) {
  auto t = Tokenize("NAD +FL+++DOE'");
  ASSERT_EQ(t.segments.size(), 1u);
  EXPECT_EQ(t.segments[0][0][0], "NAD");
  EXPECT_EQ(t.diags.warning_count(), 1u);
  EXPECT_NE(t.diags.all()[0].reason.find("stray space"), std::string::npos);
}

TEST(TokenizerTest, LineBreakInsideElementIsAWarningAndRemoved) {
  auto t = Tokenize("NAD+FL+++DO\nE:JOHN'\nDTM+329:850214'");
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(t.segments[0][4][0], "DOE");
  ASSERT_EQ(t.diags.warning_count(), 1u);
  EXPECT_EQ(t.diags.all()[0].where.line, 1u);
  EXPECT_NE(t.diags.all()[0].reason.find("line break"), std::string::npos);
}

TEST(TokenizerTest, EightBitUnderUnoaIsWarnedAndReadAsLatin1) {
  auto t = Tokenize("UNB+UNOA:4+S'NAD+FL+++M\xDCLLER'");
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(t.segments[1][4][0], "M\xC3\x9CLLER");
  ASSERT_EQ(t.diags.warning_count(), 1u);
  EXPECT_NE(t.diags.all()[0].reason.find("repertoire"), std::string::npos);
}

TEST(TokenizerTest, Utf8UnderUnocIsAccepted) {
  auto t = Tokenize("UNB+UNOC:4+S'NAD+FL+++M\xC3\x9CLLER'");
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(t.segments[1][4][0], "M\xC3\x9CLLER");
  EXPECT_EQ(t.diags.warning_count(), 0u);
}

TEST(TokenizerTest, LocatesSegmentsByLineAndColumn) {
  Diagnostics d;
  Tokenizer tk("UNA:+.? '\nUNB+UNOA:4'\n  NAD+FL'", "f", &d);
  Segment s;
  ASSERT_TRUE(tk.Next(&s));
  EXPECT_EQ(s.line(), 2u);
  EXPECT_EQ(s.column(), 1u);
  ASSERT_TRUE(tk.Next(&s));
  EXPECT_EQ(s.tag(), "NAD");
  EXPECT_EQ(s.line(), 3u);
  EXPECT_EQ(s.column(), 3u);
  EXPECT_EQ(s.offset(), 24u);
}

TEST(TokenizerTest, MissingTerminatorIsALocatedError) {
  auto t = Tokenize("UNH+1'NAD+FL+++DOE");
  EXPECT_EQ(t.segments.size(), 1u);
  ASSERT_TRUE(t.diags.has_errors());
  const auto& e = t.diags.all().back();
  EXPECT_EQ(e.where.segment, "NAD");
  EXPECT_EQ(e.where.column, 7u);
  EXPECT_NE(e.reason.find("no segment terminator"), std::string::npos);
}

TEST(TokenizerTest, ReleaseAtEndIsAnError) {
  auto t = Tokenize("NAD+FL?");
  EXPECT_TRUE(t.diags.has_errors());
}

TEST(TokenizerTest, NulByteIsBinaryData) {
  auto t = Tokenize(std::string("UNH+1'NAD+F\0L'", 14));
  ASSERT_TRUE(t.diags.has_errors());
  EXPECT_NE(t.diags.all().back().reason.find("NUL"), std::string::npos);
}

TEST(TokenizerTest, BadTagIsAnError) {
  auto t = Tokenize("UNH+1'nad+FL'");
  ASSERT_TRUE(t.diags.has_errors());
  EXPECT_NE(t.diags.all().back().reason.find("segment tag"), std::string::npos);
}

TEST(TokenizerTest, UnaWithRepeatedCharacterIsAnError) {
  auto t = Tokenize("UNA::.? 'UNB+X'");
  ASSERT_TRUE(t.diags.has_errors());
  EXPECT_TRUE(t.segments.empty());
}

TEST(TokenizerTest, TruncatedUnaIsAnError) {
  auto t = Tokenize("UNA:+");
  EXPECT_TRUE(t.diags.has_errors());
}

TEST(TokenizerTest, WarningsAreCapped) {
  std::string input;
  for (int i = 0; i < 500; ++i) input += "NAD +FL'";
  auto t = Tokenize(input);
  EXPECT_EQ(t.segments.size(), 500u);
  EXPECT_LE(t.diags.warning_count(), 51u);
}

}  // namespace
}  // namespace vigil::edifact
