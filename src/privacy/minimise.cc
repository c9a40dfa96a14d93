#include "privacy/minimise.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace vigil {
namespace {

struct Term {
  std::string_view word;  // upper case
  const char* category;
  bool prefix;            // matches words starting with it ("PREGNAN" -> "PREGNANT")
};

// IATA special service codes that reveal a protected category.
constexpr Term kCodes[] = {
    {"MOML", "religion", false}, {"KSML", "religion", false}, {"HNML", "religion", false},
    {"VJML", "religion", false}, {"WCHR", "health", false},   {"WCHS", "health", false},
    {"WCHC", "health", false},   {"WCBD", "health", false},   {"WCBW", "health", false},
    {"WCMP", "health", false},   {"WCOB", "health", false},   {"MEDA", "health", false},
    {"BLND", "health", false},   {"DEAF", "health", false},   {"DPNA", "health", false},
    {"OXYG", "health", false},   {"STCR", "health", false},   {"MAAS", "health", false},
    {"ESAN", "health", false},   {"SVAN", "health", false},   {"DBML", "health", false},
    {"GFML", "health", false},   {"LSML", "health", false},   {"LCML", "health", false},
    {"BLML", "health", false},   {"NLML", "health", false},   {"LFML", "health", false},
    {"PRML", "health", false},   {"MEQT", "health", false},   {"PPOC", "health", false},
};

// Words of free text that reveal a protected category.
constexpr Term kWords[] = {
    {"MUSLIM", "religion", true},  {"MOSLEM", "religion", true},  {"ISLAM", "religion", true},
    {"HALAL", "religion", false},  {"KOSHER", "religion", false}, {"JEWISH", "religion", false},
    {"HINDU", "religion", true},   {"JAIN", "religion", false},   {"SIKH", "religion", false},
    {"CATHOLIC", "religion", false}, {"CHRISTIAN", "religion", false}, {"MOSQUE", "religion", false},
    {"SYNAGOGUE", "religion", false}, {"CHURCH", "religion", false}, {"PILGRIM", "religion", true},
    {"HAJJ", "religion", false},   {"UMRAH", "religion", false},  {"RAMADAN", "religion", false},
    {"WHEELCHAIR", "health", false}, {"PREGNAN", "health", true}, {"DIABET", "health", true},
    {"HIV", "health", false},      {"CANCER", "health", false},   {"DIALYSIS", "health", false},
    {"DISABL", "health", true},    {"BLIND", "health", false},    {"DEAF", "health", false},
    {"MEDICAL", "health", false},  {"MEDICATION", "health", false}, {"OXYGEN", "health", false},
    {"STRETCHER", "health", false}, {"EPILEP", "health", true},  {"ILLNESS", "health", false},
    {"PATIENT", "health", false},  {"INSULIN", "health", false},  {"AUTISM", "health", false},
    {"AUTISTIC", "health", false}, {"GAY", "sex life", false},   {"LESBIAN", "sex life", false},
    {"TRANSGENDER", "sex life", false}, {"UNION", "trade union", false},
    {"POLITICAL", "political opinion", false}, {"ASYLUM", "political opinion", false},
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const Term* lookup(const Term* begin, const Term* end, std::string_view word) {
  for (const Term* t = begin; t != end; ++t)
    if (t->prefix ? word.substr(0, t->word.size()) == t->word : word == t->word) return t;
  return nullptr;
}

// Calls f(begin, end) for each run of letters in `s`.
template <typename F>
void each_word(std::string_view s, F f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) f(i, j);
    i = j;
  }
}

const char* category_of_text(std::string_view text) {
  const std::string up = upper(text);
  const char* found = nullptr;
  each_word(up, [&](size_t a, size_t b) {
    if (found) return;
    if (const Term* t = lookup(std::begin(kWords), std::end(kWords), std::string_view(up).substr(a, b - a)))
      found = t->category;
  });
  return found;
}

template <typename List, typename Category>
void drop_if(List* items, Dropped* dropped, Category category_of) {
  items->erase(std::remove_if(items->begin(), items->end(),
                              [&](const auto& item) {
                                const std::string c = category_of(item);
                                if (c.empty()) return false;
                                ++(*dropped)[c];
                                return true;
                              }),
               items->end());
}

}  // namespace

// Service requests whose text is free (and may name anything); the text of
// structured ones (DOCS, DOCA, CTCE ...) holds names and addresses, where
// "UNION STREET" is no trade union.
bool free_text_code(std::string_view code) {
  return code.empty() || code == "OTHS" || code == "OSI" || code == "SPML" || code == "PETC" || code == "SPEQ";
}

std::string sensitive_category(std::string_view ssr_code, std::string_view text) {
  const std::string code = upper(ssr_code);
  if (const Term* t = lookup(std::begin(kCodes), std::end(kCodes), code)) return t->category;
  if (!free_text_code(code)) return "";
  const char* c = category_of_text(text);
  return c ? c : "";
}

void minimise(PnrPush* push, Dropped* dropped) {
  auto ssr = [](const ServiceRequest& s) { return sensitive_category(s.code, s.text); };
  for (Pnr& p : push->pnrs) {
    drop_if(&p.ssrs, dropped, ssr);
    for (PnrTraveller& t : p.travellers) drop_if(&t.ssrs, dropped, ssr);
    drop_if(&p.remarks, dropped, [](const std::string& r) {
      const char* c = category_of_text(r);
      return std::string(c ? c : "");
    });
  }
}

