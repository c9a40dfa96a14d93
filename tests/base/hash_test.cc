#include "base/hash.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_support.h"

namespace vigil {
namespace {

TEST(HashTest, Sha256OfKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, KeyedHashDependsOnKey) {
  const HashKey a = HashKey::ForTesting();
  const HashKey b = HashKey::Random();
  EXPECT_EQ(a.keyed_hex("4111111111111111"), a.keyed_hex("4111111111111111"));
  EXPECT_NE(a.keyed_hex("4111111111111111"), b.keyed_hex("4111111111111111"));
  EXPECT_NE(a.keyed_hex("4111111111111111"), a.keyed_hex("4111111111111112"));
}

TEST(HashTest, KeyFileIsCreatedPrivateAndReloaded) {
  const std::string path = testing::TempDir() + "/k.key";
  HashKey k1, k2;
  std::string err;
  ASSERT_TRUE(HashKey::LoadOrCreate(path, &k1, &err)) << err;
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
  ASSERT_TRUE(HashKey::LoadOrCreate(path, &k2, &err)) << err;
  EXPECT_EQ(k1.keyed_hex("x"), k2.keyed_hex("x"));
}

TEST(HashTest, WrongSizedKeyFileIsRefused) {
  const std::string path = testing::TempDir() + "/short.key";
  FILE* f = fopen(path.c_str(), "wb");
  fputs("short", f);
  fclose(f);
  HashKey k;
  std::string err;
  EXPECT_FALSE(HashKey::LoadOrCreate(path, &k, &err));
  EXPECT_NE(err.find("expected 32"), std::string::npos);
}

}  // namespace
}  // namespace vigil
