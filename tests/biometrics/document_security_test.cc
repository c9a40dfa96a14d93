// Passive authentication of a chip's data groups: authentic data groups
// pass; an altered data group, an untrusted or expired signer, a security
// object altered after signing, and malformed ones are told apart.
#include "biometrics/document_security.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "biometrics/chip_issuer.h"
#include "biometrics/frontline.h"
#include "support/test_support.h"
#include "travel_document.h"

namespace vigil {
namespace {

using testing::ChipIssuer;

std::string Write(const std::string& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

CscaList Trusting(const std::vector<const ChipIssuer*>& issuers) {
  const std::string dir = testing::TempDir();
  for (size_t i = 0; i < issuers.size(); ++i) Write(dir, "csca" + std::to_string(i) + ".pem", issuers[i]->CscaPem());
  auto list = CscaList::Load(dir);
  EXPECT_TRUE(list.ok()) << list.error();
  return list.ok() ? std::move(*list) : CscaList();
}

struct Chip {
  std::string dg2 = testing::DataGroup('\x75', {testing::FaceRecord({{0, testing::ReadSource("data/faces/astronaut.jpg")}})});
  std::string dg3 = testing::DataGroup('\x63', {std::string("FIR\0", 4) + std::string(40, '\x07')});
};

TEST(DocumentSecurityTest, DataGroupsSignedUnderATrustedCscaAreAuthentic) {
  const ChipIssuer utopia("UT");
  const Chip chip;
  const std::string sod = utopia.SodOver({{2, chip.dg2}, {3, chip.dg3}, {1, "a\x01x"}});
  const CscaList trusted = Trusting({&utopia});
  EXPECT_EQ(trusted.size(), 1u);
  const ChipVerdict v = authenticate_chip(sod, {chip.dg2, chip.dg3}, trusted);
  EXPECT_TRUE(v.authentic) << v.reason;
  EXPECT_EQ(v.groups, (std::vector<int>{2, 3}));
  EXPECT_EQ(v.signer, "CN=Document Signer UT,C=UT");
  EXPECT_TRUE(v.reason.empty());

  auto object = read_security_object(sod);
  ASSERT_TRUE(object.ok()) << object.error();
  EXPECT_EQ(object->hash_algorithm, "SHA256");
  EXPECT_EQ(object->hashes.size(), 3u);
  EXPECT_EQ(object->hashes.at(2), ChipIssuer::Hash(chip.dg2));

  // Other hash algorithms, and a DER CSCA file.
  const std::string dir = testing::TempDir();
  auto der = CscaList::Load(Write(dir, "csca.cer", utopia.CscaDer()));
  ASSERT_TRUE(der.ok()) << der.error();
  for (const char* md : {"SHA1", "SHA512"}) {
    const ChipVerdict other = authenticate_chip(utopia.SodOver({{2, chip.dg2}}, md), {chip.dg2}, *der);
    EXPECT_TRUE(other.authentic) << md << ": " << other.reason;
  }
}

TEST(DocumentSecurityTest, WhatIsNotAuthenticIsToldApart) {
  const ChipIssuer utopia("UT"), atlantis("AT");
  const Chip chip;
  const std::string sod = utopia.SodOver({{2, chip.dg2}});
  const CscaList trusted = Trusting({&utopia});
  auto refused = [&](const std::string& s, const std::vector<std::string_view>& groups, const CscaList& csca,
                     const std::string& why) {
    const ChipVerdict v = authenticate_chip(s, groups, csca);
    EXPECT_FALSE(v.authentic) << why;
    EXPECT_NE(v.reason.find(why), std::string::npos) << v.reason;
  };
  // A photograph swapped: one byte of the image changed.
  std::string swapped = chip.dg2;
  swapped[swapped.size() - 100] ^= 1;
  refused(sod, {swapped}, trusted, "data group 2 does not hash to what the document security object lists");
  refused(sod, {chip.dg3}, trusted, "the document security object lists no hash for data group 3");
  refused(sod, {"\x12\x01"}, trusted, "does not begin with a data group's tag");
  refused(sod, {}, trusted, "no data group to check");
  // Signed by another state's signer, or by none trusted here.
  refused(atlantis.SodOver({{2, chip.dg2}}), {chip.dg2}, trusted,
          "does not lead to a trusted CSCA: certificate verify error (Verify error: unable to get local issuer certificate)");
  refused(sod, {chip.dg2}, CscaList(), "no CSCA certificate is trusted here");
  // A document signer whose certificate has expired, or is not yet valid.
  refused(ChipIssuer("UT", -400, -10).SodOver({{2, chip.dg2}}), {chip.dg2}, Trusting({&utopia}),
          "unable to get local issuer certificate");
  {
    const ChipIssuer expired("EX", -400, -10), early("EA", 10, 400);
    refused(expired.SodOver({{2, chip.dg2}}), {chip.dg2}, Trusting({&expired}), "certificate has expired");
    refused(early.SodOver({{2, chip.dg2}}), {chip.dg2}, Trusting({&early}), "certificate is not yet valid");
  }
  // The listed hash changed after signing: the signature no longer holds.
  std::string forged = sod;
  const size_t at = forged.find(ChipIssuer::Hash(chip.dg2));
  ASSERT_NE(at, std::string::npos);
  forged[at] ^= 1;
  refused(forged, {chip.dg2}, trusted, "does not lead to a trusted CSCA");
}

// The CSCAs' revocation lists: a document signer its CSCA's newest CRL
// revokes is not authentic; one a current CRL leaves out is, and says it
// was checked; a list out of date, none loaded, or one its CSCA did not
// sign leave it authentic, saying so.
TEST(DocumentSecurityTest, ARevokedDocumentSignerIsNotAuthentic) {
  const ChipIssuer utopia("UT"), atlantis("AT");
  const Chip chip;
  const std::string sod = utopia.SodOver({{2, chip.dg2}});
  auto verdict = [&](const std::vector<std::pair<std::string, std::string>>& files) {
    const std::string dir = testing::TempDir();
    Write(dir, "csca.pem", utopia.CscaPem());
    for (const auto& [name, bytes] : files) Write(dir, name, bytes);
    auto list = CscaList::Load(dir);
    EXPECT_TRUE(list.ok()) << list.error();
    return list.ok() ? authenticate_chip(sod, {chip.dg2}, *list) : ChipVerdict();
  };
  ChipVerdict v = verdict({{"utopia.crl", utopia.Crl(false)}});
  EXPECT_TRUE(v.authentic) << v.reason;
  EXPECT_TRUE(v.revocation_current);
  EXPECT_EQ(v.revocation.rfind("not revoked (its CSCA's CRL of ", 0), 0u) << v.revocation;
  EXPECT_EQ(chip_summary(v), "authentic");

  v = verdict({{"utopia.crl", utopia.Crl(true, -1, 30, true)}});  // DER
  EXPECT_FALSE(v.authentic);
  EXPECT_NE(v.reason.find("the document signer's certificate was revoked on "), std::string::npos) << v.reason;
  EXPECT_EQ(v.signer, "CN=Document Signer UT,C=UT");
  EXPECT_EQ(chip_summary(v).rfind("not authentic: the document signer's certificate was revoked", 0), 0u);

  // The newest list counts: a signer revoked in error and restored later.
  v = verdict({{"old.crl", utopia.Crl(true, -20, 10)}, {"new.crl", utopia.Crl(false, -2, 28)}});
  EXPECT_TRUE(v.authentic) << v.reason;
  v = verdict({{"old.crl", utopia.Crl(false, -20, 10)}, {"new.crl", utopia.Crl(true, -2, 28)}});
  EXPECT_FALSE(v.authentic);

  // A list out of date: still authentic where it does not revoke, and said.
  v = verdict({{"utopia.crl", utopia.Crl(false, -60, -30)}});
  EXPECT_TRUE(v.authentic);
  EXPECT_FALSE(v.revocation_current);
  EXPECT_NE(v.revocation.find(", out of date since "), std::string::npos) << v.revocation;
  EXPECT_EQ(chip_summary(v).rfind("authentic; signer not revoked in its CSCA's CRL of ", 0), 0u) << chip_summary(v);
  v = verdict({{"utopia.crl", utopia.Crl(true, -60, -30)}});
  EXPECT_FALSE(v.authentic) << "revoked in an old list is revoked";

  // No list from its CSCA, or one not signed by it: not checked.
  v = verdict({{"atlantis.crl", atlantis.Crl(true)}});
  EXPECT_TRUE(v.authentic);
  EXPECT_FALSE(v.revocation_current);
  EXPECT_EQ(v.revocation, "revocation not checked: no CRL from its CSCA is loaded");
  v = verdict({{"forged.crl", utopia.Crl(true, -1, 30, false, true)}});
  EXPECT_TRUE(v.authentic) << "a list its CSCA did not sign revokes nothing";
  EXPECT_EQ(v.revocation, "revocation not checked: no CRL naming its CSCA verifies with its CSCA's key");
  v = verdict({});
  EXPECT_EQ(v.revocation, "revocation not checked: no CRL from its CSCA is loaded");
  EXPECT_EQ(chip_summary(v), "authentic; signer revocation not checked: no CRL from its CSCA is loaded");

  // A CSCA and its CRL in one PEM file.
  const std::string dir = testing::TempDir();
  auto both = CscaList::Load(Write(dir, "utopia.pem", utopia.CscaPem() + utopia.Crl(true)));
  ASSERT_TRUE(both.ok()) << both.error();
  EXPECT_EQ(both->size(), 1u);
  EXPECT_EQ(both->crls().size(), 1u);
  EXPECT_FALSE(authenticate_chip(sod, {chip.dg2}, *both).authentic);
}

// Active authentication: a chip that holds the key of its data group 15
// signs the challenge; a copy of its files (another key), another
// challenge, or a damaged signature do not verify. RSA and EC keys.
TEST(DocumentSecurityTest, AChipSigningTheChallengeIsGenuine) {
  const std::string challenge("\x01\x23\x45\x67\x89\xab\xcd\xef", 8), other("\x00\x23\x45\x67\x89\xab\xcd\xef", 8);
  for (const bool rsa : {false, true}) {
    const testing::ChipKey chip(rsa), copy(rsa);
    const std::string dg15 = chip.Dg15(), signature = chip.Sign(challenge);
    const ActiveVerdict v = verify_active_authentication(dg15, challenge, signature);
    EXPECT_TRUE(v.passed) << v.reason;
    EXPECT_EQ(v.algorithm, rsa ? "RSA ISO/IEC 9796-2, SHA-256" : "ECDSA, SHA-256");
    auto fails = [&](std::string_view group, std::string_view c, std::string_view s, const std::string& why) {
      const ActiveVerdict f = verify_active_authentication(group, c, s);
      EXPECT_FALSE(f.passed) << why;
      EXPECT_NE(f.reason.find(why), std::string::npos) << f.reason;
    };
    fails(dg15, challenge, copy.Sign(challenge), "the chip may be a copy");
    fails(dg15, other, signature, "the chip may be a copy");
    std::string damaged = signature;
    damaged[damaged.size() / 2] ^= 1;
    fails(dg15, challenge, damaged, "the chip may be a copy");
    fails(dg15, challenge, signature.substr(1), "the chip may be a copy");
    fails(dg15, challenge.substr(0, 7), signature, "the challenge is 7 bytes; the chip signs 8");
  }
  const testing::ChipKey chip(false);
  const std::string dg15 = chip.Dg15();
  auto fails = [&](std::string_view group, const std::string& why) {
    const ActiveVerdict f = verify_active_authentication(group, std::string(8, 'c'), chip.Sign(std::string(8, 'c')));
    EXPECT_FALSE(f.passed);
    EXPECT_NE(f.reason.find(why), std::string::npos) << f.reason;
  };
  fails("\x75\x01\x00", "data group 15: at byte 0:");
  fails(testing::Tlv("\x6f", "not a key"), "data group 15: at byte 2: not a public key");
  fails(dg15.substr(0, dg15.size() - 3), "data group 15: at byte");
}

TEST(DocumentSecurityTest, MalformedSecurityObjectsAreRefusedWithThePlace) {
  const ChipIssuer utopia("UT");
  const std::string sod = utopia.SodOver({{2, "u"}});
  auto refused = [](std::string_view s, const std::string& why) {
    auto r = read_security_object(s);
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
  };
  refused("", "EF.SOD: at byte 0: an element is missing");
  refused(sod.substr(0, sod.size() - 1), "EF.SOD: at byte 0: 77:");
  refused(sod + "x", "bytes after the document security object");
  refused(std::string("\x30\x00", 2), "EF.SOD: at byte 0: 30 where 77 (document security object) belongs");
  refused(testing::Tlv("\x77", std::string("\x30\x03\x02\x01\x00", 5)), "EF.SOD: at byte 2: not a CMS structure");
  // Security objects of the wrong shape, signed all the same.
  refused(utopia.Sod({{2, std::string(20, 'h')}}), "04: 20 bytes, where SHA256 gives 32");
  refused(utopia.Sod({{17, std::string(32, 'h')}}), "a data group number from 1 to 16 belongs here");
  refused(utopia.Sod({}), "30: no data group hash");
  EXPECT_EQ(data_group_number("\x75"), 2);
  EXPECT_EQ(data_group_number("\x63"), 3);
  EXPECT_EQ(data_group_number("\x6f"), 15);
  EXPECT_EQ(data_group_number("\x77"), 0);
  EXPECT_EQ(data_group_number(""), 0);
}

// A security object made by another tool (the openssl command) is read
// the same way: the hashes of the data groups it was made over.
TEST(DocumentSecurityTest, ASecurityObjectSignedByTheOpensslCommandIsRead) {
  auto object = read_security_object(testing::ReadSource("fuzz/seeds/sod-sha256.bin"));
  ASSERT_TRUE(object.ok()) << object.error();
  EXPECT_EQ(object->hash_algorithm, "SHA256");
  ASSERT_EQ(object->hashes.size(), 3u);
  EXPECT_EQ(object->hashes.at(2), ChipIssuer::Hash(testing::ReadSource("fuzz/seeds/dg2-small.bin")));
  EXPECT_EQ(object->hashes.at(3), ChipIssuer::Hash(testing::ReadSource("fuzz/seeds/dg3-small.bin")));
  // Its signer is no CSCA's here.
  const ChipIssuer other("OT");
  const ChipVerdict v = authenticate_chip(testing::ReadSource("fuzz/seeds/sod-sha256.bin"),
                                          {testing::ReadSource("fuzz/seeds/dg2-small.bin")}, Trusting({&other}));
  EXPECT_FALSE(v.authentic);
  EXPECT_NE(v.reason.find("does not lead to a trusted CSCA"), std::string::npos) << v.reason;
}

TEST(DocumentSecurityTest, CscaCertificatesComeFromFilesFoldersAndMasterLists) {
  const std::string dir = testing::TempDir();
  auto none = CscaList::Load(Write(dir, "notes.txt", "not a certificate"));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("notes.txt: no certificate or CRL (PEM, DER or a master list) in it"), std::string::npos) << none.error();
  EXPECT_FALSE(CscaList::Load(dir + "/missing.pem").ok());
  EXPECT_FALSE(CscaList::Load(testing::TempDir()).ok()) << "an empty folder";
  // An ICAO master list: the CSCAs it lists are trusted; altered, it is
  // refused.
  {
    const ChipIssuer utopia("UT"), atlantis("AT"), publisher("PB");
    const std::string list = publisher.MasterList({utopia.CscaDer(), atlantis.CscaDer()});
    auto trusted = CscaList::Load(Write(dir, "master.ml", list));
    ASSERT_TRUE(trusted.ok()) << trusted.error();
    EXPECT_EQ(trusted->size(), 2u);
    const std::string dg = testing::DataGroup('\x75', {std::string("FAC\0", 4)});
    for (const ChipIssuer* issuer : {&utopia, &atlantis})
      EXPECT_TRUE(authenticate_chip(issuer->SodOver({{2, dg}}), {dg}, *trusted).authentic);
    EXPECT_FALSE(authenticate_chip(publisher.SodOver({{2, dg}}), {dg}, *trusted).authentic)
        << "the list's signer is not thereby trusted";
    std::string altered = list;
    const size_t at = altered.find(utopia.CscaDer().substr(40, 20));
    ASSERT_NE(at, std::string::npos);
    altered[at] ^= 1;
    auto refused = CscaList::Load(Write(dir, "altered.ml", altered));
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().find("altered.ml: its signature does not verify"), std::string::npos) << refused.error();
    auto sod = CscaList::Load(Write(dir, "sod.bin", utopia.SodOver({{2, dg}}).substr(4)));
    ASSERT_FALSE(sod.ok());
    EXPECT_NE(sod.error().find("not a CSCA master list"), std::string::npos) << sod.error();
  }
  // A master list made by the openssl command.
  auto made = CscaList::Count(testing::ReadSource("fuzz/seeds/csca-master-list.bin"), "seed");
  ASSERT_TRUE(made.ok()) << made.error();
  EXPECT_EQ(*made, 1u);
  // Two certificates in one PEM file.
  const ChipIssuer a("AA"), b("BB");
  auto both = CscaList::Load(Write(dir, "two.pem", a.CscaPem() + b.CscaPem()));
  ASSERT_TRUE(both.ok()) << both.error();
  EXPECT_EQ(both->size(), 2u);
}

}  // namespace
}  // namespace vigil
