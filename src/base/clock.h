// Injected time: code that stamps or ages data asks a Clock, never the
// system directly, so retention and expiry can be tested by moving time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace vigil {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since 1970-01-01T00:00:00Z.
  virtual int64_t now() const = 0;
};

// The system's real-time clock.
std::shared_ptr<const Clock> SystemClock();
// A clock that always answers `unix_seconds`.
std::shared_ptr<const Clock> FixedClock(int64_t unix_seconds);

// "YYYY-MM-DDTHH:MM:SSZ" for `unix_seconds`.
std::string format_utc(int64_t unix_seconds);
// Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z]" as UTC; false when malformed.
bool parse_utc(const std::string& text, int64_t* unix_seconds);

}  // namespace vigil
