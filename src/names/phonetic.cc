#include "names/phonetic.h"

namespace vigil {
namespace {

// Sound class of a consonant; 0 for vowels and letters that carry no
// consonant of their own in transliterations (h, w, y).
char consonant_class(char c, char next) {
  switch (c) {
    case 'b': case 'p': case 'f': case 'v': return 'b';
    case 'c': return (next == 'e' || next == 'i' || next == 'y') ? 's' : 'k';
    case 'k': case 'q': return 'k';
    case 'g': case 'j': return 'j';
    case 'd': case 't': return 't';
    case 's': case 'z': case 'x': return 's';
    case 'l': return 'l';
    case 'r': return 'r';
    case 'm': return 'm';
    case 'n': return 'n';
    default:
      if (c >= '0' && c <= '9') return c;
      return 0;
  }
}

}  // namespace

std::string skeleton_key(std::string_view t) {
  std::string key;
  key.reserve(t.size());
  char last = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const char next = i + 1 < t.size() ? t[i + 1] : 0;
    char cls;
    size_t skip = 0;
    // Digraphs that transliterations write for one sound.
    if ((c == 's' || c == 'z') && next == 'h') cls = 's', skip = 1;
    else if (c == 's' && next == 'c' && i + 2 < t.size() && t[i + 2] == 'h') cls = 's', skip = 2;
    else if (c == 'c' && next == 'h') cls = 's', skip = 1;
    else if ((c == 'k' || c == 'g') && next == 'h') cls = 'k', skip = 1;
    else if ((c == 't' || c == 'd') && next == 'h') cls = 't', skip = 1;
    else if (c == 'p' && next == 'h') cls = 'b', skip = 1;
    else if (c == 'c' && next == 'k') cls = 'k', skip = 1;
    else cls = consonant_class(c, next);
    if (i == 0 && cls == 0) cls = 'a';  // a leading vowel (or h, w, y) is kept as one class
    i += skip;
    if (cls == 0) continue;  // vowels inside the word
    if (cls != last) key.push_back(cls);
    last = cls;
  }
  return key;
}

}  // namespace vigil
