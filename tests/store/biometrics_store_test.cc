// The biometric gallery in the store: subjects removed with their
// templates and the removal logged; template ids never used again, so that
// a cache's last id stays a watermark; a gallery written before removals
// existed keeps its templates.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "store/old_database.h"
#include "store/store.h"
#include "support/test_support.h"

namespace vigil {
namespace {

constexpr int64_t kAll = std::numeric_limits<int64_t>::max();

BioTemplate Face(const std::string& bytes) { return {0, "", "", "", "face", 0, bytes, ""}; }

TEST(BioStoreTest, RemovingASubjectTakesItsTemplatesAndIsLogged) {
  auto opened = OpenSqliteStore(testing::TempDir() + "/bio.db", FixedClock(1795000000));
  ASSERT_TRUE(opened.ok()) << opened.error();
  Store& store = **opened;
  ASSERT_TRUE(store.EnrolBiometrics("national", "A", "", {Face("a1"), Face("a2")}).ok());
  ASSERT_TRUE(store.EnrolBiometrics("national", "B", "", {Face("b1")}).ok());
  auto before = store.BioGalleryMarks();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->last_template, 3);
  EXPECT_EQ(before->last_removal, 0);

  // B holds the highest id: after it goes, the next template still gets a
  // higher one.
  auto removed = store.RemoveBioSubject("national", "B");
  ASSERT_TRUE(removed.ok()) << removed.error();
  EXPECT_EQ(*removed, 1);
  auto after = store.BioGalleryMarks();
  EXPECT_EQ(after->last_template, 2);
  EXPECT_EQ(after->last_removal, 1);
  ASSERT_TRUE(store.EnrolBiometrics("national", "B", "", {Face("b1")}).ok()) << "the same bytes may come back";
  EXPECT_EQ(store.BioGalleryMarks()->last_template, 4);
  EXPECT_EQ(store.BioGallery(3, kAll)->size(), 1u);

  auto log = store.BioRemovals(0);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->at(0).list, "national");
  EXPECT_EQ(log->at(0).reference, "B");
  EXPECT_EQ(log->at(0).templates, 1);
  EXPECT_EQ(log->at(0).at, "2026-11-18T11:06:40Z");
  EXPECT_TRUE(store.BioRemovals(1)->empty());

  EXPECT_EQ(*store.RemoveBioSubject("national", "A"), 2);
  auto gallery = store.BioGallery(0, kAll);
  ASSERT_EQ(gallery->size(), 1u);
  EXPECT_EQ(gallery->at(0).reference, "B");
  auto unknown = store.RemoveBioSubject("national", "A");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(), "no biometric subject national/A");
}

TEST(BioStoreTest, AGalleryFromBeforeRemovalsKeepsItsTemplates) {
  const std::string path = testing::TempDir() + "/v8.db";
  ASSERT_NO_FATAL_FAILURE(testing::WriteOldDatabase(
      path, 8,
      "INSERT INTO bio_subjects(id, list_name, reference, category, enrolled_at) VALUES "
      "(1, 'national', 'OLD', 'c', '2026-01-01T00:00:00Z');"
      "INSERT INTO bio_templates(id, subject_id, modality, position, content_hash, data) VALUES "
      "(7, 1, 'face', 0, 'h7', x'0102');"));
  auto opened = OpenSqliteStore(path, FixedClock(1795000000));
  ASSERT_TRUE(opened.ok()) << opened.error();
  auto gallery = (*opened)->BioGallery(0, kAll);
  ASSERT_TRUE(gallery.ok()) << gallery.error();
  ASSERT_EQ(gallery->size(), 1u);
  EXPECT_EQ(gallery->at(0).id, 7);
  EXPECT_EQ(gallery->at(0).data, std::string("\x01\x02", 2));
  ASSERT_TRUE((*opened)->RemoveBioSubject("national", "OLD").ok());
  ASSERT_TRUE((*opened)->EnrolBiometrics("national", "NEW", "", {Face("n")}).ok());
  EXPECT_EQ((*opened)->BioGalleryMarks()->last_template, 8) << "ids go on from the highest ever used";
}

// In an encrypted store, the images subjects were enrolled from and the
// probes kept with hits are sealed like every template; an examiner reads
// them back through the encounter.
TEST(BioStoreTest, EnrolmentImagesAndProbesAreSealedAndShownToTheExaminer) {
  const std::string dir = testing::TempDir();
  const std::string photo = "JFIF-like bytes of a photograph 0123456789", probe = "probe bytes of the check 987";
  {
    auto opened = OpenSqliteStore(dir + "/sealed.db", FixedClock(1795000000), StoreSecurity{dir + "/data.keys"});
    ASSERT_TRUE(opened.ok()) << opened.error();
    BioTemplate t = Face("embedding");
    t.source = photo;
    ASSERT_TRUE((*opened)->EnrolBiometrics("national", "P", "", {t, Face("no image")}).ok());
    BioEncounter e;
    e.officer = "o", e.result = "hit", e.best_list = "national", e.best_reference = "P", e.probe = probe;
    auto id = (*opened)->RecordEncounter(e);
    ASSERT_TRUE(id.ok());
    auto images = (*opened)->BioEncounterImages(*id);
    ASSERT_TRUE(images.ok()) << images.error();
    EXPECT_EQ(images->probe, probe);
    ASSERT_EQ(images->references.size(), 1u) << "only the template with an image";
    EXPECT_EQ(images->references[0].image, photo);
    EXPECT_EQ(images->references[0].modality, "face");
    EXPECT_FALSE((*opened)->BioEncounterImages(*id + 1).ok());
    // What the data-protection officer sees of it.
    e.chip = "not authentic: data group 2 does not hash";
    ASSERT_TRUE((*opened)->RecordEncounter(e).ok());
    ASSERT_TRUE((*opened)->DecideEncounter(*id, "rejected", "ex", "other person").ok());
    // Authentic chips, one whose signer was not checked against a current
    // revocation list: both count as authentic.
    BioEncounter miss;
    miss.officer = "o", miss.result = "no_hit";
    for (const char* chip : {"authentic", "authentic; signer revocation not checked: no CRL from its CSCA is loaded"}) {
      miss.chip = chip;
      ASSERT_TRUE((*opened)->RecordEncounter(miss).ok());
    }
    auto dpo = (*opened)->Dpo("2026-11-20T00:00:00Z", RetentionPolicy{});
    ASSERT_TRUE(dpo.ok()) << dpo.error();
    const DpoFigures::Biometrics& b = dpo->biometrics;
    EXPECT_EQ(b.subjects, 1);
    EXPECT_EQ(b.templates, 2);
    EXPECT_EQ(b.images, 1);
    EXPECT_EQ(b.encounters, 4);
    EXPECT_EQ(b.hits, 2);
    EXPECT_EQ(b.rejected, 1);
    EXPECT_EQ(b.awaiting, 1);
    EXPECT_EQ(b.oldest_awaiting, "2026-11-18T11:06:40Z");
    EXPECT_EQ(b.probes_kept, 1) << "the rejected hit's probe went";
    EXPECT_EQ(b.chips_not_authentic, 1);
    EXPECT_EQ(b.chips_authentic, 2);
  }
  std::ifstream file(dir + "/sealed.db", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir + "/sealed.db-wal", std::ios::binary);
  const std::string all = bytes + std::string((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all.find(photo), std::string::npos);
  EXPECT_EQ(all.find(probe), std::string::npos);
}

}  // namespace
}  // namespace vigil
