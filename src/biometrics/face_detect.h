// Faces found in photographs, and the crop the recogniser takes.
//
// Detection runs a boosted cascade of Haar-like features, read from the
// cascades Debian's opencv-data package installs (OpenCV's XML cascade
// format: stumps or small trees, upright features), over an image pyramid,
// and merges overlapping hits. Alignment finds both eyes inside the face
// and turns the face upright around them.
//
// Promises:
//  - HaarCascade::Load() refuses a file that is not such a cascade, naming
//    what is wrong.
//  - FaceFinder::Crop() gives a FaceEmbedder::kInput-square RGB crop of the
//    one face in a photograph, or refuses: no face found, several faces
//    found (with their count), or an image too small to hold a face.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "biometrics/image.h"

namespace vigil {

struct FaceBox {
  int x = 0, y = 0, size = 0;  // a square, pixels
  int hits = 0;                // windows merged into it
};

class HaarCascade {
 public:
  static Result<HaarCascade> Load(const std::string& path);

  // Squares where the cascade fires, merged where they overlap; only those
  // backed by at least `min_hits` windows. Sizes from `min_size` pixels up.
  std::vector<FaceBox> Detect(const GrayImage& image, int min_size, int min_hits = 3) const;

 private:
  struct Rect {
    int x, y, w, h;
    float weight;
  };
  struct Feature {
    std::vector<Rect> rects;
  };
  struct Node {
    int left, right, feature;
    float threshold;
  };
  struct Tree {
    std::vector<Node> nodes;
    std::vector<float> leaves;
  };
  struct Stage {
    float threshold;
    std::vector<Tree> trees;
  };
  int width_ = 0, height_ = 0;
  std::vector<Stage> stages_;
  std::vector<Feature> features_;

  // Whether the window at (x, y) of the summed-area tables passes.
  bool Passes(const std::vector<double>& sum, const std::vector<double>& squares, int stride, int x, int y) const;
};

class FaceFinder {
 public:
  // The frontal-face and eye cascades of `dir`.
  static Result<FaceFinder> Load(const std::string& dir);

  // The one face of `photo`, upright and cropped; see the promises above.
  Result<RgbImage> Crop(const RgbImage& photo) const;

  // The faces found in `photo`.
  std::vector<FaceBox> Faces(const RgbImage& photo) const;

 private:
  HaarCascade face_, eye_;
};

// Where the cascades are: VIGIL_FACE_CASCADES when set, else where Debian's
// opencv-data installs them.
std::string default_cascade_dir();

}  // namespace vigil
