#include "base/clock.h"

#include <chrono>
#include <cstdio>

namespace vigil {
namespace {

class RealClock : public Clock {
 public:
  int64_t now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class StoppedClock : public Clock {
 public:
  explicit StoppedClock(int64_t t) : t_(t) {}
  int64_t now() const override { return t_; }

 private:
  int64_t t_;
};

}  // namespace

std::shared_ptr<const Clock> SystemClock() {
  static const auto clock = std::make_shared<RealClock>();
  return clock;
}

std::shared_ptr<const Clock> FixedClock(int64_t unix_seconds) {
  return std::make_shared<StoppedClock>(unix_seconds);
}

std::string format_utc(int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{unix_seconds}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

bool parse_utc(const std::string& text, int64_t* unix_seconds) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10)
    return false;
  if (text.size() > 10) {
    const int n = std::sscanf(text.c_str() + 10, "T%2d:%2d:%2d", &h, &mi, &s);
    if (n < 2 || h > 23 || mi > 59 || s > 60) return false;
  }
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return false;
  *unix_seconds = sys_days(ymd).time_since_epoch().count() * 86400LL + h * 3600 + mi * 60 + s;
  return true;
}

}  // namespace vigil
