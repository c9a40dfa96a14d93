// Faces from photographs: detection, the crop, and the recogniser held to
// the descriptors the face-api package itself computes
// (tests/biometrics/data/face_reference.json, made by
// scripts/face-reference.mjs from the same pixels).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "base/file.h"
#include "biometrics/face_detect.h"
#include "biometrics/face_model.h"
#include "biometrics/frontline.h"
#include "synth/finger_image.h"

namespace vigil {
namespace {

const std::string kSource = VIGIL_SOURCE_DIR;

RgbImage Astronaut() {
  auto bytes = read_file(kSource + "/data/faces/astronaut.jpg");
  EXPECT_TRUE(bytes.ok());
  auto image = decode_colour_image(*bytes);
  EXPECT_TRUE(image.ok()) << image.error();
  return *image;
}

RgbImage Crop(const RgbImage& from, int x0, int y0, int w, int h) {
  RgbImage out;
  out.width = w;
  out.height = h;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) out.rgb.insert(out.rgb.end(), from.at(x0 + x, y0 + y), from.at(x0 + x, y0 + y) + 3);
  return out;
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
  return dot / std::sqrt(na * nb);
}

const FaceEmbedder& Model() {
  static const FaceEmbedder model = [] {
    auto m = FaceEmbedder::Load(default_face_model_dir());
    EXPECT_TRUE(m.ok()) << m.error();
    return *m;
  }();
  return model;
}

const FaceFinder& Finder() {
  static const FaceFinder finder = [] {
    auto f = FaceFinder::Load(default_cascade_dir());
    EXPECT_TRUE(f.ok()) << f.error();
    return *f;
  }();
  return finder;
}

TEST(FaceModelTest, DescriptorsAreThePackagesOwn) {
  auto text = read_file(kSource + "/tests/biometrics/data/face_reference.json");
  ASSERT_TRUE(text.ok());
  const auto reference = nlohmann::json::parse(*text);
  RgbImage pattern;
  pattern.width = pattern.height = FaceEmbedder::kInput;
  for (size_t i = 0; i < 150u * 150u * 3u; ++i) pattern.rgb.push_back(static_cast<uint8_t>((i * 37 + (i * i) % 251) % 256));
  const std::pair<std::string, RgbImage> inputs[] = {{"pattern.rgb", pattern}, {"astro.rgb", Crop(Astronaut(), 85, 45, 150, 150)}};
  for (const auto& [name, image] : inputs) {
    const std::vector<float> mine = Model().Embed(image);
    const std::vector<float> theirs = reference[name].get<std::vector<float>>();
    ASSERT_EQ(mine.size(), theirs.size());
    double worst = 0;
    for (size_t i = 0; i < mine.size(); ++i) worst = std::max(worst, std::abs(double(mine[i]) - theirs[i]));
    EXPECT_LT(worst, 2e-3) << name;
    EXPECT_GT(Cosine(mine, theirs), 0.99999) << name;
  }
}

TEST(FaceModelTest, MissingOrDamagedWeightsAreRefused) {
  auto none = FaceEmbedder::Load("/nonexistent");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("face_recognition_model-weights_manifest.json cannot be read"), std::string::npos) << none.error();
  const std::string dir = (std::filesystem::temp_directory_path() / ("vigil-face-" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir);
  const std::string from = default_face_model_dir();
  std::filesystem::copy_file(from + "/face_recognition_model-weights_manifest.json", dir + "/face_recognition_model-weights_manifest.json",
                             std::filesystem::copy_options::overwrite_existing);
  auto weights = read_file(from + "/face_recognition_model.bin");
  ASSERT_TRUE(weights.ok());
  std::ofstream(dir + "/face_recognition_model.bin", std::ios::binary) << weights->substr(0, weights->size() / 2);
  auto short_file = FaceEmbedder::Load(dir);
  ASSERT_FALSE(short_file.ok());
  EXPECT_NE(short_file.error().find("the weight file ends inside"), std::string::npos) << short_file.error();
  std::filesystem::remove_all(dir);
}

TEST(FaceDetectTest, FindsTheOneFaceAndCropsIt) {
  const RgbImage photo = Astronaut();
  const std::vector<FaceBox> faces = Finder().Faces(photo);
  ASSERT_EQ(faces.size(), 1u);
  // Her face lies around (160, 115) of the sample, about 95 pixels wide.
  EXPECT_NEAR(faces[0].x + faces[0].size / 2, 160, 20);
  EXPECT_NEAR(faces[0].y + faces[0].size / 2, 115, 20);
  EXPECT_NEAR(faces[0].size, 95, 25);
  auto crop = Finder().Crop(photo);
  ASSERT_TRUE(crop.ok()) << crop.error();
  EXPECT_EQ(crop->width, FaceEmbedder::kInput);
  EXPECT_EQ(crop->height, FaceEmbedder::kInput);
}

TEST(FaceDetectTest, TwoFacesNoFaceAndTinyImagesAreRefused) {
  const RgbImage one = Astronaut();
  RgbImage two;  // the photograph twice, side by side
  two.width = one.width * 2;
  two.height = one.height;
  for (int y = 0; y < one.height; ++y)
    for (int half = 0; half < 2; ++half)
      two.rgb.insert(two.rgb.end(), one.at(0, y), one.at(0, y) + static_cast<size_t>(one.width) * 3);
  auto several = Finder().Crop(two);
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.error().find("2 faces found"), std::string::npos) << several.error();

