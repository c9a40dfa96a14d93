#include "biometrics/extractor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace vigil {
namespace {

constexpr int kPpi = 500;            // the resolution the steps below are tuned for
constexpr int kBlock = 16;           // pixels per segmentation block
constexpr int kGaborRadius = 8;      // the Gabor kernels are 17 x 17
constexpr int kOrientations = 16;    // Gabor kernels, one per 1/16 of a half turn
constexpr int kBorder = 14;          // minutiae this close to the print's edge are dropped
constexpr int kTrace = 12;           // pixels traced along the skeleton from a minutia
constexpr int kAim = 8;              // of which the first give its direction
constexpr int kMinMinutiae = 5;
constexpr int kMinArea = 96 * 96;    // pixels at 500 ppi: the least ridge area a print may have
constexpr int kCore = 5;             // blocks: the erosion that finds the prints' cores (80 pixels)
constexpr int kMinFlow = 40;         // minutiae where the ridge flow's coherence is under 0.40 are dropped:
                                     // on card scans, the ends of printed lines, writing and background texture

// Spreads from the cells on `stack`, already taken, to their 4- or
// 8-connected neighbours in a w x h grid, row-major: take(j) says whether
// cell j joins, and must mark it so that it joins only once.
template <typename Take>
void Flood(int w, int h, bool eight, std::vector<size_t>& stack, Take&& take) {
  while (!stack.empty()) {
    const size_t i = stack.back();
    stack.pop_back();
    const int x = static_cast<int>(i % static_cast<size_t>(w)), y = static_cast<int>(i / static_cast<size_t>(w));
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        if ((!dx && !dy) || (!eight && dx && dy)) continue;
        const int nx = x + dx, ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const size_t j = static_cast<size_t>(ny) * static_cast<size_t>(w) + static_cast<size_t>(nx);
        if (take(j)) stack.push_back(j);
      }
  }
}

// A float plane the size of the image.
struct Plane {
  int w = 0, h = 0;
  std::vector<float> v;
  Plane() = default;
  Plane(int width, int height, float fill = 0) : w(width), h(height), v(static_cast<size_t>(width) * static_cast<size_t>(height), fill) {}
  float& at(int x, int y) { return v[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)]; }
  float at(int x, int y) const { return v[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)]; }
};

// The mean over a (2r+1)^2 window around every pixel (clamped at the
// edges), by a summed-area table.
Plane BoxMean(const Plane& in, int r) {
  const int w = in.w, h = in.h;
  std::vector<double> sat(static_cast<size_t>(w + 1) * static_cast<size_t>(h + 1), 0.0);
  auto S = [&](int x, int y) -> double& { return sat[static_cast<size_t>(y) * static_cast<size_t>(w + 1) + static_cast<size_t>(x)]; };
  for (int y = 0; y < h; ++y) {
    double row = 0;
    for (int x = 0; x < w; ++x) {
      row += in.at(x, y);
      S(x + 1, y + 1) = S(x + 1, y) + row;
    }
  }
  Plane out(w, h);
  for (int y = 0; y < h; ++y) {
    const int y0 = std::max(0, y - r), y1 = std::min(h, y + r + 1);
    for (int x = 0; x < w; ++x) {
      const int x0 = std::max(0, x - r), x1 = std::min(w, x + r + 1);
      const double sum = S(x1, y1) - S(x0, y1) - S(x1, y0) + S(x0, y0);
      out.at(x, y) = static_cast<float>(sum / ((x1 - x0) * (y1 - y0)));
    }
  }
  return out;
}

// A bw x bh grid of flags dilated (or eroded) by a disc of radius `r`;
// cells off the grid count as unset.
std::vector<uint8_t> Morph(const std::vector<uint8_t>& in, int bw, int bh, bool dilate, int r) {
  std::vector<uint8_t> out(in.size());
  for (int by = 0; by < bh; ++by)
    for (int bx = 0; bx < bw; ++bx) {
      bool any = false, all = true;
      for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx) {
          if (dx * dx + dy * dy > r * r + r) continue;
          const int x = bx + dx, y = by + dy;
          const bool v = x >= 0 && y >= 0 && x < bw && y < bh && in[static_cast<size_t>(y * bw + x)];
          any = any || v;
          all = all && v;
        }
      out[static_cast<size_t>(by * bw + bx)] = dilate ? any : all;
    }
  return out;
}

