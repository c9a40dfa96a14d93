#include "biometrics/image.h"

#include <jpeglib.h>
#include <openjpeg.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <tuple>
#include <utility>

#include "base/bytes.h"
#include "biometrics/wsq.h"

namespace vigil {
namespace {

constexpr int kMinSide = 64, kMaxSide = 4096;

// The luminance of a colour (ITU-R BT.601 weights).
uint8_t Luma(int r, int g, int b) { return static_cast<uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000); }

}  // namespace

Status check_image_size(const char* format, int width, int height) {
  if (width < kMinSide || height < kMinSide)
    return Status::Error(std::string(format) + " image: " + std::to_string(width) + "x" + std::to_string(height) +
                         " pixels is too small (at least " + std::to_string(kMinSide) + " a side)");
  if (width > kMaxSide || height > kMaxSide)
    return Status::Error(std::string(format) + " image: " + std::to_string(width) + "x" + std::to_string(height) +
                         " pixels is too large (at most " + std::to_string(kMaxSide) + " a side)");
  return Status::Ok();
}

namespace {

// The resolution a PNG's pHYs chunk states in pixels per inch, or 0.
int PngPpi(std::string_view b) {
  for (size_t at = 8; at + 12 <= b.size();) {
    const uint32_t length = big_endian(b, at, 4);
    const std::string_view type = b.substr(at + 4, 4);
    if (length > b.size() - at - 12) return 0;
    if (type == "pHYs" && length == 9) {
      const uint32_t ppu = big_endian(b, at + 8, 4);
      return b[at + 16] == 1 ? static_cast<int>(std::lround(ppu * 0.0254)) : 0;  // unit 1: per metre
    }
    if (type == "IDAT" || type == "IEND") return 0;  // pHYs comes before the image data
    at += 12 + length;
  }
  return 0;
}

// Decodes into `pixels` with `channels` per pixel (1 grey, 3 RGB).
Status DecodePng(std::string_view bytes, int channels, int* width, int* height, std::vector<uint8_t>* pixels) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
    return Status::Error(std::string("PNG image: ") + png.message);
  if (auto s = check_image_size("PNG", static_cast<int>(png.width), static_cast<int>(png.height)); !s.ok()) {
    png_image_free(&png);
    return s;
  }
  png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;  // 16 bits to 8, alpha composed away
  *width = static_cast<int>(png.width);
  *height = static_cast<int>(png.height);
  pixels->resize(PNG_IMAGE_SIZE(png));
  png_color white{255, 255, 255};  // transparent parts read as paper
  if (!png_image_finish_read(&png, &white, pixels->data(), 0, nullptr))
    return Status::Error(std::string("PNG image: ") + png.message);
  return Status::Ok();
}

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool warned;
};

void JpegFail(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  std::longjmp(e->jump, 1);
}

// Warnings (corrupt or missing data, which libjpeg fills in) refuse the
// image too; trace messages are dropped.
void JpegWarn(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  if (!e->warned) (*cinfo->err->format_message)(cinfo, e->message);
  e->warned = true;
}

// Decodes into `image`; no C++ object is created between setjmp and the
// reads that may jump back to it.
bool JpegRead(std::string_view bytes, int channels, int* width, int* height, std::vector<uint8_t>* pixels, JpegError* err,
              int* density) {
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->mgr);
  err->mgr.error_exit = JpegFail;
  err->mgr.emit_message = JpegWarn;
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    std::snprintf(err->message, sizeof err->message, "CMYK images are not read");
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  *width = static_cast<int>(cinfo.image_width);
  *height = static_cast<int>(cinfo.image_height);
  if (!check_image_size("JPEG", *width, *height).ok()) {
    jpeg_destroy_decompress(&cinfo);
    return true;  // the caller reports the size
  }
  *density = cinfo.density_unit == 1 ? cinfo.X_density : cinfo.density_unit == 2 ? static_cast<int>(std::lround(cinfo.X_density * 2.54)) : 0;
  cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const size_t stride = static_cast<size_t>(*width) * static_cast<size_t>(channels);
  pixels->resize(stride * static_cast<size_t>(*height));
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = pixels->data() + static_cast<size_t>(cinfo.output_scanline) * stride;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

Status DecodeJpeg(std::string_view bytes, int channels, int* width, int* height, std::vector<uint8_t>* pixels, int* ppi) {
  JpegError err{};
  int density = 0;
  if (!JpegRead(bytes, channels, width, height, pixels, &err, &density) || err.warned)
    return Status::Error(std::string("JPEG image: ") + err.message);
  if (auto s = check_image_size("JPEG", *width, *height); !s.ok()) return s;
  if (density > 1) *ppi = density;  // a density of 1 means "no unit given" in practice
  return Status::Ok();
}