  RgbImage print;  // a fingerprint holds no face
  const GrayImage g = FingerImageGenerator(3).Impression(0, 1).image;
  print.width = g.width;
  print.height = g.height;
  for (uint8_t v : g.pixels) print.rgb.insert(print.rgb.end(), {v, v, v});
  auto none = Finder().Crop(print);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("no face found"), std::string::npos) << none.error();
  EXPECT_FALSE(Finder().Crop(Crop(one, 0, 0, 40, 40)).ok());
}

TEST(FaceDetectTest, CascadesThatAreNotCascadesAreRefused) {
  const std::string path = (std::filesystem::temp_directory_path() / ("vigil-cascade-" + std::to_string(::getpid()) + ".xml")).string();
  std::ofstream(path) << "<opencv_storage><cascade><stageType>BOOST</stageType><featureType>LBP</featureType></cascade></opencv_storage>";
  auto lbp = HaarCascade::Load(path);
  ASSERT_FALSE(lbp.ok());
  EXPECT_NE(lbp.error().find("not a boosted Haar cascade"), std::string::npos) << lbp.error();
  std::filesystem::remove(path);
  EXPECT_FALSE(HaarCascade::Load("/nonexistent.xml").ok());
}

TEST(FaceTest, APhotographIsReadAsAFaceAndLikeItselfAfterChanges) {
  auto bytes = read_file(kSource + "/data/faces/astronaut.jpg");
  ASSERT_TRUE(bytes.ok());
  auto probe = read_biometric(*bytes);
  ASSERT_TRUE(probe.ok()) << probe.error();
  ASSERT_EQ(probe->face.size(), 128u);
  EXPECT_TRUE(probe->finger.views.empty());
  // The same photograph mirrored and darkened is still the same person.
  const RgbImage photo = Astronaut();
  RgbImage changed = photo;
  for (int y = 0; y < photo.height; ++y)
    for (int x = 0; x < photo.width; ++x)
      for (int c = 0; c < 3; ++c)
        changed.rgb[(static_cast<size_t>(y) * static_cast<size_t>(photo.width) + static_cast<size_t>(x)) * 3 + static_cast<size_t>(c)] =
            static_cast<uint8_t>(photo.at(photo.width - 1 - x, y)[c] * 0.8);
  auto crop = Finder().Crop(changed);
  ASSERT_TRUE(crop.ok()) << crop.error();
  EXPECT_GT(Cosine(probe->face, Model().Embed(*crop)), 0.82);
}

// A passport chip's photograph is often JPEG 2000: read, found, and the
// same person as the JPEG it was made from.
TEST(FaceTest, AJpeg2000PhotographIsTheSameFace) {
  auto bytes = read_file(kSource + "/tests/biometrics/data/jp2/face.jp2");
  ASSERT_TRUE(bytes.ok());
  auto probe = read_biometric(*bytes);
  ASSERT_TRUE(probe.ok()) << probe.error();
  ASSERT_EQ(probe->face.size(), 128u);
  auto crop = Finder().Crop(Astronaut());
  ASSERT_TRUE(crop.ok()) << crop.error();
  EXPECT_GT(Cosine(probe->face, Model().Embed(*crop)), 0.95);
}

}  // namespace
}  // namespace vigil