// Grows labelled cells of a bw x bh grid over the unlabelled (-1) cells
// that `area` sets, a cell a step for `steps` steps, from the cells in
// `frontier`; the first label to reach a cell takes it. Steps reach
// diagonal neighbours every other time, which grows a near-disc.
void GrowBack(const std::vector<uint8_t>& area, int bw, int bh, int steps, std::vector<size_t> frontier,
              std::vector<int>& label) {
  for (int step = 0; step < steps; ++step) {
    std::vector<size_t> next;
    for (size_t i : frontier)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          if (dx && dy && step % 2) continue;
          const int x = static_cast<int>(i % static_cast<size_t>(bw)) + dx, y = static_cast<int>(i / static_cast<size_t>(bw)) + dy;
          if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
          const size_t j = static_cast<size_t>(y * bw + x);
          if (area[j] && label[j] < 0) label[j] = label[i], next.push_back(j);
        }
    frontier.swap(next);
  }
}

// The prints' area: blocks whose contrast stands out, closed and opened;
// cores found by eroding that, and grown back; the `prints` largest parts
// grown (those at least a third the size of the largest) kept; for a slap
// (`prints` > 1), first without those under a larger one. Gives, per
// pixel, 0 outside, else the print's number (1 = leftmost); `areas` gets
// each print's pixel count, and `complete` whether they are a slap's
// every finger side by side.
std::vector<uint8_t> Segment(const Plane& img, const Plane& local_sd, int prints, std::vector<int>* areas, bool* complete) {
  const int w = img.w, h = img.h, bw = (w + kBlock - 1) / kBlock, bh = (h + kBlock - 1) / kBlock;
  std::vector<float> sd(static_cast<size_t>(bw) * static_cast<size_t>(bh));
  for (int by = 0; by < bh; ++by)
    for (int bx = 0; bx < bw; ++bx) {
      const int x = std::min(w - 1, bx * kBlock + kBlock / 2), y = std::min(h - 1, by * kBlock + kBlock / 2);
      sd[static_cast<size_t>(by * bw + bx)] = local_sd.at(x, y);
    }
  std::vector<float> sorted = sd;
  std::sort(sorted.begin(), sorted.end());
  const float strong = sorted[sorted.size() * 9 / 10];
  const float threshold = std::max(6.0f, 0.3f * strong);
  std::vector<uint8_t> fg(sd.size());
  for (size_t i = 0; i < sd.size(); ++i) fg[i] = sd[i] >= threshold;
  auto morph = [&](const std::vector<uint8_t>& in, bool dilate, int r) { return Morph(in, bw, bh, dilate, r); };
  fg = morph(morph(fg, true, 1), false, 1);  // close small gaps
  fg = morph(morph(fg, false, 1), true, 1);  // drop specks
  // Cores: what survives eroding by the widest disc, up to kCore blocks,
  // that leaves anything. Lines, lettering, writing and the necks between
  // touching prints do not.
  int r = kCore;
  std::vector<uint8_t> core;
  for (; r > 0; --r) {
    core = morph(fg, false, r);
    if (std::find(core.begin(), core.end(), 1) != core.end()) break;
  }
  if (r == 0) core = fg;
  std::vector<int> label(fg.size(), -1);
  std::vector<size_t> stack, frontier;
  int cores = 0;
  for (size_t start = 0; start < fg.size(); ++start) {
    if (!core[start] || label[start] >= 0) continue;
    label[start] = cores;
    stack.assign(1, start);
    frontier.push_back(start);
    Flood(bw, bh, true, stack, [&](size_t j) {
      if (!core[j] || label[j] >= 0) return false;
      label[j] = cores;
      frontier.push_back(j);
      return true;
    });
    ++cores;
  }
  // Each core grows back over the area as far as the erosion took away.
  GrowBack(fg, bw, bh, r, std::move(frontier), label);
  // The parts grown, largest first.
  struct Part {
    int label;
    size_t size = 0;
    double x = 0, y = 0;  // the sums of its blocks' columns and rows
    int left = 0, right = -1;  // its first and last column
  };
  std::vector<Part> parts;
  for (int k = 0; k < cores; ++k) parts.push_back({k, 0, 0, 0, bw, -1});
  for (size_t j = 0; j < label.size(); ++j)
    if (label[j] >= 0) {
      Part& p = parts[static_cast<size_t>(label[j])];
      const int col = static_cast<int>(j % static_cast<size_t>(bw));
      ++p.size, p.x += col, p.y += double(j / static_cast<size_t>(bw));
      p.left = std::min(p.left, col), p.right = std::max(p.right, col);
    }
  std::stable_sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.size > b.size; });
  // Whether two parts share half the narrower's columns: one above the other.
  auto stacked = [](const Part& a, const Part& b) {
    const int shared = std::min(a.right, b.right) - std::max(a.left, b.left) + 1;
    return 2 * shared >= std::min(a.right - a.left, b.right - b.left) + 1;
  };
  if (prints > 1) {
    // A slap's fingers stand side by side. A part under a larger one is a
    // finger's lower joint (or a mark below it): dropped. (Under a smaller
    // one it may be a fingertip under writing.)
    auto under = [&](const Part& low, const Part& high) {
      return stacked(low, high) && high.size >= low.size && low.y / double(low.size) > high.y / double(high.size);
    };
    std::vector<Part> kept;
    for (const Part& p : parts)
      if (std::none_of(parts.begin(), parts.end(), [&](const Part& q) { return under(p, q); })) kept.push_back(p);
    parts.swap(kept);
  }
  while (parts.size() > static_cast<size_t>(std::max(prints, 1)) || (!parts.empty() && parts.back().size * 3 < parts[0].size))
    parts.pop_back();
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.x / double(a.size) < b.x / double(b.size); });
  // Each a finger of the slap in turn: as many as it has, none above
  // another (which the lower, larger, kept).
  *complete = prints > 1 && parts.size() == static_cast<size_t>(prints);
  for (size_t k = 1; k < parts.size(); ++k) *complete = *complete && !stacked(parts[k - 1], parts[k]);
  std::vector<uint8_t> number(fg.size(), 0);  // per block: 0 outside, else the print's number
  for (size_t k = 0; k < parts.size(); ++k) {
    // The print and the holes inside it: whatever the rest of the image
    // cannot reach from the image's edge without crossing it.
    std::vector<uint8_t> outside(fg.size(), 0);
    for (int by = 0; by < bh; ++by)
      for (int bx = 0; bx < bw; ++bx) {
        const size_t j = static_cast<size_t>(by * bw + bx);
        if ((bx == 0 || by == 0 || bx == bw - 1 || by == bh - 1) && label[j] != parts[k].label)
          outside[j] = 1, stack.push_back(j);
      }
    Flood(bw, bh, false, stack, [&](size_t j) {
      if (outside[j] || label[j] == parts[k].label) return false;
      outside[j] = 1;
      return true;
    });
    for (size_t j = 0; j < fg.size(); ++j)
      if (!outside[j] && !number[j]) number[j] = static_cast<uint8_t>(k + 1);
  }
  std::vector<uint8_t> mask(static_cast<size_t>(w) * static_cast<size_t>(h), 0);
  areas->assign(parts.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (const uint8_t k = number[static_cast<size_t>((y / kBlock) * bw + x / kBlock)]) {
        mask[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] = k;
        ++(*areas)[k - 1u];
      }
  return mask;
}