// The capture (else display) resolution a JP2 file's header states, in
// pixels per inch, or 0: the "res " box inside "jp2h" (ISO/IEC 15444-1
// annex I), horizontal numerator, denominator and exponent, per metre.
int Jp2Ppi(std::string_view b) {
  // The boxes in [begin, end): type and the range of their contents.
  auto find = [&](size_t begin, size_t end, std::string_view type) -> std::pair<size_t, size_t> {
    for (size_t at = begin; at + 8 <= end;) {
      uint64_t length = big_endian(b, at, 4);
      size_t header = 8;
      if (length == 1) {
        if (at + 16 > end) return {0, 0};
        length = uint64_t{big_endian(b, at + 8, 4)} << 32 | big_endian(b, at + 12, 4);
        header = 16;
      } else if (length == 0) {
        length = end - at;  // to the end
      }
      if (length < header || length > end - at) return {0, 0};
      if (b.substr(at + 4, 4) == type) return {at + header, at + length};
      at += length;
    }
    return {0, 0};
  };
  const auto [h0, h1] = find(0, b.size(), "jp2h");
  if (h1 == 0) return 0;
  const auto [r0, r1] = find(h0, h1, "res ");
  if (r1 == 0) return 0;
  auto [c0, c1] = find(r0, r1, "resc");
  if (c1 == 0) std::tie(c0, c1) = find(r0, r1, "resd");
  if (c1 < c0 + 10) return 0;
  const double numerator = big_endian(b, c0 + 4, 2), denominator = big_endian(b, c0 + 6, 2);
  const int exponent = static_cast<int8_t>(b[c0 + 9]);
  if (denominator == 0 || exponent < -10 || exponent > 10) return 0;
  const double ppi = numerator / denominator * std::pow(10.0, exponent) * 0.0254;
  return ppi >= 1 && ppi <= 65535 ? static_cast<int>(std::lround(ppi)) : 0;
}

// `bytes` read by OpenJPEG from memory.
struct Jp2Source {
  std::string_view bytes;
  size_t at = 0;
};

OPJ_SIZE_T Jp2Read(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* s = static_cast<Jp2Source*>(user);
  if (s->at >= s->bytes.size()) return static_cast<OPJ_SIZE_T>(-1);
  n = std::min<OPJ_SIZE_T>(n, s->bytes.size() - s->at);
  std::memcpy(buffer, s->bytes.data() + s->at, n);
  s->at += n;
  return n;
}

OPJ_OFF_T Jp2Skip(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<Jp2Source*>(user);
  const auto size = static_cast<OPJ_OFF_T>(s->bytes.size()), at = static_cast<OPJ_OFF_T>(s->at);
  n = std::clamp<OPJ_OFF_T>(n, -at, size - at);
  s->at = static_cast<size_t>(at + n);
  return n;
}

OPJ_BOOL Jp2Seek(OPJ_OFF_T to, void* user) {
  auto* s = static_cast<Jp2Source*>(user);
  if (to < 0 || static_cast<uint64_t>(to) > s->bytes.size()) return OPJ_FALSE;
  s->at = static_cast<size_t>(to);
  return OPJ_TRUE;
}

