#include "risk/rule.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <unordered_set>

#include "risk/fields.h"

namespace vigil {

using risk::Field;
using risk::Scope;
using risk::Type;
using risk::Value;

namespace {

// ---------------------------------------------------------------- lexer

struct Token {
  enum Kind { kEnd, kIdent, kString, kNumber, kSymbol } kind = kEnd;
  std::string text;  // identifier, unescaped string, number or symbol
  size_t begin = 0, end = 0;
  int line = 1, column = 1;
};

struct Failure {
  RuleError error;
};

[[noreturn]] void fail(const Token& at, std::string message, std::string hint = {}) {
  throw Failure{{at.line, at.column, std::move(message), std::move(hint)}};
}

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  int line = 1;
  size_t line_start = 0;
  auto here = [&](size_t at) {
    Token t;
    t.begin = at;
    t.line = line;
    t.column = static_cast<int>(at - line_start) + 1;
    return t;
  };
  while (true) {
    while (i < s.size()) {
      if (s[i] == '\n') {
        ++line;
        line_start = ++i;
      } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
        ++i;
      } else if (s[i] == '#') {
        while (i < s.size() && s[i] != '\n') ++i;
      } else {
        break;
      }
    }
    Token t = here(i);
    if (i >= s.size()) {
      t.end = i;
      out.push_back(t);
      return out;
    }
    const char c = s[i];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      t.kind = Token::kIdent;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) t.text += s[i++];
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      t.kind = Token::kNumber;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) t.text += s[i++];
      if (std::count(t.text.begin(), t.text.end(), '.') > 1 || t.text.back() == '.') fail(t, "malformed number '" + t.text + "'");
    } else if (c == '"') {
      t.kind = Token::kString;
      ++i;
      while (true) {
        if (i >= s.size() || s[i] == '\n') fail(t, "text not closed", "end it with \" on the same line");
        if (s[i] == '"') {
          ++i;
          break;
        }
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
        t.text += s[i++];
      }
    } else {
      t.kind = Token::kSymbol;
      static const char* kTwo[] = {"==", "!=", "<=", ">="};
      bool two = false;
      for (const char* op : kTwo)
        if (s.substr(i, 2) == op) two = true;
      if (two) {
        t.text = std::string(s.substr(i, 2));
        i += 2;
      } else if (std::string_view("<>+-()[],.=").find(c) != std::string_view::npos) {
        t.text = std::string(1, c);
        ++i;
        if (c == '=') fail(t, "'=' is not a comparison", "write == to compare");
      } else {
        fail(t, std::string("unexpected character '") + c + "'");
      }
    }
    t.end = i;
    out.push_back(std::move(t));
  }
}

// ---------------------------------------------------------------- program

enum class Op : uint8_t {
  kOr, kAnd, kNot,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kIn, kNotIn, kMatches, kContains, kStartsWith,
  kAdd, kSub, kNeg,
  kConst, kField, kToday, kSet,
  kAny, kAll, kCount, kPresent,
};

constexpr uint8_t kNoScope = 0, kManyScopes = 255;

// The furthest day number date arithmetic gives, about 2.7 million years
// either side of 1970: within an int32_t and what iso_date() can print.
constexpr double kMaxDay = 1e9;

// Texts looked up by view, without a copy.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using TextSet = std::unordered_set<std::string, TextHash, std::equal_to<>>;

struct Node {
  Op op = Op::kConst;
  Type type = Type::kBool;
  int a = -1, b = -1;           // operands
  Value constant;               // kConst
  const Field* field = nullptr; // kField
  Scope scope = Scope::kRecord; // kField, kAny, kAll, kCount
  uint8_t free_scope = kNoScope;  // a collection read here outside any/all/count (scope + 1)
  const TextSet* set = nullptr;  // kSet, kIn, kNotIn
  const RE2* re = nullptr;      // kMatches
  size_t begin = 0, end = 0;    // source span
};

uint8_t merge_scopes(uint8_t x, uint8_t y) {
  if (x == kNoScope) return y;
  if (y == kNoScope || x == y) return x;
  return kManyScopes;
}

}  // namespace

struct Program {
  std::string text, name, severity, category;
  std::set<std::string> lists;
  std::vector<Node> nodes;
  int root = -1;
  std::deque<std::string> strings;
  std::deque<TextSet> sets;
  std::deque<RE2> patterns;
};

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

