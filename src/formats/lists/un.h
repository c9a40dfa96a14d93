// Reader for the UN Security Council Consolidated List in its XML form
// (CONSOLIDATED_LIST with INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY; see
// docs/lists.md).
//
// The reader promises:
//   - reference = REFERENCE_NUMBER (DATAID when missing), program =
//     UN_LIST_TYPE, category "sanctions", severity "high"; remarks = TITLE,
//     DESIGNATION and COMMENTS1.
//   - Names of individuals: `full` is FIRST_NAME to FOURTH_NAME in the
//     order the UN writes them. Given names are FIRST_NAME and the middle
//     parts, the surname is the last part present (SECOND_NAME with two
//     parts): "OMAR SABAWI IBRAHIM HASAN AL-TIKRITI" has surname "HASAN
//     AL-TIKRITI" (FOURTH_NAME). On the DPRK list, which writes Korean names
//     family name first, FIRST_NAME is the surname and the rest the given
//     names. A name of one part is not split. Entities' names are whole.
//   - NAME_ORIGINAL_SCRIPT is a further (non-primary, strong) name.
//     Aliases (INDIVIDUAL_ALIAS, ENTITY_ALIAS) are weak when QUALITY is
//     "Low"; "SURNAME, Given" aliases of individuals are split at the comma;
//     an alias holding a native-script form in parentheses gives both names
//     ("Jin Tiesan (金铁三)", "X (original script: Y)"). Birth dates and
//     places given with an alias belong to the entry.
//   - Dates of birth: EXACT with DATE ("YYYY-MM-DD") or YEAR, APPROXIMATELY
//     with YEAR ("YYYY"), BETWEEN with FROM_YEAR/TO_YEAR ("YYYY/YYYY"); a
//     date written only in NOTE ("Nov. 1973") is read too.
//   - Places of birth: STREET, CITY, STATE_PROVINCE, COUNTRY joined by ", ".
//     NATIONALITY/VALUE and document countries (ISSUING_COUNTRY, else
//     COUNTRY_OF_ISSUE) are alpha-3 where the name is known, else as written.
//   - INDIVIDUAL_DOCUMENT with a NUMBER: type "P" for passports, "I" for
//     national identification numbers, else as written; note = the second
//     type, issue date and city, and NOTE.
//
// Findings: input that is not XML, has a DOCTYPE, is not UTF-8, or whose
// root is not CONSOLIDATED_LIST is an error, as is a list with no entry.
// An entry without any name, a duplicate reference and an unreadable date
// of birth are warnings located at the element (file:line:column). Never
// throws.
#pragma once

#include <string>
#include <string_view>

#include "formats/lists/list_read.h"

namespace vigil {

// Reads the UN consolidated list from `xml`; `file` names it in findings and
// `list_name` (e.g. "un-consolidated") becomes every entry's `list`.
ListRead read_un_consolidated(std::string_view xml, const std::string& file,
                              const std::string& list_name);

}  // namespace vigil
