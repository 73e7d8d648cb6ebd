#!/usr/bin/env node
// Runs every browser check against an already built dist/ (see lib.mjs for how
// to build). Starts the static server on 127.0.0.1 with an ephemeral port and a
// headless system Chromium. The last line is `N passed, N failed`.
import { launch, requireDist, serve } from './lib.mjs';
import pageTests from './page.test.mjs';
import securityTests from './security.test.mjs';
import widgetTests from './widget.test.mjs';
import a11yTests from './a11y.test.mjs';
import evaluationTests from './evaluation.test.mjs';
import useTests from './use.test.mjs';
import bigTests from './big.test.mjs';

requireDist();
const only = process.argv[2] ? new RegExp(process.argv[2], 'i') : null;
const checks = [];
const check = (name, fn) => { if (!only || only.test(name)) checks.push({ name, fn }); };
for (const register of [pageTests, evaluationTests, useTests, securityTests, widgetTests, a11yTests, bigTests]) register(check);

const { server, url } = await serve();
const browser = await launch();
let passed = 0;
let failed = 0;
for (const { name, fn } of checks) {
  const started = Date.now();
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  try {
    await fn({ browser, context, url });
    passed++;
    console.log(`ok    ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}\n      ${String(error && error.stack || error).split('\n').slice(0, 6).join('\n      ')}`);
  } finally {
    await context.close().catch(() => {});
  }
}
await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
