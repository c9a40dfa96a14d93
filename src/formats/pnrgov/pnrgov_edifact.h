// Reader for PNRGOV pushes in UN/EDIFACT syntax (IATA PNRGOV 11.1, 13.1,
// 15.1 and later): the flight, then one group per PNR (SRC) with the record,
// its travellers, tickets, payments, itinerary and check-in data.
#pragma once

#include <vector>

#include "base/status.h"
#include "formats/dates.h"
#include "formats/edifact/interchange.h"
#include "formats/options.h"
#include "model/travel.h"

namespace vigil {

// Builds one PnrPush per PNRGOV message. Card numbers are never kept: only a
// keyed hash (under options.card_key) and the last four digits.
class PnrgovReader : public edifact::MessageReader {
 public:
  PnrgovReader(const ParseOptions& options, std::vector<PnrPush>* out, Diagnostics* diags);

  void Begin(const MessageHeader& header) override;
  void OnSegment(const edifact::Segment& seg, const edifact::Tokenizer& tk) override;
  void End(const edifact::Segment& unt, const edifact::Tokenizer& tk) override;

 private:
  FlightLeg ReadLeg(const edifact::Segment& seg, const edifact::Tokenizer& tk);
  std::string Date(const std::string& ddmmyy, const std::string& hhmm,
                   const edifact::Segment& seg, const edifact::Tokenizer& tk, Century c);
  void OnSsr(const edifact::Segment& seg, const edifact::Tokenizer& tk);
  void OnFreeText(const edifact::Segment& seg);
  void FinishPnr(const edifact::Tokenizer& tk);
  Pnr* pnr() { return current_.pnrs.empty() ? nullptr : &current_.pnrs.back(); }

  const ParseOptions& options_;
  std::vector<PnrPush>* out_;
  Diagnostics* diags_;
  PnrPush current_;
  enum class Context { kHeader, kPnr, kTraveller, kItinerary, kCheckIn };
  Context context_ = Context::kHeader;
  PnrTraveller* traveller_ = nullptr;  // set in kTraveller and kCheckIn
  Location pnr_at_;
  long declared_pnrs_ = -1;
  Location eqn_at_;
  std::string pending_ticket_date_;
};

}  // namespace vigil
