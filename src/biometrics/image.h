// Greyscale images for biometrics: PNG, JPEG and JPEG 2000 decoded (libpng,
// libjpeg-turbo, OpenJPEG), WSQ by our own decoder (wsq.h), raw 8-bit
// pixels wrapped.
//
// Promises:
//  - decode_image() returns 8-bit greyscale whatever the source (colour is
//    converted by luminance, 16-bit reduced, alpha dropped) with the
//    resolution the file states (PNG pHYs, JPEG JFIF density, the JP2
//    header's capture or display resolution, WSQ), or `fallback_ppi` when
//    it states none.
//  - JPEG 2000 is read as a JP2 file or a bare codestream, lossless or
//    lossy, greyscale or colour (RGB or YCbCr, not subsampled).
//  - Refuses with a reason: unknown formats, corrupt or truncated files,
//    images under 64 pixels a side, and images over 4096 pixels a side
//    (known from the header, before the pixels are decoded).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vigil {

struct GrayImage {
  int width = 0, height = 0;
  int ppi = 500;                // pixels per inch
  std::vector<uint8_t> pixels;  // row-major, 0 black .. 255 white
  uint8_t at(int x, int y) const { return pixels[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)]; }
};

// A colour image, 8-bit RGB, row-major.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
  const uint8_t* at(int x, int y) const {
    return &rgb[(static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3];
  }
};

// Which image format `bytes` starts like: "PNG", "JPEG", "WSQ", "JPEG2000",
// or "" for none.
std::string image_format(std::string_view bytes);

// Decodes a PNG, JPEG, JPEG 2000 or WSQ file (wsq.h); see the promises
// above.
Result<GrayImage> decode_image(std::string_view bytes, int fallback_ppi = 500);

// Refuses sides under 64 or over 4096 pixels, naming `format`: the limits
// every decoder here applies.
Status check_image_size(const char* format, int width, int height);

// Decodes an image file to RGB (greyscale repeated in each channel);
// the same refusals as decode_image().
Result<RgbImage> decode_colour_image(std::string_view bytes);

// The luminance of `image`.
GrayImage to_gray(const RgbImage& image);

// Raw 8-bit greyscale pixels, row-major, as ANSI/NIST-ITL records store
// uncompressed images; refused when the size does not match.
Result<GrayImage> raw_image(std::string_view pixels, int width, int height, int ppi);

// `image` resampled bilinearly (pixel centres aligned) to `width` x
// `height`; the resolution scales with the width.
GrayImage resize(const GrayImage& image, int width, int height);

// The part of `image` from column `left` to `right` and row `top` to
// `bottom`, edges included, clipped to the image; at its resolution.
GrayImage crop(const GrayImage& image, int left, int right, int top, int bottom);

// `image` as an 8-bit greyscale PNG (with its resolution), for tests,
// synthetic data and examiners' exports.
std::string encode_png(const GrayImage& image);

}  // namespace vigil
