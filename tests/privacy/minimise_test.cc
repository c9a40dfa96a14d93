#include "privacy/minimise.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "base/hash.h"
#include "formats/detect.h"
#include "intake/ingest.h"
#include "store/store.h"
#include "support/test_support.h"

namespace vigil {
namespace {

TEST(MinimiseTest, ServiceRequestsAndTextThatRevealProtectedCategories) {
  EXPECT_EQ(sensitive_category("MOML", ""), "religion");
  EXPECT_EQ(sensitive_category("wchr", ""), "health");
  EXPECT_EQ(sensitive_category("OTHS", "PAX REQUESTS KOSHER MEAL"), "religion");
  EXPECT_EQ(sensitive_category("OTHS", "PASSENGER IS PREGNANT"), "health");
  EXPECT_EQ(sensitive_category("OTHS", "WINDOW SEAT PLEASE"), "");
  // Structured requests hold names and addresses: no word there condemns them.
  EXPECT_EQ(sensitive_category("DOCA", "/R/GBR/1 UNION STREET/LONDON"), "");
  EXPECT_EQ(sensitive_category("DOCS", "/P/GBR/123/GBR/01JAN80/M/01JAN30/GAY/JOHN"), "");
}

TEST(MinimiseTest, DropsWhatRevealsAndKeepsTheRest) {
  PnrPush push;
  Pnr p;
  p.ssrs = {{"WCHR", "HK", "BA", "", "", ""}, {"CTCE", "HK", "BA", "A//EXAMPLE.COM", "", ""}};
  p.remarks = {"PAX IS DIABETIC CARRIES INSULIN", "PAID CASH AT AIRPORT"};
  PnrTraveller t;
  t.ssrs = {{"MOML", "HK", "BA", "", "1", ""}, {"DOCS", "HK", "BA", "/P/GBR/533401872", "1", ""}};
  p.travellers.push_back(t);
  push.pnrs.push_back(p);
  Dropped dropped;
  minimise(&push, &dropped);
  const Pnr& q = push.pnrs[0];
  ASSERT_EQ(q.ssrs.size(), 1u);
  EXPECT_EQ(q.ssrs[0].code, "CTCE");
  EXPECT_EQ(q.remarks, std::vector<std::string>{"PAID CASH AT AIRPORT"});
  ASSERT_EQ(q.travellers[0].ssrs.size(), 1u);
  EXPECT_EQ(q.travellers[0].ssrs[0].code, "DOCS");
  EXPECT_EQ(dropped, (Dropped{{"health", 2}, {"religion", 1}}));
}

// The 72-hour BA117 push with a wheelchair request and a remark about a
// pregnancy added.
std::string SensitivePush() {
  std::string m = testing::ReadSample("pnrgov-ba0117-72h.edi");
  const std::string after = "SSR+CTCE:HK:1:BA:::::C.OKONKWO//EXAMPLE.NET'\n";
  const size_t at = m.find(after);
  EXPECT_NE(at, std::string::npos);
  m.insert(at + after.size(), "SSR+WCHR:HK:1:BA'\nIFT+3+PAX PREGNANT 30 WEEKS'\n");
  // Keep the trailer's segment count right.
  const size_t unt = m.find("UNT+");
  const size_t plus = m.find('+', unt + 4);
  const int count = std::stoi(m.substr(unt + 4, plus - unt - 4));
  m.replace(unt + 4, plus - unt - 4, std::to_string(count + 2));
  return m;
}

TEST(MinimiseTest, RawMessagesKeepTheirShapeButNotWhatWasDeleted) {
  const std::string raw = SensitivePush();
  Dropped dropped;
  const std::string red = redact_raw(raw, &dropped);
  EXPECT_EQ(red.size(), raw.size());
  EXPECT_NE(red.find("SSR+XXXX:XX:X:XX'"), std::string::npos);
  EXPECT_NE(red.find("IFT+3+PAX XXXXXXXX 30 WEEKS'"), std::string::npos);
  EXPECT_EQ(red.find("WCHR"), std::string::npos);
  EXPECT_NE(red.find("OKONKWO"), std::string::npos) << "names stay";
  EXPECT_NE(red.find("14 PALACE ROAD"), std::string::npos) << "addresses stay";
  EXPECT_EQ(dropped, (Dropped{{"health", 2}}));
  EXPECT_EQ(redact_raw(testing::ReadSample("paxlst-ba0117-passengers.edi")),
            testing::ReadSample("paxlst-ba0117-passengers.edi"));
}

TEST(MinimiseTest, IngestDeletesOnReceiptAndCountsWhatItDeleted) {
  const std::string dir = testing::TempDir();
  // Plaintext, so that what is stored can be searched from outside.
  auto store = OpenSqliteStore(dir + "/m.db", nullptr, StoreSecurity{"", true});
  ASSERT_TRUE(store.ok());
  const HashKey key = HashKey::ForTesting();
  IngestOptions o;
  o.card_key = &key;
  Ingestor ingestor(store->get(), o);
  const std::string raw = SensitivePush();
  auto r = ingestor.Ingest(raw, "push");
  ASSERT_TRUE(r.ok() && r->accepted);
  EXPECT_EQ(ingestor.summary().minimised, 2u);
  // Neither the archive nor what was read keeps it.
  auto archived = (*store)->RawMessage(sha256_hex(redact_raw(raw)));
  ASSERT_TRUE(archived.ok() && archived->has_value());
  EXPECT_EQ((*archived)->find("WCHR"), std::string::npos);
  EXPECT_EQ((*archived)->find("PREGNANT"), std::string::npos);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/m.db").c_str(), &db), SQLITE_OK);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    std::string out = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
                          ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(scalar("SELECT count(*) FROM pnr_versions WHERE data LIKE '%WCHR%' OR data LIKE '%PREGNANT%'"), "0");
  EXPECT_EQ(scalar("SELECT category || ':' || items FROM minimisation_log"), "health:2");
  sqlite3_close(db);
  // The data-protection officer's report counts it.
  auto dpo = (*store)->Dpo("2026-11-22T00:00:00Z", RetentionPolicy{});
  ASSERT_TRUE(dpo.ok());
  EXPECT_EQ(dpo->minimised, (std::map<std::string, int64_t>{{"health", 2}}));
  EXPECT_EQ(dpo->minimised_messages, 1);
  auto later = (*store)->Dpo("2027-11-22T00:00:00Z", RetentionPolicy{});
  EXPECT_GT(later->pnr_versions_due_depersonalisation, 0) << "a year on, the PNR versions are due for depersonalisation";
  // The same push again is the same stored message.
  auto again = ingestor.Ingest(raw, "push");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
}

}  // namespace
}  // namespace vigil
