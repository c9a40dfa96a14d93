#include "cli/options.h"

#include "privacy/retention.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace vigil::cli {

Options::Options() {
  const char* env_db = std::getenv("VIGIL_DB");
  db_ = env_db && *env_db ? env_db : "var/vigil.db";
  const char* env_now = std::getenv("VIGIL_NOW");
  now_ = env_now ? env_now : "";
  Value("--db", &db_);
  Value("--now", &now_);
  Value("--key", &key_);
  Value("--audit-key", &audit_key_);
  Value("--data-key", &data_key_);
  Value("--retention", &retention_);
  Flag("--json", &json_);
  Flag("--strict", &strict_);
}

Options& Options::Value(const char* flag, std::string* out) {
  values_[flag] = [out](const std::string& v) {
    *out = v;
    return true;
  };
  return *this;
}

Options& Options::Number(const char* flag, double* out) {
  values_[flag] = [out](const std::string& v) {
    char* end = nullptr;
    *out = std::strtod(v.c_str(), &end);
    return !v.empty() && end && *end == '\0';
  };
  return *this;
}

Options& Options::Number(const char* flag, int* out) {
  values_[flag] = [out](const std::string& v) {
    return std::from_chars(v.data(), v.data() + v.size(), *out).ptr == v.data() + v.size() &&
           !v.empty();
  };
  return *this;
}

Options& Options::Flag(const char* flag, bool* out) {
  flags_[flag] = out;
  return *this;
}

bool Options::Parse(const Args& args, const char* command) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      positional_.push_back(a);
      continue;
    }
    std::string value;
    bool has_value = false;
    if (const size_t eq = a.find('='); eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      has_value = true;
    }
    if (auto f = flags_.find(a); f != flags_.end() && !has_value) {
      *f->second = true;
      continue;
    }
    auto v = values_.find(a);
    if (v == values_.end()) {
      std::fprintf(stderr, "vigil %s: unknown option '%s' (see vigil --help)\n", command, a.c_str());
      return false;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "vigil %s: %s needs a value\n", command, a.c_str());
        return false;
      }
      value = args[++i];
    }
    if (!v->second(value)) {
      std::fprintf(stderr, "vigil %s: bad value '%s' for %s\n", command, value.c_str(), a.c_str());
      return false;
    }
  }
  int64_t at = 0;
  if (!now_.empty() && !parse_utc(now_, &at)) {
    std::fprintf(stderr, "vigil %s: bad time '%s' for --now (or VIGIL_NOW): use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n",
                 command, now_.c_str());
    return false;
  }
  return true;
}

std::shared_ptr<const Clock> Options::clock() const {
  int64_t at = 0;
  if (!now_.empty() && parse_utc(now_, &at)) return FixedClock(at);
  return SystemClock();
}

std::string Options::key_path() const {
  if (!key_.empty()) return key_;
  return (std::filesystem::path(db_).parent_path() / "keys" / "card-hash.key").string();
}

std::string Options::audit_key_path() const {
  if (!audit_key_.empty()) return audit_key_;
  return (std::filesystem::path(db_).parent_path() / "keys" / "audit-signing.key").string();
}

StoreSecurity Options::security() const {
  StoreSecurity s;
  s.key_file = data_key_.empty() ? default_data_key_path(db_) : data_key_;
  return s;
}

Result<RetentionPolicy> Options::retention() const {
  if (retention_.empty()) return RetentionPolicy{};
  return load_retention_policy(retention_);
}

std::vector<std::string> Options::SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace vigil::cli
