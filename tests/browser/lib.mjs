// Shared helpers for the browser tests: paths, the browser, the static server.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../tools/serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : join(ROOT, 'dist');
export const SITE = join(DIST, 'site');
export const SINGLE = join(DIST, 'denial-explainer.html');
export const SINGLE_URL = pathToFileURL(SINGLE).href;
export const RESULTS = join(ROOT, 'test-results');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

// The packed wasm (an `.lzma` stream) that a built single file or core script
// carries: the one long base64 string literal in it (www/core-wrapper.js's
// `WASM_LZMA`, whose name the minifier changes).
export const PACKED_WASM = /["']([A-Za-z0-9+/=]{10000,})["']/;
export function packedWasm(script) {
  const m = PACKED_WASM.exec(script);
  if (!m) throw new Error('no packed wasm (a long base64 literal) in the built file');
  return new Uint8Array(Buffer.from(m[1], 'base64'));
}

export function requireDist() {
  for (const f of [join(SITE, 'index.html'), join(SITE, 'denial-explainer-core.js'), join(SITE, 'widget.js'), SINGLE]) {
    if (!existsSync(f)) {
      console.error(`missing ${f}: build first (cargo build --target wasm32-unknown-unknown, wasm-bindgen, node tools/build-page.mjs)`);
      process.exit(2);
    }
  }
  mkdirSync(RESULTS, { recursive: true });
}

// Playwright's launch gives every run a fresh temporary profile (user-data-dir).
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

export async function serve() {
  return startServer(SITE, 0, '127.0.0.1');
}

// Waits until the page's analyser is ready.
export async function pageReady(page) {
  await page.waitForFunction(() => document.documentElement.getAttribute('data-core'), null, { timeout: 20000 });
  const state = await page.evaluate(() => document.documentElement.getAttribute('data-core'));
  if (state !== 'ready') {
    const why = await page.evaluate(() => document.getElementById('summary').textContent);
    throw new Error(`analyser did not start: data-core=${state}: ${why}`);
  }
  await page.evaluate(() => window.denialExplainer.ready);
}

// Puts text in the paste area the way a person does (an input event) and waits
// for the page to have analysed exactly that text.
export async function paste(page, text) {
  const before = await page.evaluate(() => window.denialExplainer.analyses);
  await page.locator('#input').fill(text);
  await page.waitForFunction(
    ([n, t]) => window.denialExplainer.analyses > n && document.getElementById('input').value === t,
    [before, text], { timeout: 10000 });
}

export const FIELDS = ['gate', 'httpStatus', 'deny', 'policyType', 'provider', 'errorCode', 'principal', 'action', 'resource'];

// Compares every card's data-field values with what the wasm's explain returns
// for the same text, called in the page. Returns a list of mismatches.
export async function compareWithCore(page, text, rootSelector = 'document') {
  return page.evaluate(([t, fields, rootSel]) => {
    const root = rootSel === 'document' ? document : eval(rootSel);
    const expected = window.denialExplainer.explain(t);
    const problems = [];
    const cards = root.querySelectorAll('[data-finding]');
    // Identical denials (every field and the summary equal) share one card.
    const seen = new Set();
    const firsts = [];
    expected.findings.forEach((f, i) => {
      const key = JSON.stringify([f.provider, f.gate, f.errorCode, f.deny, f.policyType, f.principal, f.action, f.resource, f.summary]);
      if (!seen.has(key)) { seen.add(key); firsts.push(i); }
    });
    if (cards.length !== firsts.length) problems.push(`cards: ${cards.length}, distinct findings: ${firsts.length}`);
    firsts.forEach((i) => {
      const f = expected.findings[i];
      const card = root.querySelector(`[data-finding="${i}"]`);
      if (!card) { problems.push(`no card ${i}`); return; }
      for (const name of fields) {
        const node = card.querySelector(`[data-field="${name}"]`);
        const want = JSON.stringify(f[name] === undefined ? null : f[name]);
        if (!node) problems.push(`card ${i}: no data-field=${name}`);
        else if (node.getAttribute('data-value') !== want) problems.push(`card ${i} ${name}: page ${node.getAttribute('data-value')} core ${want}`);
      }
    });
    return { problems, findings: expected.findings.length };
  }, [text, FIELDS, rootSelector]);
}

// Checks that every evidence span (UTF-8 byte offsets) is drawn as a <mark> over
// exactly the right characters in the editor overlay.
export async function checkHighlights(page, text) {
  return page.evaluate((t) => {
    const report = window.denialExplainer.explain(t);
    const bytes = new TextEncoder().encode(t);
    const dec = new TextDecoder();
    const layer = document.getElementById('highlights');
    const covered = [];
    let pos = 0;
    const walk = (node, inMark) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) {
          const s = child.data.replace(/\u200b$/, '');
          for (let i = 0; i < s.length; i++) covered[pos + i] = inMark;
          pos += s.length;
        } else walk(child, inMark || child.nodeName === 'MARK');
      }
    };
    walk(layer, false);
    const problems = [];
    const shown = layer.textContent.replace(/\u200b$/, '');
    // The overlay shows the text with every detected credential masked, character
    // for character (issue 11: "Save page as" must not write secrets out).
    let want = t;
    for (const s of report.secrets || []) {
      const a = dec.decode(bytes.subarray(0, s.span.start)).length;
      const b = dec.decode(bytes.subarray(0, s.span.end)).length;
      want = want.slice(0, a) + want.slice(a, b).replace(/[^\n]/g, '*') + want.slice(b);
      const raw = t.slice(a, b);
      if (raw.length >= 8 && shown.includes(raw)) problems.push(`the overlay shows the ${s.kind} unmasked`);
    }
    if (shown !== want) problems.push('overlay text differs from the input (with secrets masked)');
    let spans = 0;
    for (const f of report.findings) {
      for (const ev of f.evidence || []) {
        spans++;
        const start = dec.decode(bytes.subarray(0, ev.span.start)).length;
        const wantText = dec.decode(bytes.subarray(ev.span.start, ev.span.end));
        const got = want.slice(start, start + wantText.length) === shown.slice(start, start + wantText.length) ? t.slice(start, start + wantText.length) : shown.slice(start, start + wantText.length);
        const want2 = wantText;
        if (got !== want2) problems.push(`evidence ${ev.field}: overlay has ${JSON.stringify(got)} at the span, text has ${JSON.stringify(want2)}`);
        for (let i = start; i < start + want2.length; i++) if (!covered[i]) { problems.push(`evidence ${ev.field} not highlighted at ${i}`); break; }
      }
    }
    return { problems, spans };
  }, text);
}

// Picks an example in the menu and loads it with the button (choosing alone does
// not replace the text), then waits for its analysis.
export async function loadExample(page, id) {
  const text = await page.evaluate((i) => window.__denialExplainerCore.examples.find((e) => e.id === i).text, id);
  const before = await page.evaluate(() => window.denialExplainer.analyses);
  await page.selectOption('#examples', id);
  await page.click('#load-example');
  await page.waitForFunction(([n, t]) => window.denialExplainer.analyses > n && document.getElementById('input').value === t, [before, text], { timeout: 10000 });
  return text;
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
