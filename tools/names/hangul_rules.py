"""Rule-based romanisation of Hangul syllables.

Own compilation of the standard systems: Revised Romanisation of Korean
(2000), McCune-Reischauer (1939) written without diacritics and
apostrophes, and the spellings most often seen in passports and the press
(Kim, Lee, Park, Jung, Young, Soo ...). Syllables are romanised one at a
time: the sound changes across syllable boundaries that both systems apply
inside words are not modelled, except the voicing of MR initials after a
voiced sound, which has its own column (Kim Jong Un, not Kim Chong Un).
"""

FIRST = 0xAC00
LAST = 0xD7A3

# Initial consonants (choseong), in Unicode order.
RR_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "",
              "j", "jj", "ch", "k", "t", "p", "h"]
MR_INITIAL = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "",
              "ch", "tch", "ch", "k", "t", "p", "h"]
MR_VOICED_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                     "ss", "", "j", "tch", "ch", "k", "t", "p", "h"]
POPULAR_INITIAL = ["k", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss",
                   "", "j", "jj", "ch", "k", "t", "p", "h"]

# Vowels (jungseong).
RR_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
            "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"]
MR_VOWEL = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae",
            "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"]

# Final consonants (jongseong), index 0 = none.
RR_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l",
            "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t",
            "p", "t"]
MR_FINAL = RR_FINAL

# Finals after which an MR initial is voiced (none, n, l, m, ng).
VOICED_FINALS = {0, 4, 8, 16, 21}

I_VOWELS = {20, 16}          # i, wi: s -> sh in MR and popular spellings
Y_VOWELS = {2, 3, 6, 7, 12, 17}

# Spellings in common use that the rules below do not produce, most common
# first. Surnames first, then frequent given-name syllables. Own
# compilation from passport and press usage.
POPULAR = {
    "김": ["kim", "gim"], "이": ["lee", "yi", "rhee", "li"],
    "리": ["ri", "lee", "li"], "박": ["park", "pak", "bak"],
    "최": ["choi", "choe"], "정": ["jung", "jeong", "chung", "jong"],
    "조": ["cho", "jo"], "강": ["kang", "gang"], "윤": ["yoon", "yun"],
    "장": ["jang", "chang"], "임": ["lim", "im", "rim"], "림": ["rim", "lim"],
    "한": ["han"], "오": ["oh", "o"], "서": ["seo", "suh"],
    "신": ["shin", "sin"], "권": ["kwon", "gwon"], "황": ["hwang"],
    "안": ["ahn", "an"], "송": ["song"], "류": ["ryu", "yoo", "yu"],
    "유": ["yoo", "yu", "ryu"], "전": ["jeon", "jun", "chun", "chon"],
    "홍": ["hong"], "고": ["ko", "koh", "go"], "문": ["moon", "mun"],
    "양": ["yang"], "량": ["ryang", "yang"], "손": ["son", "sohn"],
    "배": ["bae", "pae"], "백": ["baek", "paik", "paek"],
    "허": ["heo", "hur", "huh"], "노": ["noh", "roh", "no"],
    "로": ["ro", "roh"], "남": ["nam"], "심": ["shim", "sim"],
    "하": ["ha"], "곽": ["kwak", "gwak"], "성": ["sung", "seong"],
    "차": ["cha"], "주": ["joo", "ju", "chu"], "우": ["woo", "u"],
    "구": ["koo", "ku", "gu"], "민": ["min"], "진": ["jin", "chin"],
    "지": ["ji", "chi"], "엄": ["um", "eom", "uhm"], "채": ["chae"],
    "원": ["won"], "천": ["chun", "cheon"], "방": ["bang", "pang"],
    "공": ["kong", "gong"], "현": ["hyun", "hyeon"], "함": ["ham"],
    "변": ["byun", "byeon", "pyon"], "염": ["yeom", "yum"],
    "여": ["yeo", "yuh"], "추": ["choo", "chu"], "도": ["do", "doh"],
    "석": ["seok", "suk"], "선": ["sun", "seon"], "설": ["seol", "sul"],
    "길": ["gil", "kil"], "연": ["yeon", "yun"], "위": ["wi", "wee"],
    "표": ["pyo"], "명": ["myung", "myeong"], "기": ["ki", "gi"],
    "반": ["ban", "bahn"], "왕": ["wang"], "금": ["keum", "geum"],
    "옥": ["ok"], "육": ["yook", "yuk"], "인": ["in"],
    "은": ["eun", "un"], "영": ["young", "yeong", "yong"],
    "수": ["soo", "su"], "준": ["joon", "jun"], "희": ["hee", "hui"],
    "혜": ["hye", "hae"], "철": ["chul", "cheol"],
    "경": ["kyung", "kyeong", "gyeong"], "광": ["kwang", "gwang"],
    "근": ["keun", "geun"], "규": ["kyu", "gyu"], "혁": ["hyuk", "hyeok"],
    "훈": ["hoon", "hun"], "호": ["ho"], "용": ["yong"], "룡": ["ryong"],
    "상": ["sang"], "동": ["dong"], "재": ["jae"], "태": ["tae"],
    "일": ["il"], "미": ["mi"], "숙": ["sook", "suk"],
    "순": ["soon", "sun"], "자": ["ja"], "화": ["hwa"],
    "승": ["seung"], "범": ["bum", "beom"], "덕": ["duk", "deok"],
    "학": ["hak"], "택": ["taek"], "창": ["chang"],
    "충": ["choong", "chung"], "식": ["sik", "shik"], "환": ["hwan"],
    "섭": ["seop", "sub"], "열": ["yeol", "yul"], "봉": ["bong"],
    "복": ["bok"], "만": ["man"], "찬": ["chan"], "빈": ["bin"],
    "린": ["rin", "lin"], "라": ["ra", "la"], "려": ["ryeo", "ryo"],
    "련": ["ryeon", "ryon"], "령": ["ryeong", "ryong"],
    "륙": ["ryuk", "yuk"], "률": ["ryul", "yul"],
    "시": ["si", "shi"], "세": ["se"], "형": ["hyung", "hyeong"],
    "중": ["joong", "jung"], "국": ["kook", "guk"], "욱": ["wook", "uk"],
    "웅": ["woong", "ung"], "건": ["kun", "geon"], "헌": ["hun", "heon"],
}


