// Verification error rates from genuine and impostor scores, shared by the
// biometric benchmarks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace vigil::bench {

struct ErrorRates {
  double eer = 1, eer_score = 0;
  double fnmr_1e3 = 1, score_1e3 = 0;  // at FMR 0.1 %
  double fnmr_1e4 = 1, score_1e4 = 0;  // at FMR 0.01 %
  double fmr_at = 0, fnmr_at = 0;      // at the threshold given
};

// Higher scores mean more alike; `threshold` is the operating point to
// report FMR and FNMR at.
inline ErrorRates error_rates(std::vector<double> genuine, std::vector<double> impostor, double threshold) {
  std::sort(genuine.begin(), genuine.end());
  std::sort(impostor.begin(), impostor.end());
  ErrorRates r;
  if (genuine.empty() || impostor.empty()) return r;
  auto fnmr = [&](double t) { return double(std::lower_bound(genuine.begin(), genuine.end(), t) - genuine.begin()) / double(genuine.size()); };
  auto fmr = [&](double t) { return double(impostor.end() - std::lower_bound(impostor.begin(), impostor.end(), t)) / double(impostor.size()); };
  // The lowest threshold with FMR at or under `rate`, and FNMR there.
  auto at_fmr = [&](double rate) {
    const size_t over = static_cast<size_t>(std::floor(rate * double(impostor.size())));
    const double t = impostor[impostor.size() - 1 - std::min(over, impostor.size() - 1)] + 1e-9;
    return std::pair{t, fnmr(t)};
  };
  double gap = 2;
  for (double t = 0; t <= 100; t += 0.1)
    if (std::abs(fnmr(t) - fmr(t)) < gap) gap = std::abs(fnmr(t) - fmr(t)), r.eer = (fnmr(t) + fmr(t)) / 2, r.eer_score = t;
  std::tie(r.score_1e3, r.fnmr_1e3) = at_fmr(1e-3);
  std::tie(r.score_1e4, r.fnmr_1e4) = at_fmr(1e-4);
  r.fmr_at = fmr(threshold);
  r.fnmr_at = fnmr(threshold);
  return r;
}

inline void print_error_rates(const char* label, const ErrorRates& r, double threshold) {
  std::printf("%s: EER %.2f %% (score %.1f); FNMR %.2f %% at FMR 0.1 %% (score %.1f), %.2f %% at FMR 0.01 %% (score %.1f); "
              "at threshold %.1f: FMR %.4f %%, FNMR %.2f %%\n",
              label, 100 * r.eer, r.eer_score, 100 * r.fnmr_1e3, r.score_1e3, 100 * r.fnmr_1e4, r.score_1e4, threshold,
              100 * r.fmr_at, 100 * r.fnmr_at);
}

}  // namespace vigil::bench
