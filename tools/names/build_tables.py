#!/usr/bin/env python3
"""Builds Vigil's name-variant tables from the shared name data.

Reads ../shared/data/names beside the repository (or --data), holds out a
deterministic 10% of every source by a hash of its Latin form, and from the
remaining 90% writes:

  data/names/tokens.tsv     native token -> Latin renderings with counts
  data/names/charmodel.tsv  learned grapheme model per script
  data/names/cjk.tsv        hand-compiled Han character readings
  data/names/hangul.tsv     rule-based romanisations of all Hangul syllables
  data/names/nicknames.tsv  English given name <-> nickname pairs
  data/names/nfc.tsv        Unicode composition data for the C++ loader

and, from the held-out 10% only, the evaluation pairs in data/eval/. It
prints the held-out coverage of the renderings against a naive
per-character transliteration baseline (ICU `uconv -x Any-Latin`, when
installed). See data/names/README.md.

Standard library only. Run from anywhere:
  python3 tools/names/build_tables.py [--data DIR] [--jobs N] [--cache FILE]
"""

import argparse
import collections
import hashlib
import math
import os
import random
import shutil
import subprocess
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import hangul_rules  # noqa: E402  (beside this script)

SPLIT_SALT = "vigil-names-split-v1:"

# ---------------------------------------------------------------------------
# Normalisation. native_key() must stay identical to CanonicalNative() in
# src/names/variants.cc: the tables are keyed by its output.

_ARABIC_FOLD = {
    0x0622: 0x0627, 0x0623: 0x0627, 0x0625: 0x0627, 0x0671: 0x0627,
    0x0672: 0x0627, 0x0673: 0x0627,
    0x0649: 0x064A, 0x06CC: 0x064A, 0x06D2: 0x064A,
    0x06A9: 0x0643, 0x06AA: 0x0643,
    0x06C1: 0x0647, 0x06BE: 0x0647,
}
_HEBREW_EXPAND = {0x05F0: "\u05D5\u05D5", 0x05F1: "\u05D5\u05D9",
                  0x05F2: "\u05D9\u05D9"}
_APOSTROPHES = {0x0027, 0x05F3, 0x2019, 0x0060, 0x00B4, 0x02BC}


def script_of_cp(cp):
    """Script class of one code point of a canonical key, or None."""
    if 0x0620 <= cp <= 0x063F or 0x0641 <= cp <= 0x064A or \
            0x066E <= cp <= 0x066F or 0x0671 <= cp <= 0x06D3 or cp == 0x06D5:
        return "ar"
    if 0x05D0 <= cp <= 0x05EA or 0x05EF <= cp <= 0x05F2:
        return "he"
    if 0x0400 <= cp <= 0x0481 or 0x048A <= cp <= 0x052F:
        return "ru"
    if 0x0386 <= cp <= 0x03FF and cp not in (0x0387,):
        return "el"
    if 0xAC00 <= cp <= 0xD7A3 or 0x1100 <= cp <= 0x11FF or \
            0x3131 <= cp <= 0x318E:
        return "ko"
    if 0x3041 <= cp <= 0x3096 or 0x309D <= cp <= 0x309F or \
            0x30A1 <= cp <= 0x30FA or 0x30FC <= cp <= 0x30FF or \
            0x31F0 <= cp <= 0x31FF:
        return "kana"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or \
            0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x2FFFF or \
            cp in (0x3005, 0x3007):
        return "han"
    return None


def native_key(text):
    """Canonical form of a native-script token: NFC, letters of the
    supported scripts only, Arabic letter variants folded, Cyrillic lower
    case, hiragana as katakana, Hebrew geresh as an apostrophe."""
    text = unicodedata.normalize("NFC", text)
    out = []
    prev_hebrew = False
    for ch in text:
        cp = ord(ch)
        if cp in _APOSTROPHES:
            if prev_hebrew:
                out.append("'")
            continue
        if cp in _HEBREW_EXPAND:
            out.append(_HEBREW_EXPAND[cp])
            prev_hebrew = True
            continue
        script = script_of_cp(cp)
        if script is None:
            continue
        prev_hebrew = script == "he"
        cp = _ARABIC_FOLD.get(cp, cp)
        if 0x0410 <= cp <= 0x042F:
            cp += 0x20
        elif 0x0400 <= cp <= 0x040F:
            cp += 0x50
        elif 0x0460 <= cp <= 0x0481 or 0x048A <= cp <= 0x052F:
            cp |= 1
        elif 0x0391 <= cp <= 0x03A9:
            cp += 0x20
        elif 0x3041 <= cp <= 0x3096 or 0x309D <= cp <= 0x309E:
            cp += 0x60
        out.append(chr(cp))
    return "".join(out)


def token_script(key):
    """Model name for a canonical key: ar he ru el ko kana ja zh, or None."""
    scripts = collections.Counter(script_of_cp(ord(c)) for c in key)
    scripts.pop(None, None)
    if not scripts:
        return None
    if "han" in scripts and "kana" in scripts:
        return "ja"
    top = scripts.most_common(1)[0][0]
    return {"han": "zh"}.get(top, top)


_LATIN_SPECIAL = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d",
                  "ð": "d", "þ": "th", "ł": "l", "ı": "i", "ħ": "h",
                  "ŋ": "ng", "ĳ": "ij", "ſ": "s"}


def latin_ascii(text):
    """Lower-case ASCII letters of a Latin string (diacritics stripped)."""
    text = text.lower()
    text = "".join(_LATIN_SPECIAL.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if "a" <= c <= "z")


def latin_words(text):
    """Lower-case ASCII words of a Latin full name."""
    words = []
    for raw in text.replace("-", " ").replace(",", " ").split():
        w = latin_ascii(raw)
        if w:
            words.append(w)
    return words


