#!/usr/bin/env node
// www/lzma.js against liblzma: every stream here is made by Python's `lzma`
// module (liblzma, the reference implementation of the format), and the decoder
// must give back exactly the bytes that went in. Damaged streams must throw
// "damaged LZMA data: ..." (or at least never return the original or run past
// the size limit). The last line is `N passed, N failed`.
import { execFileSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { packedWasm } from '../browser/lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const decodeLzma = new Function(`${readFileSync(join(root, 'www/lzma.js'), 'utf8')}\nreturn decodeLzma;`)();

// options: { preset, lc, lp, pb, dict, knownSize } -> an `.lzma` file from liblzma.
function encode(data, options = {}) {
  const script = `
import json, lzma, sys
o = json.loads(sys.argv[1])
f = {"id": lzma.FILTER_LZMA1, "preset": o.get("preset", 6)}
for k in ("lc", "lp", "pb", "dict_size"):
    if k in o: f[k] = o[k]
data = sys.stdin.buffer.read()
out = bytearray(lzma.compress(data, format=lzma.FORMAT_ALONE, filters=[f]))
if o.get("knownSize"): out[5:13] = len(data).to_bytes(8, "little")
sys.stdout.buffer.write(out)
`;
  return new Uint8Array(execFileSync('python3', ['-c', script, JSON.stringify(options)], { input: data, maxBuffer: 256 << 20 }));
}

const digest = (bytes) => createHash('sha256').update(bytes).digest('hex');
function roundTrip(data, options) {
  const packed = encode(data, options);
  const unpacked = decodeLzma(packed, data.length);
  assert.equal(unpacked.length, data.length, 'length');
  assert.equal(digest(unpacked), digest(data), 'bytes differ');
  return packed;
}

// Inputs that reach every path: literals (random bytes), short and long
// matches, the repeat distances (structured binary), distances of every slot up
// to megabytes (a block repeated far away), and the empty stream.
const text = Buffer.from(readdirSync(join(root, 'src')).filter((f) => f.endsWith('.rs'))
  .map((f) => readFileSync(join(root, 'src', f), 'utf8')).join('\n'));
const random = randomBytes(200_000);
const far = Buffer.concat([random.subarray(0, 50_000), randomBytes(1_500_000), random.subarray(0, 50_000)]);
const structured = Buffer.alloc(300_000);
for (let i = 0; i < structured.length; i++) structured[i] = (i * 7 + (i >> 3) * 13 + ((i % 97) < 5 ? i >> 10 : 0)) & 0xff;
const builtWasm = join(root, 'dist/pkg/denial_explainer_bg.wasm');
const builtSingle = join(root, 'dist/denial-explainer.html');

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('empty input', () => roundTrip(Buffer.alloc(0)));
check('one byte', () => roundTrip(Buffer.from([0x61])));
check('one byte repeated 100,000 times (long matches, rep0)', () => roundTrip(Buffer.alloc(100_000, 0x61)));
check('random bytes (literals)', () => roundTrip(random));
check('source text (matched literals, short distances)', () => roundTrip(text));
check('structured binary (repeat distances)', () => roundTrip(structured));
check('a block repeated 1.5 MB later (large distance slots, direct bits, align bits)', () => {
  roundTrip(far, { preset: 9, dict_size: 4 << 20 });
});
check('every lc/lp/pb the encoder accepts, on text and binary', () => {
  const sample = Buffer.concat([text.subarray(0, 30_000), structured.subarray(0, 30_000)]);
  for (const [lc, lp, pb] of [[0, 0, 0], [3, 0, 2], [4, 0, 0], [0, 4, 4], [1, 3, 1], [2, 2, 3]]) roundTrip(sample, { lc, lp, pb });
});
check('unpacked size in the header and an end marker (the way the build packs)', () => {
  roundTrip(text, { preset: 9, knownSize: true });
  roundTrip(Buffer.alloc(0), { knownSize: true });
});
check('the stream the built single file carries unpacks to the built wasm', () => {
  if (!existsSync(builtWasm) || !existsSync(builtSingle)) throw new Error('dist is missing: build first (./dev build)');
  const wasm = readFileSync(builtWasm);
  const packed = packedWasm(readFileSync(builtSingle, 'utf8'));
  const started = process.hrtime.bigint();
  const unpacked = decodeLzma(packed, wasm.length);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(digest(unpacked), digest(wasm), 'the single file does not carry this wasm');
  console.log(`      ${wasm.length} bytes from ${packed.length} in ${ms.toFixed(1)} ms`);
});

const expectDamaged = (fn) => assert.throws(fn, /^Error: damaged LZMA data: /);
check('a truncated stream throws', () => {
  const packed = encode(text, {});
  expectDamaged(() => decodeLzma(packed.subarray(0, packed.length >> 1), text.length));
  expectDamaged(() => decodeLzma(packed.subarray(0, 12), text.length));
});
check('a bad header throws', () => {
  const packed = encode(text, {});
  const badProps = packed.slice();
  badProps[0] = 225;
  expectDamaged(() => decodeLzma(badProps, text.length));
  const badStart = packed.slice();
  badStart[13] = 1;
  expectDamaged(() => decodeLzma(badStart, text.length));
});
check('the size limit holds, with and without a size in the header', () => {
  expectDamaged(() => decodeLzma(encode(text, {}), 1000));
  expectDamaged(() => decodeLzma(encode(text, { knownSize: true }), 1000));
});
check('a wrong size in the header throws', () => {
  const packed = encode(text, { knownSize: true });
  const shorter = packed.slice();
  shorter[5] ^= 1;
  shorter[6] ^= 1;
  expectDamaged(() => decodeLzma(shorter, text.length * 2));
});
check('flipped bits never give back the original and never run past the limit', () => {
  const packed = encode(structured, { knownSize: true });
  const original = digest(structured);
  let threw = 0;
  for (let i = 0; i < 200; i++) {
    const bad = packed.slice();
    const at = 14 + Math.floor(Math.random() * (bad.length - 14));
    bad[at] ^= 1 << Math.floor(Math.random() * 8);
    try {
      const out = decodeLzma(bad, structured.length);
      assert.ok(out.length <= structured.length);
      assert.notEqual(digest(out), original, `flip at byte ${at} went unnoticed`);
    } catch (error) {
      assert.match(String(error), /^Error: damaged LZMA data: /);
      threw++;
    }
  }
  assert.ok(threw > 150, `only ${threw} of 200 damaged streams were refused`);
});

let passed = 0;
let failed = 0;
for (const { name, fn } of checks) {
  try {
    fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}\n      ${String(error && error.stack || error).split('\n').slice(0, 6).join('\n      ')}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
