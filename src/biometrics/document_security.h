// Passive authentication of a travel document's chip (ICAO 9303 part 11):
// the document security object (EF.SOD) lists a hash of each data group
// and is signed by a document signer, whose certificate the issuing
// state's country signing CA (CSCA) signed. A photograph or fingerprints
// read from a chip are the issuer's only when their data group hashes to
// what the SOD lists and the SOD's signature leads to a trusted CSCA.
//
// Promises:
//  - read_security_object() reads EF.SOD: tag 77 around a CMS SignedData
//    whose content is an LDS security object (2.23.136.1.1.1): its hash
//    algorithm (SHA-1, -224, -256, -384 or -512) and each data group's
//    hash. Errors are located ("EF.SOD: at byte N: ...") and say what is
//    wrong; nothing is verified here.
//  - CscaList::Load() reads trusted CSCA certificates from a PEM or DER
//    file, an ICAO CSCA master list (CMS signed data, 2.23.136.1.1.2, its
//    signature checked with the certificate it carries), or every such
//    file of a folder, and the CSCAs' certificate revocation lists (CRLs,
//    PEM or DER) among them; a file that holds neither, or a master list
//    that does not verify, is an error naming it.
//  - authenticate_chip() says whether the data groups given are authentic:
//    every one hashes to what the SOD lists for it, the SOD's signature
//    verifies with the document signer's certificate it carries, that
//    certificate chains to a certificate of `csca`, each valid now, and
//    the newest CRL its CSCA signed does not revoke it. When not, `reason`
//    says which step failed and why. `revocation` says what the CRLs
//    told: checked against a current list, against one out of date (its
//    next update passed: the signer still counts as not revoked, and the
//    verdict says so, as a border post may be offline), or not checked
//    (no CRL from its CSCA loaded, or none that its CSCA's key signed).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct x509_store_st;
struct X509_crl_st;

namespace vigil {

struct SecurityObject {
  std::string hash_algorithm;         // "SHA256", as OpenSSL names it
  std::map<int, std::string> hashes;  // data group number -> its hash
};
Result<SecurityObject> read_security_object(std::string_view sod);

// The data group number a file's first byte (its tag) gives: 61 is 1,
// 75 is 2, 63 is 3, ...; 0 for none.
int data_group_number(std::string_view bytes);

class CscaList {
 public:
  static Result<CscaList> Load(const std::string& path);
  // The name, size and modification time of each file Load(path) reads:
  // it differs whenever a file there is added, removed or rewritten.
  static std::string Stamp(const std::string& path);
  // How many certificates and CRLs `bytes` (one file's, called `name` in
  // errors) hold, read as Load() reads a file: at least one, or an error.
  static Result<size_t> Count(const std::string& bytes, const std::string& name);
  CscaList();
  size_t size() const { return count_; }
  x509_store_st* store() const { return store_.get(); }
  // The revocation lists loaded, whoever signed them (checked when used).
  const std::vector<std::shared_ptr<X509_crl_st>>& crls() const { return crls_; }

 private:
  std::shared_ptr<x509_store_st> store_;
  std::vector<std::shared_ptr<X509_crl_st>> crls_;
  size_t count_ = 0;
};

// Active authentication (ICAO 9303 part 11, 6.1): the chip signs an
// 8-byte challenge with a private key it never gives out, whose public key
// data group 15 holds (tag 6F around a SubjectPublicKeyInfo). A copy of
// the chip's files cannot sign. It proves the chip genuine only where
// data group 15 is itself authentic (authenticate_chip), and only for a
// challenge the chip could not have seen before.
//
// Promises:
//  - An RSA key's signature is read as ISO/IEC 9796-2 scheme 1 with
//    partial message recovery: header 6A, the chip's own bytes M1, the
//    hash of M1 and the challenge, trailer BC (SHA-1) or a hash
//    identifier and CC (SHA-224 to -512); passed where that hash agrees.
//  - An EC key's signature is plain r || s (BSI TR-03111) over the
//    challenge hashed with SHA-1, -224, -256, -384 or -512 (data group 14
//    names which; each is tried): passed where one verifies.
//  - `algorithm` names what verified ("RSA ISO/IEC 9796-2, SHA-256",
//    "ECDSA, SHA-256"); `reason` says why not (a malformed data group 15
//    located, an unread key type, a challenge not of 8 bytes, a signature
//    that does not verify).
struct ActiveVerdict {
  bool passed = false;
  std::string algorithm;
  std::string reason;
};
ActiveVerdict verify_active_authentication(std::string_view dg15, std::string_view challenge, std::string_view signature);

struct ChipVerdict {
  bool authentic = false;
  std::vector<int> groups;  // the data groups checked
  std::string signer;       // the document signer (RFC 2253), once its signature verified
  std::string reason;       // why not authentic
  std::string revocation;   // what its CSCA's CRLs say of the signer, once it chained ("" before)
  bool revocation_current = false;  // checked against a CRL not yet out of date
  std::optional<ActiveVerdict> active;  // the chip's answer to a challenge, where asked
};
// `groups`: each data group as read from the chip (its own tag first).
ChipVerdict authenticate_chip(std::string_view sod, const std::vector<std::string_view>& groups, const CscaList& csca);

}  // namespace vigil
