#include "store/sqlite/schema.h"

namespace vigil::sqlite {

const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: raw archive, quarantine, flights, API and PNR data, links.
      R"sql(
CREATE TABLE raw_messages (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,
  received_at TEXT NOT NULL,
  source      TEXT NOT NULL,
  format      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  warnings    INTEGER NOT NULL,
  body        BLOB NOT NULL
);
CREATE TABLE quarantine (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,
  received_at TEXT NOT NULL,
  source      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  body        BLOB NOT NULL
);
CREATE TABLE flights (
  id                INTEGER PRIMARY KEY,
  carrier           TEXT NOT NULL,
  flight_number     TEXT NOT NULL,
  departure_airport TEXT NOT NULL,
  arrival_airport   TEXT NOT NULL,
  departure_date    TEXT NOT NULL,
  departure_local   TEXT NOT NULL,
  arrival_local     TEXT NOT NULL,
  UNIQUE (carrier, flight_number, departure_airport, departure_date)
);
CREATE TABLE manifests (
  id                INTEGER PRIMARY KEY,
  message_id        INTEGER NOT NULL REFERENCES raw_messages(id),
  flight_id         INTEGER REFERENCES flights(id),
  sender            TEXT NOT NULL,
  common_access_ref TEXT NOT NULL,
  message_function  TEXT NOT NULL,
  parts             INTEGER NOT NULL,
  complete          INTEGER NOT NULL
);
CREATE TABLE api_travellers (
  id                    INTEGER PRIMARY KEY,
  manifest_id           INTEGER NOT NULL REFERENCES manifests(id),
  flight_id             INTEGER REFERENCES flights(id),
  role                  TEXT NOT NULL,
  surname               TEXT NOT NULL,
  given_names           TEXT NOT NULL,
  birth_date            TEXT NOT NULL,
  nationality           TEXT NOT NULL,
  document_number       TEXT NOT NULL,
  reservation_reference TEXT NOT NULL,
  name_key              TEXT NOT NULL,
  data                  TEXT NOT NULL
);
CREATE INDEX api_travellers_flight ON api_travellers(flight_id);
CREATE TABLE pnrs (
  id                 INTEGER PRIMARY KEY,
  carrier            TEXT NOT NULL,
  record_locator     TEXT NOT NULL,
  current_version_id INTEGER,
  UNIQUE (carrier, record_locator)
);
CREATE TABLE pnr_versions (
  id           INTEGER PRIMARY KEY,
  pnr_id       INTEGER NOT NULL REFERENCES pnrs(id),
  message_id   INTEGER NOT NULL REFERENCES raw_messages(id),
  version_no   INTEGER NOT NULL,
  last_changed TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  data         TEXT NOT NULL,
  UNIQUE (pnr_id, content_hash)
);
CREATE TABLE pnr_flights (
  pnr_version_id INTEGER NOT NULL REFERENCES pnr_versions(id),
  flight_id      INTEGER NOT NULL REFERENCES flights(id),
  PRIMARY KEY (pnr_version_id, flight_id)
) WITHOUT ROWID;
CREATE INDEX pnr_flights_flight ON pnr_flights(flight_id);
CREATE TABLE pnr_travellers (
  id              INTEGER PRIMARY KEY,
  pnr_version_id  INTEGER NOT NULL REFERENCES pnr_versions(id),
  position        INTEGER NOT NULL,  -- index in the version's "travellers"
  surname         TEXT NOT NULL,
  given_names     TEXT NOT NULL,
  birth_date      TEXT NOT NULL,
  document_number TEXT NOT NULL,
  name_key        TEXT NOT NULL
);
CREATE INDEX pnr_travellers_version ON pnr_travellers(pnr_version_id);
CREATE TABLE traveller_links (
  api_traveller_id INTEGER NOT NULL REFERENCES api_travellers(id),
  pnr_traveller_id INTEGER NOT NULL REFERENCES pnr_travellers(id),
  flight_id        INTEGER NOT NULL REFERENCES flights(id),
  method           TEXT NOT NULL,
  PRIMARY KEY (api_traveller_id, pnr_traveller_id)
) WITHOUT ROWID;
CREATE VIEW current_pnrs AS
  SELECT p.carrier, p.record_locator, v.*
  FROM pnrs p JOIN pnr_versions v ON v.id = p.current_version_id;
)sql",
      // 2: watch lists, versioned; each version keeps all its entries.
      R"sql(
