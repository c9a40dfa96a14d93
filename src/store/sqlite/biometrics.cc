#include "store/sqlite/biometrics.h"

#include "base/hash.h"

namespace vigil::sqlite {
namespace {

constexpr const char* kTemplate = "bio_templates.data";
constexpr const char* kSource = "bio_templates.source";
constexpr const char* kProbe = "bio_encounters.probe";

}  // namespace

Result<BioEnrolment> Biometrics::EnrolBiometrics(const std::string& list, const std::string& reference,
                                                 const std::string& category,
                                                 const std::vector<BioTemplate>& templates) {
  if (list.empty() || reference.empty()) return Status::Error("enrolment needs a list and a reference");
  return db_.InTransaction([&]() -> Result<BioEnrolment> {
    BioEnrolment out;
    const std::string now = format_utc(db_.clock().now());
    Stmt& find = db_.S("SELECT id FROM bio_subjects WHERE list_name = ?1 AND reference = ?2");
    find.Bind(1, list).Bind(2, reference);
    if (find.Row()) out.subject_id = find.Int(0);
    find.Reset();
    if (!out.subject_id) {
      Stmt& ins = db_.S("INSERT INTO bio_subjects(list_name, reference, category, enrolled_at) VALUES (?1,?2,?3,?4)");
      ins.Bind(1, list).Bind(2, reference).Bind(3, category).Bind(4, now);
      if (!ins.Run()) return db_.Error("biometric subject");
      out.subject_id = sqlite3_last_insert_rowid(db_.handle());
      out.new_subject = true;
    }
    Stmt& same = db_.S("SELECT 1 FROM bio_templates WHERE content_hash = ?1");
    Stmt& add = db_.S("INSERT INTO bio_templates(subject_id, modality, position, content_hash, data, source) "
                      "VALUES (?1,?2,?3,?4,?5,?6)");
    for (const BioTemplate& t : templates) {
      const std::string hash = db_.Hash(sha256_hex(t.data), "bio_templates.content_hash");
      same.Bind(1, hash);
      const bool known = same.Row();
      same.Reset();
      if (known) {
        ++out.duplicates;
        continue;
      }
      const std::string sealed = db_.Seal(t.data, kTemplate);
      add.Bind(1, out.subject_id).Bind(2, t.modality).Bind(3, int64_t{t.position}).Bind(4, hash);
      db_.BindSealed(add, 5, sealed, true);
      const std::string source = t.source.empty() ? std::string() : db_.Seal(t.source, kSource);
      if (!source.empty()) db_.BindSealed(add, 6, source, true);
      if (!add.Run()) return db_.Error("biometric template");
      add.Reset();
      ++out.added;
    }
    return out;
  });
}

Result<std::vector<BioTemplate>> Biometrics::BioGallery(int64_t after, int64_t up_to) {
  return rows(
      db_,
      "SELECT t.id, s.list_name, s.reference, s.category, t.modality, t.position, t.data FROM bio_templates t "
      "JOIN bio_subjects s ON s.id = t.subject_id WHERE t.id > ?1 AND t.id <= ?2 ORDER BY s.id, t.id",
      [&](Stmt& st) {
        return BioTemplate{st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), static_cast<int>(st.Int(5)),
                           db_.Open(st, 6, kTemplate), ""};
      },
      [&](Stmt& st) { st.Bind(1, after).Bind(2, up_to); });
}

Result<BioGalleryMark> Biometrics::BioGalleryMarks() {
  // Template ids are never used again (AUTOINCREMENT), and templates are
  // deleted only with their subject, which logs a removal.
  auto v = first(rows(
      db_,
      "SELECT (SELECT coalesce(max(id), 0) FROM bio_templates), (SELECT coalesce(max(id), 0) FROM bio_removals)",
      [](Stmt& st) { return BioGalleryMark{st.Int(0), st.Int(1)}; }, no_binding));
  if (!v.ok()) return v.status();
  return v->value_or(BioGalleryMark{});
}

