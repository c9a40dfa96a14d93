// Free-text service data that both PNRGOV syntaxes (EDIFACT and XML) carry:
// the DOCS, DOCO and DOCA special service requests and payment cards.
#pragma once

#include <string>
#include <string_view>

#include "base/hash.h"
#include "model/travel.h"

namespace vigil {

// More documents than this on one traveller are refused (a guard against
// hostile input; real travellers carry a handful).
constexpr size_t kMaxDocumentsPerTraveller = 32;

// Applies an SSR DOCS text ("/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITH/
// JOHN/WILLIAM/H", leading slash optional) to `t`: adds the document and
// fills nationality, birth date, sex and names where `t` lacks them. Returns
// false, leaving `t` unchanged, when the text has no document type or number
// and no birth date; `problem` then says why.
bool apply_docs(std::string_view text, int reference_year, Traveller* t, std::string* problem);

// Applies an SSR DOCO text (other document, usually a visa:
// "/PARIS/V/12345/LON/12JUN12/USA") to `t`.
bool apply_doco(std::string_view text, int reference_year, Traveller* t, std::string* problem);

// Applies an SSR DOCA text ("/R/USA/123 MAIN ST/NEW YORK/NY/10001") to `t`.
bool apply_doca(std::string_view text, Traveller* t, std::string* problem);

// Fills the card fields of `p` from a card number as sent: keeps only a keyed
// hash of the digits and the last four digits. Masked numbers
// ("XXXXXXXXXXXX1234") keep their last four digits and no hash; so does any
// number when `key` is null.
void set_card_number(std::string_view number, const HashKey* key, Payment* p);

// Sex codes of SSR DOCS (M, F, MI, FI, U, X) reduced to M, F, X or U.
std::string normalise_sex(std::string_view code);

}  // namespace vigil