// JPEG 2000, as a JP2 file or a bare codestream (ISO/IEC 15444-1), by
// OpenJPEG: greyscale, or colour (RGB, or YCbCr converted), of any
// precision, scaled to 8 bits.
Status DecodeJpeg2000(std::string_view bytes, int channels, int* width, int* height, std::vector<uint8_t>* pixels,
                      int* ppi) {
  const bool jp2 = bytes.rfind("\xff\x4f", 0) != 0;
  std::unique_ptr<opj_codec_t, void (*)(opj_codec_t*)> codec(opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K),
                                                              opj_destroy_codec);
  std::unique_ptr<opj_stream_t, void (*)(opj_stream_t*)> stream(opj_stream_create(1 << 16, OPJ_TRUE),
                                                                 opj_stream_destroy);
  if (!codec || !stream) return Status::Error("JPEG 2000 image: the decoder could not start");
  std::string message;
  opj_set_error_handler(
      codec.get(), [](const char* m, void* out) { if (static_cast<std::string*>(out)->empty()) *static_cast<std::string*>(out) = m; },
      &message);
  opj_set_warning_handler(codec.get(), [](const char*, void*) {}, nullptr);
  opj_set_info_handler(codec.get(), [](const char*, void*) {}, nullptr);
  Jp2Source source{bytes};
  opj_stream_set_user_data(stream.get(), &source, nullptr);
  opj_stream_set_user_data_length(stream.get(), bytes.size());
  opj_stream_set_read_function(stream.get(), Jp2Read);
  opj_stream_set_skip_function(stream.get(), Jp2Skip);
  opj_stream_set_seek_function(stream.get(), Jp2Seek);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  auto fail = [&](const std::string& what) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return Status::Error("JPEG 2000 image: " + what + (message.empty() ? "" : " (" + message + ")"));
  };
  opj_image_t* raw = nullptr;
  if (!opj_setup_decoder(codec.get(), &parameters) || !opj_read_header(stream.get(), codec.get(), &raw))
    return fail("the header does not read");
  std::unique_ptr<opj_image_t, void (*)(opj_image_t*)> image(raw, opj_image_destroy);
  *width = static_cast<int>(std::min<OPJ_UINT32>(image->x1 - image->x0, 1 << 20));
  *height = static_cast<int>(std::min<OPJ_UINT32>(image->y1 - image->y0, 1 << 20));
  if (auto s = check_image_size("JPEG 2000", *width, *height); !s.ok()) return s;  // before decoding it
  if (image->numcomps == 0 || image->numcomps > 4) return fail(std::to_string(image->numcomps) + " components");
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
    return fail("the image data does not decode");
  const bool colour = image->numcomps >= 3;
  const int planes = colour ? 3 : 1;
  for (int c = 0; c < planes; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    if (!comp.data || comp.w != OPJ_UINT32(*width) || comp.h != OPJ_UINT32(*height) || comp.prec < 1 || comp.prec > 16)
      return fail(colour ? "subsampled or unequal colour components are not read" : "a component does not cover the image");
  }
  // Each plane's value scaled to 0..255.
  auto value = [&](int c, size_t i) {
    const opj_image_comp_t& comp = image->comps[c];
    int v = comp.data[i] + (comp.sgnd ? 1 << (comp.prec - 1) : 0);
    v = comp.prec >= 8 ? v >> (comp.prec - 8) : v << (8 - comp.prec);
    return std::clamp(v, 0, 255);
  };
  const size_t n = static_cast<size_t>(*width) * static_cast<size_t>(*height);
  pixels->resize(n * static_cast<size_t>(channels));
  for (size_t i = 0; i < n; ++i) {
    int r = value(0, i), g = r, b = r;
    if (colour) {
      g = value(1, i), b = value(2, i);
      if (image->color_space == OPJ_CLRSPC_SYCC) {  // Y, Cb, Cr (ITU-R BT.601, full range)
        const double y = r, cb = g - 128.0, cr = b - 128.0;
        r = std::clamp(static_cast<int>(std::lround(y + 1.402 * cr)), 0, 255);
        g = std::clamp(static_cast<int>(std::lround(y - 0.344136 * cb - 0.714136 * cr)), 0, 255);
        b = std::clamp(static_cast<int>(std::lround(y + 1.772 * cb)), 0, 255);
      }
    }
    uint8_t* out = pixels->data() + i * static_cast<size_t>(channels);
    if (channels == 1) {
      out[0] = Luma(r, g, b);
    } else {
      out[0] = static_cast<uint8_t>(r), out[1] = static_cast<uint8_t>(g), out[2] = static_cast<uint8_t>(b);
    }
  }
  if (const int stated = jp2 ? Jp2Ppi(bytes) : 0; stated > 0) *ppi = stated;
  return Status::Ok();
}

// Decodes `bytes` with `channels` per pixel.
Status Decode(std::string_view bytes, int channels, int* width, int* height, std::vector<uint8_t>* pixels, int* ppi) {
  const std::string format = image_format(bytes);
  if (format == "PNG") {
    if (auto s = DecodePng(bytes, channels, width, height, pixels); !s.ok()) return s;
    if (const int stated = PngPpi(bytes); stated > 0) *ppi = stated;
    return Status::Ok();
  }
  if (format == "JPEG") return DecodeJpeg(bytes, channels, width, height, pixels, ppi);
  if (format == "WSQ") {
    auto image = decode_wsq(bytes, *ppi);
    if (!image.ok()) return image.status();
    *width = image->width, *height = image->height, *ppi = image->ppi;
    if (channels == 1) {
      *pixels = std::move(image->pixels);
      return Status::Ok();
    }
    pixels->resize(image->pixels.size() * static_cast<size_t>(channels));
    for (size_t i = 0; i < pixels->size(); ++i) (*pixels)[i] = image->pixels[i / static_cast<size_t>(channels)];
    return Status::Ok();
  }
  if (format == "JPEG2000") return DecodeJpeg2000(bytes, channels, width, height, pixels, ppi);
  return Status::Error("not an image this system reads (PNG, JPEG, JPEG 2000 or WSQ)");
}

