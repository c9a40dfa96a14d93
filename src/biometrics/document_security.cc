#include "biometrics/document_security.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <optional>

#include "base/file.h"
#include "biometrics/lds.h"

namespace vigil {
namespace {

constexpr const char* kSod = "EF.SOD";
constexpr const char* kLdsSecurityObject = "2.23.136.1.1.1";
constexpr const char* kCscaMasterList = "2.23.136.1.1.2";

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using Object = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT, ASN1_OBJECT_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

// OpenSSL's queued errors, oldest first, with their details; the queue
// is left empty.
std::string OpenSslErrors() {
  std::string out;
  const char* data = nullptr;
  int flags = 0;
  while (const unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    const char* reason = ERR_reason_error_string(e);
    std::string one = reason ? reason : "error " + std::to_string(e);
    if (data && (flags & ERR_TXT_STRING) && *data) one += std::string(" (") + data + ")";
    if (out.find(one) == std::string::npos) out += (out.empty() ? "" : "; ") + one;
  }
  return out.empty() ? "no detail" : out;
}

const unsigned char* Bytes(std::string_view b, size_t at) { return reinterpret_cast<const unsigned char*>(b.data()) + at; }

struct Parsed {
  Cms cms;
  SecurityObject object;
};

// The LDS security object in `b` (DER, EF.SOD's content).
Result<SecurityObject> ReadLdsSecurityObject(std::string_view b) {
  constexpr const char* kName = "EF.SOD security object";
  SecurityObject out;
  auto top = expect_element(b, 0, b.size(), 0x30, "LDS security object", kName);
  if (!top.ok()) return top.status();
  auto version = expect_element(b, top->value, top->end, 0x02, "version", kName);
  if (!version.ok()) return version.status();
  if (version->end - version->value != 1 || static_cast<uint8_t>(b[version->value]) > 1)
    return located(kName, version->at, "02: version is neither 0 nor 1");
  auto algorithm = expect_element(b, version->end, top->end, 0x30, "hash algorithm", kName);
  if (!algorithm.ok()) return algorithm.status();
  auto oid = expect_element(b, algorithm->value, algorithm->end, 0x06, "hash algorithm's object identifier", kName);
  if (!oid.ok()) return oid.status();
  const unsigned char* p = Bytes(b, oid->at);
  Object object(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(oid->end - oid->at)));
  ERR_clear_error();
  const int nid = object ? OBJ_obj2nid(object.get()) : NID_undef;
  if (nid != NID_sha1 && nid != NID_sha224 && nid != NID_sha256 && nid != NID_sha384 && nid != NID_sha512)
    return located(kName, oid->at, "06: the hash algorithm is not SHA-1 or SHA-2");
  out.hash_algorithm = OBJ_nid2sn(nid);
  const EVP_MD* md = EVP_get_digestbynid(nid);
  const size_t length = md ? static_cast<size_t>(EVP_MD_get_size(md)) : 0;
  auto list = expect_element(b, algorithm->end, top->end, 0x30, "data group hash values", kName);
  if (!list.ok()) return list.status();
  for (size_t at = list->value; at < list->end;) {
    auto one = expect_element(b, at, list->end, 0x30, "data group hash", kName);
    if (!one.ok()) return one.status();
    auto number = expect_element(b, one->value, one->end, 0x02, "data group number", kName);
    if (!number.ok()) return number.status();
    const int n = number->end - number->value == 1 ? static_cast<uint8_t>(b[number->value]) : 0;
    if (n < 1 || n > 16) return located(kName, number->at, "02: a data group number from 1 to 16 belongs here");
    auto hash = expect_element(b, number->end, one->end, 0x04, "data group hash value", kName);
    if (!hash.ok()) return hash.status();
    if (hash->end - hash->value != length)
      return located(kName, hash->at,
                     "04: " + std::to_string(hash->end - hash->value) + " bytes, where " + out.hash_algorithm +
                         " gives " + std::to_string(length));
    if (hash->end != one->end) return located(kName, hash->end, "30: bytes after the hash value");
    if (!out.hashes.emplace(n, std::string(b.substr(hash->value, hash->end - hash->value))).second)
      return located(kName, number->at, "02: data group " + std::to_string(n) + " is listed twice");
    at = one->end;
  }
  if (out.hashes.empty()) return located(kName, list->at, "30: no data group hash");
  return out;
}

Result<Parsed> Parse(std::string_view sod) {
  auto wrapper = expect_element(sod, 0, sod.size(), 0x77, "document security object", kSod);
  if (!wrapper.ok()) return wrapper.status();
  if (wrapper->end != sod.size()) return located(kSod, wrapper->end, "bytes after the document security object");
  ERR_clear_error();
  const unsigned char* p = Bytes(sod, wrapper->value);
  Parsed out;
  out.cms.reset(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(wrapper->end - wrapper->value)));
  if (!out.cms) return located(kSod, wrapper->value, "not a CMS structure: " + OpenSslErrors());
  if (p != Bytes(sod, wrapper->end)) return located(kSod, wrapper->value, "the CMS structure ends before its element");
  if (OBJ_obj2nid(CMS_get0_type(out.cms.get())) != NID_pkcs7_signed)
    return located(kSod, wrapper->value, "the CMS structure is not signed data");
  Object expected(OBJ_txt2obj(kLdsSecurityObject, 1));
  const ASN1_OBJECT* type = CMS_get0_eContentType(out.cms.get());
  if (!type || OBJ_cmp(type, expected.get()) != 0)
    return located(kSod, wrapper->value, "the signed content is not an LDS security object (2.23.136.1.1.1)");
  ASN1_OCTET_STRING** content = CMS_get0_content(out.cms.get());
  if (!content || !*content) return located(kSod, wrapper->value, "the signed content is missing (detached)");
  auto object = ReadLdsSecurityObject(
      std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*content)), ASN1_STRING_length(*content)));
  if (!object.ok()) return object.status();
  out.object = std::move(*object);
  return out;
}