// "did you mean X?" for the closest of `options` to `word`, if close.
template <typename Range>
std::string suggest(std::string_view word, const Range& options) {
  std::string best;
  size_t best_distance = std::max<size_t>(3, word.size() / 3) + 1;
  for (const auto& o : options) {
    const size_t d = edit_distance(word, o);
    if (d < best_distance) best_distance = d, best = std::string(o);
  }
  return best.empty() ? std::string() : "did you mean " + best + "?";
}

class Parser {
 public:
  Parser(std::string_view text, const ValueLists& lists, Program* p)
      : tokens_(lex(text)), lists_(lists), p_(*p) {}

  void ParseRule() {
    Expect("rule", "a rule starts with: rule \"NAME\" severity high|medium|low category CATEGORY when CONDITION");
    if (Peek().kind != Token::kString || Peek().text.empty()) fail(Peek(), "expected the rule's name in quotes");
    p_.name = Next().text;
    bool severity = false, category = false;
    while (!IsWord("when")) {
      if (Accept("severity")) {
        const Token& t = Next();
        if (t.kind != Token::kIdent || (t.text != "high" && t.text != "medium" && t.text != "low"))
          fail(t, "severity must be high, medium or low");
        p_.severity = t.text;
        severity = true;
      } else if (Accept("category")) {
        const Token& t = Next();
        if ((t.kind != Token::kIdent && t.kind != Token::kString) || t.text.empty())
          fail(t, "expected a category, e.g. narcotics");
        p_.category = t.text;
        category = true;
      } else {
        fail(Peek(), "expected severity, category or when", "a rule reads: rule \"NAME\" severity high category narcotics when ...");
      }
    }
    if (!severity) fail(Peek(), "the rule has no severity", "add: severity high, medium or low");
    if (!category) fail(Peek(), "the rule has no category", "add: category and a word such as narcotics");
    Next();  // when
    p_.root = Expression();
    if (Peek().kind != Token::kEnd) fail(Peek(), "unexpected '" + Peek().text + "' after the condition", "join conditions with and / or");
    RequireBool(p_.root, "the condition");
    p_.root = Bind(p_.root);
  }

 private:
  // ---- tokens
  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  bool IsWord(std::string_view w, size_t ahead = 0) const {
    return Peek(ahead).kind == Token::kIdent && Peek(ahead).text == w;
  }
  bool IsSymbol(std::string_view s) const { return Peek().kind == Token::kSymbol && Peek().text == s; }
  bool Accept(std::string_view w) {
    if (!IsWord(w)) return false;
    Next();
    return true;
  }
  bool AcceptSymbol(std::string_view s) {
    if (!IsSymbol(s)) return false;
    Next();
    return true;
  }
  void Expect(std::string_view w, std::string hint = {}) {
    if (!Accept(w)) fail(Peek(), "expected '" + std::string(w) + "'", std::move(hint));
  }
  void ExpectSymbol(std::string_view s) {
    if (!AcceptSymbol(s)) fail(Peek(), "expected '" + std::string(s) + "'" + (Peek().kind == Token::kEnd ? " before the end" : ""));
  }

  // ---- nodes
  int Add(Node n, size_t begin) {
    n.begin = begin;
    n.end = tokens_[pos_ == 0 ? 0 : pos_ - 1].end;
    p_.nodes.push_back(n);
    return static_cast<int>(p_.nodes.size()) - 1;
  }
  Node& At(int i) { return p_.nodes[static_cast<size_t>(i)]; }
  std::string Source(int i) { return p_.text.substr(At(i).begin, At(i).end - At(i).begin); }
  Token TokenOf(int i) {
    // The token where node i starts, for locating errors.
    for (const Token& t : tokens_)
      if (t.begin == At(i).begin) return t;
    return Peek();
  }
  void RequireBool(int i, const std::string& what) {
    if (At(i).type != Type::kBool)
      fail(TokenOf(i), what + " must be yes/no, but " + Source(i) + " is a " + type_name(At(i).type),
           "compare it, e.g. " + Source(i) + " == ...");
  }
  // A comparison (or a yes/no field) that reads a collection no enclosing
  // any / all / count binds holds when it holds for any item. A value that
  // is not yes/no is left to the comparison it is part of.
  int Bind(int i) {
    const uint8_t s = At(i).free_scope;
    if (s == kNoScope || At(i).type != Type::kBool) return i;
    if (s == kManyScopes)
      fail(TokenOf(i), Source(i) + " reads two collections at once",
           "compare items of one collection at a time, e.g. any segment.origin == ...");
    Node n;
    n.op = Op::kAny;
    n.type = Type::kBool;
    n.scope = static_cast<Scope>(s - 1);
    n.a = i;
    const size_t begin = At(i).begin, end = At(i).end;
    const int j = Add(n, begin);
    At(j).end = end;
    return j;
  }

