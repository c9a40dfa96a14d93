// The columns encryption at rest covers, and sealing them again under the
// current key. Internal to store/sqlite.
#pragma once

#include <cstdint>
#include <map>

#include "store/sqlite/database.h"

namespace vigil::sqlite {

// A stored value the keys protect: sealed (personal fields, raw bytes) or
// kept as a keyed hash (what equality lookups use).
struct ProtectedColumn {
  const char* table;
  const char* key[2];   // the columns that identify a row (the second may be null)
  const char* column;
  const char* context;  // what Seal / Hash bind it to
  bool hashed;          // a keyed hash, not a sealed value
  bool binary;          // raw bytes, bound as a blob even in a plaintext store
};

// Every protected column, once.
const std::vector<ProtectedColumn>& protected_columns();

// How many sealed values each data key sealed; key 0 counts values not
// sealed at all (written before encryption).
Result<std::map<uint32_t, int64_t>> sealed_values(Database& db);

// Seals again under the current key up to `batch` values sealed with
// another key or not sealed, in one transaction. Returns how many values
// changed; 0 when none is left.
Result<int64_t> reseal(Database& db, int64_t batch);
// The same inside the caller's transaction; with `hash_plain`, every value
// at once, and the plain values of hashed columns replaced by their keyed
// hashes (once: when a database written before encryption adopts it).
Result<int64_t> reseal_in_transaction(Database& db, int64_t batch, bool hash_plain);

}  // namespace vigil::sqlite
