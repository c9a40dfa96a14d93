// `vigil screen` and `vigil eval names`.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "names/similarity.h"
#include "screening/active_lists.h"
#include "screening/json.h"
#include "store/store.h"

namespace vigil::cli {

int ScreenCommand(const Args& args) {
  Options o;
  std::string input, output, query, lists, config_path, purpose, user;
  double threshold = -1;
  int top = 0;
  o.Value("--input", &input).Value("--output", &output).Value("--query", &query)
      .Value("--lists", &lists).Value("--config", &config_path).Number("--threshold", &threshold)
      .Number("--top", &top).Value("--purpose", &purpose).Value("--user", &user);
  if (!o.Parse(args, "screen")) return 2;
  if (input.empty() == query.empty()) {
    std::fputs("vigil screen: give either --input FILE (with --output FILE) or --query JSON\n", stderr);
    return 2;
  }
  ScreeningConfig config;
  if (!LoadScreeningConfig("screen", config_path, threshold, &config)) return 2;
  if (top > 0) config.top_k = top;

  auto store = OpenStore("screen", o);
  if (!store) return 2;
  auto active = load_active_lists(store.get(), o.SplitList(lists));
  if (active.ok() && active->versions.empty()) active = Status::Error("no watch list imported yet (see vigil lists import)");
  if (!active.ok()) {
    std::fprintf(stderr, "vigil screen: %s\n", active.error().c_str());
    return 2;
  }
  // Screening reads the lists' entries and the travellers given: logged.
  LogAccess(store.get(), user, "screen travellers", query.empty() ? "file:" + input : "query", purpose, "ok");
  const WatchIndex index(std::move(active->entries));
  const Screener screener(index, config);

  if (!query.empty()) {
    auto j = nlohmann::json::parse(query, nullptr, false);
    auto q = query_from_json(j);
    if (j.is_discarded() || !q.ok()) {
      std::fprintf(stderr, "vigil screen: --query: %s\n",
                   j.is_discarded() ? "not valid JSON" : q.error().c_str());
      return 2;
    }
    ScreeningScratch scratch;
    std::cout << matches_to_json(q->id, screener.Screen(*q, &scratch)).dump() << '\n';
    return 0;
  }

  auto bytes = read_file(input);
  if (!bytes.ok()) {
    std::fprintf(stderr, "vigil screen: %s\n", bytes.error().c_str());
    return 2;
  }
  std::vector<std::string> lines;
  {
    std::istringstream in(*bytes);
    std::string line;
    while (std::getline(in, line)) lines.push_back(std::move(line));
    while (!lines.empty() && lines.back().find_first_not_of(" \t\r") == std::string::npos)
      lines.pop_back();
  }
  std::vector<std::string> results(lines.size());
  std::vector<std::string> errors(lines.size());
  const size_t threads = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), 8u));
  auto work = [&](size_t first, size_t step) {
    ScreeningScratch scratch;
    for (size_t i = first; i < lines.size(); i += step) {
      auto j = nlohmann::json::parse(lines[i], nullptr, false);
      auto q = j.is_discarded() ? Result<ScreeningQuery>(Status::Error("not valid JSON"))
                                : query_from_json(j);
      if (!q.ok()) {
        errors[i] = input + ":" + std::to_string(i + 1) + ": " + q.error();
        nlohmann::json err = {{"id", j.is_object() && j.contains("id") ? j["id"] : nlohmann::json()},
                              {"matches", nlohmann::json::array()},
                              {"error", q.error()}};
        results[i] = err.dump();
        continue;
      }
      results[i] = matches_to_json(q->id, screener.Screen(*q, &scratch)).dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& t : pool) t.join();

  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::fprintf(stderr, "vigil screen: cannot write %s\n", output.c_str());
    return 2;
  }
  size_t failed = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    out << results[i] << '\n';
    if (!errors[i].empty()) {
      std::fprintf(stderr, "%s\n", errors[i].c_str());
      ++failed;
    }
  }
  out.close();
  if (!out) {
    std::fprintf(stderr, "vigil screen: write to %s failed\n", output.c_str());
    return 2;
  }
  return failed ? 1 : 0;
}