CREATE TABLE watch_lists (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  version       INTEGER NOT NULL,
  imported_at   TEXT NOT NULL,
  format        TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  entries       INTEGER NOT NULL,
  active        INTEGER NOT NULL,
  UNIQUE (name, version)
);
CREATE TABLE watch_entries (
  list_version_id INTEGER NOT NULL REFERENCES watch_lists(id),
  reference       TEXT NOT NULL,
  content_hash    TEXT NOT NULL,
  data            TEXT NOT NULL,
  PRIMARY KEY (list_version_id, reference)
) WITHOUT ROWID;
)sql",
      // 3: screening hits of stored travellers against list entries. A hit
      // names its traveller by row (api_travellers.id or pnr_travellers.id,
      // by kind) and its entry by list and reference; no traveller data is
      // copied beyond what the explanation quotes. One row per traveller and
      // entry; a hit is withdrawn, never deleted.
      R"sql(
CREATE TABLE screening_hits (
  id             INTEGER PRIMARY KEY,
  traveller_kind TEXT NOT NULL CHECK (traveller_kind IN ('api', 'pnr')),
  traveller_id   INTEGER NOT NULL,
  flight_id      INTEGER NOT NULL REFERENCES flights(id),
  list_name      TEXT NOT NULL,
  list_version   INTEGER NOT NULL,
  reference      TEXT NOT NULL,
  score          REAL NOT NULL,
  explanation    TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('open', 'withdrawn')),
  created_at     TEXT NOT NULL,
  withdrawn_at   TEXT,
  UNIQUE (traveller_kind, traveller_id, list_name, reference)
);
CREATE INDEX screening_hits_entry ON screening_hits(list_name, reference, status);
CREATE INDEX screening_hits_status ON screening_hits(status);
CREATE INDEX screening_hits_flight ON screening_hits(flight_id);
)sql",
      // 4: targeting rules and value lists (versioned), alerts with their
      // reasons and review events, the fingerprints of dismissed watch-list
      // reasons, and the links of a flight found by flight.
      R"sql(
CREATE INDEX traveller_links_flight ON traveller_links(flight_id);
CREATE TABLE rules (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  text       TEXT NOT NULL,
  severity   TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
  category   TEXT NOT NULL,
  author     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);
