// Reader for UN/EDIFACT PAXLST advance passenger information (WCO/IATA/ICAO
// API guidelines, directories D02B, D05B and later): flight legs, passengers
// and crew with their documents.
#pragma once

#include <vector>

#include "base/status.h"
#include "formats/dates.h"
#include "formats/edifact/interchange.h"
#include "formats/options.h"
#include "model/travel.h"

namespace vigil {

// Builds one Manifest per PAXLST message. Irregular content (a traveller
// without a surname, an unreadable date, a count that disagrees) becomes a
// located warning and the data is kept.
class PaxlstReader : public edifact::MessageReader {
 public:
  PaxlstReader(const ParseOptions& options, std::vector<Manifest>* out, Diagnostics* diags);

  void Begin(const MessageHeader& header) override;
  void OnSegment(const edifact::Segment& seg, const edifact::Tokenizer& tk) override;
  void End(const edifact::Segment& unt, const edifact::Tokenizer& tk) override;

 private:
  void FinishTraveller(const edifact::Tokenizer& tk);
  std::string Date(const edifact::Segment& seg, const edifact::Tokenizer& tk, Century c);

  const ParseOptions& options_;
  std::vector<Manifest>* out_;
  Diagnostics* diags_;
  Manifest current_;
  Traveller* traveller_ = nullptr;  // the traveller being read, if any
  Document* document_ = nullptr;    // the document being read, if any
  Location traveller_at_;
  long declared_travellers_ = -1;
  Location count_at_;
};

// Joins the parts of multi-part manifests (UNH sequence "01:C", "02:C" ...
// "NN:F") into one manifest each, in part order. Parts belong together when
// sender, common access reference (or message reference) and first flight
// leg agree. A set with a missing part or no final part is kept, with a
// warning, as far as it goes. Manifests that are not parts pass through.
std::vector<Manifest> reassemble_parts(std::vector<Manifest> manifests, Diagnostics* diags);

}  // namespace vigil
