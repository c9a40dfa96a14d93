// Encryption at rest: the key file, what the database file holds, a wrong
// or missing key, rotation while a store is open, and a database written
// before encryption adopting it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "intake/ingest.h"
#include "store/keyring.h"
#include "store/store.h"
#include "support/test_support.h"

namespace vigil {
namespace {

const HashKey kCardKey = HashKey::ForTesting();

// What the samples say that no one may read from the database file.
const char* kSecrets[] = {"OKONKWO", "CHIDI", "533401872", "K7QX2M", "MUELLER", "PALACE ROAD"};

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void Store(Store* store, const std::string& name) {
  IngestOptions o;
  o.card_key = &kCardKey;
  Ingestor ingestor(store, o);
  auto r = ingestor.Ingest(testing::ReadSample(name), name);
  ASSERT_TRUE(r.ok() && r->accepted) << name;
}

std::unique_ptr<vigil::Store> OpenOrFail(const std::string& path, const StoreSecurity& security = {}) {
  auto s = OpenSqliteStore(path, FixedClock(1795000000), security);
  EXPECT_TRUE(s.ok()) << s.error();
  return s.ok() ? std::move(*s) : nullptr;
}

void StoreAll(vigil::Store* store) {
  for (const char* name : {"paxlst-ba0117-passengers.edi", "pnrgov-ba0117-72h.edi", "pnrgov-ba0117-24h.edi"})
    Store(store, name);
}

// Everything the store shows of BA117: names of API and PNR travellers.
std::string Shown(vigil::Store* store) {
  std::string out;
  auto flights = store->Flights("", "");
  EXPECT_TRUE(flights.ok());
  for (const auto& f : *flights) {
    auto data = store->LoadFlight(f.id);
    EXPECT_TRUE(data.ok()) << data.error();
    if (!data.ok()) continue;
    for (const auto& a : data->api) out += a.person.surname + "/" + a.person.given_names + " ";
    for (const auto& b : data->bookings)
      for (const auto& t : b.pnr.travellers) out += b.pnr.record_locator + ":" + t.person.surname + " ";
    out += "links=" + std::to_string(data->links.size()) + " ";
  }
  return out;
}

TEST(KeyringTest, SealsForOneContextAndDetectsAnyChange) {
  const std::string path = testing::TempDir() + "/keys/data.keys";
  auto ring = Keyring::Create(path);
  ASSERT_TRUE(ring.ok()) << ring.error();
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(Keyring::Create(path).ok()) << "an existing key file is never replaced";
  const std::string sealed = ring->Seal("OKONKWO", "api_travellers.surname");
  EXPECT_EQ(sealed.size(), 7 + Keyring::kOverhead);
  EXPECT_EQ(sealed.find("OKONKWO"), std::string::npos);
  EXPECT_NE(ring->Seal("OKONKWO", "api_travellers.surname"), sealed) << "a fresh nonce each time";
  EXPECT_EQ(*ring->Open(sealed, "api_travellers.surname"), "OKONKWO");
  EXPECT_FALSE(ring->Open(sealed, "pnr_travellers.surname").ok()) << "bound to its column";
  for (size_t i = 7; i < sealed.size(); ++i) {
    std::string bent = sealed;
    bent[i] ^= 1;
    EXPECT_FALSE(ring->Open(bent, "api_travellers.surname").ok()) << "byte " << i;
  }
  auto other = Keyring::Create(testing::TempDir() + "/other.keys");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->Open(sealed, "api_travellers.surname").ok());
  EXPECT_EQ(ring->Hash("533401872", "document_number"), ring->Hash("533401872", "document_number"));
  EXPECT_NE(ring->Hash("533401872", "document_number"), other->Hash("533401872", "document_number"));
  EXPECT_NE(ring->Hash("533401872", "document_number"), ring->Hash("533401873", "document_number"));
  EXPECT_EQ(ring->Hash("", "document_number"), "");
}

TEST(KeyringTest, RotationKeepsOldKeysUntilRetiredAndNamesAMissingOne) {
  const std::string path = testing::TempDir() + "/data.keys";
  auto ring = Keyring::Create(path);
  ASSERT_TRUE(ring.ok());
  const std::string old = ring->Seal("x", "c");
  auto id = Keyring::Rotate(path);
  ASSERT_TRUE(id.ok()) << id.error();
  EXPECT_EQ(*id, 2u);
  auto rotated = Keyring::Load(path);
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->current(), 2u);
  EXPECT_EQ(Keyring::KeyOf(rotated->Seal("x", "c")), 2u);
  EXPECT_EQ(*rotated->Open(old, "c"), "x");
  EXPECT_EQ(rotated->Hash("v", "c"), ring->Hash("v", "c")) << "lookups survive rotation";
  EXPECT_FALSE(Keyring::Retire(path, 2).ok()) << "the current key stays";
  ASSERT_TRUE(Keyring::Retire(path, 1).ok());
  auto retired = Keyring::Load(path);
  ASSERT_TRUE(retired.ok());
  auto opened = retired->Open(old, "c");
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().find("data key 1"), std::string::npos) << opened.error();
}

