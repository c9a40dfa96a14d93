// What every SQLite-backed table set shares: the connection, prepared
// statements cached by their SQL, transactions and the schema migrations.
// Internal to store/sqlite.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "store/keyring.h"

namespace vigil::sqlite {

// A prepared statement, reset after each use.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s_); }

  Status Prepare(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK)
      return Status::Error(std::string("prepare failed: ") + sqlite3_errmsg(db));
    return Status::Ok();
  }
  // The text must stay alive until the statement has run (Run or Row);
  // binding a temporary string does not compile.
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, std::string&& v) = delete;
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  // Steps once: true when a row is available.
  bool Row() { return sqlite3_step(s_) == SQLITE_ROW; }
  // Runs to completion; false on error.
  bool Run() {
    const int rc = sqlite3_step(s_);
    sqlite3_reset(s_);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
  }
  // Back to the start, keeping the bindings.
  void Rewind() { sqlite3_reset(s_); }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  int64_t Int(int col) { return sqlite3_column_int64(s_, col); }
  double Real(int col) { return sqlite3_column_double(s_, col); }
  std::string Text(int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, sqlite3_column_bytes(s_, col)) : std::string();
  }
  bool IsBlob(int col) { return sqlite3_column_type(s_, col) == SQLITE_BLOB; }
  bool IsNull(int col) { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string Blob(int col) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, col));
    return p ? std::string(p, sqlite3_column_bytes(s_, col)) : std::string();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

class Database {
 public:
  Database(sqlite3* db, std::shared_ptr<const Clock> clock) : db_(db), clock_(std::move(clock)) {}
  ~Database() {
    stmts_.clear();
    sqlite3_close(db_);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Sets the connection's pragmas and brings the schema up to date.
  Status Init();

  const Clock& clock() const { return *clock_; }
  sqlite3* handle() const { return db_; }

  // Runs `sql` (any number of statements).
  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::Error("sqlite: " + msg);
    }
    return Status::Ok();
  }

  // Runs `body` (returning a Result) inside BEGIN IMMEDIATE ... COMMIT;
  // rolls back when it fails or throws.
  template <typename Body>
  auto InTransaction(Body&& body) -> decltype(body()) {
    if (auto s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    decltype(body()) r = Status::Error("sqlite: transaction did not run");
    try {
      r = body();
    } catch (const std::exception& e) {
      r = Status::Error(std::string("sqlite: ") + e.what());
    }
    if (!r.ok()) {
      Exec("ROLLBACK");
      return r;
    }
    if (auto s = Exec("COMMIT"); !s.ok()) {
      Exec("ROLLBACK");
      return s;
    }
    return r;
  }

  // Encryption at rest. With a key file every personal value is written
  // sealed (see store/keyring.h) and equality lookups use keyed hashes;
  // without one (a plaintext store, for measurements) values are written
  // as given and reading a sealed value fails.
  //
  // Opens the key file at `path` (or, with `path` empty, none), checking
  // that it belongs to this database; a database new to encryption adopts
  // the file, creating it when missing.
  Status UseKeys(const std::string& path, bool plaintext);
  // `plain` as this store keeps `context` ("table.column"): sealed with a
  // key file, as given without one.
  std::string Seal(std::string_view plain, const char* context);
  // Binds a value from Seal(): a blob when sealed or `binary`, else text.
  void BindSealed(Stmt& st, int i, const std::string& sealed, bool binary = false) {
    if (keys_ || binary) st.BindBlob(i, sealed);
    else st.Bind(i, sealed);
  }
  // Column `col` of `st` opened for `context` (as it is in a plaintext
  // store). Throws when a value cannot be opened: sealed with a key the
  // file lacks, altered, sealed for another column, or not sealed at all.
  std::string Open(Stmt& st, int col, const char* context);
  // The keyed hash of `value` for `context` (the value itself without a
  // key file); empty for empty.
  std::string Hash(std::string_view value, const char* context);
  // The data keys in use (reloaded when the key file changes); null for a
  // plaintext store.
  const Keyring* keys();
  const std::string& key_path() const { return key_path_; }

  // "sqlite: WHAT: " and SQLite's last error message.
  Status Error(const char* what) {
    return Status::Error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db_));
  }

  // The cached prepared statement for `sql` (prepared on first use).
  Stmt& S(const char* sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) {
      auto st = std::make_unique<Stmt>();
      if (auto s = st->Prepare(db_, sql); !s.ok()) throw std::runtime_error(s.message());
      it = stmts_.emplace(sql, std::move(st)).first;
    }
    it->second->Rewind();  // in case its last use ended in an exception
    return *it->second;
  }

 protected:
  // Applies the migrations the database has not seen yet.
  Status Migrate();

  sqlite3* db_;
  std::shared_ptr<const Clock> clock_;

 private:
  std::unordered_map<std::string, std::unique_ptr<Stmt>> stmts_;
  std::unique_ptr<Keyring> keys_;
  std::string key_path_;
  int64_t key_checked_at_ = 0;  // steady seconds of the last look at the file
  std::string key_stamp_;       // the file's modification time and size then
};

// A failure thrown by a statement, as the store reports it.
inline Status sqlite_error(const std::exception& e) { return Status::Error(std::string("sqlite: ") + e.what()); }

// The rows of `sql`, bound by `bind` and each read by `read`.
template <typename Read, typename Bind>
auto rows(Database& db, const std::string& sql, Read read, Bind bind)
    -> Result<std::vector<decltype(read(std::declval<Stmt&>()))>> {
  try {
    Stmt& st = db.S(sql.c_str());
    bind(st);
    std::vector<decltype(read(st))> out;
    while (st.Row()) out.push_back(read(st));
    st.Reset();
    return out;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

// The first of `found`, if any.
template <typename T>
Result<std::optional<T>> first(Result<std::vector<T>> found) {
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<T>();
  return std::optional<T>(std::move(found->front()));
}

// For rows() of statements without parameters.
inline void no_binding(Stmt&) {}

}  // namespace vigil::sqlite