Result<int> Biometrics::RemoveBioSubject(const std::string& list, const std::string& reference) {
  return db_.InTransaction([&]() -> Result<int> {
    Stmt& find = db_.S("SELECT id FROM bio_subjects WHERE list_name = ?1 AND reference = ?2");
    find.Bind(1, list).Bind(2, reference);
    const int64_t subject = find.Row() ? find.Int(0) : 0;
    find.Reset();
    if (!subject) return Status::Error("no biometric subject " + list + "/" + reference);
    Stmt& del = db_.S("DELETE FROM bio_templates WHERE subject_id = ?1");
    del.Bind(1, subject);
    if (!del.Run()) return db_.Error("biometric templates");
    const int templates = sqlite3_changes(db_.handle());
    del.Reset();
    Stmt& gone = db_.S("DELETE FROM bio_subjects WHERE id = ?1");
    gone.Bind(1, subject);
    if (!gone.Run()) return db_.Error("biometric subject");
    gone.Reset();
    Stmt& log = db_.S("INSERT INTO bio_removals(at, list_name, reference, templates) VALUES (?1,?2,?3,?4)");
    const std::string now = format_utc(db_.clock().now());
    log.Bind(1, now).Bind(2, list).Bind(3, reference).Bind(4, int64_t{templates});
    if (!log.Run()) return db_.Error("biometric removal");
    log.Reset();
    return templates;
  });
}

Result<std::vector<BioRemoval>> Biometrics::BioRemovals(int64_t after) {
  return rows(
      db_, "SELECT id, at, list_name, reference, templates FROM bio_removals WHERE id > ?1 ORDER BY id",
      [](Stmt& st) {
        return BioRemoval{st.Int(0), st.Text(1), st.Text(2), st.Text(3), static_cast<int>(st.Int(4))};
      },
      [&](Stmt& st) { st.Bind(1, after); });
}