// Distance in pixels (chessboard) from every pixel to the nearest one
// outside `mask` or off the image.
std::vector<int> DistanceToEdge(const std::vector<uint8_t>& mask, int w, int h) {
  std::vector<int> d(mask.size());
  const int far = w + h;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x);
      if (!mask[i]) {
        d[i] = 0;
        continue;
      }
      int best = std::min({x + 1, y + 1, far});
      if (x > 0) best = std::min(best, d[i - 1] + 1);
      if (y > 0) {
        best = std::min(best, d[i - static_cast<size_t>(w)] + 1);
        if (x > 0) best = std::min(best, d[i - static_cast<size_t>(w) - 1] + 1);
        if (x + 1 < w) best = std::min(best, d[i - static_cast<size_t>(w) + 1] + 1);
      }
      d[i] = best;
    }
  for (int y = h - 1; y >= 0; --y)
    for (int x = w - 1; x >= 0; --x) {
      const size_t i = static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x);
      if (!d[i]) continue;
      int best = std::min({d[i], w - x, h - y});
      if (x + 1 < w) best = std::min(best, d[i + 1] + 1);
      if (y + 1 < h) {
        best = std::min(best, d[i + static_cast<size_t>(w)] + 1);
        if (x + 1 < w) best = std::min(best, d[i + static_cast<size_t>(w) + 1] + 1);
        if (x > 0) best = std::min(best, d[i + static_cast<size_t>(w) - 1] + 1);
      }
      d[i] = best;
    }
  return d;
}

