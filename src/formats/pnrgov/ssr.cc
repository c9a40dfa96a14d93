#include "formats/pnrgov/ssr.h"

#include <vector>

#include "formats/dates.h"

namespace vigil {
namespace {

std::vector<std::string_view> split_slash(std::string_view text) {
  if (!text.empty() && text.front() == '/') text.remove_prefix(1);
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      std::string_view f = text.substr(start, i - start);
      while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
      while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
      out.push_back(f);
      start = i + 1;
    }
  }
  return out;
}

std::string_view field(const std::vector<std::string_view>& f, size_t i) {
  return i < f.size() ? f[i] : std::string_view();
}

void fill_if_empty(std::string& dst, std::string_view src) {
  if (dst.empty() && !src.empty()) dst = std::string(src);
}

}  // namespace

std::string normalise_sex(std::string_view code) {
  if (code == "M" || code == "MI") return "M";
  if (code == "F" || code == "FI") return "F";
  if (code == "X") return "X";
  return code.empty() ? std::string() : "U";
}

bool apply_docs(std::string_view text, int reference_year, Traveller* t, std::string* problem) {
  // type / issuing state / number / nationality / birth date / sex / expiry /
  // surname / first given name / second given name / primary holder
  const auto f = split_slash(text);
  const std::string birth =
      iso_from_ddmmmyy(field(f, 4), Century::kPast, reference_year);
  if (field(f, 2).empty() && birth.empty()) {
    *problem = "DOCS has neither a document number nor a birth date";
    return false;
  }
  if (!field(f, 4).empty() && birth.empty()) {
    *problem = "DOCS birth date '" + std::string(field(f, 4)) + "' is not DDMMMYY";
  }
  if (!field(f, 2).empty() && t->documents.size() >= kMaxDocumentsPerTraveller) {
    *problem = "traveller has more than " + std::to_string(kMaxDocumentsPerTraveller) +
               " documents; further DOCS ignored";
    return false;
  }
  if (!field(f, 2).empty()) {
    Document d;
    d.type = std::string(field(f, 0));
    d.issuing_state = std::string(field(f, 1));
    d.number = std::string(field(f, 2));
    d.expiry_date = iso_from_ddmmmyy(field(f, 6), Century::kFuture, reference_year);
    if (!field(f, 6).empty() && d.expiry_date.empty() && problem->empty())
      *problem = "DOCS expiry date '" + std::string(field(f, 6)) + "' is not DDMMMYY";
    bool known = false;
    for (const auto& existing : t->documents)
      known = known || (existing.number == d.number && existing.type == d.type);
    if (!known) t->documents.push_back(std::move(d));
  }
  fill_if_empty(t->nationality, field(f, 3));
  fill_if_empty(t->birth_date, birth);
  if (t->sex.empty()) t->sex = normalise_sex(field(f, 5));
  fill_if_empty(t->surname, field(f, 7));
  if (t->given_names.empty()) {
    std::string given(field(f, 8));
    if (!field(f, 9).empty()) given += (given.empty() ? "" : " ") + std::string(field(f, 9));
    t->given_names = given;
  }
  return true;
}

bool apply_doco(std::string_view text, int reference_year, Traveller* t, std::string* problem) {
  // place of birth / type / number / place of issue / issue date / applicable state
  const auto f = split_slash(text);
  fill_if_empty(t->place_of_birth, field(f, 0));
  if (field(f, 2).empty()) {
    if (field(f, 0).empty()) {
      *problem = "DOCO has neither a place of birth nor a document number";
      return false;
    }
    return true;
  }
  if (t->documents.size() >= kMaxDocumentsPerTraveller) {
    *problem = "traveller has more than " + std::to_string(kMaxDocumentsPerTraveller) +
               " documents; further DOCO ignored";
    return false;
  }
  Document d;
  d.type = std::string(field(f, 1));
  d.number = std::string(field(f, 2));
  d.place_of_issue = std::string(field(f, 3));
  d.issue_date = iso_from_ddmmmyy(field(f, 4), Century::kPast, reference_year);
  d.applicable_state = std::string(field(f, 5));
  t->documents.push_back(std::move(d));
  return true;
}

bool apply_doca(std::string_view text, Traveller* t, std::string* problem) {
  // type / country / street / city / region / postal code
  const auto f = split_slash(text);
  Address a;
  a.type = std::string(field(f, 0));
  a.country = std::string(field(f, 1));
  a.street = std::string(field(f, 2));
  a.city = std::string(field(f, 3));
  a.region = std::string(field(f, 4));
  a.postal_code = std::string(field(f, 5));
  if (a.country.empty() && a.street.empty() && a.city.empty()) {
    *problem = "DOCA has no address";
    return false;
  }
  if (a.type == "R") fill_if_empty(t->residence_country, a.country);
  if (!t->address || a.type == "R") t->address = std::move(a);
  return true;
}

void set_card_number(std::string_view number, const HashKey* key, Payment* p) {
  std::string digits;
  bool masked = false;
  for (char ch : number) {
    if (ch >= '0' && ch <= '9') digits.push_back(ch);
    else if (ch == 'X' || ch == 'x' || ch == '*') masked = true;
  }
  p->card_last4 = digits.size() >= 4 ? digits.substr(digits.size() - 4) : digits;
  p->card_hash = (masked || digits.size() < 8 || !key) ? std::string() : key->keyed_hex(digits);
}

}  // namespace vigil
