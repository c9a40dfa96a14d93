// The airport table of data/airports, embedded in the binary.
//
// airports.tsv becomes the read-only byte range vigil_model_airports_begin ..
// vigil_model_airports_end (followed by one NUL byte that is not part of
// it), declared in airports.cc. The build must define
// VIGIL_AIRPORTS_DATA_DIR as a string literal naming the data/airports
// folder, for example -DVIGIL_AIRPORTS_DATA_DIR="/src/vigil/data/airports",
// and should list airports.tsv as a dependency of this object: the compiler
// does not report files read by the assembler.

#ifndef VIGIL_AIRPORTS_DATA_DIR
#error "define VIGIL_AIRPORTS_DATA_DIR as the quoted path of data/airports"
#endif

#if !defined(__ELF__)
#error "embedding the airport table is written for ELF targets"
#endif

asm(".pushsection .rodata\n"
    ".balign 16\n"
    ".globl vigil_model_airports_begin\n"
    ".hidden vigil_model_airports_begin\n"
    "vigil_model_airports_begin:\n"
    ".incbin \"" VIGIL_AIRPORTS_DATA_DIR "/airports.tsv\"\n"
    ".globl vigil_model_airports_end\n"
    ".hidden vigil_model_airports_end\n"
    "vigil_model_airports_end:\n"
    ".byte 0\n"
    ".popsection\n");