bool LoadScreeningConfig(const std::string& command, const std::string& path, double threshold,
                         ScreeningConfig* config) {
  *config = ScreeningConfig{};
  if (!path.empty()) {
    auto c = ScreeningConfig::FromFile(path);
    if (!c.ok()) {
      std::fprintf(stderr, "vigil %s: %s\n", command.c_str(), c.error().c_str());
      return false;
    }
    *config = *c;
  }
  if (threshold >= 0) config->threshold = threshold;
  return true;
}

int EvalCommand(const Args& args) {
  if (args.empty() || args[0] != "names") {
    std::fputs("vigil eval: usage: vigil eval names PAIRS.tsv [--threshold T]\n", stderr);
    return 2;
  }
  Options o;
  double threshold = -1;
  std::string config_path;
  o.Number("--threshold", &threshold).Value("--config", &config_path);
  if (!o.Parse(Args(args.begin() + 1, args.end()), "eval") || o.positional().size() != 1) {
    std::fputs("vigil eval: usage: vigil eval names PAIRS.tsv [--threshold T]\n", stderr);
    return 2;
  }
  ScreeningConfig config;
  if (!LoadScreeningConfig("eval", config_path, threshold, &config)) return 2;
  const std::string path = o.positional()[0];
  auto bytes = read_file(path);
  if (!bytes.ok()) {
    std::fprintf(stderr, "vigil eval: %s\n", bytes.error().c_str());
    return 2;
  }
  std::vector<std::pair<double, bool>> scored;
  std::istringstream in(*bytes);
  std::string line;
  size_t line_no = 0, skipped = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t t1 = line.find('\t'), t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) {
      std::fprintf(stderr, "%s:%zu: expected name_a<TAB>name_b<TAB>label\n", path.c_str(), line_no);
      ++skipped;
      continue;
    }
    const std::string label = line.substr(t2 + 1);
    if (label != "0" && label != "1") {
      if (line_no == 1) continue;  // a header row
      std::fprintf(stderr, "%s:%zu: label must be 0 or 1\n", path.c_str(), line_no);
      ++skipped;
      continue;
    }
    const double s = compare_names(normalize_name(line.substr(0, t1)),
                                   normalize_name(line.substr(t1 + 1, t2 - t1 - 1)))
                         .score;
    scored.emplace_back(s, label == "1");
  }
  if (scored.empty()) {
    std::fprintf(stderr, "vigil eval: %s holds no labelled pair\n", path.c_str());
    return 2;
  }
  auto at = [&](double t) {
    size_t tp = 0, fp = 0, fn = 0;
    for (const auto& [s, same] : scored) {
      if (s >= t && same) ++tp;
      else if (s >= t) ++fp;
      else if (same) ++fn;
    }
    const double p = tp + fp ? double(tp) / double(tp + fp) : 1.0;
    const double r = tp + fn ? double(tp) / double(tp + fn) : 1.0;
    const double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    return std::tuple<double, double, double>(p, r, f);
  };
  const auto [p, r, f] = at(config.threshold);
  double best_t = 0, best_f = -1;
  for (int i = 0; i <= 100; ++i) {
    const double t = i / 100.0;
    const double bf = std::get<2>(at(t));
    if (bf > best_f) best_f = bf, best_t = t;
  }
  nlohmann::json j = {{"pairs", scored.size()},
                      {"skipped", skipped},
                      {"threshold", config.threshold},
                      {"precision", std::round(p * 10000) / 10000},
                      {"recall", std::round(r * 10000) / 10000},
                      {"f1", std::round(f * 10000) / 10000},
                      {"best_threshold", best_t},
                      {"best_f1", std::round(best_f * 10000) / 10000}};
  std::cout << j.dump() << '\n';
  return 0;
}

}  // namespace vigil::cli
