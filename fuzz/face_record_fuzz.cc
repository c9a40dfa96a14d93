// libFuzzer target for face records (ISO/IEC 19794-5) and travel
// documents' data group 2 (biometrics/face_record.h). Besides memory safety
// it checks the promises: a refused record says where and why; a read one
// has at least one image, each of the format it is said to be.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "biometrics/face_record.h"
#include "biometrics/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto images = vigil::read_face_record(input);
  if (!images.ok()) {
    const std::string& e = images.error();
    if (e.rfind("DG2: at byte ", 0) != 0 && e.rfind("face record: at byte ", 0) != 0) std::abort();
    return 0;
  }
  if (images->empty()) std::abort();
  for (const auto& image : *images) {
    if (image.format != "JPEG" && image.format != "JPEG2000") std::abort();
    if (vigil::image_format(image.data) != image.format) std::abort();
    if (image.data.size() >= size) std::abort();
  }
  return 0;
}
