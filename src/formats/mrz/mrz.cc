#include "formats/mrz/mrz.h"

#include "formats/dates.h"

#include <cstdio>
#include <exception>
#include <string_view>
#include <utility>

namespace vigil {
namespace {

constexpr char kFiller = '<';
constexpr size_t kTd1Length = 30;
constexpr size_t kTd2Length = 36;
constexpr size_t kTd3Length = 44;
// Keeps every resolved year within four digits.
constexpr int kMaxReferenceYear = 9899;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_mrz_char(char c) { return is_digit(c) || is_upper(c) || c == kFiller; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Value of a character in a check digit sum: '<' 0, digits as such, A-Z
// 10-35. Characters are validated before any sum is taken.
int char_value(char c) {
  if (is_digit(c)) return c - '0';
  if (is_upper(c)) return c - 'A' + 10;
  return 0;
}

// The Doc 9303 check digit: weights 7, 3, 1 repeated, sum modulo 10.
char check_digit(std::string_view data) {
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < data.size(); ++i) sum += char_value(data[i]) * kWeights[i % 3];
  return static_cast<char>('0' + sum % 10);
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim_trailing_fillers(std::string_view s) {
  while (!s.empty() && s.back() == kFiller) s.remove_suffix(1);
  return s;
}

std::string_view trim_fillers(std::string_view s) {
  while (!s.empty() && s.front() == kFiller) s.remove_prefix(1);
  return trim_trailing_fillers(s);
}

bool all_fillers(std::string_view s) { return trim_fillers(s).empty(); }

bool all_letters(std::string_view s) {
  for (char c : s)
    if (!is_upper(c)) return false;
  return true;
}

// A character for a message: printable ASCII quoted, anything else as hex.
std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", u);
  return buf;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Runs of fillers become one space; fillers at either end are dropped.
std::string fillers_to_spaces(std::string_view s) {
  s = trim_fillers(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != kFiller) {
      out += s[i];
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

// The raw fields of a zone, cut out by the format's layout.
struct Layout {
  std::string_view code, state, number, nationality, birth, expiry, name;
  std::string_view optional, optional2;
  char number_cd = kFiller, birth_cd = kFiller, expiry_cd = kFiller, sex = kFiller;
  // The number may continue in `optional` (TD1, TD2, MRV-B).
  bool long_number = false;
  // TD3 only: check digit over `optional`.
  bool optional_checked = false;
  char optional_cd = kFiller;
  bool composite_checked = false;
  std::string composite_data;
  char composite_cd = kFiller;
};

Layout td1(std::string_view l1, std::string_view l2, std::string_view l3) {
  Layout f;
  f.code = l1.substr(0, 2);
  f.state = l1.substr(2, 3);
  f.number = l1.substr(5, 9);
  f.number_cd = l1[14];
  f.optional = l1.substr(15, 15);
  f.birth = l2.substr(0, 6);
  f.birth_cd = l2[6];
  f.sex = l2[7];
  f.expiry = l2.substr(8, 6);
  f.expiry_cd = l2[14];
  f.nationality = l2.substr(15, 3);
  f.optional2 = l2.substr(18, 11);
  f.name = l3;
  f.long_number = true;
  f.composite_checked = true;
  f.composite_data = std::string(l1.substr(5, 25));
  f.composite_data += l2.substr(0, 7);
  f.composite_data += l2.substr(8, 7);
  f.composite_data += l2.substr(18, 11);
  f.composite_cd = l2[29];
  return f;
}

// Line 2 of TD2, TD3, MRV-A and MRV-B share positions 1-28.
Layout two_line(std::string_view l1, std::string_view l2) {
  Layout f;
  f.code = l1.substr(0, 2);
  f.state = l1.substr(2, 3);
  f.name = l1.substr(5);
  f.number = l2.substr(0, 9);
  f.number_cd = l2[9];
  f.nationality = l2.substr(10, 3);
  f.birth = l2.substr(13, 6);
  f.birth_cd = l2[19];
  f.sex = l2[20];
  f.expiry = l2.substr(21, 6);
  f.expiry_cd = l2[27];
  return f;
}

Layout td2(std::string_view l1, std::string_view l2) {
  Layout f = two_line(l1, l2);
  f.optional = l2.substr(28, 7);
  f.long_number = true;
  f.composite_checked = true;
  f.composite_data = std::string(l2.substr(0, 10));
  f.composite_data += l2.substr(13, 7);
  f.composite_data += l2.substr(21, 14);
  f.composite_cd = l2[35];
  return f;
}

Layout td3(std::string_view l1, std::string_view l2) {
  Layout f = two_line(l1, l2);
  f.optional = l2.substr(28, 14);
  f.optional_checked = true;
  f.optional_cd = l2[42];
  f.composite_checked = true;
  f.composite_data = std::string(l2.substr(0, 10));
  f.composite_data += l2.substr(13, 7);
  f.composite_data += l2.substr(21, 22);
  f.composite_cd = l2[43];
  return f;
}

Layout mrv(std::string_view l1, std::string_view l2, bool type_b) {
  Layout f = two_line(l1, l2);
  f.optional = l2.substr(28);
  f.long_number = type_b;
  return f;
}

class Builder {
 public:
  Builder(Mrz* mrz, int reference_year) : m_(*mrz), reference_year_(reference_year) {}

  void build(const Layout& f) {
    document_code(f.code);
    m_.issuing_state = country(f.state, "issuing state");
    number(f);
    m_.nationality = country(f.nationality, "nationality");
    birth(f.birth, f.birth_cd);
    sex(f.sex);
    expiry(f.expiry, f.expiry_cd);
    if (f.optional_checked) personal_number(f.optional, f.optional_cd);
    m_.optional_data2 = std::string(trim_fillers(f.optional2));
    if (f.composite_checked) check("composite", "composite", f.composite_data, f.composite_cd);
    name(f.name);
    m_.valid = m_.problems.empty();
  }

 private:
  void problem(std::string reason) { m_.problems.push_back(std::move(reason)); }

  void check(const char* name, const char* label, std::string_view data, char found) {
    const char expected = check_digit(data);
    record(name, label, expected, found, expected == found);
  }

  void record(const char* name, const char* label, char expected, char found, bool ok) {
    m_.checks.push_back({name, expected, found, ok});
    if (!ok) {
      problem(std::string(label) + " check digit is " + describe(found) + ", expected " +
              describe(expected));
    }
  }

  void document_code(std::string_view code) {
    m_.document_code = std::string(trim_trailing_fillers(code));
    if (!is_upper(code[0])) {
      problem("document code " + quoted(code) + " does not start with a letter");
    }
  }

  std::string country(std::string_view raw, const char* what) {
    const std::string_view code = trim_trailing_fillers(raw);
    if (code.empty()) {
      problem(std::string(what) + " is missing");
    } else if (!all_letters(code)) {
      problem(std::string(what) + " " + quoted(raw) + " is not a country code of letters");
      return {};
    }
    return std::string(code);
  }

  void number(const Layout& f) {
    std::string_view optional = f.optional;
    // A number of more than nine characters fills its field, puts a filler
    // in place of the check digit and continues in the optional data,
    // followed by its check digit and a filler.
    if (f.long_number && f.number_cd == kFiller &&
        f.number.find(kFiller) == std::string_view::npos) {
      size_t run = 0;
      while (run < optional.size() && optional[run] != kFiller) ++run;
      if (run > 0) {
        m_.document_number = std::string(f.number);
        m_.document_number += optional.substr(0, run - 1);
        check("document_number", "document number", m_.document_number, optional[run - 1]);
        m_.optional_data = std::string(trim_fillers(optional.substr(run)));
        return;
      }
    }
    m_.document_number = std::string(trim_fillers(f.number));
    if (m_.document_number.empty()) problem("document number is missing");
    check("document_number", "document number", f.number, f.number_cd);
    m_.optional_data = std::string(trim_fillers(optional));
  }

  void birth(std::string_view raw, char cd) {
    check("birth_date", "birth date", raw, cd);
    if (all_fillers(raw)) return;  // unknown date of birth
    m_.birth_date = iso_from_yymmdd(raw, Century::kPast, reference_year_);
    if (m_.birth_date.empty()) problem("birth date " + quoted(raw) + " is not a calendar date");
  }

  void expiry(std::string_view raw, char cd) {
    check("expiry_date", "expiry date", raw, cd);
    m_.expiry_date = iso_from_yymmdd(raw, Century::kFuture, reference_year_);
    if (m_.expiry_date.empty()) problem("expiry date " + quoted(raw) + " is not a calendar date");
  }

  void sex(char c) {
    if (c == 'M' || c == 'F') {
      m_.sex = std::string(1, c);
    } else if (c == 'X' || c == kFiller) {
      m_.sex = "X";
    } else {
      problem("sex " + describe(c) + " is not M, F, X or '<'");
    }
  }

  // The TD3 personal number: a check digit of '<' is allowed when the number
  // is fillers only.
  void personal_number(std::string_view raw, char cd) {
    m_.optional_data = std::string(trim_fillers(raw));
    const char expected = check_digit(raw);
    const bool ok = cd == expected || (cd == kFiller && all_fillers(raw));
    record("optional_data", "personal number", expected, cd, ok);
  }

  void name(std::string_view raw) {
    const size_t split = raw.find("<<");
    if (split == std::string_view::npos) {
      m_.surname = fillers_to_spaces(raw);
    } else {
      m_.surname = fillers_to_spaces(raw.substr(0, split));
      m_.given_names = fillers_to_spaces(raw.substr(split + 2));
    }
    if (m_.surname.empty() && m_.given_names.empty()) problem("name is missing");
  }

  Mrz& m_;
  int reference_year_;
};

// Why a line cannot be part of a zone, or empty when it can.
std::string bad_characters(std::string_view line, size_t index) {
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (is_mrz_char(c)) continue;
    const std::string where =
        "line " + std::to_string(index + 1) + " position " + std::to_string(i + 1) + ": ";
    if (is_lower(c)) {
      return where + "lower-case letter " + describe(c) +
             "; MRZ letters are upper case (A-Z)";
    }
    return where + "character " + describe(c) + " is not allowed (only A-Z, 0-9 and '<')";
  }
  return {};
}

std::string length_list(const std::vector<std::string_view>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(lines[i].size());
  }
  return out;
}

Result<Mrz> parse(const std::vector<std::string>& input, int reference_year) {
  std::vector<std::string_view> lines;
  for (const std::string& s : input) lines.push_back(trim_space(s));
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(first));

  if (lines.size() != 2 && lines.size() != 3) {
    return Status::Error("MRZ has " + std::to_string(lines.size()) +
                         " lines; expected 3 (TD1) or 2 (TD2, TD3, MRV-A, MRV-B)");
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string why = bad_characters(lines[i], i);
    if (!why.empty()) return Status::Error("MRZ " + why);
  }

  Mrz m;
  Layout layout;
  if (lines.size() == 3) {
    for (std::string_view l : lines) {
      if (l.size() != kTd1Length) {
        return Status::Error("3-line MRZ (TD1) needs lines of 30 characters; got " +
                             length_list(lines));
      }
    }
    m.format = "TD1";
    layout = td1(lines[0], lines[1], lines[2]);
  } else {
    const size_t n = lines[0].size();
    if (lines[1].size() != n || (n != kTd2Length && n != kTd3Length)) {
      return Status::Error(
          "2-line MRZ needs two lines of 36 (TD2, MRV-B) or 44 (TD3, MRV-A) characters; got " +
          length_list(lines));
    }
    const bool visa = lines[0][0] == 'V';
    if (n == kTd3Length) {
      m.format = visa ? "MRV-A" : "TD3";
      layout = visa ? mrv(lines[0], lines[1], false) : td3(lines[0], lines[1]);
    } else {
      m.format = visa ? "MRV-B" : "TD2";
      layout = visa ? mrv(lines[0], lines[1], true) : td2(lines[0], lines[1]);
    }
  }
  if (reference_year <= 0) reference_year = current_year();
  if (reference_year > kMaxReferenceYear) reference_year = kMaxReferenceYear;
  Builder(&m, reference_year).build(layout);
  return m;
}

}  // namespace

Result<Mrz> parse_mrz(const std::vector<std::string>& lines, int reference_year) {
  try {
    return parse(lines, reference_year);
  } catch (const std::exception& e) {
    return Status::Error(std::string("MRZ could not be read: ") + e.what());
  }
}

nlohmann::json to_json(const Mrz& mrz) {
  try {
    nlohmann::json checks = nlohmann::json::array();
    for (const MrzCheck& c : mrz.checks) {
      checks.push_back({{"name", c.name},
                        {"expected", std::string(1, c.expected)},
                        {"found", std::string(1, c.found)},
                        {"ok", c.ok}});
    }
    nlohmann::json problems = nlohmann::json::array();
    for (const std::string& p : mrz.problems) problems.push_back(p);
    return {{"format", mrz.format},
            {"valid", mrz.valid},
            {"document_code", mrz.document_code},
            {"issuing_state", mrz.issuing_state},
            {"document_number", mrz.document_number},
            {"surname", mrz.surname},
            {"given_names", mrz.given_names},
            {"nationality", mrz.nationality},
            {"birth_date", mrz.birth_date},
            {"sex", mrz.sex},
            {"expiry_date", mrz.expiry_date},
            {"optional_data", mrz.optional_data},
            {"optional_data2", mrz.optional_data2},
            {"checks", std::move(checks)},
            {"problems", std::move(problems)}};
  } catch (const std::exception&) {
    return nlohmann::json();
  }
}

}  // namespace vigil
