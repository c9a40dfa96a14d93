#include "biometrics/an2k.h"

namespace vigil {

bool is_an2k(std::string_view bytes) { return bytes.rfind("1.001:", 0) == 0; }

Result<An2kTransaction> read_an2k(std::string_view) { return Status::Error("ANSI/NIST-ITL files are not read yet"); }

}  // namespace vigil