std::string Rfc2253(X509_NAME* name) {
  Bio bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// The certificates of an ICAO master list (ICAO 9303 part 12): a CMS
// SignedData whose content (2.23.136.1.1.2) is SEQUENCE { version, SET OF
// Certificate }. Its signature is checked against the signer's certificate
// it carries, which proves it whole, not who made it: loading it is
// trusting its publisher. Null where `bytes` is not CMS signed data.
Result<std::optional<std::vector<Cert>>> ReadMasterList(const std::string& bytes, const std::string& path) {
  const std::string name = "CSCA master list " + path;
  const unsigned char* p = Bytes(bytes, 0);
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(bytes.size())));
  ERR_clear_error();
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) return std::optional<std::vector<Cert>>();
  Object expected(OBJ_txt2obj(kCscaMasterList, 1));
  const ASN1_OBJECT* type = CMS_get0_eContentType(cms.get());
  if (!type || OBJ_cmp(type, expected.get()) != 0)
    return Status::Error(name + ": signed data, but not a CSCA master list (2.23.136.1.1.2)");
  Bio content(BIO_new(BIO_s_mem()));
  if (CMS_verify(cms.get(), nullptr, nullptr, nullptr, content.get(), CMS_NO_SIGNER_CERT_VERIFY) != 1)
    return Status::Error(name + ": its signature does not verify: " + OpenSslErrors());
  char* data = nullptr;
  const long n = BIO_get_mem_data(content.get(), &data);
  const std::string_view list(data, static_cast<size_t>(n));
  const std::string where = name + " content";
  auto top = expect_element(list, 0, list.size(), 0x30, "master list", where.c_str());
  if (!top.ok()) return top.status();
  auto version = expect_element(list, top->value, top->end, 0x02, "version", where.c_str());
  if (!version.ok()) return version.status();
  auto set = expect_element(list, version->end, top->end, 0x31, "certificates", where.c_str());
  if (!set.ok()) return set.status();
  std::vector<Cert> out;
  for (size_t at = set->value; at < set->end;) {
    auto one = expect_element(list, at, set->end, 0x30, "certificate", where.c_str());
    if (!one.ok()) return one.status();
    const unsigned char* c = reinterpret_cast<const unsigned char*>(list.data()) + one->at;
    X509* cert = d2i_X509(nullptr, &c, static_cast<long>(one->end - one->at));
    if (!cert) return located(where.c_str(), one->at, "not a certificate: " + OpenSslErrors());
    out.emplace_back(cert);
    at = one->end;
  }
  return std::optional<std::vector<Cert>>(std::move(out));
}

// What one file of trusted material holds.
struct Trust {
  std::vector<Cert> certs;
  std::vector<std::shared_ptr<X509_CRL>> crls;
};

