#include "names/variants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace vigil {
namespace {

using Strings = std::vector<std::string>;

bool Contains(const Strings& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool ContainsAny(const Strings& list, const Strings& wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return Contains(list, w); });
}

bool IsLowerAsciiWords(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' && s[i - 1] != ' ') continue;
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

Strings Render(std::string_view token, size_t limit = 4) {
  return VariantTables::Get().latin_renderings(token, limit);
}

std::string Describe(const Strings& list) {
  std::string out;
  for (const std::string& s : list) out += (out.empty() ? "" : ", ") + s;
  return "[" + out + "]";
}

TEST(VariantTablesTest, KnownArabicTokenGivesCommonSpellings) {
  const Strings r = Render("محمد");
  ASSERT_FALSE(r.empty());
  EXPECT_TRUE(ContainsAny(r, {"muhammad", "mohammed", "mohammad", "muhammed", "mohamed"}))
      << Describe(r);
}

TEST(VariantTablesTest, ArabicLetterVariantsAndVowelSignsAreFolded) {
  const Strings plain = Render("احمد");
  EXPECT_TRUE(ContainsAny(plain, {"ahmed", "ahmad"})) << Describe(plain);
  EXPECT_EQ(Render("أحمد"), plain);
  EXPECT_EQ(Render("أَحْمَد"), plain);  // with vowel signs
  EXPECT_EQ(Render("احـــمد"), plain);  // with tatweel
}

TEST(VariantTablesTest, KnownTokensOfOtherScripts) {
  EXPECT_TRUE(ContainsAny(Render("Владимир"), {"vladimir"})) << Describe(Render("Владимир"));
  EXPECT_TRUE(ContainsAny(Render("דוד"), {"david"})) << Describe(Render("דוד"));
  EXPECT_TRUE(ContainsAny(Render("デヴィッド"), {"david"})) << Describe(Render("デヴィッド"));
  EXPECT_TRUE(ContainsAny(Render("데이비드"), {"david"})) << Describe(Render("데이비드"));
  EXPECT_TRUE(ContainsAny(Render("大衛"), {"david"})) << Describe(Render("大衛"));
}

// Invented names, absent from the training data, must still get renderings
// from the learned model that start the way the name sounds.
TEST(VariantTablesTest, UnseenTokensGetPlausibleRenderings) {
  struct Case {
    const char* token;
    Strings prefixes;  // one rendering must start with one of these
  };
  const Case cases[] = {
      {"شمرخاني", {"sh", "ch"}},          // Arabic
      {"بوزيرقاني", {"bu", "bo", "bou"}},
      {"ברגנשטוקר", {"b", "v"}},          // Hebrew
      {"Здравокусов", {"zdravokus"}},     // Cyrillic
      {"브라운슈토커", {"br"}},           // Hangul
      {"グリーンシュトッカー", {"gr"}},   // Katakana
      {"阿姆斯托克", {"am", "ar"}},       // Han (foreign name)
  };
  for (const Case& c : cases) {
    const Strings r = Render(c.token);
    ASSERT_FALSE(r.empty()) << c.token;
    bool ok = false;
    for (const std::string& s : r)
      for (const std::string& p : c.prefixes) ok = ok || s.rfind(p, 0) == 0;
    EXPECT_TRUE(ok) << c.token << " -> " << Describe(r);
    for (const std::string& s : r) EXPECT_TRUE(IsLowerAsciiWords(s)) << s;
  }
}

TEST(VariantTablesTest, CjkSurnameReadingsCoverEveryLanguage) {
  const VariantTables& t = VariantTables::Get();
  EXPECT_TRUE(Contains(t.syllable_readings("金"), "kim"));
  EXPECT_TRUE(Contains(t.syllable_readings("金"), "gim"));
  EXPECT_TRUE(Contains(t.syllable_readings("金"), "jin"));
  const Strings li = t.syllable_readings("李");
  for (const char* s : {"lee", "yi", "ri", "li"}) EXPECT_TRUE(Contains(li, s)) << s;
  const Strings park = t.syllable_readings("朴");
  for (const char* s : {"park", "pak", "bak", "piao"}) EXPECT_TRUE(Contains(park, s)) << s;
  const Strings choi = t.syllable_readings("崔");
  for (const char* s : {"choi", "choe", "cui"}) EXPECT_TRUE(Contains(choi, s)) << s;
  for (const char* han : {"鄭", "郑"}) {
    const Strings jung = t.syllable_readings(han);
    for (const char* s : {"jung", "jeong", "chung", "zheng", "cheng"})
      EXPECT_TRUE(Contains(jung, s)) << han << " " << s;
  }
  const Strings jong = t.syllable_readings("正");
  for (const char* s : {"jong", "jeong", "chung", "zheng"}) EXPECT_TRUE(Contains(jong, s)) << s;
  const Strings un = t.syllable_readings("恩");
  for (const char* s : {"un", "eun", "en"}) EXPECT_TRUE(Contains(un, s)) << s;
  const Strings chen = t.syllable_readings("陳");
  for (const char* s : {"chen", "chan", "tran", "jin"}) EXPECT_TRUE(Contains(chen, s)) << s;
  EXPECT_TRUE(Contains(t.syllable_readings("黃"), "wong"));
  EXPECT_TRUE(Contains(t.syllable_readings("黃"), "huang"));
  EXPECT_TRUE(Contains(t.syllable_readings("阮"), "nguyen"));
  EXPECT_TRUE(Contains(t.syllable_readings("張"), "chang"));  // Wade-Giles
  EXPECT_TRUE(Contains(t.syllable_readings("佐"), "sa"));
  EXPECT_TRUE(Contains(t.syllable_readings("藤"), "fuji"));
}

TEST(VariantTablesTest, HanNameRendersInSeveralLanguages) {
  const Strings r = Render("金正恩", 12);
  EXPECT_TRUE(Contains(r, "kimjongun")) << Describe(r);
  EXPECT_TRUE(Contains(r, "jinzhengen")) << Describe(r);
  EXPECT_TRUE(Contains(Render("金", 8), "kim")) << Describe(Render("金", 8));
}

TEST(VariantTablesTest, HangulRomanisationRules) {
  const VariantTables& t = VariantTables::Get();
  const Strings kim = t.syllable_readings("김");
  EXPECT_TRUE(Contains(kim, "kim"));
  EXPECT_TRUE(Contains(kim, "gim"));
  EXPECT_TRUE(Contains(t.syllable_readings("박"), "park"));
  EXPECT_TRUE(Contains(t.syllable_readings("박"), "bak"));
  EXPECT_TRUE(Contains(t.syllable_readings("이"), "lee"));
  EXPECT_TRUE(Contains(t.syllable_readings("이"), "yi"));
  EXPECT_TRUE(Contains(t.syllable_readings("최"), "choi"));
  // Rules cover syllables no table lists: RR "kkwaeng", MR "kkwaeng".
  EXPECT_TRUE(Contains(t.syllable_readings("꽹"), "kkwaeng"));
  EXPECT_TRUE(Contains(t.syllable_readings("쉬"), "swi"));

  const Strings name = Render("김정은", 8);
  EXPECT_TRUE(Contains(name, "kimjongun")) << Describe(name);    // MR, voiced
  EXPECT_TRUE(Contains(name, "gimjeongeun")) << Describe(name);  // RR
  EXPECT_TRUE(ContainsAny(Render("김"), {"kim", "gim"})) << Describe(Render("김"));
}

TEST(VariantTablesTest, DecomposedInputIsComposedFirst) {
  // Conjoining jamo for 김, katakana with a combining voiced mark, upper-case
  // Cyrillic, Hebrew with a Hebrew geresh instead of an apostrophe.
  EXPECT_EQ(Render("\u1100\u1175\u11B7"), Render("김"));
  EXPECT_EQ(Render("\u30AB\u3099\u30EB\u30B7\u30A2"), Render("ガルシア"));
  EXPECT_EQ(Render("ВЛАДИМИР"), Render("владимир"));
  EXPECT_EQ(Render("ג\u05F3ורג\u05F3"), Render("ג'ורג'"));
  EXPECT_EQ(Render("й"), Render("\u0438\u0306"));
}

TEST(VariantTablesTest, EmptyLatinAndJunkInputGiveNothing) {
  EXPECT_TRUE(Render("").empty());
  EXPECT_TRUE(Render("John").empty());
  EXPECT_TRUE(Render("José García").empty());
  EXPECT_TRUE(Render("12345").empty());
  EXPECT_TRUE(Render("  - . ").empty());
  EXPECT_TRUE(Render("\xff\xfe\xc3").empty());
  EXPECT_TRUE(Render("محمد", 0).empty());
}

TEST(VariantTablesTest, InvalidUtf8AroundATokenIsIgnored) {
  EXPECT_EQ(Render("\xff" "محمد" "\xc3"), Render("محمد"));
}

TEST(VariantTablesTest, LimitAndDeterminism) {
  const Strings one = Render("Владимир", 1);
  ASSERT_EQ(one.size(), 1u);
  const Strings many = Render("Владимир", 10);
  EXPECT_GT(many.size(), 1u);
  EXPECT_LE(many.size(), 10u);
  EXPECT_EQ(many.front(), one.front());
  EXPECT_EQ(Render("Владимир", 10), many);
  const Strings sorted_unique = [&] {
    Strings s = many;
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    return s;
  }();
  EXPECT_EQ(sorted_unique.size(), many.size());
}

TEST(VariantTablesTest, MultiWordInputIsRenderedWordByWord) {
  const Strings r = Render("محمد بن سلمان");
  ASSERT_FALSE(r.empty());
  for (const std::string& s : r) {
    EXPECT_TRUE(IsLowerAsciiWords(s)) << s;
    EXPECT_EQ(std::count(s.begin(), s.end(), ' '), 2) << s;
  }
  const Strings latin_mixed = Render("Kim 김");
  ASSERT_FALSE(latin_mixed.empty());
  EXPECT_EQ(latin_mixed, Render("김"));
}

TEST(VariantTablesTest, LongInputIsBounded) {
  std::string long_token;
  for (int i = 0; i < 200; ++i) long_token += "ب";
  const Strings r = Render(long_token);
  for (const std::string& s : r) EXPECT_TRUE(IsLowerAsciiWords(s));
}

TEST(VariantTablesTest, NicknamesWorkBothWays) {
  const VariantTables& t = VariantTables::Get();
  EXPECT_TRUE(Contains(t.nicknames("bob"), "robert"));
  EXPECT_TRUE(Contains(t.nicknames("robert"), "bob"));
  EXPECT_TRUE(Contains(t.nicknames("bill"), "william"));
  EXPECT_TRUE(Contains(t.nicknames("william"), "bill"));
  EXPECT_TRUE(Contains(t.nicknames("Bob"), "robert"));
  EXPECT_FALSE(Contains(t.nicknames("robert"), "robert"));
  const Strings& w = t.nicknames("william");
  EXPECT_TRUE(std::is_sorted(w.begin(), w.end()));
}

TEST(VariantTablesTest, UnknownNicknameGivesEmptyList) {
  const VariantTables& t = VariantTables::Get();
  EXPECT_TRUE(t.nicknames("").empty());
  EXPECT_TRUE(t.nicknames("zzyzx").empty());
  EXPECT_TRUE(t.nicknames("محمد").empty());
}

TEST(VariantTablesTest, SyllableReadingsRejectOtherInput) {
  const VariantTables& t = VariantTables::Get();
  EXPECT_TRUE(t.syllable_readings("").empty());
  EXPECT_TRUE(t.syllable_readings("a").empty());
  EXPECT_TRUE(t.syllable_readings("金正").empty());
  EXPECT_TRUE(t.syllable_readings("ب").empty());
}

TEST(VariantTablesTest, ScriptOf) {
  EXPECT_EQ(VariantTables::ScriptOf("محمد"), "ar");
  EXPECT_EQ(VariantTables::ScriptOf("دו"), "ar");  // the first script wins a tie
  EXPECT_EQ(VariantTables::ScriptOf("דוד"), "he");
  EXPECT_EQ(VariantTables::ScriptOf("Иван"), "ru");
  EXPECT_EQ(VariantTables::ScriptOf("Γιώργος"), "el");
  EXPECT_EQ(VariantTables::ScriptOf("김정은"), "ko");
  EXPECT_EQ(VariantTables::ScriptOf("さとう"), "kana");
  EXPECT_EQ(VariantTables::ScriptOf("山田タロウ"), "ja");
  EXPECT_EQ(VariantTables::ScriptOf("山田"), "zh");
  EXPECT_EQ(VariantTables::ScriptOf("John"), "");
  EXPECT_EQ(VariantTables::ScriptOf(""), "");
}

TEST(VariantTablesTest, StatsDescribeTheEmbeddedTables) {
  const VariantTables::Stats s = VariantTables::Get().stats();
  EXPECT_GT(s.token_entries, 10000u);
  EXPECT_GT(s.graphones, 1000u);
  EXPECT_GT(s.graphone_bigrams, 1000u);
  EXPECT_GT(s.cjk_characters, 200u);
  EXPECT_EQ(s.hangul_syllables, 11172u);
  EXPECT_GT(s.nickname_names, 500u);
  EXPECT_GT(s.embedded_bytes, 1000000u);
  EXPECT_LT(s.embedded_bytes, 5000000u);
}

TEST(VariantTablesTest, ConcurrentUseSeesOneTable) {
  std::vector<std::thread> threads;
  std::vector<const VariantTables*> seen(8);
  std::vector<Strings> results(8);
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] {
      seen[i] = &VariantTables::Get();
      results[i] = seen[i]->latin_renderings("ברגנשטוקר");
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], seen[0]);
    EXPECT_EQ(results[i], results[0]);
  }
}

}  // namespace
}  // namespace vigil
