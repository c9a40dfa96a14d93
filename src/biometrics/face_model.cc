#include "biometrics/face_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "base/file.h"

namespace vigil {
namespace {

// A feature map: height x width x channels, channels innermost.
struct Map {
  int h = 0, w = 0, c = 0;
  std::vector<float> v;
  Map() = default;
  Map(int height, int width, int channels) : h(height), w(width), c(channels), v(static_cast<size_t>(height) * static_cast<size_t>(width) * static_cast<size_t>(channels), 0.0f) {}
  float* at(int y, int x) { return &v[(static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * static_cast<size_t>(c)]; }
  const float* at(int y, int x) const { return &v[(static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * static_cast<size_t>(c)]; }
};

// A k x k convolution with `filters` laid out [k][k][in][out], then the
// bias, the per-channel scale and shift, and optionally a ReLU. `same`
// pads as TensorFlow does (more at the bottom and right when odd); else no
// padding.
Map Conv(const Map& in, const std::vector<float>& filters, const std::vector<float>& bias, const std::vector<float>& scale,
         const std::vector<float>& shift, int k, int out_channels, int stride, bool same, bool relu) {
  int oh, ow, pad_top = 0, pad_left = 0;
  if (same) {
    oh = (in.h + stride - 1) / stride;
    ow = (in.w + stride - 1) / stride;
    pad_top = std::max(0, (oh - 1) * stride + k - in.h) / 2;
    pad_left = std::max(0, (ow - 1) * stride + k - in.w) / 2;
  } else {
    oh = (in.h - k) / stride + 1;
    ow = (in.w - k) / stride + 1;
  }
  Map out(oh, ow, out_channels);
  const size_t oc = static_cast<size_t>(out_channels);
  for (int y = 0; y < oh; ++y)
    for (int x = 0; x < ow; ++x) {
      float* o = out.at(y, x);
      for (int ky = 0; ky < k; ++ky) {
        const int iy = y * stride + ky - pad_top;
        if (iy < 0 || iy >= in.h) continue;
        for (int kx = 0; kx < k; ++kx) {
          const int ix = x * stride + kx - pad_left;
          if (ix < 0 || ix >= in.w) continue;
          const float* src = in.at(iy, ix);
          const float* f = &filters[(static_cast<size_t>(ky * k + kx) * static_cast<size_t>(in.c)) * oc];
          for (int ic = 0; ic < in.c; ++ic) {
            const float s = src[ic];
            const float* fr = f + static_cast<size_t>(ic) * oc;
            for (size_t c = 0; c < oc; ++c) o[c] += s * fr[c];
          }
        }
      }
      for (size_t c = 0; c < oc; ++c) {
        o[c] = (o[c] + bias[c]) * scale[c] + shift[c];
        if (relu) o[c] = std::max(o[c], 0.0f);
      }
    }
  return out;
}

// k x k pooling with stride `stride`, no padding: the maximum or the mean.
Map Pool(const Map& in, int k, int stride, bool max) {
  Map out((in.h - k) / stride + 1, (in.w - k) / stride + 1, in.c);
  for (int y = 0; y < out.h; ++y)
    for (int x = 0; x < out.w; ++x) {
      float* o = out.at(y, x);
      for (int c = 0; c < in.c; ++c) o[c] = max ? in.at(y * stride, x * stride)[c] : 0.0f;
      for (int ky = 0; ky < k; ++ky)
        for (int kx = 0; kx < k; ++kx) {
          const float* s = in.at(y * stride + ky, x * stride + kx);
          for (int c = 0; c < in.c; ++c) o[c] = max ? std::max(o[c], s[c]) : o[c] + s[c];
        }
      if (!max)
        for (int c = 0; c < in.c; ++c) o[c] /= float(k * k);
    }
  return out;
}

}  // namespace

std::string default_face_model_dir() {
  if (const char* env = std::getenv("VIGIL_FACE_MODEL"); env && *env) return env;
#ifdef VIGIL_FACE_MODEL_DIR
  return VIGIL_FACE_MODEL_DIR;
#else
  return "models/node_modules/@vladmandic/face-api/model";
#endif
}

Result<FaceEmbedder> FaceEmbedder::Load(const std::string& dir) {
  const std::string manifest_path = dir + "/face_recognition_model-weights_manifest.json";
  auto manifest_text = read_file(manifest_path);
  if (!manifest_text.ok())
    return Status::Error("face model: " + manifest_path + " cannot be read (the build installs it: scripts/build.sh)");
  const auto manifest = nlohmann::json::parse(*manifest_text, nullptr, false);
  if (!manifest.is_array() || manifest.empty() || !manifest[0].contains("paths") || !manifest[0].contains("weights"))
    return Status::Error("face model: " + manifest_path + " is not a weights manifest");
  FaceEmbedder model;
  for (const auto& group : manifest) {
    std::string data;
    for (const auto& path : group["paths"]) {
      auto part = read_file(dir + "/" + path.get<std::string>());
      if (!part.ok()) return Status::Error("face model: " + dir + "/" + path.get<std::string>() + " cannot be read");
      data += *part;
    }
    size_t at = 0;
    for (const auto& w : group["weights"]) {
      const std::string name = w.value("name", "");
      size_t count = 1;
      for (const auto& d : w["shape"]) count *= d.get<size_t>();
      std::vector<float> values(count);
      if (w.contains("quantization")) {
        const auto& q = w["quantization"];
        if (q.value("dtype", "") != "uint8") return Status::Error("face model: " + name + ": only uint8 quantisation is read");
        if (data.size() - at < count) return Status::Error("face model: the weight file ends inside " + name);
        const float scale = q.value("scale", 1.0f), min = q.value("min", 0.0f);
        for (size_t i = 0; i < count; ++i) values[i] = static_cast<float>(static_cast<unsigned char>(data[at + i])) * scale + min;
        at += count;
      } else {
        if (w.value("dtype", "float32") != "float32") return Status::Error("face model: " + name + ": not float32");
        if (data.size() - at < count * 4) return Status::Error("face model: the weight file ends inside " + name);
        std::memcpy(values.data(), data.data() + at, count * 4);  // little-endian, as the format is
        at += count * 4;
      }
      model.weights_[name] = std::move(values);
    }
  }
  // Every layer the network needs, with the sizes it needs.
  auto expect = [&](const std::string& name, size_t size) -> Status {
    auto it = model.weights_.find(name);
    if (it == model.weights_.end()) return Status::Error("face model: " + name + " is missing");
    if (it->second.size() != size) return Status::Error("face model: " + name + " has " + std::to_string(it->second.size()) + " values, not " + std::to_string(size));
    return Status::Ok();
  };
  auto expect_conv = [&](const std::string& name, size_t k, size_t in, size_t out) -> Status {
    for (const auto& [part, size] : {std::pair<std::string, size_t>{"/conv/filters", k * k * in * out}, {"/conv/bias", out},
                                     {"/scale/weights", out}, {"/scale/biases", out}})
      if (auto s = expect(name + part, size); !s.ok()) return s;
    return Status::Ok();
  };
  if (auto s = expect_conv("conv32_down", 7, 3, 32); !s.ok()) return s;
  const struct { const char* name; size_t in, out; } blocks[] = {
      {"conv32_1", 32, 32},     {"conv32_2", 32, 32},   {"conv32_3", 32, 32},   {"conv64_down", 32, 64},
      {"conv64_1", 64, 64},     {"conv64_2", 64, 64},   {"conv64_3", 64, 64},   {"conv128_down", 64, 128},
      {"conv128_1", 128, 128},  {"conv128_2", 128, 128}, {"conv256_down", 128, 256}, {"conv256_1", 256, 256},
      {"conv256_2", 256, 256},  {"conv256_down_out", 256, 256}};
  for (const auto& b : blocks) {
    if (auto s = expect_conv(std::string(b.name) + "/conv1", 3, b.in, b.out); !s.ok()) return s;
    if (auto s = expect_conv(std::string(b.name) + "/conv2", 3, b.out, b.out); !s.ok()) return s;
  }
  if (auto s = expect("fc", 256 * kOutput); !s.ok()) return s;
  return model;
}

std::vector<float> FaceEmbedder::Embed(const RgbImage& face) const {
  // Pixels less the mean colour the network was trained with, over 256.
  static constexpr float kMean[3] = {122.782f, 117.001f, 104.298f};
  Map x(kInput, kInput, 3);
  for (int y = 0; y < kInput; ++y)
    for (int xx = 0; xx < kInput; ++xx)
      for (int c = 0; c < 3; ++c) x.at(y, xx)[c] = (float(face.at(xx, y)[c]) - kMean[c]) / 256.0f;
  auto conv = [&](const Map& in, const std::string& name, int k, int stride, bool same, bool relu) {
    const std::vector<float>& bias = W(name + "/conv/bias");
    return Conv(in, W(name + "/conv/filters"), bias, W(name + "/scale/weights"), W(name + "/scale/biases"), k,
                static_cast<int>(bias.size()), stride, same, relu);
  };
  // A residual block: two 3 x 3 convolutions added to the input.
  auto residual = [&](const Map& in, const std::string& name) {
    Map out = conv(conv(in, name + "/conv1", 3, 1, true, true), name + "/conv2", 3, 1, true, false);
    for (size_t i = 0; i < out.v.size(); ++i) out.v[i] = std::max(out.v[i] + in.v[i], 0.0f);
    return out;
  };
  // A block that halves the size: the first convolution strided, no
  // padding; the shortcut averaged over 2 x 2, its extra channels zero, and
  // the convolved map padded with zeros at the bottom and right when it
  // comes out a pixel smaller.
  auto down = [&](const Map& in, const std::string& name) {
    const Map out = conv(conv(in, name + "/conv1", 3, 2, false, true), name + "/conv2", 3, 1, true, false);
    Map sum = Pool(in, 2, 2, false);
    const int channels = out.c;
    Map result(sum.h, sum.w, channels);
    for (int y = 0; y < sum.h; ++y)
      for (int xx = 0; xx < sum.w; ++xx) {
        float* r = result.at(y, xx);
        for (int c = 0; c < sum.c; ++c) r[c] = sum.at(y, xx)[c];
        if (y < out.h && xx < out.w)
          for (int c = 0; c < channels; ++c) r[c] += out.at(y, xx)[c];
        for (int c = 0; c < channels; ++c) r[c] = std::max(r[c], 0.0f);
      }
    return result;
  };
  Map m = Pool(conv(x, "conv32_down", 7, 2, false, true), 3, 2, true);
  m = residual(residual(residual(m, "conv32_1"), "conv32_2"), "conv32_3");
  m = down(m, "conv64_down");
  m = residual(residual(residual(m, "conv64_1"), "conv64_2"), "conv64_3");
  m = down(m, "conv128_down");
  m = residual(residual(m, "conv128_1"), "conv128_2");
  m = down(m, "conv256_down");
  m = residual(residual(m, "conv256_1"), "conv256_2");
  m = down(m, "conv256_down_out");
  std::vector<float> mean(static_cast<size_t>(m.c), 0.0f);
  for (int y = 0; y < m.h; ++y)
    for (int xx = 0; xx < m.w; ++xx)
      for (int c = 0; c < m.c; ++c) mean[static_cast<size_t>(c)] += m.at(y, xx)[c];
  for (float& v : mean) v /= float(m.h * m.w);
  const std::vector<float>& fc = W("fc");
  std::vector<float> out(kOutput, 0.0f);
  for (size_t i = 0; i < mean.size(); ++i)
    for (size_t o = 0; o < static_cast<size_t>(kOutput); ++o) out[o] += mean[i] * fc[i * kOutput + o];
  return out;
}

}  // namespace vigil