  // ---- grammar: or > and > not > comparison > sum > unary > primary
  int Expression() {
    const size_t begin = Peek().begin;
    int left = Conjunction();
    while (Accept("or")) {
      const int right = Conjunction();
      left = Logical(Op::kOr, left, right, begin);
    }
    return left;
  }
  int Conjunction() {
    const size_t begin = Peek().begin;
    int left = Negation();
    while (Accept("and")) {
      const int right = Negation();
      left = Logical(Op::kAnd, left, right, begin);
    }
    return left;
  }
  int Logical(Op op, int left, int right, size_t begin) {
    left = Bind(left);
    right = Bind(right);
    RequireBool(left, std::string(op == Op::kOr ? "or" : "and") + " joins yes/no conditions;");
    RequireBool(right, std::string(op == Op::kOr ? "or" : "and") + " joins yes/no conditions;");
    Node n;
    n.op = op;
    n.a = left;
    n.b = right;
    n.free_scope = merge_scopes(At(left).free_scope, At(right).free_scope);
    return Add(n, begin);
  }
  int Negation() {
    const size_t begin = Peek().begin;
    if (Accept("not")) {
      const int inner = Bind(Negation());
      RequireBool(inner, "not applies to a yes/no condition;");
      Node n;
      n.op = Op::kNot;
      n.a = inner;
      return Add(n, begin);
    }
    return Comparison();
  }
  int Comparison() {
    const size_t begin = Peek().begin;
    const Token at = Peek();
    const int left = Sum();
    Op op;
    std::string word;
    if (IsSymbol("==")) op = Op::kEq;
    else if (IsSymbol("!=")) op = Op::kNe;
    else if (IsSymbol("<")) op = Op::kLt;
    else if (IsSymbol("<=")) op = Op::kLe;
    else if (IsSymbol(">")) op = Op::kGt;
    else if (IsSymbol(">=")) op = Op::kGe;
    else if (IsWord("in")) op = Op::kIn;
    else if (IsWord("not") && IsWord("in", 1)) op = Op::kNotIn;
    else if (IsWord("matches")) op = Op::kMatches;
    else if (IsWord("contains")) op = Op::kContains;
    else if (IsWord("starts_with")) op = Op::kStartsWith;
    else return left;
    const Token op_token = Next();
    if (op == Op::kNotIn) Next();
    const int right = Sum();
    Node n;
    n.op = op;
    n.a = left;
    n.b = right;
    n.free_scope = merge_scopes(At(left).free_scope, At(right).free_scope);
    const Type lt = At(left).type, rt = At(right).type;
    auto mismatch = [&](const std::string& hint) {
      fail(op_token, "cannot apply " + op_token.text + (op == Op::kNotIn ? " in" : "") + " to " + Source(left) +
                         " (" + type_name(lt) + ") and " + Source(right) + " (" + type_name(rt) + ")", hint);
    };
    switch (op) {
      case Op::kEq:
      case Op::kNe:
        if (lt != rt || lt == Type::kSet) mismatch("both sides must be of one type");
        break;
      case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe:
        if (lt != rt || (lt != Type::kNumber && lt != Type::kDate)) mismatch("order compares two numbers or two dates");
        break;
      case Op::kIn:
      case Op::kNotIn:
        if (lt != Type::kText || rt != Type::kSet) mismatch("write: TEXT in list(\"NAME\") or TEXT in [\"A\", \"B\"]");
        n.set = At(right).set;
        break;
      case Op::kMatches: {
        if (lt != Type::kText || At(right).op != Op::kConst || rt != Type::kText)
          mismatch("write: TEXT matches \"PATTERN\" with the pattern in quotes");
        RE2::Options options;
        options.set_case_sensitive(false);
        options.set_log_errors(false);
        // The pattern as written: upper-casing would change its meaning (\w, \W).
        RE2& re = p_.patterns.emplace_back(TokenOf(right).text, options);
        if (!re.ok()) fail(TokenOf(right), "invalid pattern: " + re.error(), "patterns follow RE2 syntax");
        n.re = &re;
        break;
      }
      case Op::kContains:
      case Op::kStartsWith:
        if (lt != Type::kText || rt != Type::kText) mismatch("both sides must be text");
        break;
      default: break;
    }
    (void)at;
    return Add(n, begin);
  }
  int Sum() {
    const size_t begin = Peek().begin;
    int left = Unary();
    while (IsSymbol("+") || IsSymbol("-")) {
      const Token op_token = Next();
      const int right = Unary();
      const Type lt = At(left).type, rt = At(right).type;
      Node n;
      n.op = op_token.text == "+" ? Op::kAdd : Op::kSub;
      n.a = left;
      n.b = right;
      n.free_scope = merge_scopes(At(left).free_scope, At(right).free_scope);
      if (lt == Type::kNumber && rt == Type::kNumber) n.type = Type::kNumber;
      else if (lt == Type::kDate && rt == Type::kNumber) n.type = Type::kDate;
      else if (lt == Type::kDate && rt == Type::kDate && n.op == Op::kSub) n.type = Type::kNumber;
      else
        fail(op_token, std::string("cannot ") + (n.op == Op::kAdd ? "add " : "subtract ") + Source(right) + " (" +
                           type_name(rt) + ") " + (n.op == Op::kAdd ? "to " : "from ") + Source(left) + " (" + type_name(lt) + ")",
             "dates take and give days: DATE - DATE, DATE + NUMBER, DATE - NUMBER");
      left = Add(n, begin);
    }
    return left;
  }
  int Unary() {
    const size_t begin = Peek().begin;
    if (IsSymbol("-")) {
      const Token t = Next();
      const int inner = Unary();
      if (At(inner).type != Type::kNumber) fail(t, "only numbers can be negative");
      Node n;
      n.op = Op::kNeg;
      n.type = Type::kNumber;
      n.a = inner;
      n.free_scope = At(inner).free_scope;
      return Add(n, begin);
    }
    return Primary();
  }
  int Primary() {
    const size_t begin = Peek().begin;
    const Token t = Next();
    Node n;
    switch (t.kind) {
      case Token::kEnd: fail(t, "the condition ends too early", "complete the comparison");
      case Token::kNumber:
      {
        double v = 0;
        const auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
        if (ec != std::errc() || end != t.text.data() + t.text.size() || !std::isfinite(v))
          fail(t, "number out of range '" + t.text + "'");
        n.type = Type::kNumber;
        n.constant = Value::Num(v);
        return Add(n, begin);
      }
      case Token::kString:
        n.type = Type::kText;
        n.constant.kind = Value::kText;  // even when empty
        n.constant.s = p_.strings.emplace_back(upper(t.text));
        return Add(n, begin);
      case Token::kSymbol:
        if (t.text == "(") {
          const int inner = Bind(Expression());
          ExpectSymbol(")");
          return inner;
        }
        if (t.text == "[") return LiteralSet(t, begin);
        fail(t, "unexpected '" + t.text + "'");
      case Token::kIdent: break;
    }
    if (t.text == "true" || t.text == "false") {
      n.constant = Value::Bool(t.text == "true");
      return Add(n, begin);
    }
    if (t.text == "today") {
      n.op = Op::kToday;
      n.type = Type::kDate;
      return Add(n, begin);
    }
    if (t.text == "date" && IsSymbol("(")) {
      Next();
      const Token d = Next();
      if (d.kind != Token::kString || day_number(d.text) == kNoDate || d.text.size() != 10)
        fail(d, "expected a date in quotes, e.g. date(\"2026-01-31\")");
      ExpectSymbol(")");
      n.type = Type::kDate;
      n.constant = Value::Date(day_number(d.text));
      return Add(n, begin);
    }
    if (t.text == "list" && IsSymbol("(")) {
      Next();
      const Token name = Next();
      if (name.kind != Token::kString) fail(name, "expected the list's name in quotes, e.g. list(\"source-countries\")");
      ExpectSymbol(")");
      auto it = lists_.find(name.text);
      if (it == lists_.end()) {
        std::vector<std::string> names;
        for (const auto& [k, v] : lists_) names.push_back(k);
        std::string hint = suggest(name.text, names);
        fail(name, "no value list named \"" + name.text + "\"",
             hint.empty() ? "create it with: vigil values set " + name.text + " ITEM..." : hint);
      }
      p_.lists.insert(name.text);
      auto& set = p_.sets.emplace_back();
      for (const auto& item : it->second) set.insert(upper(item));
      n.op = Op::kSet;
      n.type = Type::kSet;
      n.set = &set;
      return Add(n, begin);
    }
    if (t.text == "present" && IsSymbol("(")) {
      Next();
      const int inner = Sum();
      ExpectSymbol(")");
      n.op = Op::kPresent;
      n.a = inner;
      n.free_scope = At(inner).free_scope;
      return Add(n, begin);
    }
    if (t.text == "count" && IsSymbol("(")) {
      Next();
      const Token c = Next();
      const Scope scope = risk::scope_named(c.text);
      if (c.kind != Token::kIdent || scope == Scope::kRecord)
        fail(c, "count( ) takes a collection", "one of segment, document, cotraveller, payment, contact, route");
      n.op = Op::kCount;
      n.type = Type::kNumber;
      n.scope = scope;
      if (Accept("where")) n.a = Quantified(scope, [&] { return Expression(); });
      ExpectSymbol(")");
      if (n.a >= 0) n.free_scope = At(n.a).free_scope;
      return Add(n, begin);
    }
    if ((t.text == "any" || t.text == "all") && Peek().kind == Token::kIdent) {
      const Token c = Peek();
      const Scope scope = risk::scope_named(c.text);
      if (scope == Scope::kRecord)
        fail(c, t.text + " takes a collection", "one of segment, document, cotraveller, payment, contact, route");
      n.op = t.text == "any" ? Op::kAny : Op::kAll;
      n.scope = scope;
      if (IsWord("where", 1)) {
        Next();
        Next();
        n.a = Quantified(scope, [&] { return Negation(); });
      } else {
        // any segment.origin in list(..): the comparison starting here.
        n.a = Quantified(scope, [&] { return Comparison(); });
      }
      n.free_scope = At(n.a).free_scope;
      return Add(n, begin);
    }
    // A field path.
    std::string path = t.text;
    while (IsSymbol(".")) {
      Next();
      const Token part = Next();
      if (part.kind != Token::kIdent) fail(part, "expected a field name after '.'");
      path += "." + part.text;
    }
    const Field* f = risk::find_field(path);
    if (!f) {
      std::vector<std::string_view> paths;
      for (const auto& field : risk::fields()) paths.push_back(field.path);
      std::string hint = suggest(path, paths);
      if (hint.empty() && path.find('.') == std::string::npos)
        hint = "fields are written with their group, e.g. traveller.nationality, booking.days_before_departure";
      fail(t, "unknown field " + path, hint);
    }
    n.op = Op::kField;
    n.type = f->type;
    n.field = f;
    n.scope = f->scope;
    if (f->scope != Scope::kRecord && std::find(bound_.begin(), bound_.end(), f->scope) == bound_.end())
      n.free_scope = static_cast<uint8_t>(static_cast<int>(f->scope) + 1);
    return Add(n, begin);
  }
  template <typename Body>
  int Quantified(Scope scope, Body body) {
    bound_.push_back(scope);
    const int inner = Bind(body());
    bound_.pop_back();
    RequireBool(inner, "the condition of any / all / count");
    return inner;
  }
  int LiteralSet(const Token& open, size_t begin) {
    auto& set = p_.sets.emplace_back();
    if (!IsSymbol("]")) {
      do {
        const Token item = Next();
        if (item.kind != Token::kString) fail(item, "list items are texts in quotes");
        set.insert(upper(item.text));
      } while (AcceptSymbol(","));
    }
    if (!AcceptSymbol("]")) fail(Peek(), "expected ']' to close the list opened here", "separate items with commas");
    (void)open;
    Node n;
    n.op = Op::kSet;
    n.type = Type::kSet;
    n.set = &set;
    return Add(n, begin);
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const ValueLists& lists_;
  Program& p_;
  std::vector<Scope> bound_;
};

// ---------------------------------------------------------------- evaluation

enum class Truth : uint8_t { kFalse, kTrue, kUnknown };

// The item an any / all / count is at, given back to an enclosing one over
// the same collection when it is done.
class KeepItem {
 public:
  explicit KeepItem(size_t& item) : item_(item), saved_(item) {}
  ~KeepItem() { item_ = saved_; }
  KeepItem(const KeepItem&) = delete;
  KeepItem& operator=(const KeepItem&) = delete;

