#!/usr/bin/env node
// Prints the page's budgets (not a test; no assertions): the single file's size
// raw and gzipped and its SHA-256, the widget loader gzipped, the time from
// opening the single file to the first result for a pasted example, and the
// time the page takes to analyse a 20 KB paste, and what unpacking the embedded
// wasm (LZMA) costs in Chromium. Expects dist/ built.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, packedWasm, requireDist, ROOT, SINGLE, SINGLE_URL, SITE } from './lib.mjs';
import { BIG_INPUTS, repeatTo, TEN_MB } from './big.test.mjs';

requireDist();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const single = readFileSync(SINGLE);
const widget = readFileSync(join(SITE, 'widget.js'));
const core = readFileSync(join(SITE, 'denial-explainer-core.js'));
const wasm = readFileSync(join(SITE, 'denial_explainer_bg.wasm'));
console.log(`single file            ${kb(single.length)} raw, ${kb(gz(single))} gzipped (target < 250 KB gzipped)`);
console.log(`single file sha256     ${createHash('sha256').update(single).digest('hex')}`);
console.log(`widget loader          ${kb(widget.length)} raw, ${kb(gz(widget))} gzipped (target < 10 KB gzipped)`);
console.log(`widget core (lazy)     ${kb(core.length)} raw, ${kb(gz(core))} gzipped (the full engine; the widget loads the explain core below)`);
// Bytes before the first result: what the widget and the served page download
// before they can answer (the explain core; the policy engine comes later).
const explainCore = readFileSync(join(SITE, 'denial-explainer-explain.js'));
const pageFiles = ['index.html', 'style.css', 'app.js', 'denial-explainer-explain.js'].map((f) => readFileSync(join(SITE, f)));
console.log(`explain core           ${kb(explainCore.length)} raw, ${kb(gz(explainCore))} gzipped (target <= 120 KB gzipped)`);
console.log(`before first result    widget ${kb(gz(widget) + gz(explainCore))} gzipped (widget.js + explain core), page ${kb(pageFiles.reduce((n, b) => n + gz(b), 0))} gzipped (index.html, style.css, app.js, explain core)`);
console.log(`policy engine (later)  ${kb(gz(core))} gzipped, fetched when policies come into play`);
console.log(`wasm                   ${kb(wasm.length)} raw, ${kb(gz(wasm))} gzipped`);

const browser = await launch();

// The decoder on a blank page (the single file's CSP rightly forbids evaluating
// new code), fed the stream the single file carries.
const packed = packedWasm(single.toString('utf8'));
{
  const page = await browser.newPage();
  const ms = await page.evaluate(([decoder, packedBytes, size]) => {
    const decodeLzma = new Function(`${decoder}\nreturn decodeLzma;`)();
    const bytes = new Uint8Array(packedBytes);
    const runs = [];
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      if (decodeLzma(bytes, size).length !== size) throw new Error('wrong size');
      runs.push(performance.now() - t0);
    }
    return runs;
  }, [readFileSync(join(ROOT, 'www/lzma.js'), 'utf8'), [...packed], wasm.length]);
  console.log(`wasm unpack (LZMA, ${kb(packed.length)} to ${kb(wasm.length)}) in Chromium: first run ${ms[0].toFixed(1)} ms, median of 5 ${median(ms).toFixed(1)} ms`);
  await page.close();
}
const firstResult = [];
for (let run = 0; run < 5; run++) {
  const context = await browser.newContext();
  await context.setOffline(true);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(SINGLE_URL);
  await page.waitForFunction(() => document.documentElement.getAttribute('data-core') === 'ready');
  const text = await page.evaluate(() => window.__denialExplainerCore.examples[0].text);
  // A paste: the page analyses at once on insertFromPaste.
  await page.evaluate((t) => {
    const input = document.getElementById('input');
    input.value = t;
    input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  }, text);
  await page.waitForFunction(() => window.denialExplainer.analyses >= 2);
  firstResult.push(Date.now() - started);
  await context.close();
}
console.log(`single file: open to first result (pasted example), median of 5: ${median(firstResult)} ms`);

const context = await browser.newContext();
const page = await context.newPage();
await page.goto(SINGLE_URL);
await page.waitForFunction(() => document.documentElement.getAttribute('data-core') === 'ready');
const timings = await page.evaluate(() => {
  const examples = window.__denialExplainerCore.examples.map((e) => e.text);
  let big = '';
  for (let i = 0; big.length < 20 * 1024; i++) big += `2024-03-01T10:02:${String(i % 60).padStart(2, '0')}Z [job-${i}] ` + examples[i % examples.length];
  big = big.slice(0, 20 * 1024);
  const input = document.getElementById('input');
  const out = { bytes: new TextEncoder().encode(big).length, page: [], core: [], findings: 0 };
  for (let i = 0; i < 7; i++) {
    input.value = big + ' '.repeat(i);
    const t0 = performance.now();
    window.denialExplainer.analyse();
    void document.body.offsetHeight; // include the layout the result needs
    out.page.push(performance.now() - t0);
    const t1 = performance.now();
    const r = window.denialExplainer.explain(input.value);
    out.core.push(performance.now() - t1);
    out.findings = r.findings.length;
  }
  return out;
});
console.log(`20 KB paste (${timings.bytes} bytes, ${timings.findings} findings): page analyse, render and layout median ${median(timings.page).toFixed(1)} ms, explain alone ${median(timings.core).toFixed(1)} ms (target < 50 ms)`);
await context.close();

// Big pastes in the single file: 10 MB (over the page's limit: refused on the
// paste event, before the text box or the analyser sees it), and 2 MB (the
// largest analysed, in a worker), paste to result.
for (const [kind, unit] of Object.entries(BIG_INPUTS)) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(SINGLE_URL);
  await p.waitForFunction(() => document.documentElement.getAttribute('data-core') === 'ready');
  const refused = await p.evaluate((t) => {
    const t0 = performance.now();
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.getElementById('input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return [performance.now() - t0, document.documentElement.getAttribute('data-refused')];
  }, repeatTo(unit, TEN_MB));
  const analysed = await p.evaluate((t) => new Promise((resolve) => {
    const n = window.denialExplainer.analyses;
    const t0 = performance.now();
    const box = document.getElementById('input');
    box.value = t;
    box.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
    (function wait() { if (window.denialExplainer.analyses > n) resolve(performance.now() - t0); else setTimeout(wait, 5); })();
  }), repeatTo(unit, 2 * 1024 * 1024));
  console.log(`10 MB of ${kind}: ${refused[1] ? 'refused' : 'not refused'} in ${refused[0].toFixed(0)} ms; 2 MB analysed in a worker, paste to result ${analysed.toFixed(0)} ms (target < 3000 ms)`);
  await ctx.close();
}
await browser.close();
