// Face descriptors as the face-api package itself computes them, for the
// tests that hold the C++ recogniser to it (tests/biometrics/face_test.cc).
//   node scripts/face-reference.mjs FILE.rgb...   (150 x 150 x 3 raw RGB each)
// Prints {"FILE": [128 numbers], ...}, and on standard error the best of
// five timings per descriptor (the baseline the C++ recogniser is measured
// against). Uses the package installed under models/ by scripts/build.sh, on
// TensorFlow.js's CPU backend.
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..', 'models', 'node_modules', '@vladmandic', 'face-api');
// The browser bundle carries TensorFlow.js; it runs here as if in a page.
globalThis.window = globalThis;
globalThis.document = { createElement: () => ({}) };
const faceapi = await import(path.join(pkg, 'dist', 'face-api.esm.js'));
const tf = faceapi.tf;
await tf.setBackend('cpu');
await tf.ready();
const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'model', 'face_recognition_model-weights_manifest.json')));
const bin = fs.readFileSync(path.join(pkg, 'model', manifest[0].paths[0]));
const weights = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), manifest[0].weights);
await faceapi.nets.faceRecognitionNet.loadFromWeightMap(weights);
const out = {};
for (const file of process.argv.slice(2)) {
  const raw = fs.readFileSync(file);
  if (raw.length !== 150 * 150 * 3) throw new Error(`${file}: not 150 x 150 x 3 bytes`);
  const input = tf.tensor3d(Float32Array.from(raw), [150, 150, 3]);
  out[path.basename(file)] = Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input));
  let best = Infinity;
  for (let r = 0; r < 5; ++r) {
    const t0 = performance.now();
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
    best = Math.min(best, performance.now() - t0);
  }
  console.error(`${path.basename(file)}: ${best.toFixed(1)} ms per descriptor`);
}
console.log(JSON.stringify(out));
