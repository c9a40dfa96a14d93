// Conversions of the date forms found in travel messages to ISO 8601.
// Every function returns an empty string for input it cannot read: callers
// turn that into a located warning.
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// How to choose the century of a two-digit year.
enum class Century {
  kPast,    // never after the reference year (birth dates)
  kFuture,  // within 50 years before to 49 years after the reference year
            // (expiry and travel dates)
};

// The current year by the system clock.
int current_year();

// "YYMMDD" -> "YYYY-MM-DD".
std::string iso_from_yymmdd(std::string_view s, Century c, int reference_year);
// "CCYYMMDD" -> "YYYY-MM-DD".
std::string iso_from_ccyymmdd(std::string_view s);
// "DDMMYY" -> "YYYY-MM-DD".
std::string iso_from_ddmmyy(std::string_view s, Century c, int reference_year);
// "DDMMMYY" (e.g. "12JUL64") or "DDMMMYYYY" -> "YYYY-MM-DD".
std::string iso_from_ddmmmyy(std::string_view s, Century c, int reference_year);
// "HHMM" -> "HH:MM".
std::string iso_time_from_hhmm(std::string_view s);
// An EDIFACT DTM value with its format qualifier (2379): 101 YYMMDD,
// 102 CCYYMMDD, 201 YYMMDDHHMM, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS; with no
// qualifier the length decides. Returns "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM".
std::string iso_from_edifact(std::string_view value, std::string_view format, Century c,
                             int reference_year);
// True for a real calendar date given as "YYYY-MM-DD".
bool is_valid_iso_date(std::string_view iso);

}  // namespace vigil
