#include "biometrics/package.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

BioTemplate Print(const std::string& list, const std::string& reference) {
  return {0, list, reference, "terrorism", "finger", 1, "bytes of " + reference, ""};
}

class PackageTest : public testing::Test {
 protected:
  void SetUp() override {
    auto k = SigningKey::LoadOrCreate(testing::TempDir() + "/package_test/signing.key");
    ASSERT_TRUE(k.ok()) << k.error();
    key_ = *k;
    seal_ = new_sealing_key();
  }
  SigningKey key_;
  std::string seal_;
};

// A notice lists the removals after a package was made; only those take
// subjects out of it, and only the subjects of its lists are touched.
TEST_F(PackageTest, WithdrawalsTakeOutOnlyWhatWasRemovedAfterThePackage) {
  GalleryPackage p{"2026-11-20T00:00:00Z", "2026-12-31T00:00:00Z", {"national"}, 7,
                   {Print("national", "A"), Print("national", "B"), Print("national", "B"), Print("national", "C")}};
  auto read = read_package(write_package(p, key_, seal_), key_.public_key_hex(), "2026-11-21T00:00:00Z", seal_);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->removals_through, 7);
  ASSERT_EQ(read->templates.size(), 4u);

  // C was removed before the package was made (and enrolled again since),
  // B after; the A removed is another list's.
  const WithdrawalNotice n{"2026-11-22T00:00:00Z", {"national"}, 9, {{5, "national", "C"}, {8, "national", "B"}, {9, "other", "A"}}};
  for (const std::string& seal : {seal_, std::string()}) {
    auto notice = read_withdrawals(write_withdrawals(n, key_, seal), key_.public_key_hex(), seal);
    ASSERT_TRUE(notice.ok()) << notice.error();
    EXPECT_EQ(notice->removals_through, 9);
    ASSERT_EQ(notice->withdrawals.size(), 3u);
    EXPECT_EQ(notice->withdrawals[1].reference, "B");
    GalleryPackage copy = *read;
    EXPECT_EQ(apply_withdrawals(&copy, *notice), 2u);
    ASSERT_EQ(copy.templates.size(), 2u);
    EXPECT_EQ(copy.templates[0].reference, "A");
    EXPECT_EQ(copy.templates[1].reference, "C");
  }
}

TEST_F(PackageTest, ANoticeIsReadOnlyWhenSignedAndWellFormed) {
  const WithdrawalNotice n{"2026-11-22T00:00:00Z", {"national"}, 3, {{3, "national", "B"}}};
  const std::string text = write_withdrawals(n, key_, seal_);
  auto other = SigningKey::LoadOrCreate(testing::TempDir() + "/package_test/other.key");
  ASSERT_TRUE(other.ok());
  auto wrong_key = read_withdrawals(text, other->public_key_hex(), seal_);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.error(), "withdrawal notice: the signature is not the trusted key's (altered, or signed elsewhere)");
  auto no_seal = read_withdrawals(text, key_.public_key_hex());
  ASSERT_FALSE(no_seal.ok());
  EXPECT_EQ(no_seal.error(), "withdrawal notice: sealed; give its sealing key (64 hex digits)");

  // A package is not a notice, nor a notice a package.
  GalleryPackage p{"2026-11-20T00:00:00Z", "2026-12-31T00:00:00Z", {"national"}, 0, {Print("national", "A")}};
  auto as_notice = read_withdrawals(write_package(p, key_), key_.public_key_hex());
  ASSERT_FALSE(as_notice.ok());
  EXPECT_EQ(as_notice.error(), "withdrawal notice: line 1: not a version 1 withdrawal notice header");
  auto as_package = read_package(write_withdrawals(n, key_), key_.public_key_hex(), "2026-11-21T00:00:00Z");
  ASSERT_FALSE(as_package.ok());
  EXPECT_EQ(as_package.error(), "gallery package: line 1: not a version 1 gallery package header");

  // A line that names no removal is refused, with its line number, even
  // when signed.
  auto unsealed = write_withdrawals(n, key_);
  std::string body = unsealed.substr(0, unsealed.rfind('\n', unsealed.size() - 2) + 1);
  body += "{\"list\":\"national\",\"id\":\"C\"}\n";
  const std::string forged = body + "{\"signature\":\"" + key_.Sign(body) + "\"}\n";
  auto bad = read_withdrawals(forged, key_.public_key_hex());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "withdrawal notice: line 3: not a withdrawal line");
}

}  // namespace
}  // namespace vigil