def held_out(latin_form):
    """True for the deterministic 10% kept aside for evaluation."""
    digest = hashlib.sha256((SPLIT_SALT + latin_form).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 10 == 0


def dev_bucket(latin_form):
    """A second, independent 5% slice of the training part for tuning."""
    digest = hashlib.sha256(("vigil-names-dev:" + latin_form).encode()) \
        .digest()
    return int.from_bytes(digest[:8], "big") % 20 == 0


# ---------------------------------------------------------------------------
# Sources.

TOKEN_FILES = [
    ("wikidata-transliteration/wd_arabic.normalized.aligned.tokens", "ar"),
    ("wikidata-transliteration/wd_hebrew.normalized.aligned.tokens", "he"),
    ("wikidata-transliteration/wd_russian_tokens_train", "ru"),
    ("wikidata-transliteration/wd_korean.normalized.aligned.tokens", "ko"),
    ("wikidata-transliteration/wd_katakana.normalized.aligned.tokens", "kana"),
    ("wikidata-transliteration/wd_japanese.normalized.aligned.tokens", "ja"),
    ("wikidata-transliteration/wd_chinese.normalized.aligned.tokens", "zh"),
]
AR2EN = "arabic-english/ar2en-train.txt"
NICKNAMES = "nicknames/names.csv"
FULLNAME_FILES = [
    ("wikidata-transliteration/wd_hebrew_fullnames_train", "he"),
    ("wikidata-transliteration/wd_korean_fullnames_train", "ko"),
]

Pair = collections.namedtuple("Pair", "latin native count source")


def _clean_pair(latin_raw, native_raw):
    if any(c.isdigit() for c in native_raw):
        return None
    if any("a" <= c.lower() <= "z" for c in native_raw):
        return None
    latin = latin_ascii(latin_raw)
    native = native_key(native_raw.replace(" ", ""))
    if not latin or not native or token_script(native) is None:
        return None
    return latin, native


def load_pairs(data_dir):
    """All token pairs of all sources, as Pair rows."""
    pairs = []
    for rel, source in TOKEN_FILES:
        with open(os.path.join(data_dir, rel), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                cleaned = _clean_pair(parts[0], parts[1])
                if cleaned is None:
                    continue
                try:
                    count = int(parts[2])
                except ValueError:
                    continue
                pairs.append(Pair(cleaned[0], cleaned[1], count, source))
    with open(os.path.join(data_dir, AR2EN), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            cleaned = _clean_pair(parts[1], parts[0])
            if cleaned is not None:
                pairs.append(Pair(cleaned[0], cleaned[1], 1, "ar2en"))
    return pairs


def load_fullnames(data_dir):
    rows = []
    for rel, source in FULLNAME_FILES:
        with open(os.path.join(data_dir, rel), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                    rows.append((parts[0].strip(), parts[1].strip(), source))
    return rows


def load_nicknames(data_dir):
    """Undirected (a, b) pairs with a < b."""
    pairs = set()
    with open(os.path.join(data_dir, NICKNAMES), encoding="utf-8") as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) != 3 or parts[1] != "has_nickname":
                continue
            a, b = latin_ascii(parts[0]), latin_ascii(parts[2])
            if a and b and a != b:
                pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


# ---------------------------------------------------------------------------
# Learned grapheme model, step 1: many-to-many EM alignment (native units of
# one or two characters, Latin strings of zero to MAX_LATIN letters) with
# joint unit probabilities P(native unit, latin string), as in the m2m
# aligner of Jiampojamarn et al. (2007).

MAX_LATIN = {"ar": 4, "he": 4, "ru": 4, "ko": 3, "ja": 5, "zh": 5}
MAX_NATIVE = 2
MIN_UNIT_PROB = 1e-6


def train_model(pairs, script, iterations=6, log=None):
    """EM over (native, latin, weight) triples; returns {(x, y): prob}."""
    maxb = MAX_LATIN[script]
    # Co-occurrence initialisation: uniform over every candidate unit.
    prob = collections.defaultdict(float)
    for native, latin, w in pairs:
        n, m = len(native), len(latin)
        for i in range(n):
            for a in range(1, MAX_NATIVE + 1):
                if i + a > n:
                    break
                x = native[i:i + a]
                for j in range(m + 1):
                    for b in range(0, maxb + 1):
                        if j + b > m:
                            break
                        prob[(x, latin[j:j + b])] += w
    total = sum(prob.values())
    prob = {k: v / total for k, v in prob.items()}
    for it in range(iterations):
        counts = collections.defaultdict(float)
        loglik = 0.0
        for native, latin, w in pairs:
            n, m = len(native), len(latin)
            alpha = [[0.0] * (m + 1) for _ in range(n + 1)]
            alpha[0][0] = 1.0
            for i in range(n):
                row = alpha[i]
                for j in range(m + 1):
                    aij = row[j]
                    if aij == 0.0:
                        continue
                    for a in range(1, MAX_NATIVE + 1):
                        if i + a > n:
                            break
                        x = native[i:i + a]
                        nxt = alpha[i + a]
                        for b in range(0, maxb + 1):
                            if j + b > m:
                                break
                            p = prob.get((x, latin[j:j + b]))
                            if p:
                                nxt[j + b] += aij * p
            z = alpha[n][m]
            if z <= 0.0:
                continue
            loglik += w * math.log(z)
            beta = [[0.0] * (m + 1) for _ in range(n + 1)]
            beta[n][m] = 1.0
            for i in range(n - 1, -1, -1):
                for j in range(m, -1, -1):
                    s = 0.0
                    for a in range(1, MAX_NATIVE + 1):
                        if i + a > n:
                            break
                        x = native[i:i + a]
                        nb = beta[i + a]
                        for b in range(0, maxb + 1):
                            if j + b > m:
                                break
                            bb = nb[j + b]
                            if bb == 0.0:
                                continue
                            key = (x, latin[j:j + b])
                            p = prob.get(key)
                            if p:
                                s += p * bb
                                if alpha[i][j]:
                                    counts[key] += w * alpha[i][j] * p * bb / z
                    beta[i][j] = s
        total = sum(counts.values())
        prob = {k: v / total for k, v in counts.items()
                if v / total >= MIN_UNIT_PROB}
        if log:
            log(f"  {script} EM iteration {it + 1}: loglik {loglik:.0f}, "
                f"{len(prob)} units")
    return prob


# ---------------------------------------------------------------------------
# Metrics.

def jaro_winkler(s1, s2):
    if s1 == s2:
        return 1.0
    l1, l2 = len(s1), len(s2)
    if not l1 or not l2:
        return 0.0
    window = max(0, max(l1, l2) // 2 - 1)
    m1 = [False] * l1
    m2 = [False] * l2
    matches = 0
    for i, c in enumerate(s1):
        lo, hi = max(0, i - window), min(l2, i + window + 1)
        for j in range(lo, hi):
            if not m2[j] and s2[j] == c:
                m1[i] = m2[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    t = 0
    j = 0
    for i in range(l1):
        if m1[i]:
            while not m2[j]:
                j += 1
            if s1[i] != s2[j]:
                t += 1
            j += 1
    t //= 2
    jaro = (matches / l1 + matches / l2 + (matches - t) / matches) / 3
    prefix = 0
    for a, b in zip(s1[:4], s2[:4]):
        if a != b:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def skeleton(s):
    """Consonant skeleton: vowels dropped, repeated letters collapsed."""
    out = []
    for c in s:
        if c in "aeiou":
            continue
        if out and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


def close_enough(candidate, truth):
    if not candidate:
        return False
    if jaro_winkler(candidate, truth) >= 0.90:
        return True
    sk = skeleton(truth)
    return bool(sk) and skeleton(candidate) == sk



def viterbi_align(prob, native, latin, maxb):
    """Most probable segmentation of a pair into (native, latin) units."""
    n, m = len(native), len(latin)
    best = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (0.0, None)
    for i in range(n):
        for j in range(m + 1):
            cell = best[i][j]
            if cell is None:
                continue
            for a in range(1, MAX_NATIVE + 1):
                if i + a > n:
                    break
                x = native[i:i + a]
                for b in range(0, maxb + 1):
                    if j + b > m:
                        break
                    p = prob.get((x, latin[j:j + b]))
                    if not p:
                        continue
                    score = cell[0] + math.log(p)
                    cur = best[i + a][j + b]
                    if cur is None or score > cur[0]:
                        best[i + a][j + b] = (score, (i, j))
    if best[n][m] is None:
        return None
    units = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = best[i][j][1]
        units.append((native[pi:i], latin[pj:j]))
        i, j = pi, pj
    return units[::-1]


# ---------------------------------------------------------------------------
# Learned grapheme model, step 2: the training pairs are segmented by the EM
# model (Viterbi) into graphones (native unit, Latin string), and a graphone
# bigram model with Witten-Bell interpolation is counted over them, as in
# joint-sequence models for grapheme-to-phoneme conversion (Bisani & Ney
# 2008). Decoding is a beam search over the native string.

BEGIN = ("^", "")
END = ("$", "")
EM_CAP = 30000
EM_ITERATIONS = 5
MAX_PAIR_NATIVE = 30
MAX_PAIR_LATIN = 30


def hangul_to_jamo(key):
    """Hangul syllables as conjoining jamo; other characters unchanged."""
    out = []
    for ch in key:
        cp = ord(ch)
        if 0xAC00 <= cp <= 0xD7A3:
            index = cp - 0xAC00
            out.append(chr(0x1100 + index // 588))
            out.append(chr(0x1161 + (index % 588) // 28))
            if index % 28:
                out.append(chr(0x11A7 + index % 28))
        else:
            out.append(ch)
    return "".join(out)


def model_input(model_name, key):
    return hangul_to_jamo(key) if model_name == "ko" else key


def train_graphones(job):
    """(model name, [(native, latin)]) -> (name, unigram and bigram counts)."""
    name, pairs = job
    pairs = [(model_input(name, n), l) for n, l in pairs
             if len(n) <= MAX_PAIR_NATIVE and len(l) <= MAX_PAIR_LATIN]
    sample = sorted(pairs)
    random.Random(20240601).shuffle(sample)
    sample = [(n, l, 1.0) for n, l in sample[:EM_CAP]]
    started = time.time()
    prob = train_model(sample, name, iterations=EM_ITERATIONS)
    uni = collections.Counter()
    bi = collections.Counter()
    for native, latin in pairs:
        units = viterbi_align(prob, native, latin, MAX_LATIN[name])
        if units is None:
            continue
        uni[BEGIN] += 1
        prev = BEGIN
        for g in units + [END]:
            uni[g] += 1
            bi[(prev, g)] += 1
            prev = g
    print(f"  model {name}: {len(pairs)} pairs, {len(uni)} graphones, "
          f"{len(bi)} bigrams, {time.time() - started:.0f} s", flush=True)
    return name, uni, bi


GRAPHONE_MIN_COUNT = 2
BIGRAM_MIN_COUNT = 2


def model_lines(name, uni, bi):
    """Lines of charmodel.tsv for one model.

    Graphones seen at least GRAPHONE_MIN_COUNT times are kept, and for
    every native unit its most frequent graphone; bigrams of kept graphones
    seen at least BIGRAM_MIN_COUNT times. The history totals and types are
    those of the unpruned counts."""
    follow_total = collections.Counter()
    follow_types = collections.Counter()
    for (h, _), c in bi.items():
        follow_total[h] += c
        follow_types[h] += 1
    keep = {g for g, c in uni.items() if c >= GRAPHONE_MIN_COUNT}
    best_for_unit = {}
    for g, c in uni.items():
        cur = best_for_unit.get(g[0])
        if cur is None or (c, g[1]) > (uni[cur], cur[1]):
            best_for_unit[g[0]] = g
    keep |= set(best_for_unit.values())
    keep -= {BEGIN, END}
    ordered = [BEGIN, END] + sorted(keep, key=lambda g: (g[0], -uni[g], g[1]))
    index = {g: i for i, g in enumerate(ordered)}
    lines = [f"@graphones\t{name}"]
    for g in ordered:
        lines.append(f"{g[0]}\t{g[1]}\t{uni[g]}\t{follow_total[g]}\t"
                     f"{follow_types[g]}")
    following = collections.defaultdict(list)
    for (h, g), c in bi.items():
        if c >= BIGRAM_MIN_COUNT and h in index and g in index:
            following[index[h]].append((index[g], c))
    lines.append(f"@bigrams\t{name}")
    for h in sorted(following):
        lines.append(f"{h}\t" + ",".join(
            f"{g}:{c}" for g, c in sorted(following[h])))
    return lines


MAX_CANDIDATES = 12
UNKNOWN_COST = 10.0
BEAM = 24
UNIGRAM_ADD = 0.1


class GraphoneModel:
    """Mirrors GraphoneModel in src/names/variants.cc."""

    def __init__(self):
        self.native = []
        self.latin = []
        self.count = []
        self.total = []
        self.types = []
        self.bigram = {}
        self.by_unit = {}
        self.max_unit = 1

    def add_graphone(self, native, latin, count, total, types):
        self.native.append(native)
        self.latin.append(latin)
        self.count.append(count)
        self.total.append(total)
        self.types.append(types)

    def finish(self):
        n_sum = sum(self.count[1:])
        self.denominator = n_sum + UNIGRAM_ADD * len(self.count)
        units = collections.defaultdict(list)
        for i in range(2, len(self.count)):
            units[self.native[i]].append(i)
        for unit, ids in units.items():
            ids.sort(key=lambda i: (-self.count[i], self.latin[i], i))
            self.by_unit[unit] = ids[:MAX_CANDIDATES]
            self.max_unit = max(self.max_unit, len(unit))

    def top_latin(self, unit):
        """The most frequent non-empty rendering of a native unit, or ""."""
        for g in self.by_unit.get(unit, []):
            if self.latin[g]:
                return self.latin[g]
        return ""

    def cost(self, h, g):
        pu = (self.count[g] + UNIGRAM_ADD) / self.denominator
        c = self.total[h]
        if c == 0:
            return -math.log(pu)
        t = self.types[h]
        return -math.log((self.bigram.get((h, g), 0) + t * pu) / (c + t))

    def decode(self, text, k):
        """Top-k Latin strings for a model input string."""
        n = len(text)
        beams = [dict() for _ in range(n + 1)]
        beams[0][("", 0)] = 0.0
        for i in range(n):
            if not beams[i]:
                continue
            items = sorted(beams[i].items(),
                           key=lambda t: (t[1], t[0][0], t[0][1]))[:BEAM]
            extended = False
            for a in range(1, self.max_unit + 1):
                if i + a > n:
                    break
                ids = self.by_unit.get(text[i:i + a])
                if not ids:
                    continue
                extended = True
                nxt = beams[i + a]
                last = i + a == n
                for (latin, h), score in items:
                    for g in ids:
                        s = score + self.cost(h, g)
                        if last:
                            s += self.cost(g, 1)
                        state = (latin + self.latin[g], g)
                        old = nxt.get(state)
                        if old is None or s < old:
                            nxt[state] = s
            if not extended:
                nxt = beams[i + 1]
                last = i + 1 == n
                for (latin, h), score in items:
                    s = score + UNKNOWN_COST
                    if last:
                        s += self.cost(h, 1)
                    state = (latin, h)
                    old = nxt.get(state)
                    if old is None or s < old:
                        nxt[state] = s
        best = {}
        for (latin, _), score in beams[n].items():
            if latin and (latin not in best or score < best[latin]):
                best[latin] = score
        ranked = sorted(best.items(), key=lambda t: (t[1], t[0]))
        return [latin for latin, _ in ranked[:k]]


def read_models(path):
    models = {}
    section = model = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if parts[0].startswith("@"):
                section = parts[0]
                model = models.setdefault(parts[1], GraphoneModel())
            elif section == "@graphones":
                model.add_graphone(parts[0], parts[1], int(parts[2]),
                                   int(parts[3]), int(parts[4]))
            elif section == "@bigrams":
                h = int(parts[0])
                for item in parts[1].split(","):
                    g, c = item.split(":")
                    model.bigram[(h, int(g))] = int(c)
    for m in models.values():
        m.finish()
    return models


# ---------------------------------------------------------------------------
# Hand-compiled CJK readings and rule-based Hangul.

_WG_INITIAL = {"b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t",
               "n": "n", "l": "l", "g": "k", "k": "k", "h": "h", "j": "ch",
               "q": "ch", "x": "hs", "zh": "ch", "ch": "ch", "sh": "sh",
               "r": "j", "z": "ts", "c": "ts", "s": "s", "y": "y", "w": "w",
               "": ""}
_WG_WHOLE = {"zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih",
             "zi": "tzu", "ci": "tzu", "si": "ssu", "er": "erh", "you": "yu",
             "yan": "yen", "ye": "yeh", "yi": "i", "yong": "yung",
             "yue": "yueh", "e": "o", "guo": "kuo", "kuo": "kuo",
             "huo": "huo", "shuo": "shuo"}


def pinyin_to_wade_giles(syllable):
    """Wade-Giles (no apostrophes or umlauts) of a toneless pinyin syllable."""
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    initial = ""
    for cand in ("zh", "ch", "sh"):
        if syllable.startswith(cand):
            initial = cand
            break
    else:
        if syllable[0] in "bpmfdtnlgkhjqxrzcsyw":
            initial = syllable[0]
    final = syllable[len(initial):]
    if final.endswith("ong"):
        final = final[:-3] + "ung"
    if final.endswith("ian"):
        final = final[:-3] + "ien"
    if final.endswith("ie") or final.endswith("ue"):
        final += "h"
    if final == "ui" and initial in ("g", "k"):
        final = "uei"
    if final == "uo":
        final = "o"
    if final == "e" and initial in ("g", "k", "h"):
        final = "o"
    return _WG_INITIAL[initial] + final


CJK_COLUMNS = ["pinyin", "wade_giles", "hangul", "cantonese", "vietnamese",
               "japanese", "role"]


def read_cjk_hand(path):
    """{han character: {column: [readings]}} from the hand-written table."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 7:
                raise SystemExit(f"{path}:{lineno}: expected 7 columns")
            (chars, hangul, pinyin, cantonese, vietnamese, japanese,
             role) = parts
            if role not in ("s", "g", "b"):
                raise SystemExit(f"{path}:{lineno}: bad role {role!r}")
            split = lambda s: [x.strip() for x in s.split(",") if x.strip()]
            pys = split(pinyin)
            if not pys:
                raise SystemExit(f"{path}:{lineno}: no pinyin")
            for field in pys + split(cantonese) + split(vietnamese) + \
                    [j.strip("-") for j in split(japanese)]:
                if not field.isascii() or not field.isalpha() or \
                        field != field.lower():
                    raise SystemExit(f"{path}:{lineno}: bad reading {field!r}")
            for h in split(hangul):
                if len(h) != 1 or not 0xAC00 <= ord(h) <= 0xD7A3:
                    raise SystemExit(f"{path}:{lineno}: bad hangul {h!r}")
            wg = []
            for p in pys[:1]:
                w = pinyin_to_wade_giles(p)
                if w not in pys:
                    wg.append(w)
            entry = {"pinyin": pys, "wade_giles": wg, "hangul": split(hangul),
                     "cantonese": split(cantonese),
                     "vietnamese": split(vietnamese),
                     "japanese": split(japanese), "role": [role]}
            for ch in chars.split():
                if native_key(ch) != ch or len(ch) != 1:
                    raise SystemExit(f"{path}:{lineno}: bad character {ch!r}")
                if ch in table:
                    raise SystemExit(f"{path}:{lineno}: duplicate {ch}")
                table[ch] = entry
    return table


def write_cjk(path, table):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Vigil CJK name readings. Generated by "
                "tools/names/build_tables.py from tools/names/cjk_hand.tsv;"
                " see README.md.\n")
        f.write("# han\t" + "\t".join(CJK_COLUMNS) + "\n")
        for ch in sorted(table):
            e = table[ch]
            f.write(ch + "\t" + "\t".join(",".join(e[c]) for c in CJK_COLUMNS)
                    + "\n")


def read_cjk(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            table[parts[0]] = {c: [x for x in v.split(",") if x]
                               for c, v in zip(CJK_COLUMNS, parts[1:])}
    return table


def write_hangul(path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Vigil Hangul syllable romanisations. Generated by "
                "tools/names/build_tables.py (hangul_rules.py); see "
                "README.md.\n")
        f.write("# syllable\trevised\tmccune_reischauer\t"
                "mccune_reischauer_after_voiced\tcommon_spellings\n")
        for s, rr, mr, mrv, pop in hangul_rules.all_rows():
            f.write(f"{s}\t{rr}\t{mr}\t{mrv}\t{','.join(pop)}\n")


def read_hangul(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            s, rr, mr, mrv, pop = line.rstrip("\n").split("\t")
            table[s] = (rr, mr, mrv, pop.split(","))
    return table


# ---------------------------------------------------------------------------
# Canonical composition data for the C++ side, which has no Unicode library:
# the part of NFC that can change a canonical key.

def write_nfc(path):
    compose = []
    single = []
    for cp in range(0x00A0, 0x30000):
        if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
            continue
        ch = chr(cp)
        nfd = unicodedata.normalize("NFD", ch)
        if len(nfd) == 2 and unicodedata.normalize("NFC", nfd) == ch and \
                script_of_cp(cp):
            compose.append((ord(nfd[0]), ord(nfd[1]), cp))
        nfc = unicodedata.normalize("NFC", ch)
        if nfc != ch and native_key(nfc):
            single.append((cp, native_key(nfc)))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Vigil Unicode composition data (from Python's unicodedata "
                f"{unicodedata.unidata_version}). Generated by "
                "tools/names/build_tables.py; see README.md.\n"
                "# c<TAB>first<TAB>second<TAB>composed: canonical pairs of "
                "the supported scripts (Hangul is composed by rule)\n"
                "# m<TAB>code point<TAB>canonical key of its NFC form "
                "(hex code points, space-separated)\n")
        for a, b, c in compose:
            f.write(f"c\t{a:X}\t{b:X}\t{c:X}\n")
        for cp, key in single:
            f.write(f"m\t{cp:X}\t" + " ".join(f"{ord(x):X}" for x in key)
                    + "\n")


# ---------------------------------------------------------------------------
# Tokens table.

def read_tokens(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            key, value = line.rstrip("\n").split("\t")
            table[key] = [item.split(":")[0] for item in value.split(",")]
    return table


def write_tokens(path, entries):
    """entries: {key: [(latin, count)]}; lines sorted by UTF-8 bytes."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Vigil native-token Latin renderings. Generated by "
                "tools/names/build_tables.py; see README.md.\n")
        f.write("# native token (canonical form)\tlatin:count[,latin:count]"
                " most frequent first\n")
        for key in sorted(entries, key=lambda k: k.encode("utf-8")):
            f.write(key + "\t" + ",".join(f"{l}:{c}" for l, c in entries[key])
                    + "\n")


# ---------------------------------------------------------------------------
# Renderer. Mirrors VariantTables::latin_renderings() in variants.cc.

SEPARATORS = set(" \t\n\r,._-/\u00b7\u30fb\u2010\u2011\u2012\u2013\u2014"
                 "\u05be\u060c\u3000\u200b\uff0c\uff65")


def split_words(text):
    words, cur = [], []
    for ch in text:
        if ch in SEPARATORS:
            if cur:
                words.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


def _dedupe(items):
    seen = set()
    out = []
    for x in items:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _interleave(streams):
    out = []
    longest = max((len(s) for s in streams), default=0)
    for i in range(longest):
        for s in streams:
            if i < len(s):
                out.append(s[i])
    return out


MODEL_CANDIDATES = 6
MAX_WORD_CHARS = 64


class Renderer:
    def __init__(self, tokens, models, cjk, hangul):
        self.tokens = tokens
        self.models = models
        self.cjk = cjk
        self.hangul = hangul
        self.korean_surnames = set()
        for e in cjk.values():
            if e["role"] and e["role"][0] in ("s", "b"):
                self.korean_surnames.update(e["hangul"])

    def hangul_parts(self, key):
        """(common, MR, RR, second common) spellings of a Hangul word."""
        rows = [self.hangul.get(s) for s in key]
        if not rows or any(r is None for r in rows):
            return None
        popular = "".join(r[3][0] for r in rows)
        mr = rows[0][1] + "".join(
            rows[i][2] if hangul_rules.ends_voiced(key[i - 1]) else rows[i][1]
            for i in range(1, len(rows)))
        rr = "".join(r[0] for r in rows)
        second = "".join(r[3][1] if len(r[3]) > 1 else r[3][0] for r in rows)
        return popular, mr, rr, second

    def hangul_systems(self, key):
        parts = self.hangul_parts(key)
        return _dedupe(parts) if parts else []

    def han_systems(self, key):
        """Renderings of a Han word in each reading system, and whether the
        hand table knew every character. A character it does not know is
        read as the learned Chinese model's most frequent rendering of it
        in every system but Korean, or left out when the model has none."""
        zh = self.models.get("zh")
        entries = []
        complete = True
        known = 0
        for c in key:
            e = self.cjk.get(c)
            if e is None:
                complete = False
                guess = zh.top_latin(c) if zh else ""
                e = {"pinyin": [guess], "wade_giles": [guess], "hangul": [],
                     "cantonese": [guess], "vietnamese": [guess],
                     "japanese": [guess]}
            known += bool(e["pinyin"][0])
            entries.append(e)
        if not known:
            return [], False

        def join(column, index=0):
            parts = []
            for pos, e in enumerate(entries):
                vals = e[column] or (e["pinyin"] if column == "wade_giles"
                                     else [])
                if column == "japanese":
                    vals = [v.strip("-") for v in vals
                            if not (pos == 0 and v.startswith("-")) and
                            not (pos > 0 and v.endswith("-"))]
                if not vals:
                    return ""
                parts.append(vals[min(index, len(vals) - 1)])
            return "".join(parts)

        ko = None
        if all(e["hangul"] for e in entries):
            ko = self.hangul_parts("".join(e["hangul"][0] for e in entries))
        ko_pop, ko_mr, ko_rr, _ = ko if ko else ("", "", "", "")
        return _dedupe([join("pinyin"), ko_mr, ko_pop, join("cantonese"),
                        join("wade_giles"), ko_rr, join("vietnamese"),
                        join("japanese"), join("cantonese", 1)]), complete

    def looks_korean(self, key):
        return 2 <= len(key) <= 4 and key[0] in self.korean_surnames

    def word_renderings(self, key, limit, use_table=True):
        script = token_script(key)
        if script is None:
            return []
        seen = self.tokens.get(key, []) if use_table else []
        if len(seen) >= limit or len(key) > MAX_WORD_CHARS:
            return seen[:limit]

        def model(name, text):
            m = self.models.get(name)
            return m.decode(model_input(name, text), MODEL_CANDIDATES) \
                if m else []

        if script == "zh":
            systems, complete = self.han_systems(key)
            learned = _interleave([model("zh", key), model("ja", key)])
            if complete:
                rest = systems[:2] + _interleave([systems[2:], learned])
            else:
                rest = _interleave([systems, learned])
        elif script in ("ja", "kana"):
            rest = model("ja", key)
        elif script == "ko":
            rules = self.hangul_systems(key)
            learned = model("ko", key)
            rest = _interleave([rules, learned] if self.looks_korean(key)
                               else [learned, rules])
        else:
            rest = model(script, key)
        return _dedupe(seen + rest)[:limit]

    def renderings(self, text, limit=4, use_table=True):
        keys = [k for k in (native_key(w) for w in split_words(text)) if k]
        keys = [k for k in keys if token_script(k) is not None]
        if not keys:
            return []
        per_word = [self.word_renderings(k, limit, use_table) for k in keys]
        per_word = [p for p in per_word if p]
        if not per_word:
            return []
        if len(per_word) == 1:
            return per_word[0]
        out = []
        for i in range(limit):
            out.append(" ".join(p[min(i, len(p) - 1)] for p in per_word))
        return _dedupe(out)[:limit]


# ---------------------------------------------------------------------------
# Build steps.

MODEL_NAMES = ["ar", "he", "ru", "ko", "ja", "zh"]
TOKENS_BUDGET = 2_000_000
MAX_RENDERINGS = 8


def model_name_for(pair):
    script = token_script(pair.native)
    if script in ("kana", "ja"):
        return "ja"
    if script == "zh":
        return "ja" if pair.source == "ja" else "zh"
    if script in MODEL_NAMES:
        return script
    return None


def eval_group(pair):
    return {"ja": "ja-kanji" if token_script(pair.native) == "zh" else "ja",
            "kana": "ja"}.get(pair.source, pair.source)


_WORKER = {}


def _worker_renderings(key):
    r = _WORKER["renderer"]
    return key, r.word_renderings(key, 4, use_table=False)


def _worker_both(key):
    r = _WORKER["renderer"]
    return (key, r.word_renderings(key, 4, use_table=True),
            r.word_renderings(key, 4, use_table=False))


def parallel_map(fn, items, jobs):
    import multiprocessing
    if jobs <= 1:
        return [fn(x) for x in items]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        return pool.map(fn, items, chunksize=256)


def build_models(train, out_path, jobs, cache=None):
    """Trains every model and writes charmodel.tsv. With `cache`, the raw
    counts are kept in (or, when present, read from) that pickle file."""
    import pickle
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            results = pickle.load(f)
    else:
        per_model = collections.defaultdict(set)
        for p in train:
            name = model_name_for(p)
            if name:
                per_model[name].add((p.native, p.latin))
        job_list = [(name, sorted(per_model[name])) for name in MODEL_NAMES]
        results = parallel_map(train_graphones, job_list, jobs)
        if cache:
            with open(cache, "wb") as f:
                pickle.dump(results, f)
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Vigil learned grapheme model: graphone bigrams per script."
                " Generated by tools/names/build_tables.py; see README.md.\n"
                "# @graphones<TAB>model, then per graphone: native unit<TAB>"
                "latin<TAB>count<TAB>follow_total<TAB>follow_types\n"
                "#   (numbered from 0 per model; 0 = word start, 1 = word "
                "end)\n"
                "# @bigrams<TAB>model, then: previous<TAB>next:count"
                "[,next:count]\n")
        for name, uni, bi in results:
            for line in model_lines(name, uni, bi):
                f.write(line + "\n")


def prune_tokens(train, renderer, jobs, budget, log):
    """The token table: every key whose training renderings the model
    alone does not already give, within `budget` bytes."""
    table = collections.defaultdict(collections.Counter)
    for p in train:
        table[p.native][p.latin] += p.count
    keys = sorted(table)
    _WORKER["renderer"] = renderer
    started = time.time()
    model_out = dict(parallel_map(_worker_renderings, keys, jobs))
    log(f"  decoded {len(keys)} training tokens in "
        f"{time.time() - started:.0f} s")
    tiers = ([], [], [])
    redundant = 0
    for key in keys:
        cands = sorted(table[key].items(), key=lambda t: (-t[1], t[0]))
        # A spelling seen once beside one seen ten times more is more
        # often a misaligned pair than a variant.
        top = cands[0][1]
        cands = [(l, c) for l, c in cands if c >= 2 or c * 10 >= top]
        cands = cands[:MAX_RENDERINGS]
        out = model_out[key]
        if out and cands[0][0] == out[0] and all(l in out for l, _ in cands):
            redundant += 1
            continue
        line = len(key.encode()) + 2 + sum(len(l) + len(str(c)) + 2
                                           for l, c in cands)
        if sum(table[key].values()) >= 2:
            tiers[0].append((key, cands, line))
        elif any(close_enough(o, cands[0][0]) for o in out):
            tiers[2].append((key, cands, line))
        else:
            tiers[1].append((key, cands, line))
    entries = {}
    used = 0
    for tier_no, tier in enumerate(tiers):
        if tier_no:
            tier.sort(key=lambda t: hashlib.sha256(t[0].encode()).digest())
        kept = 0
        for key, cands, line in tier:
            if used + line > budget:
                continue
            entries[key] = cands
            used += line
            kept += 1
        log(f"  tier {tier_no}: kept {kept} of {len(tier)} tokens")
    log(f"  {redundant} tokens left to the model (it gives the same "
        f"renderings); table {used} bytes")
    return entries, table


def write_nicknames(path, pairs):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Vigil English nickname equivalences (undirected). "
                "Generated by tools/names/build_tables.py from "
                "nicknames/names.csv; see README.md.\n")
        f.write("# name\tname\n")
        for a, b in pairs:
            f.write(f"{a}\t{b}\n")


def uconv_baseline(keys):
    """ICU Any-Latin of each key (lower-case ASCII), or None without uconv."""
    exe = shutil.which("uconv")
    if not exe:
        return None
    text = "\n".join(keys) + "\n"
    proc = subprocess.run([exe, "-x", "Any-Latin; Latin-ASCII"],
                          input=text.encode("utf-8"), capture_output=True,
                          check=True)
    lines = proc.stdout.decode("utf-8").split("\n")
    if len(lines) < len(keys):
        raise SystemExit("uconv returned fewer lines than it was given")
    return {k: latin_ascii(v) for k, v in zip(keys, lines)}


def evaluate(test, train_table, renderer, jobs, log):
    """Held-out coverage per source; returns rows for the report."""
    items = sorted({(eval_group(p), p.native, p.latin) for p in test})
    keys = sorted({k for _, k, _ in items})
    _WORKER["renderer"] = renderer
    started = time.time()
    outs = {k: (full, model) for k, full, model in
            parallel_map(_worker_both, keys, jobs)}
    log(f"  rendered {len(keys)} held-out tokens in "
        f"{time.time() - started:.0f} s")
    base = uconv_baseline(keys)
    stats = collections.defaultdict(collections.Counter)
    for group, key, latin in items:
        full, model = outs[key]
        unseen = key not in train_table
        for g in (group, "all"):
            s = stats[g]
            s["n"] += 1
            s["full1"] += bool(full) and close_enough(full[0], latin)
            s["full4"] += any(close_enough(o, latin) for o in full)
            s["exact4"] += latin in full
            s["model4"] += any(close_enough(o, latin) for o in model)
            s["jw4"] += any(jaro_winkler(o, latin) >= 0.9 for o in full)
            if base is not None:
                s["base"] += close_enough(base[key], latin)
                s["basejw"] += jaro_winkler(base[key], latin) >= 0.9
                s["baseexact"] += base[key] == latin
            if unseen:
                s["u_n"] += 1
                s["u_full4"] += any(close_enough(o, latin) for o in full)
                if base is not None:
                    s["u_base"] += close_enough(base[key], latin)
    return stats, base is not None


def format_stats(stats, have_base):
    pct = lambda a, b: f"{100.0 * a / b:5.1f}" if b else "    -"
    order = ["ar", "ar2en", "he", "ru", "ko", "ja", "ja-kanji", "zh", "all"]
    lines = ["source    pairs  baseline@1  top1   top4  top4(model only)"
             "  top4 JW-only  exact@4 | unseen: pairs baseline top4"]
    for g in order:
        s = stats.get(g)
        if not s:
            continue
        lines.append(
            f"{g:8} {s['n']:6}  "
            f"{pct(s['base'], s['n']) if have_base else '  n/a'}"
            f"      {pct(s['full1'], s['n'])}  {pct(s['full4'], s['n'])}"
            f"  {pct(s['model4'], s['n'])}            "
            f"{pct(s['jw4'], s['n'])}       {pct(s['exact4'], s['n'])}"
            f"   | {s['u_n']:6} {pct(s['u_base'], s['u_n'])}"
            f"  {pct(s['u_full4'], s['u_n'])}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.normpath(
        os.path.join(HERE, "..", "..", "..", "shared", "data", "names")))
    parser.add_argument("--repo", default=os.path.normpath(
        os.path.join(HERE, "..", "..")))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dev", action="store_true",
                        help="tune: train without a 5%% dev slice of the "
                        "training part, evaluate on it, write to --out")
    parser.add_argument("--out", help="output folder for the tables "
                        "(default REPO/data/names)")
    parser.add_argument("--cache", help="pickle file keeping the raw model "
                        "counts between runs (delete it to retrain)")
    parser.add_argument("--no-token-table", action="store_true",
                        help="tuning: evaluate the models and rules alone")
    args = parser.parse_args()
    log = lambda msg: print(msg, flush=True)
    out_dir = args.out or os.path.join(args.repo, "data", "names")
    eval_dir = os.path.join(args.repo, "data", "eval")
    os.makedirs(out_dir, exist_ok=True)

    pairs = load_pairs(args.data)
    train = [p for p in pairs if not held_out(p.latin)]
    test = [p for p in pairs if held_out(p.latin)]
    if args.dev:
        test = [p for p in train if dev_bucket(p.latin)]
        train = [p for p in train if not dev_bucket(p.latin)]
    log(f"{len(pairs)} token pairs: {len(train)} for the tables, "
        f"{len(test)} held out")

    model_path = os.path.join(out_dir, "charmodel.tsv")
    log("training grapheme models")
    build_models(train, model_path, args.jobs, args.cache)
    models = read_models(model_path)

    cjk_path = os.path.join(out_dir, "cjk.tsv")
    write_cjk(cjk_path, read_cjk_hand(os.path.join(HERE, "cjk_hand.tsv")))
    hangul_path = os.path.join(out_dir, "hangul.tsv")
    write_hangul(hangul_path)
    write_nfc(os.path.join(out_dir, "nfc.tsv"))
    cjk = read_cjk(cjk_path)
    hangul = read_hangul(hangul_path)

    log("building the token table")
    bare = Renderer({}, models, cjk, hangul)
    if args.no_token_table:
        entries = {}
        train_table = {p.native for p in train}
    else:
        entries, train_table = prune_tokens(train, bare, args.jobs,
                                            TOKENS_BUDGET, log)
    tokens_path = os.path.join(out_dir, "tokens.tsv")
    write_tokens(tokens_path, entries)
    renderer = Renderer(read_tokens(tokens_path), models, cjk, hangul)

    nick_pairs = load_nicknames(args.data)
    nick_train = [p for p in nick_pairs if not held_out(p[0] + "|" + p[1])]
    nick_test = [p for p in nick_pairs if held_out(p[0] + "|" + p[1])]
    write_nicknames(os.path.join(out_dir, "nicknames.tsv"), nick_train)
    log(f"{len(nick_pairs)} nickname pairs: {len(nick_train)} in the table, "
        f"{len(nick_test)} held out")

    log("evaluating on the held-out part" if not args.dev
        else "evaluating on the dev slice")
    stats, have_base = evaluate(test, train_table, renderer, args.jobs, log)
    log("share of pairs with a rendering within Jaro-Winkler >= 0.90 or of "
        "equal consonant skeleton (%):")
    log(format_stats(stats, have_base))

    if not args.dev:
        for sub in ("arabic-english", "nicknames", "wikidata-transliteration"):
            shutil.copyfile(os.path.join(args.data, sub, "LICENSE"),
                            os.path.join(out_dir, f"LICENSE.{sub}"))
        build_eval_pairs(args.data, eval_dir, test, pairs, nick_test, log)
    sizes = {f: os.path.getsize(os.path.join(out_dir, f))
             for f in sorted(os.listdir(out_dir)) if f.endswith(".tsv")}
    log("table sizes: " + ", ".join(f"{f} {s}" for f, s in sizes.items())
        + f"; total {sum(sizes.values())}")


# ---------------------------------------------------------------------------
# Evaluation pairs, from the held-out part only.

_TITLES = {"lord", "lady", "king", "queen", "prince", "princess", "emperor",
           "empress", "saint", "st", "pope", "sir", "dame", "duke", "duchess",
           "count", "countess", "baron", "general", "dr", "mr", "mrs", "ms",
           "sultan", "sheikh", "shah", "tsar", "czar", "khan", "grand"}
_PARTICLES = {"of", "the", "and", "von", "van", "de", "del", "della", "der",
              "la", "le", "du", "da", "dos", "das", "y", "i", "ii", "iii",
              "iv", "v", "vi", "jr", "sr", "bin", "ibn", "al", "el"}
_NAME_WORD = None


def _person_name(english):
    """Words of a plain personal name (2 to 4 capitalised words), or None."""
    global _NAME_WORD
    if _NAME_WORD is None:
        import re
        _NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")
    words = english.replace("\u2019", "'").split()
    if not 2 <= len(words) <= 4:
        return None
    for w in words:
        if not _NAME_WORD.match(w) or not w[0].isupper():
            return None
        if latin_ascii(w) in _TITLES or latin_ascii(w) in _PARTICLES:
            return None
    return words


def _variant_key(name):
    """Collapses spellings that are usually one name (c/k/q, ph/f, y/i,
    silent h, doubled letters) so that such pairs are never labelled as
    different people."""
    s = latin_ascii(name)
    for a, b in (("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"),
                 ("y", "i"), ("ie", "i"), ("h", ""), ("z", "s"), ("w", "v"),
                 ("v", "b")):
        s = s.replace(a, b)
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out).rstrip("e")


def _edit_distance_one(a, b):
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                  a[diff[0]] == b[diff[1]] and
                                  a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def _typo(word, rng):
    """One insertion, deletion, substitution or transposition, keeping the
    first letter."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    lower = word.lower()
    for _ in range(20):
        op = rng.choice(("insert", "delete", "substitute", "transpose"))
        i = rng.randrange(1, len(word))
        if op == "insert":
            out = lower[:i] + rng.choice(letters) + lower[i:]
        elif op == "delete":
            out = lower[:i] + lower[i + 1:]
        elif op == "substitute":
            out = lower[:i] + rng.choice(letters) + lower[i + 1:]
        else:
            if i + 1 >= len(word):
                continue
            out = lower[:i] + lower[i + 1] + lower[i] + lower[i + 2:]
        if out != lower:
            return word[0] + out[1:]
    return word[0] + lower[1:] + "e"


def build_eval_pairs(data_dir, eval_dir, test, all_pairs, nick_test, log):
    """data/eval/name-pairs.tsv (name_a, name_b, label) and
    name-pairs.kinds.tsv (line, kind), about 5,000 pairs, made from the
    held-out part (`test`, `nick_test`) only; `all_pairs` serves only to
    avoid labelling a known rendering of a token as a different name."""
    rng = random.Random(90125)
    os.makedirs(eval_dir, exist_ok=True)
    pairs = []   # (a, b, label, kind)
    used = set()

    def add(a, b, label, kind):
        a, b = " ".join(a.split()), " ".join(b.split())
        if not a or not b or a == b or "\t" in a + b:
            return False
        key = (min(a, b), max(a, b))
        if key in used:
            return False
        used.add(key)
        pairs.append((a, b, label, kind))
        return True

    # Held-out full names (English <-> Hebrew / Korean).
    people = []
    for english, native, source in load_fullnames(data_dir):
        if not held_out(" ".join(latin_words(english))):
            continue
        words = _person_name(english)
        if words is None or any(c.isdigit() or c in "(),/" for c in native):
            continue
        if not native_key(native.replace(" ", "")):
            continue
        people.append((words, native, source))
    people.sort(key=lambda p: (p[2], " ".join(p[0]), p[1]))
    rng.shuffle(people)
    by_source = collections.defaultdict(list)
    for p in people:
        by_source[p[2]].append(p)
    all_names = {}
    for words, _, _ in people:
        all_names.setdefault(" ".join(words), words)
    latin_people = [all_names[k] for k in sorted(all_names)]
    rng.shuffle(latin_people)

    # Positives and negatives across scripts: full names.
    for source, plist in sorted(by_source.items()):
        by_last = collections.defaultdict(list)
        by_first = collections.defaultdict(list)
        for p in plist:
            by_last[latin_ascii(p[0][-1])].append(p)
            by_first[latin_ascii(p[0][0])].append(p)
        pos = neg = 0
        for words, native, _ in plist:
            if pos < 350 and add(" ".join(words), native, 1,
                                 f"cross-script-fullname-{source}"):
                pos += 1
            if neg >= 350:
                continue
            last, first = latin_ascii(words[-1]), latin_ascii(words[0])
            others = [p for p in by_last[last] + by_first[first]
                      if p[1] != native and p[0] != words and
                      not (latin_ascii(p[0][0]) == first and
                           latin_ascii(p[0][-1]) == last)]
            kind = "shared-word"
            if not others:
                others = [plist[rng.randrange(len(plist))]]
                kind = "random"
                if others[0][1] == native or others[0][0] == words:
                    continue
            other = others[rng.randrange(len(others))]
            if add(" ".join(words), other[1], 0,
                   f"cross-script-fullname-{source}-{kind}"):
                neg += 1
            if pos >= 350 and neg >= 350:
                break

    # Token pairs across scripts.
    full_renderings = collections.defaultdict(set)
    for p in all_pairs:
        full_renderings[p.native].add(p.latin)
    token_quota = {"ar2en": 200, "ar": 100, "ru": 75, "zh": 75, "kana": 75,
                   "ko": 75}
    # Word pairs seen once in Wikidata are often misaligned; positives use
    # those seen at least twice (the Arabic-English list has no counts).
    by_token_source = collections.defaultdict(list)
    for p in sorted(set((p.source, p.native, p.latin) for p in test
                        if p.count >= 2 or p.source == "ar2en")):
        if len(p[2]) >= 3:
            by_token_source[p[0]].append(p)
    for source, quota in token_quota.items():
        plist = by_token_source[source]
        rng.shuffle(plist)
        latin_index = collections.defaultdict(list)
        for p in plist:
            latin_index[p[2][:2]].append(p)
        pos = neg = 0
        for _, native, latin in plist:
            if pos < quota and add(native, latin, 1, f"token-{source}"):
                pos += 1
            if neg < quota:
                cands = [q for q in latin_index[latin[:2]]
                         if q[1] != native and q[2] != latin and
                         q[2] not in full_renderings[native] and
                         _variant_key(q[2]) != _variant_key(latin) and
                         jaro_winkler(q[2], latin) >= 0.8]
                if cands:
                    q = cands[rng.randrange(len(cands))]
                    if add(native, q[2], 0, f"token-{source}-similar-latin"):
                        neg += 1
            if pos >= quota and neg >= quota:
                break

    # Latin spelling variants of held-out names (positives).
    def titled(words):
        return " ".join(words)

    counts = collections.Counter()
    quotas = {"typo": 250, "reordered": 150, "middle-dropped": 100,
              "initials": 150, "separators": 150, "case-diacritics": 100,
              "typo-reordered": 100}
    for words in latin_people:
        name = titled(words)
        kinds = [k for k in quotas if counts[k] < quotas[k]]
        if not kinds:
            break
        kind = kinds[rng.randrange(len(kinds))]
        other = None
        if kind in ("typo", "typo-reordered"):
            idx = [i for i, w in enumerate(words) if len(w) >= 4]
            if not idx:
                continue
            i = rng.choice(idx)
            changed = list(words)
            changed[i] = _typo(words[i], rng)
            if kind == "typo-reordered":
                changed = changed[-1:] + changed[:-1]
            other = titled(changed)
        elif kind == "reordered":
            variant = rng.randrange(2)
            other = (words[-1].upper() + ", " + " ".join(words[:-1])
                     if variant else titled(words[-1:] + words[:-1]))
        elif kind == "middle-dropped":
            if len(words) < 3:
                continue
            other = titled([words[0], words[-1]])
        elif kind == "initials":
            variant = rng.randrange(3)
            if variant == 0:
                other = titled([words[0][0] + "."] + words[1:])
            elif variant == 1:
                other = titled([words[0][0]] + words[1:])
            elif len(words) >= 3:
                other = titled([words[0]] + [w[0] + "." for w in words[1:-1]]
                               + [words[-1]])
            else:
                continue
        elif kind == "separators":
            joined = [w for w in words if "-" in w]
            if joined:
                w = joined[0]
                repl = w.replace("-", " ") if rng.randrange(2) else \
                    w.replace("-", "")
                other = name.replace(w, repl, 1)
            else:
                i = rng.randrange(len(words) - 1)
                if rng.randrange(2):
                    other = titled(words[:i] + [words[i] + "-" + words[i + 1]]
                                   + words[i + 2:])
                else:
                    other = titled(words[:i] +
                                   [words[i] + words[i + 1].lower()] +
                                   words[i + 2:])
        elif kind == "case-diacritics":
            ascii_words = [latin_ascii(w).upper() for w in words]
            if any(not w for w in ascii_words):
                continue
            other = " ".join(ascii_words)
        if other and add(name, other, 1, f"latin-{kind}"):
            counts[kind] += 1

    # Nicknames held out of the table.
    surnames = [w[-1] for w in latin_people]
    nick_pos = 0
    for a, b in nick_test:
        surname = surnames[rng.randrange(len(surnames))]
        if add(f"{a.capitalize()} {surname}", f"{b.capitalize()} {surname}",
               1, "latin-nickname"):
            nick_pos += 1
        if nick_pos >= 150:
            break

    # Hard negatives among Latin names.
    # Names are related when nicknames of each other or of a common name.
    nick_graph = collections.defaultdict(set)
    for a, b in load_nicknames(data_dir):
        nick_graph[a].add(b)
        nick_graph[b].add(a)

    def related(x, y):
        x, y = latin_ascii(x), latin_ascii(y)
        return x == y or y in nick_graph[x] or \
            bool(nick_graph[x] & nick_graph[y]) or \
            _variant_key(x) == _variant_key(y) or x.startswith(y) or \
            y.startswith(x)

    by_last = collections.defaultdict(list)
    by_first = collections.defaultdict(list)
    for words in latin_people:
        by_last[latin_ascii(words[-1])].append(words)
        by_first[latin_ascii(words[0])].append(words)
    neg = collections.Counter()
    for words in latin_people:
        if neg["same-surname"] >= 400 and neg["same-given-name"] >= 150:
            break
        for other in by_last[latin_ascii(words[-1])]:
            if neg["same-surname"] < 400 and other != words and \
                    not related(other[0], words[0]):
                if add(titled(words), titled(other), 0,
                       "latin-negative-same-surname"):
                    neg["same-surname"] += 1
                break
        for other in by_first[latin_ascii(words[0])]:
            if neg["same-given-name"] < 150 and other != words and \
                    not related(other[-1], words[-1]) and \
                    jaro_winkler(latin_ascii(other[-1]),
                                 latin_ascii(words[-1])) >= 0.7:
                if add(titled(words), titled(other), 0,
                       "latin-negative-same-given-name"):
                    neg["same-given-name"] += 1
                break

    # Common given names one consonant apart that are different names
    # (Benny / Jenny, Abel / Mabel), with a shared surname. Pairs differing
    # only in vowels (Alexander / Alexandre) are left out: they are often
    # one name.
    given = collections.Counter()
    for words in latin_people:
        given[latin_ascii(words[0])] += 1
    for a, _ in load_nicknames(data_dir):
        given[a] += 1
    common = sorted(g for g, c in given.items() if c >= 2 and len(g) >= 3)
    by_len = collections.defaultdict(list)
    for g in common:
        by_len[len(g)].append(g)
    near = []
    for g in common:
        for length in (len(g), len(g) + 1):
            for h in by_len[length]:
                if h > g and _edit_distance_one(g, h) and \
                        not related(g, h) and skeleton(g) != skeleton(h):
                    near.append((g, h))
    rng.shuffle(near)
    for g, h in near:
        if neg["edit-distance-1"] >= 250:
            break
        surname = surnames[rng.randrange(len(surnames))]
        if add(f"{g.capitalize()} {surname}", f"{h.capitalize()} {surname}",
               0, "latin-negative-given-name-edit-distance-1"):
            neg["edit-distance-1"] += 1

    # Similar surnames of different families, same given name.
    last_names = sorted({latin_ascii(w[-1]) for w in latin_people
                         if len(latin_ascii(w[-1])) >= 5})
    prefix = collections.defaultdict(list)
    for s in last_names:
        prefix[s[:3]].append(s)
    sim = []
    for s in last_names:
        for t in prefix[s[:3]]:
            if t > s and jaro_winkler(s, t) >= 0.88 and not related(s, t) \
                    and not _edit_distance_one(s, t):
                sim.append((s, t))
    rng.shuffle(sim)
    for s, t in sim:
        if neg["similar-surname"] >= 150:
            break
        first = latin_people[rng.randrange(len(latin_people))][0]
        if add(f"{first} {s.capitalize()}", f"{first} {t.capitalize()}", 0,
               "latin-negative-similar-surname"):
            neg["similar-surname"] += 1

    # Unrelated names, for calibration.
    for i in range(0, len(latin_people) - 1, 2):
        if neg["unrelated"] >= 200:
            break
        a, b = latin_people[i], latin_people[i + 1]
        if not related(a[-1], b[-1]) and not related(a[0], b[0]):
            if add(titled(a), titled(b), 0, "latin-negative-unrelated"):
                neg["unrelated"] += 1

    rng.shuffle(pairs)
    path = os.path.join(eval_dir, "name-pairs.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for a, b, label, _ in pairs:
            f.write(f"{a}\t{b}\t{label}\n")
    with open(os.path.join(eval_dir, "name-pairs.kinds.tsv"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write("# line of name-pairs.tsv (from 1)\tkind\n")
        for i, (_, _, _, kind) in enumerate(pairs, 1):
            f.write(f"{i}\t{kind}\n")
    kinds = collections.Counter((k, l) for _, _, l, k in pairs)
    labels = collections.Counter(l for _, _, l, _ in pairs)
    log(f"evaluation pairs: {len(pairs)} ({labels[1]} positive, "
        f"{labels[0]} negative), {os.path.getsize(path)} bytes")
    for (kind, label), n in sorted(kinds.items()):
        log(f"  {label} {kind}: {n}")


if __name__ == "__main__":
    main()
