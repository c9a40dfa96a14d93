// Face embeddings from face images.
//
// FaceEmbedder computes the 128-value descriptor of a 150 x 150 RGB face
// crop with the ResNet face recogniser of public-domain origin that the
// npm package @vladmandic/face-api ships (TF.js weights, installed at build
// time under models/; never downloaded at run time). The network runs here,
// on the CPU, from those weights as they are.
//
// Promises:
//  - FaceEmbedder::Load() reads the package's weights manifest and weight
//    file and refuses anything missing, misshapen or short, naming it.
//  - Embed() gives the descriptor the package itself computes for the same
//    crop, to within float rounding (tests compare with its own output),
//    and is safe to call from several threads at once.
//  - Descriptors of one person lie close: the package's convention is a
//    Euclidean distance under 0.6, which for these near-unit vectors is a
//    cosine over about 0.82 (kFaceThreshold in gallery.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "biometrics/image.h"

namespace vigil {

class FaceEmbedder {
 public:
  static constexpr int kInput = 150;  // pixels a side
  static constexpr int kOutput = 128;

  // Loads the recogniser from `dir` (face_recognition_model-weights_manifest.json
  // and the weight file it names).
  static Result<FaceEmbedder> Load(const std::string& dir);

  // The descriptor of `face`, which must be kInput x kInput.
  std::vector<float> Embed(const RgbImage& face) const;

 private:
  std::map<std::string, std::vector<float>> weights_;
  const std::vector<float>& W(const std::string& name) const { return weights_.at(name); }
};

// Where the recogniser is: VIGIL_FACE_MODEL when set, else the directory
// the build installed it in.
std::string default_face_model_dir();

}  // namespace vigil
