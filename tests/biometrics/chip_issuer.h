// An issuing state for tests: a country signing CA, a document signer
// under it, and documents security objects (EF.SOD) they sign over data
// groups, as ICAO 9303 part 11 lays them out. Keys are made afresh (EC
// P-256) for each issuer.
#pragma once

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/bn.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "biometrics/travel_document.h"

namespace vigil::testing {

class ChipIssuer {
 public:
  // The document signer's certificate is valid from `ds_from_days` to
  // `ds_to_days` from now (the CSCA's for ten years around now).
  explicit ChipIssuer(const std::string& country = "UT", long ds_from_days = -30, long ds_to_days = 3650)
      : csca_key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free),
        ds_key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free),
        csca_(Certificate(csca_key_.get(), nullptr, csca_key_.get(), country, "CSCA " + country, true, -3650, 3650)),
        ds_(Certificate(ds_key_.get(), csca_.get(), csca_key_.get(), country, "Document Signer " + country, false,
                        ds_from_days, ds_to_days)) {}

  std::string CscaPem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), csca_.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  }
  std::string CscaDer() const {
    unsigned char* der = nullptr;
    const int n = i2d_X509(csca_.get(), &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return out;
  }

  // A CRL this issuer's CSCA signs (or, with `signed_by_signer`, its
  // document signer, whom no one lets sign CRLs), issued `issued_days`
  // from now with its next update `next_days` from now, revoking the
  // document signer (on `revoked_days` from now) when `revoke_signer`.
  // PEM, or DER where `der`.
  std::string Crl(bool revoke_signer, long issued_days = -1, long next_days = 30, bool der = false,
                  bool signed_by_signer = false, long revoked_days = -5) const {
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), X509_CRL_free);
    X509_CRL_set_version(crl.get(), 1);
    X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(csca_.get()));
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> issued(X509_gmtime_adj(nullptr, issued_days * 86400), ASN1_TIME_free),
        next(X509_gmtime_adj(nullptr, next_days * 86400), ASN1_TIME_free);
    X509_CRL_set1_lastUpdate(crl.get(), issued.get());
    X509_CRL_set1_nextUpdate(crl.get(), next.get());
    if (revoke_signer) {
      X509_REVOKED* entry = X509_REVOKED_new();
      X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(ds_.get()));
      std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> on(X509_gmtime_adj(nullptr, revoked_days * 86400), ASN1_TIME_free);
      X509_REVOKED_set_revocationDate(entry, on.get());
      X509_CRL_add0_revoked(crl.get(), entry);
    }
    X509_CRL_sort(crl.get());
    X509_CRL_sign(crl.get(), signed_by_signer ? ds_key_.get() : csca_key_.get(), EVP_sha256());
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (der) i2d_X509_CRL_bio(bio.get(), crl.get());
    else PEM_write_bio_X509_CRL(bio.get(), crl.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  }

  // The hash EF.SOD lists for `group` under `md` ("SHA256", ...).
  static std::string Hash(const std::string& group, const char* md = "SHA256") {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(group.data(), group.size(), out, &n, EVP_get_digestbyname(md), nullptr);
    return std::string(reinterpret_cast<char*>(out), n);
  }

  // EF.SOD listing `hashes` (data group number -> hash) under `md`, signed
  // by the document signer.
  std::string Sod(const std::map<int, std::string>& hashes, const char* md = "SHA256") const {
    std::string list;
    for (const auto& [n, h] : hashes) list += Tlv("\x30", Tlv("\x02", BigEndian(n, 1)) + Tlv("\x04", h));
    const std::string lds = Tlv("\x30", Tlv("\x02", std::string(1, '\0')) +
                                            Tlv("\x30", Oid(md) + Tlv("\x05", "")) + Tlv("\x30", list));
    return Tlv("\x77", Signed(lds, "2.23.136.1.1.1"));
  }
  // An ICAO CSCA master list of `cscas` (DER certificates), signed by
  // this issuer's signer.
  std::string MasterList(const std::vector<std::string>& cscas) const {
    std::string set;
    for (const std::string& c : cscas) set += c;
    return Signed(Tlv("\x30", Tlv("\x02", std::string(1, '\0')) + Tlv("\x31", set)), "2.23.136.1.1.2");
  }
  // EF.SOD over these data groups, each numbered by its tag.
  std::string SodOver(const std::map<int, std::string>& groups, const char* md = "SHA256") const {
    std::map<int, std::string> hashes;
    for (const auto& [n, g] : groups) hashes[n] = Hash(g, md);
    return Sod(hashes, md);
  }

 private:
  using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
  using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

  // CMS signed data of `content` (of type `oid`), signed by the document
  // signer, its certificate included.
  std::string Signed(const std::string& content, const char* oid) const {
    std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())),
                                                 BIO_free);
    CMS_ContentInfo* cms = CMS_sign(ds_.get(), ds_key_.get(), nullptr, nullptr,
                                    CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP);
    CMS_set1_eContentType(cms, OBJ_txt2obj(oid, 1));
    CMS_final(cms, in.get(), nullptr, CMS_BINARY);
    unsigned char* der = nullptr;
    const int n = i2d_CMS_ContentInfo(cms, &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    CMS_ContentInfo_free(cms);
    return out;
  }

  static std::string Oid(const char* md) {
    unsigned char* der = nullptr;
    const int n = i2d_ASN1_OBJECT(OBJ_nid2obj(EVP_MD_get_type(EVP_get_digestbyname(md))), &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return out;
  }

  static void Extend(X509* x, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, nullptr, nullptr, 0);
    X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
  }

  static Cert Certificate(EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, const std::string& country,
                          const std::string& name, bool ca, long from_days, long to_days) {
    static long serial = 1;
    Cert x(X509_new(), X509_free);
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), from_days * 86400);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), to_days * 86400);
    X509_set_pubkey(x.get(), key);
    X509_NAME* subject = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(subject, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(country.c_str()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
    X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : subject);
    Extend(x.get(), issuer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    Extend(x.get(), issuer, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    Extend(x.get(), issuer, NID_subject_key_identifier, "hash");
    if (issuer) Extend(x.get(), issuer, NID_authority_key_identifier, "keyid:always");
    X509_sign(x.get(), issuer_key, EVP_sha256());
    return x;
  }

  Key csca_key_, ds_key_;
  Cert csca_, ds_;
};

// A chip's active authentication key (EC P-256, or RSA 2048), its data
// group 15, and its answers to challenges.
class ChipKey {
 public:
  explicit ChipKey(bool rsa)
      : key_(rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}) : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
             EVP_PKEY_free),
        rsa_(rsa) {}

  // Tag 6F around the public key (SubjectPublicKeyInfo).
  std::string Dg15() const {
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key_.get(), &der);
    std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return Tlv("\x6f", spki);
  }

  // The chip's signature of `challenge`: for RSA, ISO/IEC 9796-2 scheme 1
  // with SHA-256 (trailer 34 CC) over its own bytes M1 and the challenge;
  // for EC, ECDSA with SHA-256 as r || s.
  std::string Sign(const std::string& challenge) const {
    if (rsa_) {
      const size_t k = static_cast<size_t>(EVP_PKEY_get_size(key_.get()));
      std::string m1(k - 1 - 32 - 2, '\0');
      for (size_t i = 0; i < m1.size(); ++i) m1[i] = static_cast<char>(i * 37 + 11);
      const std::string hash = ChipIssuer::Hash(m1 + challenge, "SHA256");
      const std::string m = "\x6a" + m1 + hash + "\x34\xcc";
      std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(key_.get(), nullptr), EVP_PKEY_CTX_free);
      EVP_PKEY_sign_init(ctx.get());
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING);
      std::string out(k, '\0');
      size_t n = k;
      EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                    reinterpret_cast<const unsigned char*>(m.data()), m.size());
      out.resize(n);
      return out;
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get());
    size_t n = 0;
    EVP_DigestSign(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(challenge.data()), challenge.size());
    std::string der(n, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &n,
                   reinterpret_cast<const unsigned char*>(challenge.data()), challenge.size());
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(n));
    std::string out(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    return out;
  }

 private:
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
  bool rsa_;
};

}  // namespace vigil::testing
