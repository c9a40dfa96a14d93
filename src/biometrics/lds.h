// The biometric data groups of travel documents' chips (ICAO 9303 part 10,
// the CBEFF nesting of ISO/IEC 7816-11): data group 2 (face, tag 75) and
// data group 3 (fingers, tag 63) hold
//   TAG { 7F61 { 02 count, 7F60 { A1 header, 5F2E data block } ... } }
// with BER-TLV lengths (one to four length bytes).
//
// Promises:
//  - data_group_blocks() walks that nesting, checking every tag and length
//    against its parent, and returns where each instance's data block lies
//    in `bytes`, in order.
//  - Errors read "NAME: at byte N: TAG: why" (N from the start of
//    `bytes`); enciphered data blocks (7F2E) are refused as such.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace vigil {

// "WHAT: at byte AT: WHY", the form of every error here and in the
// records these data groups hold.
Status located(const char* what, size_t at, const std::string& why);

// A BER-TLV element of `bytes`: its tag (up to three bytes, as written)
// and where it starts, its value starts and it ends.
struct BerElement {
  uint32_t tag = 0;
  size_t at = 0;
  size_t value = 0, end = 0;
};
// The element at `at`, which must end by `limit`; errors are located and
// name `name`. Definite lengths of up to four bytes.
Result<BerElement> read_element(std::string_view bytes, size_t at, size_t limit, const char* name);
// read_element(), and its tag must be `tag` (called `what` in errors).
Result<BerElement> expect_element(std::string_view bytes, size_t at, size_t limit, uint32_t tag, const char* what,
                                  const char* name);

// Whether `bytes` begin with `tag` and then, after its length, 7F61.
bool is_data_group(std::string_view bytes, uint8_t tag);

// The [begin, end) of each instance's biometric data block (5F2E) of the
// data group `tag`, called `name` in errors ("DG2", "DG3").
Result<std::vector<std::pair<size_t, size_t>>> data_group_blocks(std::string_view bytes, uint8_t tag, const char* name);

// Biometric records as they come: one bare record that begins with
// `magic` ("FAC\0", "FIR\0"), or a data group `tag` holding one per
// instance. is_record_or_group() says whether `bytes` begin like either;
// each_record() calls `read` with the [begin, end) of each record, in
// order, and stops at the first error.
bool is_record_or_group(std::string_view bytes, std::string_view magic, uint8_t tag);
Status each_record(std::string_view bytes, std::string_view magic, uint8_t tag, const char* name,
                   const std::function<Status(size_t begin, size_t end)>& read);

// The representations of a 2011 record (ISO/IEC 19794-1:2011 framing):
// `count` of them from byte `first` of `record`, each beginning with its
// own 4-byte length, the last ending the record. `read` gets each one's
// place in the record, its bytes and its name in errors ("`what` N: ");
// refused with `fail(at, why)`: a length past the record, bytes after the
// last. Stops at the first error.
Status each_representation(std::string_view record, size_t first, size_t count, const std::string& what,
                           const std::function<Status(size_t at, const std::string& why)>& fail,
                           const std::function<Status(size_t at, std::string_view rep, const std::string& name)>& read);

}  // namespace vigil
