#include "synth/finger_image.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace vigil {
namespace {

constexpr int kWidth = 400, kHeight = 500;
constexpr double kCx = 200, kCy = 250;          // the finger's centre
constexpr double kRx = 170, kRy = 225;          // the fingertip's half-axes

double Wrap(double a) {  // into (-pi, pi]
  a = std::fmod(a + M_PI, 2 * M_PI);
  if (a <= 0) a += 2 * M_PI;
  return a - M_PI;
}

struct Spiral {
  double x, y, sign;
  double angle;  // counter-clockwise, radians
  uint8_t type;
};

// The ridge pattern of one finger.
struct Finger {
  double period, ax, ay;          // arcs around (ax, ay), far below the print
  double warp[2][4];              // amplitude, wave x, wave y, phase
  std::vector<Spiral> spirals;

  double Smooth(double x, double y) const {
    double psi = 2 * M_PI / period * std::hypot(x - ax, y - ay);
    for (const auto& w : warp) psi += w[0] * std::sin(w[1] * x + w[2] * y + w[3]);
    return psi;
  }
  double Phase(double x, double y, size_t skip = SIZE_MAX) const {
    double psi = Smooth(x, y);
    for (size_t k = 0; k < spirals.size(); ++k)
      if (k != skip) psi += spirals[k].sign * std::atan2(y - spirals[k].y, x - spirals[k].x);
    return psi;
  }
};

Finger MakeFinger(uint64_t seed, int index) {
  std::mt19937_64 rng(seed * 2654435761u + static_cast<uint64_t>(index) * 97u + 11u);
  std::uniform_real_distribution<double> u(0, 1);
  Finger f;
  f.period = 8.5 + 2 * u(rng);
  // Arches (arcs around a point far below), slanted arcs (around a point
  // far to one side) and rings (around a point inside the print).
  const double pattern = u(rng);
  if (pattern < 0.4) {
    f.ax = kCx + (u(rng) - 0.5) * 300;
    f.ay = kCy + 420 + u(rng) * 500;
  } else if (pattern < 0.75) {
    const double side = (u(rng) < 0.5 ? -1 : 1) * (0.3 + 0.9 * u(rng)), far = 380 + 400 * u(rng);
    f.ax = kCx + std::sin(side) * far;
    f.ay = kCy + std::cos(side) * far;
  } else {
    f.ax = kCx + (u(rng) - 0.5) * 160;
    f.ay = kCy + (u(rng) - 0.5) * 200;
  }
  for (auto& w : f.warp) {
    const double wave = 2 * M_PI / (250 + 250 * u(rng)), dir = u(rng) * 2 * M_PI;
    w[0] = 2 + 5 * u(rng);
    w[1] = wave * std::cos(dir);
    w[2] = wave * std::sin(dir);
    w[3] = u(rng) * 2 * M_PI;
  }
  const int n = 30 + static_cast<int>(u(rng) * 20);
  for (int tries = 0; static_cast<int>(f.spirals.size()) < n && tries < 4000; ++tries) {
    const double t = u(rng) * 2 * M_PI, r = std::sqrt(u(rng)) * 0.92;
    Spiral s{kCx + std::cos(t) * r * kRx, kCy + std::sin(t) * r * kRy, 1.0, 0,
             static_cast<uint8_t>(u(rng) < 0.55 ? 1 : 2)};
    bool crowded = false;
    for (const Spiral& o : f.spirals) crowded = crowded || std::hypot(o.x - s.x, o.y - s.y) < 3 * f.period;
    if (!crowded) f.spirals.push_back(s);
  }
  // Which way along the ridge each minutia points. The spiral's sense
  // decides which side of it gains a ridge: the side it points to must, so
  // that its ridge (or valley) ends there rather than splits.
  std::vector<double> flip(f.spirals.size());
  for (size_t k = 0; k < flip.size(); ++k) {
    flip[k] = u(rng) < 0.5 ? 0.0 : M_PI;
    f.spirals[k].sign = flip[k] == 0.0 ? -1.0 : 1.0;
  }
  // Each minutia slides across the ridges until its own ridge (ending) or
  // valley (bifurcation) arrives along the direction it points; the others
  // shift a little as it moves, so a few rounds settle them all.
  for (int round = 0; round < 6; ++round)
    for (size_t k = 0; k < f.spirals.size(); ++k) {
      Spiral& s = f.spirals[k];
      const double e = 0.5;
      const double gx = (f.Phase(s.x + e, s.y, k) - f.Phase(s.x - e, s.y, k)) / (2 * e);
      const double gy = (f.Phase(s.x, s.y + e, k) - f.Phase(s.x, s.y - e, k)) / (2 * e);
      const double g = std::hypot(gx, gy);
      // Along the ridge, image coordinates (y down), one way or the other.
      const double along = std::atan2(gx, -gy) + flip[k];
      const double target = s.type == 1 ? M_PI : 0.0;  // dark ridge centres at psi = pi
      const double miss = Wrap(target - (f.Phase(s.x, s.y, k) + s.sign * along));
      s.x += miss / g * gx / g;
      s.y += miss / g * gy / g;
      s.angle = -along;  // counter-clockwise with y up
    }
  return f;
}

}  // namespace

