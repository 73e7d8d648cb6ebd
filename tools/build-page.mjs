#!/usr/bin/env node
// Builds the page, the offline single file and the widget from www/ and the
// wasm-bindgen output (`--target no-modules`) in dist/pkg. No bundler.
//
//   node tools/build-page.mjs [--pkg dist/pkg] [--out dist]
//
// Writes dist/site/ (the served page and widget) and dist/denial-explainer.html
// (one self-contained file), then prints sizes and the single file's SHA-256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { SERVED_CSP, singleFileCsp } from './csp.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : fallback;
};
const pkg = option('--pkg', join(root, 'dist/pkg'));
const out = option('--out', join(root, 'dist'));
const www = join(root, 'www');
const site = join(out, 'site');

const read = (p) => readFileSync(p, 'utf8');
const glue = read(join(pkg, 'denial_explainer.js'));
const wasm = readFileSync(join(pkg, 'denial_explainer_bg.wasm'));
if (!/^let wasm_bindgen = /m.test(glue)) {
  throw new Error('dist/pkg/denial_explainer.js is not wasm-bindgen --target no-modules output');
}

// Replace a marker exactly once, with a function so `$` in the inserted text is literal.
function fill(text, marker, value) {
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) throw new Error(`marker ${marker} must occur once`);
  return text.slice(0, at) + value + text.slice(at + marker.length);
}

// The wasm as an `.lzma` file (LZMA_Alone), which www/lzma.js decodes in the
// page. Base64 hides byte patterns from gzip: base64 of the raw module gzips to
// 1.3 times the module's own gzip size, base64 of its LZMA stream to about the
// stream's size, about a sixth smaller than gzip. Python's lzma module is liblzma, so
// the same input gives the same bytes (the single file's SHA-256 is reproducible).
// The header carries the real unpacked size instead of "unknown"; the stream
// still ends with an end marker, which the format allows.
function packLzma(bytes) {
  const script = [
    'import lzma, sys',
    'data = sys.stdin.buffer.read()',
    'dict_size = max(4096, 1 << max(0, len(data) - 1).bit_length())',
    'filters = [{"id": lzma.FILTER_LZMA1, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": dict_size}]',
    'out = bytearray(lzma.compress(data, format=lzma.FORMAT_ALONE, filters=filters))',
    'out[5:13] = len(data).to_bytes(8, "little")',
    'sys.stdout.buffer.write(out)',
  ].join('\n');
  return execFileSync('python3', ['-c', script], { input: bytes, maxBuffer: 256 << 20 });
}
const packed = packLzma(wasm);

// The core script: glue inside a function, the packed wasm, its decoder, the examples.
function coreScript(flavour, glueText, wasmBytes, packedBytes) {
  let text = read(join(www, 'core-wrapper.js'));
  text = fill(text, '@FLAVOUR@', flavour);
  text = fill(text, '/* @GLUE@ */', glueText);
  text = fill(text, '@WASM_LZMA_BASE64@', packedBytes.toString('base64'));
  text = fill(text, '@WASM_SIZE@', String(wasmBytes.length));
  text = fill(text, '@WASM_CRC32@', String(crc32(wasmBytes)));
  text = fill(text, '/* @EXAMPLES@ */', read(join(www, 'examples.js')));
  text = fill(text, '/* @LZMA@ */', read(join(www, 'lzma.js')));
  return text;
}
// Scripts ship minified (terser, pinned in package-lock.json): comments and
// long names are most of www/'s bytes, and every reader of the single file or
// the widget downloads them. `www/` stays the readable source. Functions whose
// text starts a worker (`workerMain`, `createGlue`) are self-contained, so
// their minified text runs there as it did before.
async function small(text) {
  const result = await minify(text, {
    ecma: 2018,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, ascii_only: false },
  });
  if (typeof result.code !== 'string') throw new Error('terser returned no code');
  return result.code;
}
// CSS: comments and indentation out; nothing else is rewritten.
const smallCss = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').split('\n').map((l) => l.trim()).filter(Boolean).join('\n');

const core = await small(coreScript('full', glue, wasm, packed));
// The explain core (built without the `policy` feature into <pkg>-explain), loaded
// first by the widget and the served page. The single file carries the full one.
const pkgExplain = pkg + '-explain';
const explainWasm = readFileSync(join(pkgExplain, 'denial_explainer_bg.wasm'));
const explainCore = await small(coreScript('explain', read(join(pkgExplain, 'denial_explainer.js')), explainWasm, packLzma(explainWasm)));

