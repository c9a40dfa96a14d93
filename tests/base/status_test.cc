#include "base/status.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(DiagnosticTest, FormatsLocationSegmentAndReason) {
  Diagnostic d{Severity::kError, Location{"a.edi", 12, 5, 300, "NAD"}, "bad name"};
  EXPECT_EQ(d.to_string(), "a.edi:12:5: segment NAD: bad name");
  d.severity = Severity::kWarning;
  EXPECT_EQ(d.to_string(), "a.edi:12:5: segment NAD: warning: bad name");
  Diagnostic bare{Severity::kError, Location{"x", 0, 0, 0, ""}, "empty"};
  EXPECT_EQ(bare.to_string(), "x: empty");
}

TEST(DiagnosticsTest, EscalationTurnsWarningsIntoErrors) {
  Diagnostics d;
  d.warn({}, "w1");
  d.warn({}, "w2");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.warning_count(), 2u);
  d.escalate_warnings();
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.error_count(), 2u);
  EXPECT_EQ(d.warning_count(), 0u);
}

TEST(ResultTest, CarriesValueOrError) {
  Result<int> ok(5);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  Result<int> bad(Status::Error("nope"));
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "nope");
}

}  // namespace
}  // namespace vigil
