// The SQLite tables of the biometric gallery and frontline encounters.
// Internal to store/sqlite; SqliteStore forwards the Store methods of the
// same names here, where their promises are stated (store/store.h).
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/database.h"
#include "store/store.h"

namespace vigil::sqlite {

class Biometrics {
 public:
  explicit Biometrics(Database& db) : db_(db) {}

  Result<BioEnrolment> EnrolBiometrics(const std::string& list, const std::string& reference,
                                       const std::string& category, const std::vector<BioTemplate>& templates);
  Result<std::vector<BioTemplate>> BioGallery(int64_t after, int64_t up_to);
  Result<BioGalleryMark> BioGalleryMarks();
  Result<int> RemoveBioSubject(const std::string& list, const std::string& reference);
  Result<std::vector<BioRemoval>> BioRemovals(int64_t after);
  Result<int64_t> RecordEncounter(const BioEncounter& encounter);
  Result<std::vector<BioEncounter>> BioEncounters(int limit, const std::string& status);
  Result<BioEncounter> DecideEncounter(int64_t id, const std::string& decision, const std::string& examiner,
                                       const std::string& reason);
  Result<EncounterImages> BioEncounterImages(int64_t id);

 private:
  Database& db_;
};

}  // namespace vigil::sqlite
