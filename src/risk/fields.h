// The fields rules read from a TravelRecord (internal to risk/): their
// paths, static types, the collection each belongs to and how each is read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "risk/record.h"

namespace vigil::risk {

// A value as a rule sees it. kUnknown: the record does not say.
struct Value {
  enum Kind : uint8_t { kUnknown, kBool, kNumber, kText, kDate };
  Kind kind = kUnknown;
  bool b = false;
  double n = 0;
  int32_t d = 0;
  std::string_view s;

  static Value Bool(bool v) { Value x; x.kind = kBool; x.b = v; return x; }
  static Value Num(double v) { Value x; x.kind = kNumber; x.n = v; return x; }
  static Value Num(Number v) { return v.known ? Num(v.value) : Value{}; }
  static Value Text(std::string_view v) { Value x; if (!v.empty()) { x.kind = kText; x.s = v; } return x; }
  static Value Date(int32_t v) { Value x; if (v != kNoDate) { x.kind = kDate; x.d = v; } return x; }
};

enum class Type : uint8_t { kBool, kNumber, kText, kDate, kSet };
const char* type_name(Type t);

// What a field is read from: the record itself or one item of a collection.
enum class Scope : uint8_t { kRecord, kSegment, kDocument, kCotraveller, kPayment, kContact, kRoute };
constexpr int kScopes = 7;
// The collection's name in rules ("segment"), empty for kRecord.
std::string_view scope_name(Scope s);
// The collection named `name`, or kRecord when none is.
Scope scope_named(std::string_view name);
// Items of collection `s` in `r`; -1 when the record cannot say (booking
// collections of a traveller without a booking).
int64_t scope_size(const TravelRecord& r, Scope s);

struct Field {
  std::string_view path;
  Type type;
  Scope scope;
  std::string_view meaning;
  Value (*read)(const TravelRecord& r, size_t item);
};

// Every field, in documentation order.
const std::vector<Field>& fields();
// The field at `path`, or nullptr.
const Field* find_field(std::string_view path);

}  // namespace vigil::risk
