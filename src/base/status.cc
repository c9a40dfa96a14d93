#include "base/status.h"

#include <algorithm>

namespace vigil {

std::string Diagnostic::to_string() const {
  std::string out;
  if (!where.file.empty()) out += where.file + ":";
  if (where.line) out += std::to_string(where.line) + ":";
  if (where.column) out += std::to_string(where.column) + ":";
  if (!out.empty()) out += " ";
  if (!where.segment.empty()) out += "segment " + where.segment + ": ";
  if (severity == Severity::kWarning) out += "warning: ";
  out += reason;
  return out;
}

void Diagnostics::warn(Location where, std::string reason) {
  items_.push_back({Severity::kWarning, std::move(where), std::move(reason)});
}

void Diagnostics::error(Location where, std::string reason) {
  items_.push_back({Severity::kError, std::move(where), std::move(reason)});
}

void Diagnostics::escalate_warnings() {
  for (auto& d : items_) d.severity = Severity::kError;
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::warning_count() const {
  return std::count_if(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kWarning; });
}

size_t Diagnostics::error_count() const { return items_.size() - warning_count(); }

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return message_ ? *message_ : kEmpty;
}

}  // namespace vigil
