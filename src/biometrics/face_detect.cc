#include "biometrics/face_detect.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <sstream>

#include "biometrics/face_model.h"

namespace vigil {
namespace {

std::vector<double> Numbers(const char* text) {
  std::vector<double> out;
  std::istringstream in(text);
  for (double v; in >> v;) out.push_back(v);
  return out;
}

GrayImage Region(const GrayImage& g, int x, int y, int w, int h) {
  GrayImage out;
  out.width = w;
  out.height = h;
  out.pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h));
  for (int yy = 0; yy < h; ++yy)
    for (int xx = 0; xx < w; ++xx)
      out.pixels[static_cast<size_t>(yy) * static_cast<size_t>(w) + static_cast<size_t>(xx)] =
          g.at(std::clamp(x + xx, 0, g.width - 1), std::clamp(y + yy, 0, g.height - 1));
  return out;
}

}  // namespace

Result<HaarCascade> HaarCascade::Load(const std::string& path) {
  pugi::xml_document doc;
  if (!doc.load_file(path.c_str())) return Status::Error("face cascade " + path + " cannot be read");
  const pugi::xml_node c = doc.child("opencv_storage").child("cascade");
  if (!c || std::string(c.child_value("stageType")) != "BOOST" || std::string(c.child_value("featureType")) != "HAAR")
    return Status::Error("face cascade " + path + ": not a boosted Haar cascade");
  HaarCascade h;
  h.width_ = std::atoi(c.child_value("width"));
  h.height_ = std::atoi(c.child_value("height"));
  if (h.width_ < 8 || h.height_ < 8) return Status::Error("face cascade " + path + ": window size missing");
  for (const pugi::xml_node f : c.child("features").children("_")) {
    if (std::atoi(f.child_value("tilted")) != 0) return Status::Error("face cascade " + path + ": tilted features are not read");
    Feature feature;
    for (const pugi::xml_node r : f.child("rects").children("_")) {
      const std::vector<double> v = Numbers(r.child_value());
      if (v.size() != 5) return Status::Error("face cascade " + path + ": a feature rectangle is not x y w h weight");
      const Rect rect{static_cast<int>(v[0]), static_cast<int>(v[1]), static_cast<int>(v[2]), static_cast<int>(v[3]), static_cast<float>(v[4])};
      if (rect.x < 0 || rect.y < 0 || rect.w <= 0 || rect.h <= 0 || rect.x + rect.w > h.width_ || rect.y + rect.h > h.height_)
        return Status::Error("face cascade " + path + ": a feature rectangle leaves the window");
      feature.rects.push_back(rect);
    }
    h.features_.push_back(std::move(feature));
  }
  for (const pugi::xml_node s : c.child("stages").children("_")) {
    Stage stage{static_cast<float>(std::atof(s.child_value("stageThreshold"))), {}};
    for (const pugi::xml_node w : s.child("weakClassifiers").children("_")) {
      const std::vector<double> nodes = Numbers(w.child_value("internalNodes"));
      Tree tree;
      for (double v : Numbers(w.child_value("leafValues"))) tree.leaves.push_back(static_cast<float>(v));
      if (nodes.empty() || nodes.size() % 4 || tree.leaves.size() != nodes.size() / 4 + 1)
        return Status::Error("face cascade " + path + ": a weak classifier's nodes and leaves do not agree");
      for (size_t i = 0; i < nodes.size(); i += 4) {
        const Node n{static_cast<int>(nodes[i]), static_cast<int>(nodes[i + 1]), static_cast<int>(nodes[i + 2]), static_cast<float>(nodes[i + 3])};
        const int count = static_cast<int>(nodes.size() / 4);
        if (n.feature < 0 || n.feature >= static_cast<int>(h.features_.size()) || n.left >= count || n.right >= count ||
            -n.left >= static_cast<int>(tree.leaves.size()) || -n.right >= static_cast<int>(tree.leaves.size()))
          return Status::Error("face cascade " + path + ": a node points outside its classifier");
        tree.nodes.push_back(n);
      }
      stage.trees.push_back(std::move(tree));
    }
    h.stages_.push_back(std::move(stage));
  }
  if (h.stages_.empty()) return Status::Error("face cascade " + path + ": no stages");
  return h;
}

