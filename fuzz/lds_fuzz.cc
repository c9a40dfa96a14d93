// libFuzzer target for travel documents' biometric data groups (lds.h) and
// the records they hold: face records (ISO/IEC 19794-5, data group 2,
// face_record.h) and finger image records (ISO/IEC 19794-4, data group 3,
// finger_record.h). Besides memory safety it checks the promises: a
// refused record says where and why; a read one has at least one image,
// each of the format it is said to be and inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "biometrics/face_record.h"
#include "biometrics/finger_record.h"
#include "biometrics/image.h"

namespace {

bool Located(const std::string& e, const char* data_group, const char* record) {
  return e.rfind(std::string(data_group) + ": at byte ", 0) == 0 || e.rfind(std::string(record) + ": at byte ", 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto faces = vigil::read_face_record(input);
  if (!faces.ok()) {
    if (!Located(faces.error(), "DG2", "face record")) std::abort();
  } else {
    if (faces->empty()) std::abort();
    for (const auto& image : *faces)
      if ((image.format != "JPEG" && image.format != "JPEG2000") || vigil::image_format(image.data) != image.format ||
          image.data.size() >= size)
        std::abort();
  }
  auto fingers = vigil::read_finger_record(input);
  if (!fingers.ok()) {
    if (!Located(fingers.error(), "DG3", "finger record")) std::abort();
  } else {
    if (fingers->empty()) std::abort();
    for (const auto& image : *fingers) {
      if (image.data.size() >= size) std::abort();
      if (image.compression == "NONE" ? image.data.size() != size_t(image.width) * size_t(image.height)
                                      : vigil::image_format(image.data) != image.compression)
        std::abort();
    }
  }
  return 0;
}