// The certificates and CRLs of one PEM file, of a DER certificate or CRL,
// or of an ICAO master list, called `path` in errors.
Result<Trust> ReadTrust(const std::string* bytes, const std::string& path) {
  Trust out;
  ERR_clear_error();
  if (bytes->find("-----BEGIN") != std::string::npos) {
    Bio bio(BIO_new_mem_buf(bytes->data(), static_cast<int>(bytes->size())));
    STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr);
    for (int i = 0; infos && i < sk_X509_INFO_num(infos); ++i) {
      X509_INFO* info = sk_X509_INFO_value(infos, i);
      if (info->x509) out.certs.emplace_back(info->x509), info->x509 = nullptr;
      if (info->crl) out.crls.emplace_back(info->crl, X509_CRL_free), info->crl = nullptr;
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
  } else {
    const unsigned char* p = Bytes(*bytes, 0);
    if (X509* c = d2i_X509(nullptr, &p, static_cast<long>(bytes->size()))) {
      out.certs.emplace_back(c);
    } else if (p = Bytes(*bytes, 0); X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes->size()))) {
      out.crls.emplace_back(crl, X509_CRL_free);
    } else {
      ERR_clear_error();
      auto listed = ReadMasterList(*bytes, path);
      if (!listed.ok()) return listed.status();
      if (*listed) out.certs = std::move(**listed);
    }
  }
  ERR_clear_error();
  if (out.certs.empty() && out.crls.empty())
    return Status::Error("CSCA certificates: " + path + ": no certificate or CRL (PEM, DER or a master list) in it");
  return out;
}

// A certificate time as a date, "2026-11-24".
std::string Day(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return "an unreadable date";
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

// What the newest CRL that `signer`'s CSCA signed says of it, into
// `v->revocation` (and `reason`, false, where it revokes it).
bool NotRevoked(X509* signer, const CscaList& csca, ChipVerdict* v) {
  StoreCtx ctx(X509_STORE_CTX_new());
  X509* issuer = nullptr;
  if (!ctx || X509_STORE_CTX_init(ctx.get(), csca.store(), signer, nullptr) != 1 ||
      X509_STORE_CTX_get1_issuer(&issuer, ctx.get(), signer) != 1) {
    ERR_clear_error();
    v->revocation = "revocation not checked: its CSCA's certificate was not found";
    return true;
  }
  const Cert ca(issuer);
  X509_CRL* newest = nullptr;
  bool named = false;
  for (const auto& crl : csca.crls()) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(signer)) != 0) continue;
    named = true;
    if (X509_CRL_verify(crl.get(), X509_get0_pubkey(ca.get())) != 1) continue;
    if (!newest || ASN1_TIME_compare(X509_CRL_get0_lastUpdate(crl.get()), X509_CRL_get0_lastUpdate(newest)) > 0)
      newest = crl.get();
  }
  ERR_clear_error();
  if (!newest) {
    v->revocation = named ? "revocation not checked: no CRL naming its CSCA verifies with its CSCA's key"
                          : "revocation not checked: no CRL from its CSCA is loaded";
    return true;
  }
  const std::string list = "its CSCA's CRL of " + Day(X509_CRL_get0_lastUpdate(newest));
  X509_REVOKED* entry = nullptr;
  if (X509_CRL_get0_by_cert(newest, &entry, signer) == 1) {
    const std::string on = Day(X509_REVOKED_get0_revocationDate(entry));
    v->revocation = "revoked on " + on + " (" + list + ")";
    v->reason = "the document signer's certificate was revoked on " + on + " (" + list + ")";
    return false;
  }
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(newest);
  v->revocation_current = !next || X509_cmp_current_time(next) > 0;
  v->revocation = v->revocation_current ? "not revoked (" + list + ")"
                                        : "not revoked in " + list + ", out of date since " + Day(next);
  return true;
}

}  // namespace

Result<SecurityObject> read_security_object(std::string_view sod) {
  auto parsed = Parse(sod);
  if (!parsed.ok()) return parsed.status();
  return std::move(parsed->object);
}

int data_group_number(std::string_view b) {
  if (b.empty()) return 0;
  static constexpr uint8_t kTags[] = {0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
                                      0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70};
  const auto* at = std::find(std::begin(kTags), std::end(kTags), static_cast<uint8_t>(b[0]));
  return at == std::end(kTags) ? 0 : static_cast<int>(at - std::begin(kTags)) + 1;
}

CscaList::CscaList() : store_(X509_STORE_new(), X509_STORE_free) {
  // Document signer certificates are not e-mail certificates: any
  // purpose, as long as the chain holds.
  X509_STORE_set_purpose(store_.get(), X509_PURPOSE_ANY);
}

Result<size_t> CscaList::Count(const std::string& bytes, const std::string& name) {
  auto trust = ReadTrust(&bytes, name);
  if (!trust.ok()) return trust.status();
  return trust->certs.size() + trust->crls.size();
}

