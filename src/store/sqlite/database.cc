#include "store/sqlite/database.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include "store/sqlite/encryption.h"
#include "store/sqlite/schema.h"

namespace vigil::sqlite {
namespace {

constexpr const char* kCipher = "xchacha20poly1305";

// The file's modification time and size, or empty when it cannot be read.
std::string file_stamp(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return {};
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
         std::to_string(st.st_size);
}

int64_t steady_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status Database::Init() {
  // The busy timeout first: every later step may meet another connection's
  // lock (a checkpoint, a migration) and must wait for it, not fail.
  if (auto s = Exec("PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA cache_size=-32768;");
      !s.ok())
    return s;
  return Migrate();
}

Status Database::Migrate() {
  Stmt v;
  if (auto s = v.Prepare(db_, "PRAGMA user_version"); !s.ok()) return s;
  const int64_t version = v.Row() ? v.Int(0) : 0;
  v.Reset();  // a statement left running would lock the tables a migration drops
  const auto& all = sqlite::migrations();
  if (version > static_cast<int64_t>(all.size()))
    return Status::Error("database schema version " + std::to_string(version) +
                         " is newer than this program knows (" + std::to_string(all.size()) + ")");
  for (size_t i = static_cast<size_t>(version); i < all.size(); ++i) {
    std::string sql = "BEGIN; " + std::string(all[i]) + "; PRAGMA user_version = " +
                      std::to_string(i + 1) + "; COMMIT;";
    if (auto s = Exec(sql.c_str()); !s.ok()) {
      Exec("ROLLBACK");
      return Status::Error("migration " + std::to_string(i + 1) + " failed: " + s.message());
    }
  }
  return Status::Ok();
}

Status Database::UseKeys(const std::string& path, bool plaintext) {
  auto meta = [&](const char* name) {
    Stmt& st = S("SELECT value FROM store_meta WHERE name = ?1");
    st.Bind(1, name);
    std::string value = st.Row() ? st.Text(0) : std::string();
    st.Reset();
    return value;
  };
  auto set_meta = [&](const char* name, const std::string& value) {
    Stmt& st = S("INSERT OR REPLACE INTO store_meta(name, value) VALUES (?1, ?2)");
    st.Bind(1, name).Bind(2, value);
    return st.Run() ? Status::Ok() : Error("store_meta");
  };
  try {
    const std::string cipher = meta("encryption");
    if (plaintext) {
      if (cipher == "none") return Status::Ok();
      if (!cipher.empty()) return Status::Error("the database is encrypted; it cannot be opened as plaintext");
      Stmt& any = S("SELECT (SELECT count(*) FROM raw_messages) + (SELECT count(*) FROM quarantine)");
      const int64_t held = any.Row() ? any.Int(0) : 0;
      any.Reset();
      if (held) return Status::Error("the database holds data; a plaintext store must start empty");
      return set_meta("encryption", "none");
    }
    if (cipher == "none")
      return Status::Error("the database was created without encryption, for measurements only; "
                           "it cannot hold live data");
    if (path.empty()) return Status::Error("no data key file given");
    const bool exists = std::filesystem::exists(path);
    if (!cipher.empty() && !exists)
      return Status::Error("the database is encrypted and its data key file " + path +
                           " is missing (give --data-key)");
    auto ring = exists ? Keyring::Load(path) : Keyring::Create(path);
    if (!ring.ok()) return ring.status();
    if (!cipher.empty() && cipher != kCipher)
      return Status::Error("the database is encrypted with " + cipher + ", which this program does not know");
    if (!cipher.empty() && meta("key_fingerprint") != ring->Fingerprint())
      return Status::Error("data key file " + path + " does not belong to this database");
    keys_ = std::make_unique<Keyring>(std::move(*ring));
    key_path_ = path;
    key_stamp_ = file_stamp(path);
    key_checked_at_ = steady_seconds();
    if (cipher.empty()) {
      // Adoption: what was written before is sealed and hashed with the
      // marking, all in one transaction.
      auto adopted = InTransaction([&]() -> Result<int64_t> {
        if (auto s = set_meta("encryption", kCipher); !s.ok()) return s;
        if (auto s = set_meta("key_fingerprint", keys_->Fingerprint()); !s.ok()) return s;
        return reseal_in_transaction(*this, 0, true);
      });
      if (!adopted.ok()) {
        keys_.reset();
        return adopted.status();
      }
    }
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
  return Status::Ok();
}

const Keyring* Database::keys() {
  if (!keys_) return nullptr;
  const int64_t now = steady_seconds();
  if (now != key_checked_at_) {
    key_checked_at_ = now;
    const std::string stamp = file_stamp(key_path_);
    if (!stamp.empty() && stamp != key_stamp_) {
      // A rotation: take the new file when it is whole and of this database.
      auto ring = Keyring::Load(key_path_);
      if (ring.ok() && ring->Fingerprint() == keys_->Fingerprint()) {
        *keys_ = std::move(*ring);
        key_stamp_ = stamp;
      }
    }
  }
  return keys_.get();
}

std::string Database::Seal(std::string_view plain, const char* context) {
  const Keyring* ring = keys();
  return ring ? ring->Seal(plain, context) : std::string(plain);
}

std::string Database::Open(Stmt& st, int col, const char* context) {
  if (st.IsNull(col)) return {};  // no such row (an outer join)
  const Keyring* ring = keys();
  std::string bytes = st.IsBlob(col) ? st.Blob(col) : st.Text(col);
  if (!Keyring::IsSealed(bytes)) {
    // Everything an encrypted store holds is sealed (what was there before
    // was sealed when it adopted encryption): a plain value was put there
    // from outside.
    if (ring) throw std::runtime_error(std::string(context) + ": stored value is not sealed (altered outside Vigil)");
    return bytes;
  }
  if (!ring) throw std::runtime_error(std::string(context) + ": a sealed value in a plaintext store");
  auto plain = ring->Open(bytes, context);
  if (!plain.ok() && Keyring::KeyOf(bytes) > ring->current()) {
    key_checked_at_ = 0;  // a key newer than ours: look at the file again now
    ring = keys();
    plain = ring->Open(bytes, context);
  }
  if (!plain.ok()) throw std::runtime_error(plain.status().message());
  return std::move(*plain);
}

std::string Database::Hash(std::string_view value, const char* context) {
  const Keyring* ring = keys();
  return ring ? ring->Hash(value, context) : std::string(value);
}

}  // namespace vigil::sqlite
