// Errors and warnings that say what went wrong, where and why.
//
// Recoverable failures are values, never exceptions across library
// boundaries. A Diagnostic locates a problem in an input (file, line,
// column, byte offset, segment tag) so a person can find it in the raw bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace vigil {

// Where in an input a problem sits. Lines and columns count from 1; zero
// means "unknown". `offset` counts bytes from the start of the input.
struct Location {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  uint64_t offset = 0;
  std::string segment;  // EDIFACT segment tag or XML element name, if any
};

enum class Severity { kWarning, kError };

// One located finding. Warnings leave the message usable; errors reject it.
struct Diagnostic {
  Severity severity = Severity::kError;
  Location where;
  std::string reason;

  // "FILE:LINE:COLUMN: segment TAG: reason" (parts that are unknown are
  // left out). The format is a stable contract of the `vigil` command.
  std::string to_string() const;
};

// A list of findings gathered while reading one input.
class Diagnostics {
 public:
  void warn(Location where, std::string reason);
  void error(Location where, std::string reason);
  // Turns every warning into an error (the `--strict` mode).
  void escalate_warnings();

  bool has_errors() const;
  size_t warning_count() const;
  size_t error_count() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  void append(const Diagnostics& other);
  void clear() { items_.clear(); }

 private:
  std::vector<Diagnostic> items_;
};

// Outcome of an operation with no value: ok, or an error with a message.
class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  // Empty when ok().
  const std::string& message() const;

 private:
  explicit Status(std::string m) : message_(std::move(m)) {}
  std::optional<std::string> message_;
};

// A value or an error message; the std::expected of this code base.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) {}  // NOLINT: must not be ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // Of a temporary Result, the value itself (moved out), so that
  // `for (auto& x : *f())` does not read a destroyed Result.
  T operator*() && { return std::move(value()); }
  // Empty when ok().
  const std::string& error() const {
    static const std::string kEmpty;
    return ok() ? kEmpty : std::get<Status>(v_).message();
  }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace vigil