bool HaarCascade::Passes(const std::vector<double>& sum, const std::vector<double>& squares, int stride, int x, int y) const {
  auto box = [&](const std::vector<double>& t, int x0, int y0, int w, int h) {
    const size_t a = static_cast<size_t>(y0) * static_cast<size_t>(stride) + static_cast<size_t>(x0);
    const size_t b = static_cast<size_t>(y0 + h) * static_cast<size_t>(stride) + static_cast<size_t>(x0);
    return t[b + static_cast<size_t>(w)] - t[b] - t[a + static_cast<size_t>(w)] + t[a];
  };
  // Features are normalised by the spread of the window less its border.
  const double area = double(width_ - 2) * (height_ - 2);
  const double s = box(sum, x + 1, y + 1, width_ - 2, height_ - 2), q = box(squares, x + 1, y + 1, width_ - 2, height_ - 2);
  const double spread = area * q - s * s;
  const double norm = spread > 0 ? 1.0 / std::sqrt(spread) : 1.0;
  for (const Stage& stage : stages_) {
    double total = 0;
    for (const Tree& tree : stage.trees) {
      int idx = 0;
      do {
        const Node& n = tree.nodes[static_cast<size_t>(idx)];
        double value = 0;
        for (const Rect& r : features_[static_cast<size_t>(n.feature)].rects) value += r.weight * box(sum, x + r.x, y + r.y, r.w, r.h);
        idx = value * norm < n.threshold ? n.left : n.right;
      } while (idx > 0);
      total += tree.leaves[static_cast<size_t>(-idx)];
    }
    if (total < stage.threshold) return false;
  }
  return true;
}