 private:
  size_t& item_;
  const size_t saved_;
};

struct Context {
  const Program& p;
  const TravelRecord& r;
  int32_t today;
  size_t item[risk::kScopes] = {};
  const Field* missing = nullptr;          // the first value that was not known
  const char* missing_collection = nullptr;
  std::vector<std::string>* trace = nullptr;  // Explain only
};

Value Eval(Context& c, int i);
Truth Test(Context& c, int i);

std::string show(const Value& v) {
  char buf[64];
  switch (v.kind) {
    case Value::kUnknown: return "unknown";
    case Value::kBool: return v.b ? "true" : "false";
    case Value::kNumber:
      if (v.n == std::floor(v.n) && std::fabs(v.n) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v.n);
      else std::snprintf(buf, sizeof buf, "%g", v.n);
      return buf;
    case Value::kText: return std::string(v.s);
    case Value::kDate: return iso_date(v.d);
  }
  return "?";
}

std::string source(const Context& c, int i) {
  const Node& n = c.p.nodes[static_cast<size_t>(i)];
  return c.p.text.substr(n.begin, n.end - n.begin);
}

Value Eval(Context& c, int i) {
  const Node& n = c.p.nodes[static_cast<size_t>(i)];
  switch (n.op) {
    case Op::kConst: return n.constant;
    case Op::kToday: return Value::Date(c.today);
    case Op::kField: {
      const Value v = n.field->read(c.r, c.item[static_cast<size_t>(n.scope)]);
      if (v.kind == Value::kUnknown && !c.missing) c.missing = n.field;
      return v;
    }
    case Op::kNeg: {
      Value v = Eval(c, n.a);
      if (v.kind == Value::kNumber) v.n = -v.n;
      return v;
    }
    case Op::kAdd:
    case Op::kSub: {
      const Value x = Eval(c, n.a), y = Eval(c, n.b);
      if (x.kind == Value::kUnknown || y.kind == Value::kUnknown) return {};
      const double sign = n.op == Op::kAdd ? 1 : -1;
      if (x.kind == Value::kNumber) return Value::Num(x.n + sign * y.n);
      if (y.kind == Value::kDate) return Value::Num(static_cast<double>(x.d) - y.d);
      // A day further than kMaxDay from 1970 is no date (nor is one that is
      // not a number).
      const double day = x.d + std::round(sign * y.n);
      if (!(std::fabs(day) <= kMaxDay)) return {};
      return Value::Date(static_cast<int32_t>(day));
    }
    case Op::kCount: {
      const int64_t size = risk::scope_size(c.r, n.scope);
      if (size < 0) {
        if (!c.missing_collection && !c.missing) c.missing_collection = "booking";
        return {};
      }
      if (n.a < 0) return Value::Num(static_cast<double>(size));
      size_t& item = c.item[static_cast<size_t>(n.scope)];
      const KeepItem keep(item);
      double count = 0;
      bool unknown = false;
      std::vector<std::string>* trace = c.trace;
      c.trace = nullptr;
      for (item = 0; item < static_cast<size_t>(size); ++item) {
        const Truth t = Test(c, n.a);
        count += t == Truth::kTrue;
        unknown = unknown || t == Truth::kUnknown;
      }
      c.trace = trace;
      return unknown ? Value{} : Value::Num(count);
    }
    default: {
      const Truth t = Test(c, i);
      return t == Truth::kUnknown ? Value{} : Value::Bool(t == Truth::kTrue);
    }
  }
}

bool text_less(const Value& x, const Value& y) { return x.s < y.s; }

const char* operator_text(Op op) {
  switch (op) {
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kIn: return "in";
    case Op::kNotIn: return "not in";
    case Op::kMatches: return "matches";
    case Op::kContains: return "contains";
    case Op::kStartsWith: return "starts_with";
    default: return "?";
  }
}

Truth Compare(Context& c, const Node& n) {
  const Value x = Eval(c, n.a);
  const bool membership = n.op == Op::kIn || n.op == Op::kNotIn;
  const Value y = membership ? Value::Bool(true) : Eval(c, n.b);
  if (x.kind == Value::kUnknown || y.kind == Value::kUnknown) return Truth::kUnknown;
  int order = 0;  // <0, 0, >0
  switch (x.kind) {
    case Value::kBool: order = static_cast<int>(x.b) - static_cast<int>(y.b); break;
    case Value::kNumber: order = x.n < y.n ? -1 : x.n > y.n ? 1 : 0; break;
    case Value::kDate: order = x.d < y.d ? -1 : x.d > y.d ? 1 : 0; break;
    case Value::kText: order = text_less(x, y) ? -1 : text_less(y, x) ? 1 : 0; break;
    default: break;
  }
  bool holds = false;
  switch (n.op) {
    case Op::kEq: holds = order == 0; break;
    case Op::kNe: holds = order != 0; break;
    case Op::kLt: holds = order < 0; break;
    case Op::kLe: holds = order <= 0; break;
    case Op::kGt: holds = order > 0; break;
    case Op::kGe: holds = order >= 0; break;
    case Op::kMatches: holds = RE2::PartialMatch(re2::StringPiece(x.s.data(), x.s.size()), *n.re); break;
    case Op::kContains: holds = x.s.find(y.s) != std::string_view::npos; break;
    case Op::kStartsWith: holds = x.s.substr(0, y.s.size()) == y.s; break;
    case Op::kIn:
    case Op::kNotIn: holds = (n.set->find(x.s) != n.set->end()) == (n.op == Op::kIn); break;
    default: break;
  }
  if (holds && c.trace) {
    // "operand is value (operator other operand)".
    const Node& left = c.p.nodes[static_cast<size_t>(n.a)];
    std::string line = source(c, n.a);
    if (left.op != Op::kConst) line += " is " + show(x);
    line += std::string(" (") + operator_text(n.op) + " " + source(c, n.b) + ")";
    c.trace->push_back(std::move(line));
  }
  return holds ? Truth::kTrue : Truth::kFalse;
}

Truth TestNode(Context& c, int i);

// A condition decided either way needed nothing that was missing: what its
// parts missed is forgotten, so an undecided rule names what it needed.
Truth Test(Context& c, int i) {
  const Field* missing = c.missing;
  const char* collection = c.missing_collection;
  const Truth t = TestNode(c, i);
  if (t != Truth::kUnknown) {
    c.missing = missing;
    c.missing_collection = collection;
  }
  return t;
}

Truth TestNode(Context& c, int i) {
  const Node& n = c.p.nodes[static_cast<size_t>(i)];
  switch (n.op) {
    case Op::kAnd: {
      const size_t mark = c.trace ? c.trace->size() : 0;
      const Truth x = Test(c, n.a);
      if (x == Truth::kFalse) {
        if (c.trace) c.trace->resize(mark);
        return Truth::kFalse;
      }
      const Truth y = Test(c, n.b);
      if (y == Truth::kFalse) {
        if (c.trace) c.trace->resize(mark);
        return Truth::kFalse;
      }
      return x == Truth::kTrue && y == Truth::kTrue ? Truth::kTrue : Truth::kUnknown;
    }
    case Op::kOr: {
      const size_t mark = c.trace ? c.trace->size() : 0;
      const Truth x = Test(c, n.a);
      if (x == Truth::kTrue) return Truth::kTrue;
      if (c.trace) c.trace->resize(mark);
      const Truth y = Test(c, n.b);
      if (y == Truth::kTrue) return Truth::kTrue;
      if (c.trace) c.trace->resize(mark);
      return x == Truth::kUnknown || y == Truth::kUnknown ? Truth::kUnknown : Truth::kFalse;
    }
    case Op::kNot: {
      std::vector<std::string>* trace = c.trace;
      c.trace = nullptr;
      const Truth x = Test(c, n.a);
      c.trace = trace;
      if (x == Truth::kUnknown) return x;
      if (x == Truth::kFalse && c.trace) c.trace->push_back(source(c, i));
      return x == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
    }
    case Op::kPresent: {
      const Field* missing = c.missing;
      const char* collection = c.missing_collection;
      const Value v = Eval(c, n.a);
      c.missing = missing;  // asking is not needing
      c.missing_collection = collection;
      if (v.kind != Value::kUnknown && c.trace) c.trace->push_back(source(c, i));
      return v.kind == Value::kUnknown ? Truth::kFalse : Truth::kTrue;
    }
    case Op::kAny:
    case Op::kAll: {
      const int64_t size = risk::scope_size(c.r, n.scope);
      if (size < 0) {
        if (!c.missing_collection && !c.missing) c.missing_collection = "booking";
        return Truth::kUnknown;
      }
      const bool any = n.op == Op::kAny;
      size_t& item = c.item[static_cast<size_t>(n.scope)];
      const KeepItem keep(item);
      bool unknown = false;
      std::vector<std::string>* trace = c.trace;
      for (item = 0; item < static_cast<size_t>(size); ++item) {
        const size_t mark = trace ? trace->size() : 0;
        const Truth t = Test(c, n.a);
        if (t == Truth::kUnknown) unknown = true;
        if (any && t == Truth::kTrue) {
          if (trace)
            for (size_t k = mark; k < trace->size(); ++k)
              (*trace)[k] = std::string(risk::scope_name(n.scope)) + " " + std::to_string(item + 1) + ": " + (*trace)[k];
          return Truth::kTrue;
        }
        if (trace) trace->resize(mark);
        if (!any && t == Truth::kFalse) return Truth::kFalse;
      }
      if (unknown) return Truth::kUnknown;
      if (!any && trace) trace->push_back(source(c, i));
      return any ? Truth::kFalse : Truth::kTrue;
    }
    case Op::kField:
    case Op::kConst: {
      const Value v = Eval(c, i);
      if (v.kind == Value::kUnknown) return Truth::kUnknown;
      // A constant that holds (when true) is explained by its own text.
      if (v.b && c.trace) c.trace->push_back(n.op == Op::kField ? source(c, i) + " is true" : source(c, i));
      return v.b ? Truth::kTrue : Truth::kFalse;
    }
    default:
      return Compare(c, n);
  }
}

}  // namespace