void PngWrite(png_structp png, png_bytep data, png_size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), n);
}
void PngFlush(png_structp) {}

}  // namespace

std::string image_format(std::string_view b) {
  if (b.rfind("\x89PNG", 0) == 0) return "PNG";
  if (b.rfind("\xff\xd8\xff", 0) == 0) return "JPEG";
  if (b.rfind("\xff\xa0\xff\xa8", 0) == 0 || b.rfind("\xff\xa0", 0) == 0) return "WSQ";
  if (b.rfind(std::string_view("\x00\x00\x00\x0cjP  \r\n\x87\n", 12), 0) == 0 || b.rfind("\xff\x4f\xff\x51", 0) == 0)
    return "JPEG2000";
  return "";
}

Result<GrayImage> decode_image(std::string_view bytes, int fallback_ppi) {
  GrayImage image;
  image.ppi = fallback_ppi;
  if (auto s = Decode(bytes, 1, &image.width, &image.height, &image.pixels, &image.ppi); !s.ok()) return s;
  return image;
}

Result<RgbImage> decode_colour_image(std::string_view bytes) {
  RgbImage image;
  int ppi = 0;
  if (auto s = Decode(bytes, 3, &image.width, &image.height, &image.rgb, &ppi); !s.ok()) return s;
  return image;
}

GrayImage to_gray(const RgbImage& image) {
  GrayImage g;
  g.width = image.width;
  g.height = image.height;
  g.pixels.resize(static_cast<size_t>(image.width) * static_cast<size_t>(image.height));
  for (size_t i = 0; i < g.pixels.size(); ++i) {
    const uint8_t* p = &image.rgb[i * 3];
    g.pixels[i] = Luma(p[0], p[1], p[2]);
  }
  return g;
}

Result<GrayImage> raw_image(std::string_view pixels, int width, int height, int ppi) {
  if (auto s = check_image_size("raw", width, height); !s.ok()) return s;
  if (pixels.size() != static_cast<size_t>(width) * static_cast<size_t>(height))
    return Status::Error("raw image: " + std::to_string(pixels.size()) + " bytes for " + std::to_string(width) + "x" +
                         std::to_string(height) + " 8-bit pixels");
  GrayImage image;
  image.width = width;
  image.height = height;
  image.ppi = ppi;
  image.pixels.assign(pixels.begin(), pixels.end());
  return image;
}

GrayImage resize(const GrayImage& image, int width, int height) {
  GrayImage out;
  out.width = width;
  out.height = height;
  out.ppi = static_cast<int>(std::lround(double(image.ppi) * width / image.width));
  out.pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(height));
  const double sx = double(image.width) / width, sy = double(image.height) / height;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double px = std::clamp((x + 0.5) * sx - 0.5, 0.0, image.width - 1.0);
      const double py = std::clamp((y + 0.5) * sy - 0.5, 0.0, image.height - 1.0);
      const int x0 = static_cast<int>(px), y0 = static_cast<int>(py);
      const int x1 = std::min(x0 + 1, image.width - 1), y1 = std::min(y0 + 1, image.height - 1);
      const double fx = px - x0, fy = py - y0;
      const double v = (1 - fy) * ((1 - fx) * image.at(x0, y0) + fx * image.at(x1, y0)) +
                       fy * ((1 - fx) * image.at(x0, y1) + fx * image.at(x1, y1));
      out.pixels[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)] = static_cast<uint8_t>(std::lround(v));
    }
  return out;
}

GrayImage crop(const GrayImage& image, int left, int right, int top, int bottom) {
  left = std::clamp(left, 0, image.width), right = std::clamp(right, left - 1, image.width - 1);
  top = std::clamp(top, 0, image.height), bottom = std::clamp(bottom, top - 1, image.height - 1);
  GrayImage out;
  out.width = right - left + 1;
  out.height = bottom - top + 1;
  out.ppi = image.ppi;
  out.pixels.reserve(static_cast<size_t>(out.width) * static_cast<size_t>(out.height));
  for (int y = top; y <= bottom; ++y) {
    const auto row = image.pixels.begin() + static_cast<long>(y) * image.width;
    out.pixels.insert(out.pixels.end(), row + left, row + right + 1);
  }
  return out;
}

std::string encode_png(const GrayImage& image) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {  // only on memory exhaustion
    png_destroy_write_struct(&png, &info);
    return std::string();
  }
  png_set_write_fn(png, &out, PngWrite, PngFlush);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  const auto ppm = static_cast<png_uint_32>(std::lround(image.ppi / 0.0254));
  png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y)
    png_write_row(png, const_cast<png_bytep>(image.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(image.width)));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace vigil