TEST(KeyringTest, MalformedFilesAreRefusedWithTheirLine) {
  const std::string path = testing::TempDir() + "/bad.keys";
  std::ofstream(path) << "hash 00\n";
  auto r = Keyring::Load(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find(path + ":1"), std::string::npos) << r.error();
  EXPECT_FALSE(Keyring::Load(testing::TempDir() + "/none.keys").ok());
}

TEST(EncryptionTest, TheDatabaseFileHoldsNoPersonalDataInClear) {
  const std::string dir = testing::TempDir();
  {
    auto store = OpenOrFail(dir + "/v.db");
    StoreAll(store.get());
    bool fresh = false;
    ASSERT_TRUE(store->Quarantine("UNB+OKONKWO garbage", "push", "no UNH", &fresh).ok());
    const std::string shown = Shown(store.get());
    for (const char* s : {"OKONKWO/CHIDI EMEKA", "K7QX2M:OKONKWO", "links=5"})
      EXPECT_NE(shown.find(s), std::string::npos) << s << " in " << shown;
    auto raw = store->RawMessage(sha256_hex(testing::ReadSample("paxlst-ba0117-passengers.edi")));
    ASSERT_TRUE(raw.ok() && raw->has_value());
    EXPECT_EQ(**raw, testing::ReadSample("paxlst-ba0117-passengers.edi"));
    EXPECT_EQ(store->QuarantineEntries()->at(0).raw, "UNB+OKONKWO garbage");
    EXPECT_EQ(store->PnrVersions("BA", "K7QX2M")->size(), 2u) << "found by the locator's keyed hash";
    auto counts = store->SealedValues();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->count(0), 0u) << "nothing unsealed";
    EXPECT_GT((*counts)[1], 20);
  }
  // With every connection closed the WAL is folded into the file.
  const std::string bytes = FileBytes(dir + "/v.db") + FileBytes(dir + "/v.db-wal");
  for (const char* s : kSecrets) EXPECT_EQ(bytes.find(s), std::string::npos) << s;

  // The same data in a plaintext store is there to be read: the check above
  // can fail.
  {
    auto plain = OpenOrFail(dir + "/p.db", StoreSecurity{"", true});
    StoreAll(plain.get());
  }
  const std::string plain = FileBytes(dir + "/p.db") + FileBytes(dir + "/p.db-wal");
  for (const char* s : kSecrets) EXPECT_NE(plain.find(s), std::string::npos) << s;
}

TEST(EncryptionTest, AMissingOrForeignKeyFileFailsAtOpenAndWritesNothing) {
  const std::string dir = testing::TempDir();
  { StoreAll(OpenOrFail(dir + "/v.db").get()); }
  const std::string keys = default_data_key_path(dir + "/v.db");
  std::filesystem::rename(keys, dir + "/moved.keys");
  auto missing = OpenSqliteStore(dir + "/v.db");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("missing"), std::string::npos) << missing.error();
  EXPECT_FALSE(std::filesystem::exists(keys)) << "no new key is made for an encrypted database";

  ASSERT_TRUE(Keyring::Create(dir + "/foreign.keys").ok());
  auto foreign = OpenSqliteStore(dir + "/v.db", nullptr, StoreSecurity{dir + "/foreign.keys"});
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().find("does not belong"), std::string::npos) << foreign.error();

  auto as_plain = OpenSqliteStore(dir + "/v.db", nullptr, StoreSecurity{dir + "/moved.keys", true});
  EXPECT_FALSE(as_plain.ok()) << "an encrypted database never takes plaintext";
  auto right = OpenSqliteStore(dir + "/v.db", nullptr, StoreSecurity{dir + "/moved.keys"});
  ASSERT_TRUE(right.ok()) << right.error();
  EXPECT_NE(Shown(right->get()).find("OKONKWO"), std::string::npos);

  // A plaintext store refuses to become a live one.
  { OpenOrFail(dir + "/p.db", StoreSecurity{"", true}); }
  auto live = OpenSqliteStore(dir + "/p.db");
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().find("without encryption"), std::string::npos) << live.error();
}

