#include "biometrics/finger_device_compare.h"

#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

#include "synth/finger_generator.h"

namespace vigil {
namespace {

// The function the GPU runs for each gallery print, run here on the host:
// it must give compare()'s score to the bit, for whole prints, windows of
// them (small footprints) and prints far from the image's origin, so that
// a build without a GPU checks the GPU's comparison too.
TEST(FingerDeviceTest, TheGpuComparisonRunOnTheHostGivesCompareScoresToTheBit) {
  FingerGenerator gen(21);
  std::vector<FingerPrint> prints;
  for (int f = 0; f < 40; ++f) {
    prints.push_back(FingerPrint::From(gen.Impression(f, 0)));
    FingerView v = gen.Impression(f, 1);
    const int w = 140 + (f % 5) * 50, h = w * 14 / 11, x0 = (400 - w) / 2, y0 = (500 - h) / 2;
    if (f % 4 == 3) {
      for (Minutia& m : v.minutiae) m.x = static_cast<uint16_t>(m.x + 3000), m.y = static_cast<uint16_t>(m.y + 1700);
    } else if (f % 2) {
      v = Window(std::move(v), x0, y0, w, h);
    }
    prints.push_back(FingerPrint::From(v));
  }
  finger_gpu::Columns columns;
  for (const FingerPrint& p : prints) columns.Add(p, 0);
  const finger_gpu::Prints cols = finger_gpu::HostPrints(columns);
  const finger_gpu::Tables tables = finger_gpu::MakeTables();
  auto scratch = std::make_unique<finger_gpu::Scratch>();  // zeroed
  int differ = 0, matched = 0, compared = 0;
  for (size_t a = 0; a < prints.size(); ++a)
    for (size_t b = 0; b < prints.size(); ++b) {
      const double cpu = compare(prints[a], prints[b]);
      const double gpu = finger_gpu::Compare(finger_gpu::View(cols, a), prints[a].centre_x(), prints[a].centre_y(),
                                             finger_gpu::View(cols, b), tables, *scratch);
      ++compared;
      matched += cpu >= kDefaultThreshold;
      if (cpu != gpu && ++differ <= 3) ADD_FAILURE() << a << " against " << b << ": " << cpu << " on the CPU, " << gpu;
    }
  EXPECT_EQ(differ, 0) << "of " << compared;
  EXPECT_GE(matched, 100) << "pairs that match, themselves and their mates among them";
}

}  // namespace
}  // namespace vigil
