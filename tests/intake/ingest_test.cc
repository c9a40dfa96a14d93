#include "intake/ingest.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace vigil {
namespace {

const HashKey kKey = HashKey::ForTesting();

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(testing::TempDir() + "/v.db");
    ASSERT_TRUE(s.ok()) << s.error();
    store_ = std::move(*s);
    IngestOptions o;
    o.card_key = &kKey;
    o.reference_year = 2026;
    ingestor_ = std::make_unique<Ingestor>(store_.get(), o);
  }

  IngestResult Ingest(std::string_view bytes, const std::string& name) {
    auto r = ingestor_->Ingest(bytes, name);
    EXPECT_TRUE(r.ok()) << r.error();
    return r.ok() ? *r : IngestResult{};
  }

  std::unique_ptr<Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
};

TEST_F(IngestTest, SummaryCountsWhatThisCallDid) {
  for (const char* f : {"paxlst-ba0117-passengers.edi", "pnrgov-ba0117-72h.edi",
                        "pnrgov-ba0117-24h.edi", "paxlst-ba0117-passengers.edi"})
    Ingest(testing::ReadSample(f), f);
  const IngestSummary& s = ingestor_->summary();
  EXPECT_EQ(s.messages, 4u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.rejected, 0u);
  EXPECT_EQ(s.travellers, 3u + 3u + 3u);
  EXPECT_EQ(s.pnrs, 4u);
  EXPECT_EQ(s.flights, 2u);  // BA117 and the BA6172 codeshare home
  EXPECT_EQ(s.links, 5u);
}

// Each class of bad input is rejected with a located reason and kept raw.
struct BadInput {
  const char* name;
  std::string bytes;
  const char* reason_part;
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class BadInputTest : public IngestTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, IsQuarantinedWithItsReasonAndNothingElseChanges) {
  Ingest(testing::ReadSample("paxlst-ba0117-passengers.edi"), "good.edi");
  const auto before = *store_->Counts();
  const BadInput& bad = GetParam();
  auto r = Ingest(bad.bytes, bad.name);
  EXPECT_FALSE(r.accepted);
  ASSERT_FALSE(r.diagnostics.empty());
  auto q = *store_->QuarantineEntries();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].raw, bad.bytes);
  EXPECT_EQ(q[0].source, bad.name);
  EXPECT_NE(q[0].reason.find(bad.reason_part), std::string::npos) << q[0].reason;
  EXPECT_EQ(q[0].reason.rfind(std::string(bad.name) + ":", 0), 0u) << q[0].reason;
  const auto after = *store_->Counts();
  EXPECT_EQ(after.raw_messages, before.raw_messages);
  EXPECT_EQ(after.api_travellers, before.api_travellers);
  EXPECT_EQ(ingestor_->summary().rejected, 1u);
}

std::string Truncated() {
  const std::string full = testing::ReadSample("paxlst-ba0117-passengers.edi");
  return full.substr(0, full.size() / 2);
}

std::string Hostile() {
  // Deeply repeated release characters and a segment that never ends.
  return "UNA:+.? 'UNB+UNOA:4+S+R+261123:0912+R1'UNH+1+PAXLST:D:05B:UN:IATA'NAD+FL+++" +
         std::string(100001, '?') + "'";
}

INSTANTIATE_TEST_SUITE_P(
    Classes, BadInputTest,
    ::testing::Values(
        BadInput{"truncated.edi", Truncated(), "truncated"},
        BadInput{"binary.bin", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0", 12), "binary"},
        BadInput{"nul.edi", std::string("UNB+UNOA:4+S+R+261123:0912+R1'UNH+1+PAXLST'NAD+F\0L'", 51),
                 "NUL"},
        BadInput{"utf16.edi", std::string("\xFF\xFEU\0N\0B\0", 8), "UTF-16"},
        BadInput{"hostile.edi", Hostile(), "no segment terminator"},
        BadInput{"no-unz.edi",
                 "UNB+UNOA:4+S+R+261123:0912+R1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+1'",
                 "no UNZ"},
        BadInput{"doctype.xml",
                 "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><IATA_PNRGOV_NotifRQ/>",
                 "DOCTYPE"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST_F(IngestTest, EnormousInputIsQuarantinedWithoutParsing) {
  std::string big(kMaxInputBytes + 10, 'X');
  auto r = Ingest(big, "big.edi");
  EXPECT_FALSE(r.accepted);
  auto q = *store_->QuarantineEntries();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].raw.size(), big.size());
}

TEST_F(IngestTest, StrictModeQuarantinesIrregularInput) {
  IngestOptions o;
  o.strict = true;
  o.reference_year = 2026;
  Ingestor strict(store_.get(), o);
  auto r = strict.Ingest("UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+XX1'UNT+9+1'", "odd.edi");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->accepted);
  EXPECT_EQ(strict.summary().rejected, 1u);
}

}  // namespace
}  // namespace vigil