CREATE TABLE rule_state (
  name       TEXT PRIMARY KEY,
  enabled    INTEGER NOT NULL,
  changed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE value_lists (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  items      TEXT NOT NULL,  -- JSON array of strings
  author     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (name, version)
);
CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  flight_id      INTEGER NOT NULL REFERENCES flights(id),
  traveller_kind TEXT NOT NULL CHECK (traveller_kind IN ('api', 'pnr')),
  traveller_id   INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('new', 'in_review', 'confirmed', 'dismissed', 'withdrawn')),
  severity       TEXT NOT NULL,
  category       TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (flight_id, traveller_kind, traveller_id)
);
CREATE INDEX alerts_status ON alerts(status);
CREATE TABLE alert_reasons (
  alert_id    INTEGER NOT NULL REFERENCES alerts(id),
  position    INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('watchlist', 'rule')),
  source      TEXT NOT NULL,
  version     INTEGER NOT NULL,
  reference   TEXT NOT NULL,
  severity    TEXT NOT NULL,
  category    TEXT NOT NULL,
  score       REAL NOT NULL,
  explanation TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (alert_id, position)
) WITHOUT ROWID;
CREATE INDEX alert_reasons_source ON alert_reasons(kind, source);
CREATE TABLE alert_events (
  id          INTEGER PRIMARY KEY,
  alert_id    INTEGER NOT NULL REFERENCES alerts(id),
  at          TEXT NOT NULL,
  user        TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status   TEXT NOT NULL,
  reason      TEXT NOT NULL
);
CREATE INDEX alert_events_alert ON alert_events(alert_id);
CREATE TABLE dismissed_reasons (
  fingerprint  TEXT PRIMARY KEY,
  alert_id     INTEGER NOT NULL REFERENCES alerts(id),
  dismissed_at TEXT NOT NULL
) WITHOUT ROWID;
)sql",
      // 5: accounts, sessions and system tokens (hashes only), the log of
      // every access with its purpose (hash-chained, with signed
      // checkpoints), and travellers found by document and by name for
      // frontline checks.
      R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  roles         TEXT NOT NULL,  -- JSON array
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL,
  locked_until  TEXT NOT NULL,
  disabled      INTEGER NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  csrf       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen  TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  remote     TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL UNIQUE,
  scopes     TEXT NOT NULL,  -- JSON array
  created_at TEXT NOT NULL,
  revoked    INTEGER NOT NULL
);
CREATE TABLE access_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  object    TEXT NOT NULL,
  purpose   TEXT NOT NULL,
  recipient TEXT NOT NULL,  -- to whom data was disclosed, if it was
  remote    TEXT NOT NULL,
  outcome   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,  -- the hash of the entry before (empty for the first)
  hash      TEXT NOT NULL   -- SHA-256 over this entry and prev_hash (audit_entry_hash)
);
CREATE TABLE minimisation_log (  -- what was deleted on receipt: categories and counts, never content
  message_id INTEGER NOT NULL REFERENCES raw_messages(id),
  category   TEXT NOT NULL,
  items      INTEGER NOT NULL,
  at         TEXT NOT NULL
);
CREATE TABLE audit_checkpoints (
  id        INTEGER PRIMARY KEY,
  entry_id  INTEGER NOT NULL,  -- the last entry it covers
  entry_hash TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  signature TEXT NOT NULL       -- Ed25519 over audit_checkpoint_message, hex
);
CREATE INDEX api_travellers_document ON api_travellers(document_number);
CREATE INDEX api_travellers_name ON api_travellers(name_key, birth_date);
CREATE INDEX pnr_travellers_document ON pnr_travellers(document_number);
CREATE INDEX pnr_travellers_name ON pnr_travellers(name_key, birth_date);
CREATE TRIGGER access_log_append_only_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_append_only_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
)sql",
      // 6: encryption at rest (what the key file must be), retention
      // (depersonalised PNR versions and raw messages, their sealed
      // originals for approved re-personalisation, what runs did), and
      // re-personalisation requests.
      R"sql(
CREATE TABLE store_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
UPDATE api_travellers SET nationality = '', reservation_reference = '';  -- kept in data only
ALTER TABLE pnr_versions ADD COLUMN masked_at TEXT NOT NULL DEFAULT '';
ALTER TABLE raw_messages ADD COLUMN masked_at TEXT NOT NULL DEFAULT '';
ALTER TABLE raw_messages ADD COLUMN erased_at TEXT NOT NULL DEFAULT '';
CREATE TABLE sealed_pnr_versions (  -- the originals of depersonalised versions
  version_id INTEGER PRIMARY KEY REFERENCES pnr_versions(id),
  data       BLOB NOT NULL
);
CREATE TABLE sealed_raw_messages (  -- the originals of depersonalised raw messages
  message_id INTEGER PRIMARY KEY REFERENCES raw_messages(id),
  body       BLOB NOT NULL
);
CREATE TABLE retention_log (  -- what retention runs did: counts, never content
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,
  action TEXT NOT NULL,  -- "depersonalised", "deleted"
  what   TEXT NOT NULL,  -- "pnr_versions", "api_travellers", "raw_messages", "alerts", ...
  items  INTEGER NOT NULL
);
CREATE TABLE repersonalisations (
  id             INTEGER PRIMARY KEY,
  pnr_id         INTEGER NOT NULL REFERENCES pnrs(id),
  traveller_id   INTEGER NOT NULL,  -- the pnr_travellers row it was asked from
  case_ref       TEXT NOT NULL,
  grounds        TEXT NOT NULL,
  requested_by   TEXT NOT NULL,
  requested_at   TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'refused')),
  decided_by     TEXT NOT NULL,
  decided_at     TEXT NOT NULL,
  decision_note  TEXT NOT NULL,
  expires_at     TEXT NOT NULL
);
CREATE INDEX repersonalisations_pnr ON repersonalisations(pnr_id, status);
CREATE INDEX raw_messages_received ON raw_messages(received_at);
CREATE INDEX pnr_versions_message ON pnr_versions(message_id);
CREATE INDEX pnr_versions_pnr ON pnr_versions(pnr_id);
CREATE INDEX manifests_message ON manifests(message_id);
CREATE INDEX api_travellers_manifest ON api_travellers(manifest_id);
CREATE INDEX alerts_traveller ON alerts(traveller_kind, traveller_id);
CREATE INDEX traveller_links_pnr ON traveller_links(pnr_traveller_id);
)sql",
      // 7: the biometric gallery (templates sealed, found again by keyed
      // hash) and frontline encounters (a probe kept, sealed, only on a
      // hit).
      R"sql(