TEST(EncryptionTest, AValueAlteredInTheFileIsAnErrorNotData) {
  const std::string dir = testing::TempDir();
  { StoreAll(OpenOrFail(dir + "/v.db").get()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/v.db").c_str(), &db), SQLITE_OK);
  auto store = OpenOrFail(dir + "/v.db");
  auto load = [&](const char* change) {
    EXPECT_EQ(sqlite3_exec(db, change, nullptr, nullptr, nullptr), SQLITE_OK);
    auto detail = store->LoadTraveller(TravellerKind::kApi, 1);
    return detail.ok() ? std::string("read") : detail.error();
  };
  EXPECT_EQ(load("SELECT 1"), "read");
  const std::string flipped =
      load("UPDATE api_travellers SET data = CAST(substr(data, 1, 60) || x'00' || substr(data, 62) AS BLOB) "
           "WHERE id = 1");
  EXPECT_NE(flipped.find("api_travellers.data: stored value fails authentication"), std::string::npos) << flipped;
  const std::string swapped =
      load("UPDATE api_travellers SET data = (SELECT surname FROM api_travellers WHERE id = 2) WHERE id = 1");
  EXPECT_NE(swapped.find("api_travellers.data: stored value fails authentication"), std::string::npos) << swapped;
  const std::string plain = load("UPDATE api_travellers SET data = '{\"surname\":\"DOE\"}' WHERE id = 1");
  EXPECT_NE(plain.find("api_travellers.data: stored value is not sealed"), std::string::npos) << plain;
  sqlite3_close(db);
}

TEST(EncryptionTest, RotationWhileAStoreIsOpenThenResealAndRetire) {
  const std::string dir = testing::TempDir();
  const std::string keys = default_data_key_path(dir + "/v.db");
  auto running = OpenOrFail(dir + "/v.db");  // a server, say, that stays up
  Store(running.get(), "paxlst-ba0117-passengers.edi");
  ASSERT_TRUE(Keyring::Rotate(keys).ok());
  {
    auto other = OpenOrFail(dir + "/v.db");  // a command run after rotation
    Store(other.get(), "pnrgov-ba0117-72h.edi");
    auto counts = other->SealedValues();
    EXPECT_GT((*counts)[1], 0);
    EXPECT_GT((*counts)[2], 0);
  }
  // The running store reads what the new key sealed.
  EXPECT_NE(Shown(running.get()).find("K7QX2M:OKONKWO"), std::string::npos);
  // Sealing again in small batches while the running store keeps working.
  int64_t total = 0;
  for (;;) {
    auto n = running->Reseal(7);
    ASSERT_TRUE(n.ok()) << n.error();
    EXPECT_LE(*n, 7);
    if (*n == 0) break;
    total += *n;
    EXPECT_NE(Shown(running.get()).find("OKONKWO/CHIDI EMEKA"), std::string::npos);
  }
  EXPECT_GT(total, 7);
  auto counts = running->SealedValues();
  EXPECT_EQ(counts->count(1), 0u) << "nothing left under key 1";
  ASSERT_TRUE(Keyring::Retire(keys, 1).ok());
  auto after = OpenOrFail(dir + "/v.db");
  const std::string shown = Shown(after.get());
  EXPECT_NE(shown.find("OKONKWO/CHIDI EMEKA"), std::string::npos) << shown;
  EXPECT_NE(shown.find("links=3"), std::string::npos) << shown;
}

TEST(EncryptionTest, ADatabaseWrittenBeforeEncryptionAdoptsItWhole) {
  const std::string dir = testing::TempDir();
  {
    auto plain = OpenOrFail(dir + "/v.db", StoreSecurity{"", true});
    Store(plain.get(), "paxlst-ba0117-passengers.edi");
    Store(plain.get(), "pnrgov-ba0117-72h.edi");
  }
  // As a database of a version without encryption would be: unmarked.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/v.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM store_meta", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  {
    auto store = OpenOrFail(dir + "/v.db");
    EXPECT_EQ(store->SealedValues()->count(0), 0u);
    EXPECT_NE(Shown(store.get()).find("OKONKWO/CHIDI EMEKA"), std::string::npos);
    // A new version is found with the adopted ones and links to the adopted
    // API rows: their hashes are the ones new rows get.
    Store(store.get(), "pnrgov-ba0117-24h.edi");
    EXPECT_EQ(store->PnrVersions("BA", "K7QX2M")->size(), 2u);
    const std::string shown = Shown(store.get());
    EXPECT_NE(shown.find("links=5"), std::string::npos) << shown;
  }
  sqlite3_open((dir + "/v.db").c_str(), &db);
  ASSERT_EQ(sqlite3_exec(db, "VACUUM", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const std::string bytes = FileBytes(dir + "/v.db") + FileBytes(dir + "/v.db-wal");
  for (const char* s : kSecrets) EXPECT_EQ(bytes.find(s), std::string::npos) << s;
}

}  // namespace
}  // namespace vigil
