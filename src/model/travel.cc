#include "model/travel.h"

namespace vigil {

const char* to_string(MessageKind kind) {
  switch (kind) {
    case MessageKind::kPaxlst: return "paxlst";
    case MessageKind::kPnrgov: return "pnrgov";
  }
  return "unknown";
}

const char* to_string(Traveller::Role role) {
  switch (role) {
    case Traveller::Role::kPassenger: return "passenger";
    case Traveller::Role::kCrew: return "crew";
    case Traveller::Role::kInTransitPassenger: return "intransit_passenger";
    case Traveller::Role::kInTransitCrew: return "intransit_crew";
  }
  return "passenger";
}

}  // namespace vigil
