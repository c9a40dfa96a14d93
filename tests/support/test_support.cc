#include "support/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') out += "'\\''";
    else out += ch;
  }
  return out + "'";
}

struct TempDirs {
  std::vector<std::string> dirs;
  ~TempDirs() {
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};

TempDirs& Temps() {
  static TempDirs t;
  return t;
}

}  // namespace

std::string SamplePath(const std::string& name) {
  return std::string(VIGIL_SOURCE_DIR) + "/data/samples/" + name;
}

std::string ReadSample(const std::string& name) {
  const std::string path = SamplePath(name);
  EXPECT_TRUE(std::filesystem::exists(path)) << path;
  return Slurp(path);
}

std::string ReadSource(const std::string& path) {
  const std::string full = std::string(VIGIL_SOURCE_DIR) + "/" + path;
  EXPECT_TRUE(std::filesystem::exists(full)) << full;
  return Slurp(full);
}

std::string TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  EXPECT_NE(made, nullptr);
  Temps().dirs.push_back(tmpl);
  return tmpl;
}

CommandResult RunVigil(const std::vector<std::string>& args, const std::string& input) {
  const std::string dir = TempDir();
  std::ofstream(dir + "/in", std::ios::binary) << input;
  std::string cmd = Quote(VIGIL_BINARY);
  for (const auto& a : args) cmd += " " + Quote(a);
  cmd += " >" + Quote(dir + "/out") + " 2>" + Quote(dir + "/err") + " <" + Quote(dir + "/in");
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(dir + "/out");
  r.err = Slurp(dir + "/err");
  return r;
}

WatchEntry PersonEntry(const std::string& list, const std::string& ref,
                       const std::vector<std::string>& names, std::vector<std::string> birth_dates,
                       std::vector<std::string> nationalities, const std::string& sex) {
  WatchEntry e;
  e.list = list;
  e.reference = ref;
  for (size_t i = 0; i < names.size(); ++i) {
    WatchName n;
    n.full = names[i];
    n.primary = i == 0;
    e.names.push_back(std::move(n));
  }
  e.birth_dates = std::move(birth_dates);
  e.nationalities = std::move(nationalities);
  e.sex = sex;
  return e;
}

}  // namespace vigil::testing