// ---------------------------------------------------------------- Rule

std::string RuleError::Format(std::string_view text) const {
  std::string out = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
  size_t start = 0;
  for (int l = 1; l < line && start != std::string_view::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start != std::string_view::npos && start <= text.size()) {
    const size_t stop = std::min(text.find('\n', start), text.size());
    out += "\n  " + std::string(text.substr(start, stop - start)) + "\n  " +
           std::string(static_cast<size_t>(std::max(column - 1, 0)), ' ') + "^";
  }
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

Result<Rule> Rule::Compile(std::string_view text, const ValueLists& lists, RuleError* error) {
  auto program = std::make_shared<Program>();
  program->text = std::string(text);
  try {
    Parser(program->text, lists, program.get()).ParseRule();
  } catch (const Failure& f) {
    if (error) *error = f.error;
    return Status::Error(f.error.Format(text));
  }
  Rule rule;
  rule.program_ = std::move(program);
  return rule;
}

const std::string& Rule::name() const { return program_->name; }
const std::string& Rule::severity() const { return program_->severity; }
const std::string& Rule::category() const { return program_->category; }
const std::string& Rule::text() const { return program_->text; }
const std::set<std::string>& Rule::lists() const { return program_->lists; }

Rule::Outcome Rule::Evaluate(const TravelRecord& record, int32_t today) const {
  Context c{*program_, record, today};
  const Truth t = Test(c, program_->root);
  Outcome out;
  out.hit = t == Truth::kTrue;
  out.decided = t != Truth::kUnknown;
  if (!out.decided) {
    if (c.missing) out.missing = c.missing->path;
    else if (c.missing_collection) out.missing = c.missing_collection;
  }
  return out;
}

std::string Rule::Outcome::error() const {
  if (decided) return {};
  if (missing.empty()) return "the condition could not be decided";
  return std::string(missing) + " is not known";
}

std::vector<std::string> Rule::Explain(const TravelRecord& record, int32_t today) const {
  std::vector<std::string> trace;
  Context c{*program_, record, today};
  c.trace = &trace;
  if (Test(c, program_->root) != Truth::kTrue) trace.clear();
  return trace;
}

const std::vector<FieldInfo>& rule_fields() {
  static const std::vector<FieldInfo> kInfo = [] {
    std::vector<FieldInfo> out;
    for (const auto& f : risk::fields()) out.push_back({f.path, risk::type_name(f.type), f.meaning});
    return out;
  }();
  return kInfo;
}

}  // namespace vigil