// The ridge period in pixels: the median over blocks of the spacing of
// dark ridges met walking across the ridge flow.
double RidgePeriod(const Plane& img, const Plane& cos2, const Plane& sin2, const std::vector<uint8_t>& mask) {
  std::vector<double> periods;
  const int w = img.w, h = img.h;
  for (int cy = 24; cy < h - 24; cy += 24)
    for (int cx = 24; cx < w - 24; cx += 24) {
      if (!mask[static_cast<size_t>(cy) * static_cast<size_t>(w) + static_cast<size_t>(cx)]) continue;
      const double ridge = 0.5 * std::atan2(sin2.at(cx, cy), cos2.at(cx, cy)) + M_PI / 2;
      const double ax = std::cos(ridge + M_PI / 2), ay = std::sin(ridge + M_PI / 2);  // across the ridges
      const double px = std::cos(ridge), py = std::sin(ridge);
      std::array<double, 48> signature{};
      for (int t = 0; t < 48; ++t) {
        double sum = 0;
        for (int s = -6; s <= 6; ++s) {
          const int x = static_cast<int>(std::lround(cx + (t - 24) * ax + s * px));
          const int y = static_cast<int>(std::lround(cy + (t - 24) * ay + s * py));
          sum += img.at(std::clamp(x, 0, w - 1), std::clamp(y, 0, h - 1));
        }
        signature[static_cast<size_t>(t)] = sum;
      }
      std::vector<int> minima;
      for (int t = 1; t < 47; ++t)
        if (signature[static_cast<size_t>(t)] < signature[static_cast<size_t>(t - 1)] &&
            signature[static_cast<size_t>(t)] <= signature[static_cast<size_t>(t + 1)])
          minima.push_back(t);
      if (minima.size() < 3) continue;
      const double period = double(minima.back() - minima.front()) / double(minima.size() - 1);
      if (period >= 5 && period <= 16) periods.push_back(period);
    }
  if (periods.empty()) return 9.0;
  std::nth_element(periods.begin(), periods.begin() + static_cast<long>(periods.size() / 2), periods.end());
  return periods[periods.size() / 2];
}

// Zhang-Suen thinning of a 0/1 image to one-pixel-wide lines.
void Thin(std::vector<uint8_t>& b, int w, int h) {
  std::vector<size_t> remove;
  for (bool changed = true; changed;) {
    changed = false;
    for (int pass = 0; pass < 2; ++pass) {
      remove.clear();
      for (int y = 1; y < h - 1; ++y)
        for (int x = 1; x < w - 1; ++x) {
          const size_t i = static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x);
          if (!b[i]) continue;
          const size_t W = static_cast<size_t>(w);
          const int p[8] = {b[i - W], b[i - W + 1], b[i + 1], b[i + W + 1], b[i + W], b[i + W - 1], b[i - 1], b[i - W - 1]};
          int n = 0, t = 0;
          for (int k = 0; k < 8; ++k) n += p[k], t += (!p[k] && p[(k + 1) % 8]);
          if (n < 2 || n > 6 || t != 1) continue;
          if (pass == 0 ? (p[0] && p[2] && p[4]) || (p[2] && p[4] && p[6]) : (p[0] && p[2] && p[6]) || (p[0] && p[4] && p[6]))
            continue;
          remove.push_back(i);
        }
      for (size_t i : remove) b[i] = 0;
      changed = changed || !remove.empty();
    }
  }
  // Corners of staircases: a pixel whose two 4-neighbours touch each
  // other diagonally, with nothing on its other side, only doubles the
  // line and makes it look like a junction.
  const size_t W = static_cast<size_t>(w);
  for (int y = 1; y < h - 1; ++y)
    for (int x = 1; x < w - 1; ++x) {
      const size_t i = static_cast<size_t>(y) * W + static_cast<size_t>(x);
      if (!b[i]) continue;
      const uint8_t n = b[i - W], e = b[i + 1], s = b[i + W], wv = b[i - 1];
      const uint8_t ne = b[i - W + 1], se = b[i + W + 1], sw = b[i + W - 1], nw = b[i - W - 1];
      if ((n && e && !s && !sw && !wv) || (e && s && !wv && !nw && !n) || (s && wv && !n && !ne && !e) ||
          (wv && n && !e && !se && !s))
        b[i] = 0;
    }
}

