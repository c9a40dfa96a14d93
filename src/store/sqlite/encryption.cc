#include "store/sqlite/encryption.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::sqlite {

const std::vector<ProtectedColumn>& protected_columns() {
  static const std::vector<ProtectedColumn> kColumns = {
      {"raw_messages", {"id", nullptr}, "body", "raw_messages.body", false, true},
      {"sealed_raw_messages", {"message_id", nullptr}, "body", "sealed_raw_messages.body", false, true},
      {"quarantine", {"id", nullptr}, "body", "quarantine.body", false, true},
      {"api_travellers", {"id", nullptr}, "surname", "api_travellers.surname", false, false},
      {"api_travellers", {"id", nullptr}, "given_names", "api_travellers.given_names", false, false},
      {"api_travellers", {"id", nullptr}, "data", "api_travellers.data", false, false},
      {"pnr_versions", {"id", nullptr}, "data", "pnr_versions.data", false, false},
      {"sealed_pnr_versions", {"version_id", nullptr}, "data", "sealed_pnr_versions.data", false, false},
      {"pnr_travellers", {"id", nullptr}, "surname", "pnr_travellers.surname", false, false},
      {"pnr_travellers", {"id", nullptr}, "given_names", "pnr_travellers.given_names", false, false},
      {"screening_hits", {"id", nullptr}, "explanation", "screening_hits.explanation", false, false},
      {"alert_reasons", {"alert_id", "position"}, "explanation", "alert_reasons.explanation", false, false},
      {"bio_templates", {"id", nullptr}, "data", "bio_templates.data", false, true},
      {"bio_templates", {"id", nullptr}, "source", "bio_templates.source", false, true},
      {"bio_encounters", {"id", nullptr}, "probe", "bio_encounters.probe", false, true},
      {"api_travellers", {"id", nullptr}, "name_key", "name_key", true, false},
      {"api_travellers", {"id", nullptr}, "document_number", "document_number", true, false},
      {"api_travellers", {"id", nullptr}, "birth_date", "birth_date", true, false},
      {"pnr_travellers", {"id", nullptr}, "name_key", "name_key", true, false},
      {"pnr_travellers", {"id", nullptr}, "document_number", "document_number", true, false},
      {"pnr_travellers", {"id", nullptr}, "birth_date", "birth_date", true, false},
      {"pnrs", {"id", nullptr}, "record_locator", "record_locator", true, false},
      {"pnr_versions", {"id", nullptr}, "content_hash", "pnr_versions.content_hash", true, false},
      {"alert_reasons", {"alert_id", "position"}, "fingerprint", "alert_reasons.fingerprint", true, false},
      {"dismissed_reasons", {"fingerprint", nullptr}, "fingerprint", "alert_reasons.fingerprint", true, false},
  };
  return kColumns;
}

namespace {

// The first bytes of a value sealed with key `id`.
std::string prefix_of(uint32_t id) {
  std::string p = "\xffVE";
  for (int i = 0; i < 4; ++i) p.push_back(static_cast<char>(id >> (8 * i)));
  return p;
}

std::string key_select(const ProtectedColumn& c) {
  return std::string(c.key[0]) + (c.key[1] ? std::string(", ") + c.key[1] : std::string(", 0"));
}

std::string key_where(const ProtectedColumn& c) {
  return std::string(c.key[0]) + " = ?2" + (c.key[1] ? std::string(" AND ") + c.key[1] + " = ?3" : "");
}

}  // namespace

Result<std::map<uint32_t, int64_t>> sealed_values(Database& db) {
  std::map<uint32_t, int64_t> out;
  try {
    for (const auto& c : protected_columns()) {
      if (c.hashed) continue;
      const std::string sql = std::string("SELECT CASE WHEN typeof(") + c.column + ") = 'blob' AND substr(" +
                              c.column + ", 1, 3) = x'ff5645' THEN substr(" + c.column + ", 4, 4) ELSE x'' END, " +
                              "count(*) FROM " + c.table + " WHERE " + c.column + " IS NOT NULL GROUP BY 1";
      Stmt& st = db.S(sql.c_str());
      while (st.Row()) {
        const std::string id = st.Blob(0);
        uint32_t key = 0;
        for (size_t i = 0; i < id.size() && i < 4; ++i) key |= static_cast<uint32_t>(static_cast<unsigned char>(id[i])) << (8 * i);
        out[key] += st.Int(1);
      }
      st.Reset();
    }
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
  return out;
}

Result<int64_t> reseal_in_transaction(Database& db, int64_t batch, bool hash_plain) {
  const Keyring* keys = db.keys();
  if (!keys) return Status::Error("a plaintext store has no keys");
  const std::string current = prefix_of(keys->current());
  if (hash_plain) batch = INT64_MAX;
  {
    int64_t changed = 0;
    for (const auto& c : protected_columns()) {
      if (changed >= batch) break;
      if (c.hashed && !hash_plain) continue;
      // Sealed columns: what is not sealed under the current key. Hashed
      // ones (once, on adoption): every non-empty value.
      const std::string pick =
          c.hashed ? std::string(c.column) + " <> ''"
                   : std::string(c.column) + " IS NOT NULL AND NOT (typeof(" + c.column + ") = 'blob' AND substr(" +
                         c.column + ", 1, 7) = ?1)";
      const std::string select = "SELECT " + key_select(c) + ", " + c.column + " FROM " + c.table + " WHERE " + pick +
                                 " LIMIT ?2";
      const std::string update = std::string("UPDATE ") + c.table + " SET " + c.column + " = ?1 WHERE " + key_where(c);
      struct Row {
        std::string key0;
        int64_t key1;
        std::string value;
      };
      std::vector<Row> rows;
      Stmt& sel = db.S(select.c_str());
      if (!c.hashed) sel.BindBlob(1, current);
      sel.Bind(2, batch - changed);
      // On adoption values are plain; after it, a plain value is an
      // alteration, which Open refuses rather than seal.
      while (sel.Row())
        rows.push_back({sel.Text(0), sel.Int(1),
                        c.hashed || hash_plain ? (sel.IsBlob(2) ? sel.Blob(2) : sel.Text(2)) : db.Open(sel, 2, c.context)});
      sel.Reset();
      Stmt& upd = db.S(update.c_str());
      for (const Row& r : rows) {
        const std::string value = c.hashed ? db.Hash(r.value, c.context) : db.Seal(r.value, c.context);
        if (c.hashed) upd.Bind(1, value);  // hashes are text, as lookups bind them
        else db.BindSealed(upd, 1, value, c.binary);
        upd.Bind(2, r.key0);
        if (c.key[1]) upd.Bind(3, r.key1);
        if (!upd.Run()) return db.Error("reseal");
        upd.Reset();
        ++changed;
      }
    }
    return changed;
  }
}

Result<int64_t> reseal(Database& db, int64_t batch) {
  return db.InTransaction([&] { return reseal_in_transaction(db, batch, false); });
}

}  // namespace vigil::sqlite
