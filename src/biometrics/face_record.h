// Face images as travel documents and biometric exchanges hold them: the
// ISO/IEC 19794-5 facial record of 2005 (version 010, as travel documents
// hold it) or 2011 (030), bare or inside an ICAO
// eMRTD data group 2 (ICAO 9303 part 10: BER-TLV 75 / 7F61 / 7F60 / 5F2E),
// the holder's photograph a chip reader gives.
//
// Promises:
//  - read_face_record() returns every facial image of the record, in order:
//    its image bytes (JPEG or JPEG 2000, or in a 2011 record also PNG, as
//    the record says and as the bytes begin), the face image type and the
//    size the record declares. A 2011 record's capture time, device,
//    quality blocks, landmarks and 3D data are passed over.
//  - Errors are located: "DG2: at byte N: TAG: why" while the data group is
//    walked, "face record: at byte N: why" inside the record (N from the
//    start of what was given). Refused: lengths that overrun or disagree,
//    enciphered biometric data (7F2E), versions other than 010 and 030,
//    image data types other than those, certified 2011 representations,
//    images whose bytes are not what the record says, and records with no
//    image.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vigil {

struct FaceRecordImage {
  int face_type = 0;     // 0 basic, 1 full frontal, 2 token frontal
  std::string format;    // "JPEG", "JPEG2000" or "PNG"
  int width = 0, height = 0;  // as declared
  std::string data;      // the image file
};

// Whether `bytes` begin like a data group 2 (tag 75) or a facial record
// ("FAC\0").
bool is_face_record(std::string_view bytes);

Result<std::vector<FaceRecordImage>> read_face_record(std::string_view bytes);

}  // namespace vigil
