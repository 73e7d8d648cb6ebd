// Prints how fast and how large the wasm core is, run in Node.
// Expects `./dev build` to have written dist/pkg/ and the native benchmark
// (`cargo run --example bench`) to have written its inputs to target/bench/.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";

const root = new URL("..", import.meta.url).pathname;
const glue = readFileSync(`${root}dist/pkg/denial_explainer.js`, "utf8");
const wasm = readFileSync(`${root}dist/pkg/denial_explainer_bg.wasm`);
// The no-modules glue declares a global `wasm_bindgen`; evaluate it and take that.
const wasm_bindgen = new Function(`${glue}\nreturn wasm_bindgen;`)();
wasm_bindgen.initSync({ module: wasm });

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
// Built by `./dev bench` without the policy engine (cargo --no-default-features).
const explainOnly = readFileSync(`${root}dist/pkg-explain-only/denial_explainer_bg.wasm`);
console.log(`wasm, explain only: ${kb(explainOnly.length)} raw (budget 300 KB), ${kb(gz(explainOnly))} gzipped (budget 120 KB)`);
console.log(`wasm, with the policy engine: ${kb(wasm.length)} raw, ${kb(gz(wasm))} gzipped; the engine adds ${kb(wasm.length - explainOnly.length)} raw, ${kb(gz(wasm) - gz(explainOnly))} gzipped`);

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (runs, f) => {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    samples.push(performance.now() - t);
  }
  return median(samples);
};

const single = readFileSync(`${root}target/bench/single.txt`, "utf8");
time(50, () => wasm_bindgen.explain(single)); // warm up
console.log(`explain, one typical message: median ${(time(500, () => wasm_bindgen.explain(single)) * 1000).toFixed(1)} µs (target < 1 ms)`);

const paste = readFileSync(`${root}target/bench/paste-1mb.txt`, "utf8");
const found = wasm_bindgen.explain(paste).findings.length;
console.log(`explain, ${(Buffer.byteLength(paste) / 1e6).toFixed(2)} MB paste (${found} findings): median ${time(9, () => wasm_bindgen.explain(paste)).toFixed(1)} ms (target < 100 ms)`);

const scenarios = readFileSync(`${root}target/bench/scenarios.jsonl`, "utf8").split("\n");
let best = Infinity;
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (const s of scenarios) wasm_bindgen.simulate(s);
  best = Math.min(best, performance.now() - t);
}
console.log(`simulate, ${scenarios.length} scenarios: ${Math.round(scenarios.length / (best / 1000))} scenarios/s`);
