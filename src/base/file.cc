#include "base/file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

namespace vigil {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::string data;
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size > 0) {
    data.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
  }
  if (!in && !in.eof()) return Status::Error(path + ": read failed");
  return data;
}

Result<std::string> read_or_create_secret(const std::string& path, const std::string& fresh) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto bytes = read_file(path);
    if (!bytes.ok()) return bytes.status();
    if (bytes->size() != fresh.size())
      return Status::Error("key file " + path + " has " + std::to_string(bytes->size()) + " bytes, expected " +
                           std::to_string(fresh.size()));
    return bytes;
  }
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const mode_t old = umask(077);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  umask(old);
  if (!f) return Status::Error("cannot create key file " + path + ": " + std::strerror(errno));
  const bool ok = std::fwrite(fresh.data(), 1, fresh.size(), f) == fresh.size();
  if (std::fclose(f) != 0 || !ok) return Status::Error("cannot write key file " + path);
  return fresh;
}

Result<std::vector<std::string>> expand_paths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().string());
      }
      if (ec) return Status::Error(p + ": cannot list: " + ec.message());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      return Status::Error(p + ": no such file or directory");
    }
  }
  return out;
}

}  // namespace vigil
