// Minimisation at intake: PNR data revealing racial or ethnic origin,
// political opinions, religion or belief, trade-union membership, health or
// sex life is deleted on receipt (PNR Directive 2016/681, Art. 13(4)),
// before anything is stored: the special service requests that reveal it
// (meals of a religion, wheelchairs, medical cases, oxygen, service
// animals ...) and free text (remarks, OSI and SSR text) that names it.
// What was dropped is counted by category, never kept.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "model/travel.h"

namespace vigil {

// Categories dropped, with how many items of each.
using Dropped = std::map<std::string, int>;

// The category a special service request reveals ("religion", "health",
// "sex life", "political opinion", "trade union"), or empty when it reveals
// none: by its code, else by words in its text.
std::string sensitive_category(std::string_view ssr_code, std::string_view text);

// Removes every such request and remark from `push`; adds to `dropped`.
void minimise(PnrPush* push, Dropped* dropped);

// `raw` with such service requests and words replaced by 'X' (same length),
// so that the raw archive keeps the message's shape but not what was
// deleted: in EDIFACT, the whole of a sensitive SSR segment and sensitive
// words of free-text segments (IFT, RMK, OSI, free-text SSRs); in XML,
// sensitive service codes anywhere and sensitive words in elements of free
// text. Names, documents and addresses are left alone.
std::string redact_raw(std::string_view raw, Dropped* dropped = nullptr);

}  // namespace vigil
