// The name-variant tables of data/names, embedded in the binary.
//
// Each table becomes a read-only byte range vigil_names_<table>_begin ..
// vigil_names_<table>_end (followed by one NUL byte that is not part of
// it), declared in variants.cc. The build must define VIGIL_NAMES_DATA_DIR
// as a string literal naming the data/names folder, for example
// -DVIGIL_NAMES_DATA_DIR="/src/vigil/data/names", and should list the .tsv
// files as dependencies of this object: the compiler does not report files
// read by the assembler.

#ifndef VIGIL_NAMES_DATA_DIR
#error "define VIGIL_NAMES_DATA_DIR as the quoted path of data/names"
#endif

#if !defined(__ELF__)
#error "embedding the name tables is written for ELF targets"
#endif

#define VIGIL_EMBED_TABLE(name, file)                         \
  asm(".pushsection .rodata\n"                                \
      ".balign 16\n"                                          \
      ".globl vigil_names_" name "_begin\n"                   \
      ".hidden vigil_names_" name "_begin\n"                  \
      "vigil_names_" name "_begin:\n"                         \
      ".incbin \"" VIGIL_NAMES_DATA_DIR "/" file "\"\n"       \
      ".globl vigil_names_" name "_end\n"                     \
      ".hidden vigil_names_" name "_end\n"                    \
      "vigil_names_" name "_end:\n"                           \
      ".byte 0\n"                                             \
      ".popsection\n")

VIGIL_EMBED_TABLE("tokens", "tokens.tsv");
VIGIL_EMBED_TABLE("charmodel", "charmodel.tsv");
VIGIL_EMBED_TABLE("cjk", "cjk.tsv");
VIGIL_EMBED_TABLE("hangul", "hangul.tsv");
VIGIL_EMBED_TABLE("nicknames", "nicknames.tsv");
VIGIL_EMBED_TABLE("nfc", "nfc.tsv");