namespace {

// X's over the letters and digits of out[a, b).
void blank(std::string* out, size_t a, size_t b) {
  for (size_t i = a; i < b && i < out->size(); ++i)
    if (std::isalnum(static_cast<unsigned char>((*out)[i]))) (*out)[i] = 'X';
}

// X's over the sensitive words of out[a, b).
void blank_words(std::string* out, size_t a, size_t b, Dropped* dropped) {
  const std::string up = upper(std::string_view(*out).substr(a, b - a));
  each_word(up, [&](size_t x, size_t y) {
    const std::string_view word = std::string_view(up).substr(x, y - x);
    const Term* t = lookup(std::begin(kCodes), std::end(kCodes), word);
    if (!t) t = lookup(std::begin(kWords), std::end(kWords), word);
    if (!t) return;
    blank(out, a + x, a + y);
    if (dropped) ++(*dropped)[t->category];
  });
}

void redact_edifact(std::string* out, Dropped* dropped) {
  char element = '+', component = ':', release = '?', terminator = '\'';
  if (out->compare(0, 3, "UNA") == 0 && out->size() >= 9) {
    component = (*out)[3], element = (*out)[4], release = (*out)[6], terminator = (*out)[8];
  }
  size_t start = out->compare(0, 3, "UNA") == 0 ? 9 : 0;
  for (size_t i = start; i <= out->size(); ++i) {
    if (i < out->size() && (*out)[i] == release) {
      ++i;
      continue;
    }
    if (i < out->size() && (*out)[i] != terminator) continue;
    // A segment: out[start, i).
    size_t a = start;
    while (a < i && std::isspace(static_cast<unsigned char>((*out)[a]))) ++a;
    const size_t tag_end = std::min(out->find(element, a), i);
    const std::string tag = out->substr(a, tag_end - a);
    if (tag == "SSR" && tag_end < i) {
      size_t code_end = tag_end + 1;
      while (code_end < i && (*out)[code_end] != component && (*out)[code_end] != element) ++code_end;
      const std::string code = upper(std::string_view(*out).substr(tag_end + 1, code_end - tag_end - 1));
      if (const Term* t = lookup(std::begin(kCodes), std::end(kCodes), code)) {
        blank(out, tag_end + 1, i);
        if (dropped) ++(*dropped)[t->category];
      } else if (free_text_code(code)) {
        blank_words(out, code_end, i, dropped);
      }
    } else if (tag == "IFT" || tag == "RMK" || tag == "OSI") {
      blank_words(out, tag_end, i, dropped);
    }
    start = i + 1;
  }
}

// XML: service codes wherever they stand (they are distinctive), and
// sensitive words in the text of elements that carry free text.
void redact_xml(std::string* out, Dropped* dropped) {
  std::string element;
  for (size_t i = 0; i < out->size();) {
    if ((*out)[i] == '<') {
      const size_t close = out->find('>', i);
      if (close == std::string::npos) break;
      size_t name = i + 1;
      const bool end_tag = name < close && (*out)[name] == '/';
      if (end_tag) ++name;
      size_t name_end = name;
      while (name_end < close && !std::isspace(static_cast<unsigned char>((*out)[name_end])) && (*out)[name_end] != '/')
        ++name_end;
      // Attributes may hold service codes (Code="WCHR").
      if (!end_tag) {
        element = upper(std::string_view(*out).substr(name, name_end - name));
        const std::string up = upper(std::string_view(*out).substr(name_end, close - name_end));
        each_word(up, [&](size_t x, size_t y) {
          if (const Term* t = lookup(std::begin(kCodes), std::end(kCodes), std::string_view(up).substr(x, y - x))) {
            blank(out, name_end + x, name_end + y);
            if (dropped) ++(*dropped)[t->category];
          }
        });
      }
      i = close + 1;
      continue;
    }
    const size_t next = std::min(out->find('<', i), out->size());
    const bool free_text = element.find("REMARK") != std::string::npos || element.find("TEXT") != std::string::npos ||
                           element.find("OSI") != std::string::npos || element.find("SSR") != std::string::npos ||
                           element.find("SERVICE") != std::string::npos;
    if (free_text) {
      blank_words(out, i, next, dropped);
    } else {
      const std::string up = upper(std::string_view(*out).substr(i, next - i));
      each_word(up, [&](size_t x, size_t y) {
        if (const Term* t = lookup(std::begin(kCodes), std::end(kCodes), std::string_view(up).substr(x, y - x))) {
          blank(out, i + x, i + y);
          if (dropped) ++(*dropped)[t->category];
        }
      });
    }
    i = next;
  }
}

}  // namespace

std::string redact_raw(std::string_view raw, Dropped* dropped) {
  std::string out(raw);
  size_t first = 0;
  while (first < out.size() && std::isspace(static_cast<unsigned char>(out[first]))) ++first;
  if (first < out.size() && out[first] == '<') redact_xml(&out, dropped);
  else redact_edifact(&out, dropped);
  return out;
}

}  // namespace vigil