// Removes connected parts of value `value` smaller than `min_size` pixels
// (8-connected for ridges, 4-connected for gaps), setting them to !value.
void DropSmall(std::vector<uint8_t>& b, int w, int h, uint8_t value, size_t min_size) {
  std::vector<uint8_t> seen(b.size(), 0);
  std::vector<size_t> part, stack;
  for (size_t start = 0; start < b.size(); ++start) {
    if (b[start] != value || seen[start]) continue;
    seen[start] = 1;
    part.assign(1, start);
    stack.assign(1, start);
    Flood(w, h, value == 1, stack, [&](size_t j) {
      if (b[j] != value || seen[j]) return false;
      seen[j] = 1;
      part.push_back(j);
      return true;
    });
    if (part.size() < min_size)
      for (size_t i : part) b[i] = static_cast<uint8_t>(!value);
  }
}

constexpr int kDx[8] = {0, 1, 1, 1, 0, -1, -1, -1}, kDy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};

struct Skeleton {
  const std::vector<uint8_t>& s;
  int w, h;
  bool on(int x, int y) const {
    return x >= 0 && y >= 0 && x < w && y < h && s[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)];
  }
  // The number of separate branches leaving (x, y): runs of set
  // neighbours around it.
  int Crossings(int x, int y) const {
    int t = 0;
    for (int k = 0; k < 8; ++k) t += on(x + kDx[k], y + kDy[k]) && !on(x + kDx[(k + 1) % 8], y + kDy[(k + 1) % 8]);
    return t;
  }
  // The first neighbour of each branch leaving (x, y), a 4-neighbour where
  // the branch has one.
  std::vector<int> Branches(int x, int y) const {
    std::vector<int> out;
    for (int k = 0; k < 8; ++k) {
      if (!on(x + kDx[k], y + kDy[k]) || on(x + kDx[(k + 7) % 8], y + kDy[(k + 7) % 8])) continue;
      int pick = k;  // the run starts at k; take its first 4-neighbour
      for (int j = k; on(x + kDx[j % 8], y + kDy[j % 8]) && j < k + 8; ++j)
        if (j % 2 == 0) {
          pick = j % 8;
          break;
        }
      out.push_back(pick);
    }
    return out;
  }
};

// Follows the skeleton from (x, y) through neighbour `first` for up to
// `steps` pixels. Ends early at a junction or a line end.
struct Trace {
  int x, y, length;
  bool junction, dead_end;
  int ax, ay;  // where the walk was kAim pixels out: what the minutia's direction is read from
};
Trace Follow(const Skeleton& sk, int x, int y, int first, int steps) {
  // The last pixels passed, so the walk never turns back on a staircase.
  std::array<std::pair<int, int>, 4> behind;
  behind.fill({x, y});
  int cx = x + kDx[first], cy = y + kDy[first], ax = cx, ay = cy;
  for (int n = 1;; ++n) {
    if (n <= kAim) ax = cx, ay = cy;
    const int crossings = sk.Crossings(cx, cy);
    if (crossings >= 3) return {cx, cy, n, true, false, ax, ay};
    if (crossings <= 1) return {cx, cy, n, false, true, ax, ay};
    if (n >= steps) return {cx, cy, n, false, false, ax, ay};
    int next = -1;
    for (int pass = 0; pass < 2 && next < 0; ++pass)
      for (int k = pass; k < 8; k += 2) {  // 4-neighbours first
        const int nx = cx + kDx[k], ny = cy + kDy[k];
        if (!sk.on(nx, ny)) continue;
        // Never back, and never into the minutia's other neighbours: that
        // would cross from one branch to the next at a fork.
        bool passed = std::abs(nx - x) <= 1 && std::abs(ny - y) <= 1;
        for (const auto& [bx, by] : behind) passed = passed || (nx == bx && ny == by);
        if (passed) continue;
        next = k;
        break;
      }
    if (next < 0) return {cx, cy, n, false, true, ax, ay};
    std::rotate(behind.rbegin(), behind.rbegin() + 1, behind.rend());
    behind[0] = {cx, cy};
    cx += kDx[next], cy += kDy[next];
  }
}

// Counter-clockwise (y up) direction from (x0, y0) to (x1, y1), radians.
double Heading(int x0, int y0, int x1, int y1) { return std::atan2(double(y0 - y1), double(x1 - x0)); }

