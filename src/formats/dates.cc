#include "formats/dates.h"

#include <chrono>
#include <cstdio>

namespace vigil {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char ch : s) v = v * 10 + (ch - '0');
  return v;
}

int resolve_year(int yy, Century c, int reference_year) {
  if (reference_year <= 0) reference_year = current_year();
  const int century = reference_year / 100 * 100;
  int year = century + yy;
  if (c == Century::kPast) {
    if (year > reference_year) year -= 100;
  } else {
    if (year < reference_year - 50) year += 100;
    else if (year > reference_year + 49) year -= 100;
  }
  return year;
}

std::string format_date(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  std::string out(buf);
  return is_valid_iso_date(out) ? out : std::string();
}

int month_from_abbrev(std::string_view s) {
  static constexpr std::string_view kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  if (s.size() != 3) return 0;
  char up[3];
  for (int i = 0; i < 3; ++i) up[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
  for (int i = 0; i < 12; ++i)
    if (std::string_view(up, 3) == kMonths[i]) return i + 1;
  return 0;
}

}  // namespace

int current_year() {
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
  return static_cast<int>(ymd.year());
}

bool is_valid_iso_date(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return false;
  if (!all_digits(iso.substr(0, 4)) || !all_digits(iso.substr(5, 2)) ||
      !all_digits(iso.substr(8, 2)))
    return false;
  const std::chrono::year_month_day ymd{std::chrono::year(to_int(iso.substr(0, 4))),
                                        std::chrono::month(to_int(iso.substr(5, 2))),
                                        std::chrono::day(to_int(iso.substr(8, 2)))};
  return ymd.ok();
}

std::string iso_from_yymmdd(std::string_view s, Century c, int reference_year) {
  if (s.size() != 6 || !all_digits(s)) return {};
  return format_date(resolve_year(to_int(s.substr(0, 2)), c, reference_year),
                     to_int(s.substr(2, 2)), to_int(s.substr(4, 2)));
}

std::string iso_from_ccyymmdd(std::string_view s) {
  if (s.size() != 8 || !all_digits(s)) return {};
  return format_date(to_int(s.substr(0, 4)), to_int(s.substr(4, 2)), to_int(s.substr(6, 2)));
}

std::string iso_from_ddmmyy(std::string_view s, Century c, int reference_year) {
  if (s.size() != 6 || !all_digits(s)) return {};
  return format_date(resolve_year(to_int(s.substr(4, 2)), c, reference_year),
                     to_int(s.substr(2, 2)), to_int(s.substr(0, 2)));
}

std::string iso_from_ddmmmyy(std::string_view s, Century c, int reference_year) {
  if ((s.size() != 7 && s.size() != 9) || !all_digits(s.substr(0, 2)) ||
      !all_digits(s.substr(5)))
    return {};
  const int month = month_from_abbrev(s.substr(2, 3));
  if (!month) return {};
  const int year = s.size() == 9 ? to_int(s.substr(5, 4))
                                 : resolve_year(to_int(s.substr(5, 2)), c, reference_year);
  return format_date(year, month, to_int(s.substr(0, 2)));
}

std::string iso_time_from_hhmm(std::string_view s) {
  if (s.size() != 4 || !all_digits(s)) return {};
  const int h = to_int(s.substr(0, 2)), m = to_int(s.substr(2, 2));
  if (h > 24 || m > 59) return {};
  return std::string(s.substr(0, 2)) + ":" + std::string(s.substr(2, 2));
}

std::string iso_from_edifact(std::string_view value, std::string_view format, Century c,
                             int reference_year) {
  std::string date;
  std::string_view time;
  if (format == "101" || (format.empty() && value.size() == 6)) {
    date = iso_from_yymmdd(value, c, reference_year);
  } else if (format == "102" || (format.empty() && value.size() == 8)) {
    date = iso_from_ccyymmdd(value);
  } else if (format == "201" || (format.empty() && value.size() == 10)) {
    if (value.size() != 10) return {};
    date = iso_from_yymmdd(value.substr(0, 6), c, reference_year);
    time = value.substr(6, 4);
  } else if (format == "203" || format == "204" || (format.empty() && value.size() == 12)) {
    if (value.size() < 12) return {};
    date = iso_from_ccyymmdd(value.substr(0, 8));
    time = value.substr(8, 4);
  } else {
    return {};
  }
  if (date.empty()) return {};
  if (time.empty()) return date;
  const std::string t = iso_time_from_hhmm(time);
  return t.empty() ? std::string() : date + "T" + t;
}

}  // namespace vigil
