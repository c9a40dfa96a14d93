// `vigil hits`: the stored screening hits of travellers against list entries.
// Travellers are shown by stored row only; the names shown are those of the
// listed entries.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"
#include "store/store.h"

namespace vigil::cli {

int HitsCommand(const Args& args) {
  Options o;
  std::string status = "open", purpose, user;
  o.Value("--status", &status).Value("--purpose", &purpose).Value("--user", &user);
  if (!o.Parse(args, "hits")) return 2;
  if ((status != "open" && status != "withdrawn" && status != "all") || !o.positional().empty()) {
    std::fputs("vigil hits: usage: vigil hits [--db PATH] [--status open|withdrawn|all] [--purpose P] [--json]\n",
               stderr);
    return 2;
  }
  auto store = OpenStore("hits", o);
  if (!store) return 2;
  auto hits = store->Hits(status == "all" ? "" : status);
  LogAccess(store.get(), user, "read hits", "hits", purpose, hits.ok() ? "ok" : "failed");
  if (!hits.ok()) {
    std::fprintf(stderr, "vigil hits: %s\n", hits.error().c_str());
    return 2;
  }
  if (o.json()) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& h : *hits)
      arr.push_back({{"id", h.id},
                     {"traveller_kind", to_string(h.traveller_kind)},
                     {"traveller_id", h.traveller_id},
                     {"flight_id", h.flight_id},
                     {"flight", h.flight},
                     {"departure_date", h.departure_date},
                     {"list", h.list},
                     {"list_version", h.list_version},
                     {"entry", h.reference},
                     {"entry_name", h.entry_name},
                     {"score", h.score},
                     {"status", h.status},
                     {"created_at", h.created_at},
                     {"withdrawn_at", h.withdrawn_at.empty() ? nlohmann::json() : nlohmann::json(h.withdrawn_at)}});
    std::cout << dump_line(arr) << '\n';
    return 0;
  }
  for (const auto& h : *hits)
    std::printf("%-6lld %-9s %s:%-8lld %-8s %s  %s v%d %s (%s)  score %.3f  since %s%s%s\n",
                static_cast<long long>(h.id), h.status.c_str(), to_string(h.traveller_kind),
                static_cast<long long>(h.traveller_id), h.flight.c_str(), h.departure_date.c_str(),
                h.list.c_str(), h.list_version, h.reference.c_str(), h.entry_name.c_str(), h.score,
                h.created_at.c_str(), h.withdrawn_at.empty() ? "" : "  withdrawn ",
                h.withdrawn_at.c_str());
  if (hits->empty()) std::printf("no %shits\n", status == "all" ? "" : (status + " ").c_str());
  return 0;
}

}  // namespace vigil::cli
