// Helpers shared by the benchmarks.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace vigil::bench {

// A folder for this run's databases, under the system's temp dir, named
// `name` and the process id; it and everything in it go when the
// benchmark ends.
inline std::string TempFolder(const std::string& name) {
  static const struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()))};
  std::filesystem::create_directories(cleanup.dir);
  return cleanup.dir.string();
}

// Seconds from `t0` to now.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace vigil::bench