Result<int64_t> Biometrics::RecordEncounter(const BioEncounter& e) {
  return db_.InTransaction([&]() -> Result<int64_t> {
    Stmt& ins = db_.S("INSERT INTO bio_encounters(at, officer, location, result, candidates, best_list, "
                      "best_reference, best_score, probe, chip) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
    const std::string at = e.at.empty() ? format_utc(db_.clock().now()) : e.at;
    const std::string probe = e.probe.empty() ? std::string() : db_.Seal(e.probe, kProbe);
    ins.Bind(1, at).Bind(2, e.officer).Bind(3, e.location).Bind(4, e.result).Bind(5, int64_t{e.candidates})
        .Bind(6, e.best_list).Bind(7, e.best_reference).Bind(8, e.best_score).Bind(10, e.chip);
    if (!probe.empty()) db_.BindSealed(ins, 9, probe, true);
    if (!ins.Run()) return db_.Error("encounter");
    ins.Reset();
    return sqlite3_last_insert_rowid(db_.handle());
  });
}

namespace {

constexpr const char* kEncounterColumns =
    "SELECT id, at, officer, location, result, candidates, best_list, best_reference, best_score, chip, decision, "
    "decided_by, decided_at, decision_reason FROM bio_encounters ";

BioEncounter ReadEncounter(Stmt& st) {
  return BioEncounter{st.Int(0),   st.Text(1),  st.Text(2),  st.Text(3),  st.Text(4),
                      static_cast<int>(st.Int(5)),
                      st.Text(6),  st.Text(7),  st.Real(8),  "",          st.Text(9),
                      st.Text(10), st.Text(11), st.Text(12), st.Text(13)};
}

}  // namespace

Result<std::vector<BioEncounter>> Biometrics::BioEncounters(int limit, const std::string& status) {
  const char* where = status.empty()         ? ""
                      : status == "awaiting" ? "WHERE result = 'hit' AND decision = '' "
                                             : "WHERE decision = ?2 ";
  if (!status.empty() && status != "awaiting" && status != "confirmed" && status != "rejected")
    return Status::Error("status is awaiting, confirmed or rejected");
  return rows(db_, std::string(kEncounterColumns) + where + "ORDER BY id DESC LIMIT ?1", ReadEncounter,
              [&](Stmt& st) {
                st.Bind(1, int64_t{limit});
                if (status == "confirmed" || status == "rejected") st.Bind(2, status);
              });
}

Result<EncounterImages> Biometrics::BioEncounterImages(int64_t id) {
  struct Hit {
    std::string list, reference, probe;
  };
  auto hit = first(rows(
      db_, "SELECT best_list, best_reference, probe FROM bio_encounters WHERE id = ?1",
      [&](Stmt& st) { return Hit{st.Text(0), st.Text(1), db_.Open(st, 2, kProbe)}; },
      [&](Stmt& st) { st.Bind(1, id); }));
  if (!hit.ok()) return hit.status();
  if (!*hit) return Status::Error("no encounter " + std::to_string(id));
  EncounterImages out;
  out.probe = std::move((*hit)->probe);
  const std::string &list = (*hit)->list, &reference = (*hit)->reference;
  auto refs = rows(
      db_,
      "SELECT t.modality, t.position, t.source FROM bio_templates t JOIN bio_subjects s ON s.id = t.subject_id "
      "WHERE s.list_name = ?1 AND s.reference = ?2 AND t.source IS NOT NULL ORDER BY t.id",
      [&](Stmt& st) {
        return EncounterImages::Reference{st.Text(0), static_cast<int>(st.Int(1)), db_.Open(st, 2, kSource)};
      },
      [&](Stmt& st) { st.Bind(1, list).Bind(2, reference); });
  if (!refs.ok()) return refs.status();
  out.references = std::move(*refs);
  return out;
}

Result<BioEncounter> Biometrics::DecideEncounter(int64_t id, const std::string& decision, const std::string& examiner,
                                                 const std::string& reason) {
  if (decision != "confirmed" && decision != "rejected") return Status::Error("the decision is confirmed or rejected");
  if (reason.find_first_not_of(" \t\n") == std::string::npos) return Status::Error("a decision needs a reason");
  return db_.InTransaction([&]() -> Result<BioEncounter> {
    auto found = first(rows(db_, std::string(kEncounterColumns) + "WHERE id = ?1", ReadEncounter,
                            [&](Stmt& st) { st.Bind(1, id); }));
    if (!found.ok()) return found.status();
    if (!*found) return Status::Error("no encounter " + std::to_string(id));
    BioEncounter e = **found;
    if (e.result != "hit") return Status::Error("encounter " + std::to_string(id) + " found no match: nothing to decide");
    if (!e.decision.empty())
      return Status::Error("encounter " + std::to_string(id) + " was " + e.decision + " by " + e.decided_by + " at " +
                           e.decided_at);
    e.decision = decision, e.decided_by = examiner, e.reason = reason;
    e.decided_at = format_utc(db_.clock().now());
    // A rejected hit was no hit: its probe goes, as a search without one's.
    Stmt& up = db_.S(decision == "rejected"
                         ? "UPDATE bio_encounters SET decision = ?2, decided_by = ?3, decided_at = ?4, "
                           "decision_reason = ?5, probe = NULL WHERE id = ?1"
                         : "UPDATE bio_encounters SET decision = ?2, decided_by = ?3, decided_at = ?4, "
                           "decision_reason = ?5 WHERE id = ?1");
    up.Bind(1, id).Bind(2, e.decision).Bind(3, e.decided_by).Bind(4, e.decided_at).Bind(5, e.reason);
    if (!up.Run()) return db_.Error("encounter decision");
    up.Reset();
    return e;
  });
}

}  // namespace vigil::sqlite