std::vector<FaceBox> HaarCascade::Detect(const GrayImage& image, int min_size, int min_hits) const {
  std::vector<FaceBox> hits;
  for (double factor = 1.0;; factor *= 1.1) {
    const int sw = static_cast<int>(std::lround(image.width / factor)), sh = static_cast<int>(std::lround(image.height / factor));
    if (sw < width_ || sh < height_) break;
    if (width_ * factor < min_size) continue;
    const GrayImage scaled = factor == 1.0 ? image : resize(image, sw, sh);
    const int stride = sw + 1;
    std::vector<double> sum(static_cast<size_t>(stride) * static_cast<size_t>(sh + 1), 0.0), squares(sum.size(), 0.0);
    for (int y = 0; y < sh; ++y) {
      double row = 0, row2 = 0;
      for (int x = 0; x < sw; ++x) {
        const double v = scaled.at(x, y);
        row += v, row2 += v * v;
        const size_t i = static_cast<size_t>(y + 1) * static_cast<size_t>(stride) + static_cast<size_t>(x + 1);
        sum[i] = sum[i - static_cast<size_t>(stride)] + row;
        squares[i] = squares[i - static_cast<size_t>(stride)] + row2;
      }
    }
    const int step = factor > 2 ? 1 : 2;
    for (int y = 0; y + height_ <= sh; y += step)
      for (int x = 0; x + width_ <= sw; x += step)
        if (Passes(sum, squares, stride, x, y))
          hits.push_back({static_cast<int>(std::lround(x * factor)), static_cast<int>(std::lround(y * factor)),
                          static_cast<int>(std::lround(width_ * factor)), 1});
  }
  // Windows that agree within a fifth of their size are one face.
  std::vector<size_t> group(hits.size());
  std::iota(group.begin(), group.end(), 0);
  auto root = [&](size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  for (size_t i = 0; i < hits.size(); ++i)
    for (size_t j = i + 1; j < hits.size(); ++j) {
      const FaceBox &a = hits[i], &b = hits[j];
      const double delta = 0.2 * std::min(a.size, b.size);
      if (std::abs(a.x - b.x) <= delta && std::abs(a.y - b.y) <= delta && std::abs(a.x + a.size - b.x - b.size) <= delta &&
          std::abs(a.y + a.size - b.y - b.size) <= delta)
        group[root(i)] = root(j);
    }
  std::vector<FaceBox> merged(hits.size());
  std::vector<double> sx(hits.size()), sy(hits.size()), ss(hits.size());
  for (size_t i = 0; i < hits.size(); ++i) {
    const size_t r = root(i);
    sx[r] += hits[i].x, sy[r] += hits[i].y, ss[r] += hits[i].size, ++merged[r].hits;
  }
  std::vector<FaceBox> out;
  for (size_t r = 0; r < merged.size(); ++r)
    if (merged[r].hits >= min_hits) {
      const double n = merged[r].hits;
      out.push_back({static_cast<int>(std::lround(sx[r] / n)), static_cast<int>(std::lround(sy[r] / n)),
                     static_cast<int>(std::lround(ss[r] / n)), merged[r].hits});
    }
  // A face inside a stronger one is part of it.
  std::vector<FaceBox> kept;
  for (const FaceBox& a : out) {
    bool inside = false;
    for (const FaceBox& b : out) {
      if (&a == &b || b.hits < a.hits) continue;
      const int margin = b.size / 5;
      inside = inside || (a.x >= b.x - margin && a.y >= b.y - margin && a.x + a.size <= b.x + b.size + margin &&
                          a.y + a.size <= b.y + b.size + margin && (b.hits > a.hits || b.size > a.size));
    }
    if (!inside) kept.push_back(a);
  }
  std::sort(kept.begin(), kept.end(), [](const FaceBox& a, const FaceBox& b) { return a.hits > b.hits; });
  return kept;
}

std::string default_cascade_dir() {
  if (const char* env = std::getenv("VIGIL_FACE_CASCADES"); env && *env) return env;
  return "/usr/share/opencv4/haarcascades";
}

Result<FaceFinder> FaceFinder::Load(const std::string& dir) {
  auto face = HaarCascade::Load(dir + "/haarcascade_frontalface_default.xml");
  if (!face.ok()) return Status::Error(face.error() + " (installed by Debian's opencv-data)");
  auto eye = HaarCascade::Load(dir + "/haarcascade_eye.xml");
  if (!eye.ok()) return Status::Error(eye.error() + " (installed by Debian's opencv-data)");
  FaceFinder f;
  f.face_ = std::move(*face);
  f.eye_ = std::move(*eye);
  return f;
}

std::vector<FaceBox> FaceFinder::Faces(const RgbImage& photo) const {
  const GrayImage g = to_gray(photo);
  return face_.Detect(g, std::max(40, std::min(g.width, g.height) / 10));
}

Result<RgbImage> FaceFinder::Crop(const RgbImage& photo) const {
  if (photo.width < 64 || photo.height < 64) return Status::Error("face image: too small to hold a face");
  const GrayImage g = to_gray(photo);
  const std::vector<FaceBox> faces = face_.Detect(g, std::max(40, std::min(g.width, g.height) / 10));
  if (faces.empty()) return Status::Error("face image: no face found");
  if (faces.size() > 1) return Status::Error("face image: " + std::to_string(faces.size()) + " faces found; give a photograph of one person");
  const FaceBox& f = faces[0];
  // The eyes, each in its half of the upper face, turn the face upright.
  double angle = 0;
  const GrayImage upper = Region(g, f.x, f.y, f.size, f.size / 2 + f.size / 10);
  std::vector<FaceBox> eyes = eye_.Detect(upper, std::max(8, f.size / 8), 2);
  const FaceBox *left = nullptr, *right = nullptr;
  for (const FaceBox& e : eyes) {
    const bool is_left = e.x + e.size / 2 < f.size / 2;
    const FaceBox*& slot = is_left ? left : right;
    if (!slot || e.hits > slot->hits) slot = &e;
  }
  if (left && right) {
    const double dx = (right->x + right->size / 2.0) - (left->x + left->size / 2.0);
    const double dy = (right->y + right->size / 2.0) - (left->y + left->size / 2.0);
    angle = std::atan2(dy, dx);
    if (std::abs(angle) > 0.5) angle = 0;  // implausible: keep the box as found
  }
  // A square a little larger than the box, a little lower, turned by `angle`.
  const double side = 1.15 * f.size, cx = f.x + f.size / 2.0, cy = f.y + 0.55 * f.size;
  const double co = std::cos(angle), si = std::sin(angle);
  RgbImage out;
  out.width = out.height = FaceEmbedder::kInput;
  out.rgb.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height) * 3);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      const double u = ((x + 0.5) / out.width - 0.5) * side, v = ((y + 0.5) / out.height - 0.5) * side;
      const double px = std::clamp(cx + co * u - si * v, 0.0, photo.width - 1.0), py = std::clamp(cy + si * u + co * v, 0.0, photo.height - 1.0);
      const int x0 = static_cast<int>(px), y0 = static_cast<int>(py);
      const int x1 = std::min(x0 + 1, photo.width - 1), y1 = std::min(y0 + 1, photo.height - 1);
      const double fx = px - x0, fy = py - y0;
      for (int c = 0; c < 3; ++c) {
        const double value = (1 - fy) * ((1 - fx) * photo.at(x0, y0)[c] + fx * photo.at(x1, y0)[c]) +
                             fy * ((1 - fx) * photo.at(x0, y1)[c] + fx * photo.at(x1, y1)[c]);
        out.rgb[(static_cast<size_t>(y) * static_cast<size_t>(out.width) + static_cast<size_t>(x)) * 3 + static_cast<size_t>(c)] =
            static_cast<uint8_t>(std::lround(value));
      }
    }
  return out;
}

}  // namespace vigil