namespace {

// The files Load(path) reads: `path`, or a folder's regular files by name.
std::vector<std::string> TrustFiles(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (!fs::is_directory(path, ec)) return {path};
  for (const auto& e : fs::directory_iterator(path, ec))
    if (e.is_regular_file(ec)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string CscaList::Stamp(const std::string& path) {
  namespace fs = std::filesystem;
  std::string out;
  for (const std::string& f : TrustFiles(path)) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    const auto time = fs::last_write_time(f, ec).time_since_epoch().count();
    out += f + '\0' + std::to_string(ec ? 0 : size) + '\0' + std::to_string(ec ? 0 : time) + '\n';
  }
  return out;
}

Result<CscaList> CscaList::Load(const std::string& path) {
  const std::vector<std::string> files = TrustFiles(path);
  if (files.empty()) return Status::Error("CSCA certificates: " + path + ": the folder holds no file");
  CscaList out;
  for (const std::string& f : files) {
    auto bytes = read_file(f);
    if (!bytes.ok()) return bytes.status();
    auto trust = ReadTrust(&*bytes, f);
    if (!trust.ok()) return trust.status();
    for (const Cert& c : trust->certs) {
      if (X509_STORE_add_cert(out.store_.get(), c.get()) != 1)
        return Status::Error("CSCA certificates: " + f + ": " + OpenSslErrors());
      ++out.count_;
    }
    out.crls_.insert(out.crls_.end(), trust->crls.begin(), trust->crls.end());
  }
  return out;
}

ChipVerdict authenticate_chip(std::string_view sod, const std::vector<std::string_view>& groups,
                              const CscaList& csca) {
  ChipVerdict v;
  auto parsed = Parse(sod);
  if (!parsed.ok()) {
    v.reason = parsed.error();
    return v;
  }
  for (std::string_view g : groups) v.groups.push_back(data_group_number(g));
  if (groups.empty()) {
    v.reason = "no data group to check";
    return v;
  }
  if (csca.size() == 0) {
    v.reason = "no CSCA certificate is trusted here, so the document signer cannot be checked";
    return v;
  }
  ERR_clear_error();
  if (CMS_verify(parsed->cms.get(), nullptr, csca.store(), nullptr, nullptr, 0) != 1) {
    v.reason = "the document security object's signature does not lead to a trusted CSCA: " + OpenSslErrors();
    return v;
  }
  STACK_OF(X509)* signers = CMS_get0_signers(parsed->cms.get());
  X509* signer = signers && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : nullptr;
  const bool kept = !signer || NotRevoked(signer, csca, &v);
  if (signer) v.signer = Rfc2253(X509_get_subject_name(signer));
  sk_X509_free(signers);
  if (!kept) return v;
  const EVP_MD* md = EVP_get_digestbyname(parsed->object.hash_algorithm.c_str());
  for (size_t i = 0; i < groups.size(); ++i) {
    const int n = v.groups[i];
    const std::string name = "data group " + std::to_string(n);
    if (n == 0) {
      v.reason = "a file given as a data group does not begin with a data group's tag";
      return v;
    }
    auto listed = parsed->object.hashes.find(n);
    if (listed == parsed->object.hashes.end()) {
      v.reason = "the document security object lists no hash for " + name;
      return v;
    }
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!md || EVP_Digest(groups[i].data(), groups[i].size(), hash, &length, md, nullptr) != 1 ||
        std::string_view(reinterpret_cast<const char*>(hash), length) != listed->second) {
      v.reason = name + " does not hash to what the document security object lists: it was altered, or is "
                 "another document's";
      return v;
    }
  }
  v.authentic = true;
  return v;
}

namespace {

// ISO/IEC 10118-3 hash identifiers, as a 9796-2 trailer gives them.
const EVP_MD* HashOfIdentifier(uint8_t id) {
  switch (id) {
    case 0x33: return EVP_sha1();
    case 0x34: return EVP_sha256();
    case 0x35: return EVP_sha512();
    case 0x36: return EVP_sha384();
    case 0x38: return EVP_sha224();
    default: return nullptr;
  }
}

// "SHA-1", "SHA-256", ... (OpenSSL's names vary: "SHA256", "SHA2-256").
std::string HashName(const EVP_MD* md) {
  const std::string name = EVP_MD_get0_name(md);
  return "SHA-" + name.substr(name.find_last_not_of("0123456789") + 1);
}

using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

void VerifyRsa(EVP_PKEY* key, std::string_view challenge, std::string_view signature, ActiveVerdict* v) {
  PkeyCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
  std::string m(static_cast<size_t>(EVP_PKEY_get_size(key)), '\0');
  size_t length = m.size();
  if (!ctx || EVP_PKEY_verify_recover_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) != 1 ||
      signature.size() != m.size() ||
      EVP_PKEY_verify_recover(ctx.get(), reinterpret_cast<unsigned char*>(m.data()), &length, Bytes(signature, 0),
                              signature.size()) != 1) {
    ERR_clear_error();
    v->reason = "the signature is not one the key in data group 15 made (" + std::to_string(signature.size()) +
                " bytes for a " + std::to_string(m.size()) + "-byte key): the chip may be a copy";
    return;
  }
  m.resize(length);
  const uint8_t last = static_cast<uint8_t>(m.back());
  const EVP_MD* md = last == 0xBC ? EVP_sha1() : last == 0xCC && m.size() > 1 ? HashOfIdentifier(static_cast<uint8_t>(m[m.size() - 2])) : nullptr;
  const size_t trailer = last == 0xBC ? 1 : 2;
  const size_t hash = md ? static_cast<size_t>(EVP_MD_get_size(md)) : 0;
  if (static_cast<uint8_t>(m[0]) != 0x6A || !md || m.size() < 1 + hash + trailer) {
    v->reason = "the signature does not verify with the key in data group 15 (no ISO/IEC 9796-2 message in it): the chip may "
                "be a copy";
    return;
  }
  const std::string_view m1 = std::string_view(m).substr(1, m.size() - 1 - hash - trailer);
  std::string message = std::string(m1) + std::string(challenge);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(message.data(), message.size(), digest, &n, md, nullptr);
  if (std::string_view(reinterpret_cast<const char*>(digest), n) != std::string_view(m).substr(m.size() - trailer - hash, hash)) {
    v->reason = "the signature does not verify with the key in data group 15 (not over this challenge): the chip may be a copy";
    return;
  }
  v->passed = true;
  v->algorithm = "RSA ISO/IEC 9796-2, " + HashName(md);
}

void VerifyEc(EVP_PKEY* key, std::string_view challenge, std::string_view signature, ActiveVerdict* v) {
  const size_t half = static_cast<size_t>(EVP_PKEY_get_bits(key) + 7) / 8;
  if (signature.size() != 2 * half) {
    v->reason = "the signature is " + std::to_string(signature.size()) + " bytes, where the key in data group 15 gives " +
                std::to_string(2 * half) + " (r then s): the chip may be a copy";
    return;
  }
  std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>> sig(ECDSA_SIG_new());
  ECDSA_SIG_set0(sig.get(), BN_bin2bn(Bytes(signature, 0), static_cast<int>(half), nullptr),
                 BN_bin2bn(Bytes(signature, half), static_cast<int>(half), nullptr));
  unsigned char* der = nullptr;
  const int der_length = i2d_ECDSA_SIG(sig.get(), &der);
  for (const EVP_MD* md : {EVP_sha256(), EVP_sha1(), EVP_sha224(), EVP_sha384(), EVP_sha512()}) {
    MdCtx ctx(EVP_MD_CTX_new());
    if (ctx && der_length > 0 && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
        EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_length), Bytes(challenge, 0), challenge.size()) == 1) {
      v->passed = true;
      v->algorithm = "ECDSA, " + HashName(md);
      break;
    }
  }
  OPENSSL_free(der);
  ERR_clear_error();
  if (!v->passed) v->reason = "the signature does not verify with the key in data group 15: the chip may be a copy";
}

}  // namespace

ActiveVerdict verify_active_authentication(std::string_view dg15, std::string_view challenge, std::string_view signature) {
  ActiveVerdict v;
  auto group = expect_element(dg15, 0, dg15.size(), 0x6F, "data group 15", "data group 15");
  if (!group.ok()) {
    v.reason = group.error();
    return v;
  }
  const unsigned char* p = Bytes(dg15, group->value);
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(group->end - group->value)));
  ERR_clear_error();
  const int type = key ? EVP_PKEY_get_base_id(key.get()) : 0;
  if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
    v.reason = key ? "data group 15 holds a public key of a type this system does not read (RSA and EC are read)"
                   : located("data group 15", group->value, "not a public key (SubjectPublicKeyInfo)").message();
    return v;
  }
  if (challenge.size() != 8) {
    v.reason = "the challenge is " + std::to_string(challenge.size()) + " bytes; the chip signs 8";
    return v;
  }
  if (type == EVP_PKEY_RSA) VerifyRsa(key.get(), challenge, signature, &v);
  else VerifyEc(key.get(), challenge, signature, &v);
  return v;
}

}  // namespace vigil