const style = smallCss(read(join(www, 'style.css')));
const app = await small(read(join(www, 'app.js')));
const widget = await small(read(join(www, 'widget.js')));
const indexTemplate = read(join(www, 'index.html'));

rmSync(site, { recursive: true, force: true });
mkdirSync(site, { recursive: true });

// Served page: separate files, CSP by origin.
const served = fill(indexTemplate, '@CSP@', SERVED_CSP).replace('<script src="denial-explainer-core.js"></script>', '<script src="denial-explainer-explain.js"></script>');
if (!served.includes('denial-explainer-explain.js')) throw new Error('the served page does not load the explain core');
writeFileSync(join(site, 'index.html'), served);
writeFileSync(join(site, 'style.css'), style);
writeFileSync(join(site, 'app.js'), app);
writeFileSync(join(site, 'denial-explainer-core.js'), core);
writeFileSync(join(site, 'denial-explainer-explain.js'), explainCore);
writeFileSync(join(site, 'widget.js'), widget);
// The plain wasm-bindgen output too, for people who load it their own way.
copyFileSync(join(pkg, 'denial_explainer.js'), join(site, 'denial_explainer.js'));
copyFileSync(join(pkg, 'denial_explainer_bg.wasm'), join(site, 'denial_explainer_bg.wasm'));
copyFileSync(join(www, 'embed-example.css'), join(site, 'embed-example.css'));
writeFileSync(join(site, 'embed-example.html'), fill(read(join(www, 'embed-example.html')), '@CSP@', SERVED_CSP));

// Single file: inline everything; allow exactly these blocks by hash.
const sha256 = (text) => 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64');
const safeScript = (text) => {
  if (/<\/script/i.test(text)) throw new Error('a script contains </script and cannot be inlined');
  return text;
};
const inlineScripts = [safeScript(core), safeScript(app)];
const csp = singleFileCsp(inlineScripts.map(sha256), [sha256(style)]);
let single = fill(indexTemplate, '@CSP@', csp);
single = single.replace('<html lang="en" data-theme="auto">', '<html lang="en" data-theme="auto" data-offline>');
// The public address of the served page, if there is one (PUBLIC_URL=https://...
// at build time): the offline file then makes share links on that address
// instead of offering the fragment alone. Unset by default, so the build stays
// reproducible and names no address it does not know.
const publicUrl = process.env.PUBLIC_URL || '';
if (publicUrl) {
  if (!/^https:\/\/[^\s"<>]+$/.test(publicUrl)) throw new Error(`PUBLIC_URL must be an https:// address: ${publicUrl}`);
  single = single.replace('<meta name="referrer" content="no-referrer">', () => `<meta name="referrer" content="no-referrer">\n<meta name="denial-explainer-public-url" content="${publicUrl}">`);
}
single = single.replace(/<!--STYLE-->[\s\S]*?<!--\/STYLE-->/, () => `<style>${style}</style>`);
single = single.replace(/<!--SCRIPTS-->[\s\S]*?<!--\/SCRIPTS-->/, () => inlineScripts.map((s) => `<script>${s}</script>`).join('\n'));
if (single.includes('<!--STYLE-->') || single.includes('<!--SCRIPTS-->')) throw new Error('markers left in single file');
writeFileSync(join(out, 'denial-explainer.html'), single);
copyFileSync(join(out, 'denial-explainer.html'), join(site, 'denial-explainer.html'));

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const singleBytes = Buffer.from(single, 'utf8');
const widgetBytes = Buffer.from(widget, 'utf8');
console.log(`wasm:                          ${kb(wasm.length)} raw, ${kb(gz(wasm))} gzipped, ${kb(packed.length)} as LZMA`);
console.log(`dist/denial-explainer.html:    ${kb(singleBytes.length)} raw, ${kb(gz(singleBytes))} gzipped`);
console.log(`  sha256:                      ${createHash('sha256').update(singleBytes).digest('hex')}`);
console.log(`widget.js loader:              ${kb(widgetBytes.length)} raw, ${kb(gz(widgetBytes))} gzipped`);
console.log(`denial-explainer-core.js:      ${kb(Buffer.byteLength(core))} raw, ${kb(gz(Buffer.from(core)))} gzipped`);
console.log(`denial-explainer-explain.js:   ${kb(Buffer.byteLength(explainCore))} raw, ${kb(gz(Buffer.from(explainCore)))} gzipped (explain alone)`);
console.log(`site written to ${site}`);
