#include "formats/edifact/interchange.h"

#include <gtest/gtest.h>

namespace vigil::edifact {
namespace {

// Records what the envelope layer hands to a message reader.
class RecordingReader : public MessageReader {
 public:
  void Begin(const MessageHeader& h) override { headers.push_back(h); }
  void OnSegment(const Segment& seg, const Tokenizer&) override {
    tags.emplace_back(seg.tag());
  }
  void End(const Segment&, const Tokenizer&) override { ++ended; }
  std::vector<MessageHeader> headers;
  std::vector<std::string> tags;
  int ended = 0;
};

struct Outcome {
  bool ok;
  Diagnostics diags;
  RecordingReader reader;
};

std::unique_ptr<Outcome> Read(std::string_view input) {
  auto o = std::make_unique<Outcome>();
  o->ok = read_interchange(
      input, "x.edi",
      [&](std::string_view type) -> MessageReader* {
        return type == "PAXLST" ? &o->reader : nullptr;
      },
      &o->diags);
  return o;
}

constexpr const char* kGood =
    "UNA:+.? 'UNB+UNOA:4+SND:ZZ+RCV:ZZ+261123:0912+REF1++APIS'"
    "UNG+PAXLST+SND+RCV+261123:0912+G1+UN+D:05B'"
    "UNH+M1+PAXLST:D:05B:UN:IATA+CAR1+02:F'BGM+745'TDT+20+BA117'UNT+4+M1'"
    "UNE+1+G1'UNZ+1+REF1'";

TEST(InterchangeTest, EnvelopesAreReadAndCountsChecked) {
  auto o = Read(kGood);
  EXPECT_TRUE(o->ok);
  EXPECT_EQ(o->diags.warning_count(), 0u) << o->diags.all().front().to_string();
  ASSERT_EQ(o->reader.headers.size(), 1u);
  const auto& h = o->reader.headers[0];
  EXPECT_EQ(h.sender, "SND");
  EXPECT_EQ(h.recipient, "RCV");
  EXPECT_EQ(h.prepared, "2026-11-23T09:12");
  EXPECT_EQ(h.interchange_ref, "REF1");
  EXPECT_EQ(h.message_ref, "M1");
  EXPECT_EQ(h.common_access_ref, "CAR1");
  EXPECT_EQ(h.part_number, 2u);
  EXPECT_TRUE(h.last_part);
  EXPECT_EQ(h.version, "D:05B");
  EXPECT_EQ(o->reader.tags, (std::vector<std::string>{"BGM", "TDT"}));
  EXPECT_EQ(o->reader.ended, 1);
}

TEST(InterchangeTest, WrongCountsAndReferencesAreWarnings) {
  auto o = Read(
      "UNB+UNOA:4+S+R+261123:0912+REF1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+9+M2'"
      "UNZ+3+REF9'");
  EXPECT_TRUE(o->ok);
  EXPECT_EQ(o->diags.warning_count(), 4u);
  EXPECT_EQ(o->diags.all()[0].where.segment, "UNT");
}

TEST(InterchangeTest, ContinuationPartIsFlagged) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA+CAR+01:C'UNT+2+M1'"
                "UNZ+1+R1'");
  ASSERT_EQ(o->reader.headers.size(), 1u);
  EXPECT_EQ(o->reader.headers[0].part_number, 1u);
  EXPECT_FALSE(o->reader.headers[0].last_part);
}

TEST(InterchangeTest, MessageWithoutTrailerIsTruncated) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'");
  EXPECT_FALSE(o->ok);
  EXPECT_NE(o->diags.all().back().reason.find("truncated"), std::string::npos);
  EXPECT_EQ(o->reader.ended, 0);
}

TEST(InterchangeTest, NextHeaderBeforeTrailerIsAnError) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'"
                "UNH+M2+PAXLST:D:05B:UN:IATA'UNT+2+M2'UNZ+2+R1'");
  EXPECT_FALSE(o->ok);
  EXPECT_NE(o->diags.all().front().reason.find("not closed"), std::string::npos);
}

TEST(InterchangeTest, MissingUnzIsAnError) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA'UNT+2+M1'");
  EXPECT_FALSE(o->ok);
  EXPECT_NE(o->diags.all().back().reason.find("no UNZ"), std::string::npos);
}

TEST(InterchangeTest, UnsupportedMessageTypeIsAnError) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+CUSRES:D:05B:UN'UNT+2+M1'UNZ+1+R1'");
  EXPECT_FALSE(o->ok);
  EXPECT_NE(o->diags.all().front().reason.find("CUSRES"), std::string::npos);
}

TEST(InterchangeTest, NoMessageIsAnError) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNZ+0+R1'");
  EXPECT_FALSE(o->ok);
  EXPECT_NE(o->diags.all().back().reason.find("no EDIFACT message"), std::string::npos);
}

TEST(InterchangeTest, MessageWithoutUnbIsAcceptedWithWarning) {
  auto o = Read("UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+M1'");
  EXPECT_TRUE(o->ok);
  EXPECT_EQ(o->diags.warning_count(), 1u);
  EXPECT_EQ(o->reader.ended, 1);
}

}  // namespace
}  // namespace vigil::edifact

namespace vigil::edifact {
namespace {

TEST(InterchangeTest, SeveralInterchangesInOneInputEachWithItsSeparators) {
  auto o = Read("UNA:+.? 'UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA'UNT+2+M1'"
                "UNZ+1+R1'\nUNA:*.? $UNB*UNOA:4*S*R*261123:0913*R2$UNH*M2*PAXLST:D:05B:UN:IATA$"
                "BGM*745$UNT*3*M2$UNZ*1*R2$");
  EXPECT_TRUE(o->ok) << o->diags.all().front().to_string();
  EXPECT_EQ(o->diags.warning_count(), 0u);
  ASSERT_EQ(o->reader.headers.size(), 2u);
  EXPECT_EQ(o->reader.headers[1].interchange_ref, "R2");
  EXPECT_EQ(o->reader.tags, (std::vector<std::string>{"BGM"}));
}

TEST(InterchangeTest, InterchangeNotClosedBeforeTheNextIsAnError) {
  auto o = Read("UNB+UNOA:4+S+R+261123:0912+R1'UNH+M1+PAXLST:D:05B:UN:IATA'UNT+2+M1'"
                "UNB+UNOA:4+S+R+261123:0913+R2'UNH+M2+PAXLST:D:05B:UN:IATA'UNT+2+M2'UNZ+1+R2'");
  EXPECT_FALSE(o->ok);
  EXPECT_NE(o->diags.all().front().reason.find("no UNZ before the next UNB"), std::string::npos);
}

}  // namespace
}  // namespace vigil::edifact
