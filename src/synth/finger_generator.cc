#include "synth/finger_generator.h"

#include <cmath>
#include <random>

namespace vigil {
namespace {

constexpr double kWidth = 400, kHeight = 500;

}  // namespace

std::vector<Minutia> FingerGenerator::Finger(int finger) const {
  std::mt19937_64 rng(seed_ * 1000003u + static_cast<uint64_t>(finger));
  std::uniform_real_distribution<double> u(0, 1);
  const int n = 35 + static_cast<int>(u(rng) * 25);
  // A loop or whorl centre somewhere in the middle of the finger.
  const double cx = 200 + (u(rng) - 0.5) * 80, cy = 230 + (u(rng) - 0.5) * 80;
  const double whorl = u(rng) < 0.3 ? 1.0 : 0.0;
  std::vector<Minutia> out;
  for (int tries = 0; static_cast<int>(out.size()) < n && tries < 5000; ++tries) {
    const double t = u(rng) * 2 * M_PI, r = std::sqrt(u(rng));
    const double x = 200 + std::cos(t) * r * 160, y = 250 + std::sin(t) * r * 200;
    bool crowded = false;
    for (const Minutia& m : out) crowded = crowded || std::hypot(m.x - x, m.y - y) < 16;
    if (crowded) continue;
    // Ridges circle the centre (whorl) or sweep across it (loop).
    const double around = std::atan2(y - cy, x - cx) + M_PI / 2;
    const double across = 0.6 * std::sin((x - cx) / 120.0) + (y < cy ? 0.0 : 0.3 * std::cos((x - cx) / 90.0));
    double flow = whorl * around + (1 - whorl) * across + (u(rng) - 0.5) * 0.3;
    if (u(rng) < 0.5) flow += M_PI;  // a ridge ends or splits either way along the flow
    Minutia m;
    m.x = static_cast<uint16_t>(std::lround(x));
    m.y = static_cast<uint16_t>(std::lround(y));
    m.angle = angle_units(-flow);  // counter-clockwise, as templates measure (y grows down)
    m.type = u(rng) < 0.55 ? 1 : 2;
    m.quality = 60;
    out.push_back(m);
  }
  return out;
}

FingerView Window(FingerView view, int x0, int y0, int width, int height) {
  std::erase_if(view.minutiae, [&](const Minutia& m) { return m.x < x0 || m.x >= x0 + width || m.y < y0 || m.y >= y0 + height; });
  return view;
}

FingerView FingerGenerator::Impression(int finger, int impression) const {
  std::mt19937_64 rng((seed_ * 1000003u + static_cast<uint64_t>(finger)) * 7919u + static_cast<uint64_t>(impression) + 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 3.5), angle_noise(0, 8.0);
  const double rotation = (u(rng) - 0.5) * 2 * (30 * M_PI / 180);
  const double sx = (u(rng) - 0.5) * 160, sy = (u(rng) - 0.5) * 160;
  const double amp = 4 + u(rng) * 6, phase_x = u(rng) * 6.3, phase_y = u(rng) * 6.3;
  const double co = std::cos(rotation), si = std::sin(rotation);
  FingerView view;
  view.finger = 1;
  view.quality = 60;
  for (const Minutia& m : Finger(finger)) {
    if (u(rng) < 0.3) continue;  // not captured, or not found
    // Skin stretches: a smooth displacement, then the rigid placement.
    const double dx = amp * std::sin(m.y / 140.0 + phase_x), dy = amp * std::cos(m.x / 140.0 + phase_y);
    const double x0 = m.x + dx - 200, y0 = m.y + dy - 250;
    const double x = co * x0 - si * y0 + 200 + sx + noise(rng), y = si * x0 + co * y0 + 250 + sy + noise(rng);
    if (x < 0 || y < 0 || x >= kWidth || y >= kHeight) continue;
    Minutia out = m;
    out.x = static_cast<uint16_t>(std::lround(x));
    out.y = static_cast<uint16_t>(std::lround(y));
    out.angle = static_cast<uint8_t>((static_cast<int>(m.angle) - angle_units(rotation) +
                                      static_cast<int>(std::lround(angle_noise(rng)))) & 255);
    view.minutiae.push_back(out);
  }
  const int spurious = 5 + static_cast<int>(u(rng) * 10);
  for (int i = 0; i < spurious; ++i) {
    Minutia m;
    m.x = static_cast<uint16_t>(40 + u(rng) * (kWidth - 80));
    m.y = static_cast<uint16_t>(40 + u(rng) * (kHeight - 80));
    m.angle = static_cast<uint8_t>(u(rng) * 256);
    m.type = 1;
    m.quality = 20;
    view.minutiae.push_back(m);
  }
  return view;
}

}  // namespace vigil
