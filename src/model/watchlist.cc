#include "model/watchlist.h"

namespace vigil {

const char* to_string(WatchEntry::Kind kind) {
  switch (kind) {
    case WatchEntry::Kind::kPerson: return "person";
    case WatchEntry::Kind::kEntity: return "entity";
    case WatchEntry::Kind::kVessel: return "vessel";
    case WatchEntry::Kind::kAircraft: return "aircraft";
    case WatchEntry::Kind::kDocument: return "document";
  }
  return "person";
}

}  // namespace vigil