MinutiaeAgreement agreement(const std::vector<Minutia>& truth, const std::vector<Minutia>& found) {
  MinutiaeAgreement a{truth.size(), found.size()};
  for (const Minutia& m : truth) {
    const Minutia* nearest = nullptr;
    double best = 12.01;
    for (const Minutia& f : found) {
      const double d = std::hypot(double(f.x) - m.x, double(f.y) - m.y);
      if (d < best) best = d, nearest = &f;
    }
    if (!nearest) continue;
    ++a.near;
    a.type_right += nearest->type == m.type;
    const int gap = (int(nearest->angle) - int(m.angle)) & 255;
    a.angle_right += std::min(gap, 256 - gap) <= 16;
  }
  return a;
}

FingerImpression FingerImageGenerator::Impression(int finger_index, int impression) const {
  const Finger f = MakeFinger(seed_, finger_index);
  std::mt19937_64 rng((seed_ * 2654435761u + static_cast<uint64_t>(finger_index)) * 7919u + static_cast<uint64_t>(impression) * 31u + 5u);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> normal(0, 1);
  const bool clean = impression == 0;
  const double rotation = clean ? 0 : (u(rng) - 0.5) * 2 * (20 * M_PI / 180);
  const double sx = clean ? 0 : (u(rng) - 0.5) * 70, sy = clean ? 0 : (u(rng) - 0.5) * 70;
  const double amp = clean ? 0 : 2 + u(rng) * 5, px = u(rng) * 6.3, py = u(rng) * 6.3;
  const double noise = clean ? 4 : 10 + u(rng) * 20, contrast = clean ? 200 : 120 + u(rng) * 90;
  const double bias = clean ? 0 : (u(rng) - 0.5) * 0.6;  // dry (thin ridges) to wet (thick)
  const double press_x = clean ? 0 : (u(rng) - 0.5) * 0.003, press_y = clean ? 0 : (u(rng) - 0.5) * 0.003;
  // How much of the fingertip touches: all of it, or a smaller part off
  // centre.
  const double cap = clean ? 1.0 : 0.75 + 0.25 * u(rng);
  const double cap_x = (1 - cap) * kRx * (u(rng) - 0.5) * 2, cap_y = (1 - cap) * kRy * (u(rng) - 0.5) * 2;
  const double co = std::cos(rotation), si = std::sin(rotation);
  // Finger to image: stretch, then rotate about the centre and shift.
  auto stretch = [&](double x, double y, double* dx, double* dy) {
    *dx = amp * std::sin(y / 140.0 + px);
    *dy = amp * std::cos(x / 140.0 + py);
  };
  auto to_image = [&](double x, double y, double* ix, double* iy) {
    double dx, dy;
    stretch(x, y, &dx, &dy);
    const double x0 = x + dx - kCx, y0 = y + dy - kCy;
    *ix = co * x0 - si * y0 + kCx + sx;
    *iy = si * x0 + co * y0 + kCy + sy;
  };

  FingerImpression out;
  GrayImage& img = out.image;
  img.width = kWidth;
  img.height = kHeight;
  img.ppi = 500;
  img.pixels.resize(static_cast<size_t>(kWidth) * kHeight);
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      // Image to finger: undo the shift and rotation, then the stretch.
      const double x0 = x - kCx - sx, y0 = y - kCy - sy;
      double fx = co * x0 + si * y0 + kCx, fy = -si * x0 + co * y0 + kCy;
      double dx, dy;
      stretch(fx, fy, &dx, &dy);
      fx -= dx, fy -= dy;
      const double r = std::hypot((fx - kCx - cap_x) / (kRx * cap), (fy - kCy - cap_y) / (kRy * cap));
      double v = 235;
      if (r < 1) {
        const double edge = std::clamp((1 - r) * 12, 0.0, 1.0);  // pressure fades at the rim
        const double pressure = std::clamp(1 + press_x * (x - kCx) + press_y * (y - kCy), 0.4, 1.4);
        const double ridge = 0.5 * (1 - std::tanh(2.5 * (std::cos(f.Phase(fx, fy)) + bias)));  // 1 on a ridge
        v = 235 - contrast * pressure * edge * ridge;
      }
      v += noise * normal(rng);
      img.pixels[static_cast<size_t>(y) * kWidth + static_cast<size_t>(x)] = static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  // A light blur, as optics and skin give.
  if (!clean) {
    std::vector<uint8_t> blurred = img.pixels;
    for (int y = 1; y < kHeight - 1; ++y)
      for (int x = 1; x < kWidth - 1; ++x) {
        int sum = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) sum += img.pixels[static_cast<size_t>(y + dy) * kWidth + static_cast<size_t>(x + dx)] * (dx || dy ? 1 : 4);
        blurred[static_cast<size_t>(y) * kWidth + static_cast<size_t>(x)] = static_cast<uint8_t>(sum / 12);
      }
    img.pixels.swap(blurred);
  }
  out.truth.finger = 1;
  for (const Spiral& s : f.spirals) {
    if (std::hypot((s.x - kCx - cap_x) / (kRx * cap), (s.y - kCy - cap_y) / (kRy * cap)) > 0.97) continue;
    double ix, iy;
    to_image(s.x, s.y, &ix, &iy);
    if (ix < 0 || iy < 0 || ix >= kWidth || iy >= kHeight) continue;
    Minutia m;
    m.x = static_cast<uint16_t>(std::lround(ix));
    m.y = static_cast<uint16_t>(std::lround(iy));
    m.angle = angle_units(s.angle - rotation);
    m.type = s.type;
    m.quality = 100;
    out.truth.minutiae.push_back(m);
  }
  return out;
}

}  // namespace vigil