def decompose(syllable):
    """(initial, vowel, final) indexes of a precomposed Hangul syllable."""
    index = ord(syllable) - FIRST
    return index // 588, (index % 588) // 28, index % 28


def rr(syllable):
    initial, vowel, final = decompose(syllable)
    return RR_INITIAL[initial] + RR_VOWEL[vowel] + RR_FINAL[final]


def _mr(syllable, initials):
    initial, vowel, final = decompose(syllable)
    head = initials[initial]
    if head == "s" and vowel in I_VOWELS:
        head = "sh"
    return head + MR_VOWEL[vowel] + MR_FINAL[final]


def mr(syllable):
    """MR of a word-initial syllable (or one after a voiceless sound)."""
    return _mr(syllable, MR_INITIAL)


def mr_voiced(syllable):
    """MR of a syllable that follows a vowel, n, l, m or ng."""
    return _mr(syllable, MR_VOICED_INITIAL)


def popular_rule(syllable):
    """The common informal spelling: eo -> u in closed syllables, u -> oo,
    yeo + ng -> young, s -> sh before i, initial g as k."""
    initial, vowel, final = decompose(syllable)
    head = POPULAR_INITIAL[initial]
    if head == "s" and (vowel in I_VOWELS or vowel in Y_VOWELS):
        head = "sh"
    body = RR_VOWEL[vowel]
    tail = RR_FINAL[final]
    if vowel == 4 and final:            # eo
        body = "u"
    elif vowel == 6 and final == 21:    # yeo + ng
        body = "you"
    elif vowel == 6 and final:          # yeo
        body = "yu"
    elif vowel == 13:                   # u
        body = "oo"
    elif vowel == 19 and initial == 18:  # hui
        body = "ee"
    return head + body + tail


def popular(syllable):
    """Common spellings, most common first (never empty)."""
    out = list(POPULAR.get(syllable, []))
    rule = popular_rule(syllable)
    if rule and rule not in out:
        out.append(rule)
    return out or [rr(syllable)]


def ends_voiced(syllable):
    return decompose(syllable)[2] in VOICED_FINALS


def all_rows():
    """(syllable, rr, mr, mr_voiced, popular list) for all 11,172."""
    for cp in range(FIRST, LAST + 1):
        s = chr(cp)
        yield s, rr(s), mr(s), mr_voiced(s), popular(s)
