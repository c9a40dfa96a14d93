#include "screening/index.h"

#include <gtest/gtest.h>

#include <set>

#include "screening/screener.h"
#include "support/test_support.h"
#include "synth/watchlist_generator.h"

namespace vigil {
namespace {

WatchEntry Named(const std::string& ref, const std::vector<std::string>& names) {
  return testing::PersonEntry("test", ref, names);
}

// The references of the entries whose names the index offers for `query`.
std::set<std::string> Offered(const WatchIndex& index, const std::string& query,
                              IndexScratch* scratch) {
  SimilarityMemo memo;
  memo.Reset(index.vocabulary_size());
  std::vector<Candidate> out;
  index.Candidates(normalize_name(query), &memo, scratch, &out);
  std::set<std::string> refs;
  for (const auto& c : out) refs.insert(index.entry(index.name(c.name).entry).reference);
  return refs;
}

std::set<std::string> Offered(const WatchIndex& index, const std::string& query) {
  IndexScratch scratch;
  return Offered(index, query, &scratch);
}

class IndexTest : public ::testing::Test {
 protected:
  IndexTest()
      : index_({Named("gates", {"William Henry Gates"}),
                Named("laden", {"Usama bin Laden"}),
                Named("yasin", {"Abdul Rahman Yasin"}),
                Named("joined", {"Abdulrahman Qasim"}),
                Named("long", {"Barzan Ibrahim Hasan Abd al-Ghafur al-Tikriti Mahmoud"}),
                Named("single", {"Hezbollah"}),
                Named("smith", {"John Smith"})}) {}
  WatchIndex index_;
};

TEST_F(IndexTest, FindsNicknamesOfGivenNames) {
  EXPECT_TRUE(Offered(index_, "Bill Gates").count("gates"));
}

TEST_F(IndexTest, FindsSpellingsAndSlips) {
  EXPECT_TRUE(Offered(index_, "Jon Smyth").count("smith"));
  EXPECT_TRUE(Offered(index_, "Osama bin Ladin").count("laden"));
}

TEST_F(IndexTest, FindsWordsWrittenTogetherOrApart) {
  EXPECT_TRUE(Offered(index_, "Usama Binladen").count("laden"));       // "bin laden" written as one
  EXPECT_TRUE(Offered(index_, "Abdulrahman Yasin").count("yasin"));    // "abdul rahman" written as one
  EXPECT_TRUE(Offered(index_, "Abdul Rahman Qasim").count("joined"));  // "abdulrahman" written apart
}

TEST_F(IndexTest, FindsTwoWordsOfALongName) {
  // The name has more words than a posting carries: read from the name.
  EXPECT_TRUE(Offered(index_, "Barzan al-Tikriti").count("long"));
  EXPECT_TRUE(Offered(index_, "Mahmoud Barzan").count("long"));
}

TEST_F(IndexTest, OneSharedWordOfTwoIsNotACandidate) {
  EXPECT_FALSE(Offered(index_, "John Gates").count("smith"));
  EXPECT_FALSE(Offered(index_, "Peter Smith").count("smith"));
  EXPECT_TRUE(Offered(index_, "Hizbollah Organisation").count("single"));  // a one-word name
}

TEST_F(IndexTest, ParticlesAndInitialsAloneFindNothing) {
  EXPECT_TRUE(Offered(index_, "al bin").empty());
  EXPECT_TRUE(Offered(index_, "J S").empty());
}

// The commonest query word's postings are skipped; names holding it and a
// rarer word must still be found, and names holding only it must not.
TEST(IndexSkipTest, CommonWordWithARareOneFindsExactlyTheNamesHoldingBoth) {
  std::vector<WatchEntry> entries;
  for (int i = 0; i < 300; ++i)
    entries.push_back(Named("m" + std::to_string(i), {"Mohammed Zyx" + std::string(1, 'a' + i % 26) +
                                                      std::to_string(i)}));
  entries.push_back(Named("target", {"Mohammed Qurbanov"}));
  entries.push_back(Named("other", {"Ilham Qurbanov"}));
  const WatchIndex index(entries);
  EXPECT_EQ(Offered(index, "Muhammad Qurbanov"), std::set<std::string>{"target"});
}

// One listed word answers one query word, however many it is near; a
// repeated word answers as many as it is written.
TEST(IndexRepeatTest, RepeatedWordsCountOncePerWriting) {
  const WatchIndex index({Named("one", {"Mohammed Ali"}), Named("two", {"Muhammad Mohamed Hassan"}),
                          Named("twice", {"Mohammed Mohammed Ali"})});
  EXPECT_EQ(Offered(index, "Muhammad Mohammed"), (std::set<std::string>{"two", "twice"}));
  const Screener screener(index, ScreeningConfig{});
  ScreeningScratch s;
  ScreeningQuery q;
  q.name = "Mohammed Mohammed Ali";
  const auto m = screener.Screen(q, &s);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].reference, "twice");
  EXPECT_DOUBLE_EQ(m[0].score, 1.0);
}

// A scratch remembers query words per index: used with another index it
// must not answer with the first one's words.
TEST(IndexScratchTest, AScratchServesSeveralIndexes) {
  const WatchIndex a({Named("a1", {"John Smith"}), Named("a2", {"Peter Jones"})});
  const WatchIndex b({Named("b1", {"Peter Jones"}), Named("b2", {"John Smith"})});
  IndexScratch scratch;
  EXPECT_EQ(Offered(a, "John Smith", &scratch), std::set<std::string>{"a1"});
  EXPECT_EQ(Offered(b, "John Smith", &scratch), std::set<std::string>{"b2"});
  EXPECT_EQ(Offered(a, "John Smith", &scratch), std::set<std::string>{"a1"});
}

// What a thread remembers must not change what it finds.
TEST(IndexScratchTest, RememberedWordsGiveTheSameCandidates) {
  WatchListGenerator gen(3);
  const auto entries = gen.Entries("synthetic", 3000);
  const WatchIndex index(entries);
  IndexScratch warm;
  for (int i = 0; i < 300; ++i) {
    std::string how;
    const std::string q = i % 2 ? gen.RandomName() : gen.Variant(entries[(i * 31) % entries.size()], &how);
    const auto first = Offered(index, q, &warm);
    EXPECT_EQ(Offered(index, q, &warm), first) << q;
    EXPECT_EQ(Offered(index, q), first) << q;
  }
}

}  // namespace
}  // namespace vigil