CREATE TABLE bio_subjects (
  id          INTEGER PRIMARY KEY,
  list_name   TEXT NOT NULL,
  reference   TEXT NOT NULL,
  category    TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  UNIQUE (list_name, reference)
);
CREATE TABLE bio_templates (
  id           INTEGER PRIMARY KEY,
  subject_id   INTEGER NOT NULL REFERENCES bio_subjects(id),
  modality     TEXT NOT NULL CHECK (modality IN ('finger', 'face')),
  position     INTEGER NOT NULL,  -- finger position code
  content_hash TEXT NOT NULL UNIQUE,
  data         BLOB NOT NULL      -- sealed: the template (ISO 19794-2:2005 for fingers)
);
CREATE INDEX bio_templates_subject ON bio_templates(subject_id);
CREATE TABLE bio_encounters (
  id             INTEGER PRIMARY KEY,
  at             TEXT NOT NULL,
  officer        TEXT NOT NULL,
  location       TEXT NOT NULL,
  result         TEXT NOT NULL CHECK (result IN ('hit', 'no_hit')),
  candidates     INTEGER NOT NULL,
  best_list      TEXT NOT NULL,
  best_reference TEXT NOT NULL,
  best_score     REAL NOT NULL,
  probe          BLOB              -- sealed, only on a hit
);
)sql",
      // 8: whether the chip of the document checked was authentic
      // (passive authentication), where its data groups were given.
      R"sql(
ALTER TABLE bio_encounters ADD COLUMN chip TEXT NOT NULL DEFAULT '';
)sql",
      // 9: subjects removed from the gallery (taken off their list), so
      // that caches of the gallery let them go too; template ids never
      // used again, so that a cache's last id stays a watermark.
      R"sql(
CREATE TABLE bio_templates_9 (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  subject_id   INTEGER NOT NULL REFERENCES bio_subjects(id),
  modality     TEXT NOT NULL CHECK (modality IN ('finger', 'face')),
  position     INTEGER NOT NULL,  -- finger position code
  content_hash TEXT NOT NULL UNIQUE,
  data         BLOB NOT NULL      -- sealed: the template
);
INSERT INTO bio_templates_9 SELECT id, subject_id, modality, position, content_hash, data FROM bio_templates;
DROP TABLE bio_templates;
ALTER TABLE bio_templates_9 RENAME TO bio_templates;
CREATE INDEX bio_templates_subject ON bio_templates(subject_id);
CREATE TABLE bio_removals (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  list_name  TEXT NOT NULL,
  reference  TEXT NOT NULL,
  templates  INTEGER NOT NULL
);
)sql",
      // 10: an examiner's decision on each hit (no decision by automation
      // alone).
      R"sql(
ALTER TABLE bio_encounters ADD COLUMN decision TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'confirmed', 'rejected'));
ALTER TABLE bio_encounters ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE bio_encounters ADD COLUMN decided_at TEXT NOT NULL DEFAULT '';
ALTER TABLE bio_encounters ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
)sql",
      // 11: the image each template was read from, kept (sealed) for
      // examiners to compare with a probe.
      R"sql(
ALTER TABLE bio_templates ADD COLUMN source BLOB;
)sql",
  };
  return kMigrations;
}

}  // namespace vigil::sqlite