double Gap(double a, double b) {
  double d = std::fmod(std::fabs(a - b), 2 * M_PI);
  return d > M_PI ? 2 * M_PI - d : d;
}

struct Found {
  int x, y;
  uint8_t print;  // the print's number in the mask (1 = leftmost)
  double angle;
  uint8_t type, quality;
  bool keep = true;
};

// The finger at `place` (from 0 at the left) of a slap at `position` all
// of whose fingers were found: a right hand's index to little, a left
// hand's little to index, the left thumb then the right.
uint8_t SlapFinger(uint8_t position, size_t place) {
  const int k = static_cast<int>(place);
  return static_cast<uint8_t>(position == 13 ? 2 + k : position == 14 ? 10 - k : k == 0 ? 6 : 1);
}

}  // namespace

int slap_prints(uint8_t position) {
  return position == 13 || position == 14 ? 4 : position == 15 ? 2 : 1;
}

Result<FingerTemplate> extract_minutiae(const GrayImage& source, uint8_t finger) {
  if (source.width < 64 || source.height < 64 || source.pixels.size() != size_t(source.width) * size_t(source.height))
    return Status::Error("fingerprint image: too small or malformed");
  if (source.ppi < 250 || source.ppi > 1200)
    return Status::Error("fingerprint image: resolution " + std::to_string(source.ppi) + " ppi is outside 250-1200");
  const double scale = std::abs(source.ppi - kPpi) > 10 ? double(kPpi) / source.ppi : 1.0;
  GrayImage image = scale == 1.0 ? source
                                  : resize(source, std::max(1, static_cast<int>(std::lround(source.width * scale))),
                                           std::max(1, static_cast<int>(std::lround(source.height * scale))));
  image.ppi = kPpi;
  const int w = image.width, h = image.height;

  Plane raw(w, h);
  for (size_t i = 0; i < raw.v.size(); ++i) raw.v[i] = image.pixels[i];
  // Local normalisation: zero mean, unit spread in a 33-pixel window.
  const Plane mean = BoxMean(raw, 16);
  Plane sq(w, h);
  for (size_t i = 0; i < sq.v.size(); ++i) sq.v[i] = (raw.v[i] - mean.v[i]) * (raw.v[i] - mean.v[i]);
  Plane sd = BoxMean(sq, 16);
  for (float& v : sd.v) v = std::sqrt(v);
  {
    double total = 0, total2 = 0;
    for (float v : raw.v) total += v, total2 += double(v) * v;
    const double n = double(raw.v.size()), spread = std::sqrt(std::max(0.0, total2 / n - (total / n) * (total / n)));
    if (spread < 4) return Status::Error("fingerprint image: blank or flat (no ridges to read)");
  }
  std::vector<int> areas;
  bool complete = false;
  std::vector<uint8_t> mask = Segment(raw, sd, slap_prints(finger), &areas, &complete);
  const int area = areas.empty() ? 0 : *std::max_element(areas.begin(), areas.end());
  if (area < kMinArea)
    return Status::Error("fingerprint image: too little ridge area (" + std::to_string(area) + " pixels at 500 ppi; at least " +
                         std::to_string(kMinArea) + ")");
  Plane img(w, h);
  for (size_t i = 0; i < img.v.size(); ++i) img.v[i] = (raw.v[i] - mean.v[i]) / std::max(sd.v[i], 4.0f);

  // Ridge orientation from smoothed squared gradients, taken after a light
  // blur: pores and paper grain would otherwise make real prints' flow
  // look incoherent.
  const Plane soft = BoxMean(BoxMean(img, 1), 1);
  Plane gxx(w, h), gxy(w, h), gyy(w, h);
  for (int y = 1; y < h - 1; ++y)
    for (int x = 1; x < w - 1; ++x) {
      const float gx = (soft.at(x + 1, y - 1) + 2 * soft.at(x + 1, y) + soft.at(x + 1, y + 1)) -
                       (soft.at(x - 1, y - 1) + 2 * soft.at(x - 1, y) + soft.at(x - 1, y + 1));
      const float gy = (soft.at(x - 1, y + 1) + 2 * soft.at(x, y + 1) + soft.at(x + 1, y + 1)) -
                       (soft.at(x - 1, y - 1) + 2 * soft.at(x, y - 1) + soft.at(x + 1, y - 1));
      gxx.at(x, y) = gx * gx;
      gxy.at(x, y) = gx * gy;
      gyy.at(x, y) = gy * gy;
    }
  gxx = BoxMean(BoxMean(gxx, 6), 6);
  gxy = BoxMean(BoxMean(gxy, 6), 6);
  gyy = BoxMean(BoxMean(gyy, 6), 6);
  Plane cos2(w, h), sin2(w, h), coherence(w, h);
  for (size_t i = 0; i < cos2.v.size(); ++i) {
    const float c = gxx.v[i] - gyy.v[i], s = 2 * gxy.v[i], e = gxx.v[i] + gyy.v[i];
    cos2.v[i] = c;
    sin2.v[i] = s;
    coherence.v[i] = e > 0 ? std::sqrt(c * c + s * s) / e : 0;
  }
  // A wider smoothing of the doubled-angle field bridges scars and noise.
  cos2 = BoxMean(BoxMean(cos2, 8), 8);
  sin2 = BoxMean(BoxMean(sin2, 8), 8);

  const double period = RidgePeriod(img, cos2, sin2, mask);
  // Oriented Gabor kernels, one per direction of the gradient.
  const int side = 2 * kGaborRadius + 1;
  std::vector<std::vector<float>> kernels(kOrientations, std::vector<float>(static_cast<size_t>(side * side)));
  const double sigma = std::clamp(0.5 * period, 3.5, 5.5);
  for (int o = 0; o < kOrientations; ++o) {
    const double g = M_PI * o / kOrientations;  // gradient direction: across the ridges
    const double cg = std::cos(g), sg = std::sin(g);
    double sum = 0, weight = 0;
    std::vector<double> env(kernels[static_cast<size_t>(o)].size());
    for (int y = -kGaborRadius; y <= kGaborRadius; ++y)
      for (int x = -kGaborRadius; x <= kGaborRadius; ++x) {
        const double across = x * cg + y * sg, along = -x * sg + y * cg;
        const double e = std::exp(-(across * across + along * along) / (2 * sigma * sigma));
        const size_t k = static_cast<size_t>((y + kGaborRadius) * side + x + kGaborRadius);
        env[k] = e;
        kernels[static_cast<size_t>(o)][k] = static_cast<float>(e * std::cos(2 * M_PI * across / period));
        sum += kernels[static_cast<size_t>(o)][k];
        weight += e;
      }
    for (size_t k = 0; k < env.size(); ++k) kernels[static_cast<size_t>(o)][k] -= static_cast<float>(sum / weight * env[k]);
  }
  // Enhance and binarise: ridges are dark, so a negative response is ridge.
  std::vector<uint8_t> ridge(static_cast<size_t>(w) * static_cast<size_t>(h), 0);
  for (int y = kGaborRadius; y < h - kGaborRadius; ++y)
    for (int x = kGaborRadius; x < w - kGaborRadius; ++x) {
      const size_t i = static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x);
      if (!mask[i]) continue;
      double g = 0.5 * std::atan2(sin2.v[i], cos2.v[i]);  // gradient direction, modulo a half turn
      if (g < 0) g += M_PI;
      const int o = static_cast<int>(std::lround(g / M_PI * kOrientations)) % kOrientations;
      const std::vector<float>& k = kernels[static_cast<size_t>(o)];
      float acc = 0;
      for (int dy = -kGaborRadius; dy <= kGaborRadius; ++dy) {
        const float* row = &img.v[static_cast<size_t>(y + dy) * static_cast<size_t>(w) + static_cast<size_t>(x - kGaborRadius)];
        const float* kr = &k[static_cast<size_t>((dy + kGaborRadius) * side)];
        for (int dx = 0; dx < side; ++dx) acc += row[dx] * kr[dx];
      }
      ridge[i] = acc < 0;
    }
  DropSmall(ridge, w, h, 0, static_cast<size_t>(period * period * 1.5));  // pores, specks and valley tips cut off
  DropSmall(ridge, w, h, 1, static_cast<size_t>(period * period));       // islands of ridge
  Thin(ridge, w, h);

  const std::vector<int> edge = DistanceToEdge(mask, w, h);
  const Skeleton sk{ridge, w, h};
  std::vector<Found> found;
  for (int y = 1; y < h - 1; ++y)
    for (int x = 1; x < w - 1; ++x) {
      const size_t i = static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x);
      if (!ridge[i] || edge[i] < kBorder) continue;
      const int crossings = sk.Crossings(x, y);
      if (crossings != 1 && crossings != 3) continue;
      const std::vector<int> branches = sk.Branches(x, y);
      if (static_cast<int>(branches.size()) != crossings) continue;
      Found f{x, y, mask[i], 0, static_cast<uint8_t>(crossings == 1 ? 1 : 2),
              static_cast<uint8_t>(std::clamp(100.0 * coherence.v[i], 1.0, 100.0))};
      // The direction is the ridge flow's, smoothed over the print; the
      // skeleton says which way along it: into the ridge that ends, or
      // between the two branches.
      const double flow = -(0.5 * std::atan2(sin2.v[i], cos2.v[i]) + M_PI / 2);  // counter-clockwise, y up
      int ahead = 0;
      std::vector<std::pair<int, int>> ends;
      for (int b : branches) {
        const Trace t = Follow(sk, x, y, b, kTrace);
        for (const auto& [ex, ey] : ends)
          if (std::abs(ex - t.x) <= 2 && std::abs(ey - t.y) <= 2) f.keep = false;  // two ways round a small loop
        ends.emplace_back(t.x, t.y);
        if (crossings == 1 && t.length < kTrace) f.keep = false;  // a spur or a short piece of ridge
        if (crossings == 3 && (t.length < kTrace / 2 || (t.dead_end && t.length < kTrace))) f.keep = false;  // a bridge or a spur
        ahead += std::cos(Heading(x, y, t.ax, t.ay) - flow) > 0;
      }
      f.angle = ahead * 2 > crossings ? flow : flow + M_PI;
      if (crossings == 3 && (ahead == 0 || ahead == 3)) f.keep = false;  // branches that do not part
      found.push_back(f);
    }
  // Pairs too close to be two minutiae: breaks in a ridge, bridges, and
  // clusters left by scars.
  const double close = 0.9 * period;
  for (size_t i = 0; i < found.size(); ++i)
    for (size_t j = i + 1; j < found.size(); ++j) {
      const double d = std::hypot(found[i].x - found[j].x, found[i].y - found[j].y);
      if (d >= 2 * period) continue;
      const bool facing = found[i].type == 1 && found[j].type == 1 && Gap(found[i].angle, found[j].angle) > 2.4;
      if (d < close || (facing && d < 2 * period)) found[i].keep = found[j].keep = false;
    }

  FingerTemplate t;
  t.standard = FmrStandard::kIso2005;
  t.width = static_cast<uint16_t>(source.width);
  t.height = static_cast<uint16_t>(source.height);
  t.x_resolution = t.y_resolution = static_cast<uint16_t>(std::lround(source.ppi / 2.54));
  // One view per print, left to right: of the finger its place in the
  // slap says where every finger was found, else at the slap's position
  // and numbered by its place.
  size_t most = 0;
  for (size_t k = 1; k <= areas.size(); ++k) {
    FingerView view;
    view.finger = complete ? SlapFinger(finger, k - 1) : finger;
    if (slap_prints(finger) > 1 && !complete) view.view = static_cast<uint8_t>(k - 1);
    for (const Found& f : found) {
      if (!f.keep || f.quality < kMinFlow || f.print != k) continue;
      Minutia m;
      m.x = static_cast<uint16_t>(std::clamp<long>(std::lround(f.x / scale), 0, source.width - 1));
      m.y = static_cast<uint16_t>(std::clamp<long>(std::lround(f.y / scale), 0, source.height - 1));
      m.angle = angle_units(f.angle);
      m.type = f.type;
      m.quality = f.quality;
      view.minutiae.push_back(m);
    }
    most = std::max(most, view.minutiae.size());
    if (areas[k - 1] < kMinArea || view.minutiae.size() < kMinMinutiae) continue;
    // The most reliable first, at most what a record holds.
    std::stable_sort(view.minutiae.begin(), view.minutiae.end(),
                     [](const Minutia& a, const Minutia& b) { return a.quality > b.quality; });
    if (view.minutiae.size() > 255) view.minutiae.resize(255);
    double q = 0;
    for (const Minutia& m : view.minutiae) q += m.quality;
    view.quality = static_cast<uint8_t>(std::lround(q / double(view.minutiae.size())));
    t.views.push_back(std::move(view));
  }
  if (t.views.empty())
    return Status::Error("fingerprint image: only " + std::to_string(most) +
                         " minutiae found; the print is too small, smudged or not a fingerprint");
  return t;
}

}  // namespace vigil
