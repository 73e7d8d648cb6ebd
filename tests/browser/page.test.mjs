// The page over http://127.0.0.1 and the single file over file://: every example
// gives the fields the core gives, the highlights sit on the right characters,
// nothing is fetched that should not be, share links round-trip.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { assert, PACKED_WASM, checkHighlights, compareWithCore, loadExample, pageReady, paste, RESULTS, SINGLE, SINGLE_URL } from './lib.mjs';

// The explain core loads with the page; the full engine (denial-explainer-core.js)
// only once policies come into play.
const OWN_FILES = new Set(['/', '/index.html', '/style.css', '/app.js', '/denial-explainer-explain.js', '/denial-explainer-core.js']);

async function examplesOf(page) {
  return page.evaluate(() => window.__denialExplainerCore.examples.map((e) => ({ id: e.id, text: e.text })));
}

async function everyExample(page) {
  const examples = await examplesOf(page);
  assert(examples.length >= 15, `only ${examples.length} examples`);
  const problems = [];
  // Non-ASCII around a message checks the UTF-8 byte offset conversion.
  const extra = examples.map((e) => ({ id: e.id + '+utf8', text: 'Résumé 📄 naïve — ' + e.text + '\n終わり 🚫\n' }));
  for (const ex of [...examples, ...extra]) {
    await paste(page, ex.text);
    const fields = await compareWithCore(page, ex.text);
    const marks = await checkHighlights(page, ex.text);
    for (const p of [...fields.problems, ...marks.problems]) problems.push(`${ex.id}: ${p}`);
  }
  assert(!problems.length, problems.slice(0, 12).join('\n'));
  return examples;
}

export default function (check) {
  check('served page: every example matches the core, only own files fetched', async ({ context, url }) => {
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(url);
    const csp = response.headers()['content-security-policy'] || '';
    assert(csp.includes("connect-src 'none'") && csp.includes("'wasm-unsafe-eval'"), `CSP header: ${csp}`);
    await pageReady(page);
    // Selecting from the examples menu also analyses.
    await loadExample(page, 'aws-explicit-scp');
    await everyExample(page);
    for (const r of requests) {
      if (r.startsWith('data:')) continue;
      const u = new URL(r);
      assert(u.origin === new URL(url).origin && OWN_FILES.has(u.pathname), `unexpected request ${r}`);
    }
    assert(!errors.length, `page errors: ${errors.join('; ')}`);
    // "Download for offline use" serves exactly the single file.
    const href = await page.evaluate(() => document.getElementById('download-offline').href);
    const body = await (await context.request.get(href)).body();
    assert(body.equals(readFileSync(SINGLE)), 'the download link does not serve dist/denial-explainer.html');
  });

  check('single file over file:// with the network off: works, makes no request', async ({ context }) => {
    await context.setOffline(true);
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => { if (r.url() !== SINGLE_URL && !r.url().startsWith('data:')) requests.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(SINGLE_URL);
    await pageReady(page);
    await everyExample(page);
    assert(!requests.length, `requests from the single file: ${requests.join(', ')}`);
    assert(!errors.length, `errors: ${errors.join('; ')}`);
    const hidden = await page.evaluate(() => getComputedStyle(document.getElementById('download-offline')).display);
    assert(hidden === 'none', 'the offline copy still offers itself for download');
  });

  check('a single file whose embedded module was altered says it is damaged', async ({ context }) => {
    // One base64 character changed inside the packed wasm; the script's CSP hash
    // is updated so that the script still runs and the checksum is what objects.
    const html = readFileSync(SINGLE, 'utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const core = scripts.find((s) => PACKED_WASM.test(s));
    assert(core, 'no packed wasm in the single file');
    const at = PACKED_WASM.exec(core).index + 40000;
    const altered = core.slice(0, at) + (core[at] === 'A' ? 'B' : 'A') + core.slice(at + 1);
    const hash = (text) => 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64');
    assert(html.includes(hash(core)), 'the CSP does not list the core script');
    const damaged = html.replace(hash(core), hash(altered)).replace(core, () => altered);
    const dir = mkdtempSync(join(tmpdir(), 'denial-damaged-'));
    const file = join(dir, 'denial-explainer.html');
    writeFileSync(file, damaged);
    await context.setOffline(true);
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-core') === 'failed', null, { timeout: 20000 });
    const summary = await page.evaluate(() => document.getElementById('summary').textContent);
    assert(summary.includes('the analyser embedded in this copy is damaged') && summary.includes('Get a fresh copy of this page'),
      `summary: ${summary}`);
  });

  check('single file after "Save page as" (serialised DOM) still works offline', async ({ context }) => {
    await context.setOffline(true);
    const page = await context.newPage();
    await page.goto(SINGLE_URL);
    await pageReady(page);
    await loadExample(page, 'mixed-ci-log');
    const saved = '<!DOCTYPE html>\n' + await page.evaluate(() => document.documentElement.outerHTML);
    const dir = mkdtempSync(join(tmpdir(), 'denial-saved-'));
    const file = join(dir, 'Denial Explainer.html');
    writeFileSync(file, saved);
    const again = await context.newPage();
    const errors = [];
    again.on('pageerror', (e) => errors.push(e.message));
    again.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await again.goto(pathToFileURL(file).href);
    await pageReady(again);
    const text = await again.evaluate(() => window.__denialExplainerCore.examples[0].text);
    await paste(again, text);
    const fields = await compareWithCore(again, text);
    assert(!fields.problems.length, fields.problems.join('\n'));
    assert(!errors.length, `errors: ${errors.join('; ')}`);
  });

  check('share link: the whole redacted state in the fragment, shown before copying, survives a reload, no secret', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    const text = await page.evaluate(() => window.__denialExplainerCore.examples.find((e) => e.id === 'aws-presigned-secret').text);
    await paste(page, text);
    // Policies, context and a ticked step: issue 10, point 5 wants them all in the link.
    await page.click('#policies-section > summary');
    await page.click('#add-policy');
    const doc = '{"Version":"2012-10-17","Statement":[{"Sid":"ReadReports","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    await page.locator('#policy-text-1').fill(doc);
    await page.locator('#req-context').fill('{"aws:SourceIp": "203.0.113.7"}');
    await page.locator('[data-finding="0"] .checklist input[type=checkbox]').first().check();
    const checkId = await page.locator('[data-finding="0"] .checklist input[type=checkbox]').first().getAttribute('id');
    await page.waitForTimeout(400);
    const link = await page.evaluate(() => window.denialExplainer.shareLink());
    const report = await page.evaluate(() => window.denialExplainer.report);
    const u = new URL(link);
    assert(u.search === '' && u.hash.startsWith('#s='), `share link shape: ${link}`);
    const carried = JSON.parse(inflateRawSync(Buffer.from(u.hash.slice(3), 'base64url')).toString('utf8'));
    assert(carried.text === report.redacted, 'the link does not carry the redacted text');
    assert(carried.policies.length === 1 && carried.policies[0].document === doc, 'the link does not carry the policy');
    assert(JSON.parse(carried.request.context)['aws:SourceIp'] === '203.0.113.7', 'the link does not carry the context');
    assert(carried.checked.length === 1, 'the link does not carry the ticked step');
    const whole = JSON.stringify(carried);
    for (const s of report.secrets) {
      const secret = Buffer.from(text, 'utf8').subarray(s.span.start, s.span.end).toString('utf8');
      assert(!whole.includes(secret), `the link carries a secret (${s.kind})`);
    }
    const other = await context.newPage();
    const requests = [];
    other.on('request', (r) => requests.push(r.url()));
    await other.goto(link);
    await pageReady(other);
    const restored = async () => {
      await other.waitForFunction((t) => document.getElementById('input').value === t, carried.text);
      await other.waitForSelector('#policy-text-1');
      return other.evaluate((id) => ({
        policy: document.getElementById('policy-text-1').value,
        context: document.getElementById('req-context').value,
        ticked: document.getElementById(id) && document.getElementById(id).checked,
        hash: location.hash,
      }), checkId);
    };
    let got = await restored();
    assert(got.policy === doc && JSON.parse(got.context)['aws:SourceIp'] === '203.0.113.7' && got.ticked, `not restored: ${JSON.stringify(got)}`);
    assert(got.hash === u.hash, 'the fragment was removed from the address bar');
    await other.reload();
    await pageReady(other);
    got = await restored();
    assert(got.policy === doc && got.ticked, `not restored after a reload: ${JSON.stringify(got)}`);
    for (const r of requests) assert(!r.includes('#') && !r.includes('s='), `the fragment reached a request: ${r}`);
    // The button shows what the link holds, then copies it.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await page.click('#copy-link');
    await page.waitForSelector('#share-copy');
    const preview = await page.textContent('#share-preview');
    assert(/error text/.test(preview) && /1 policy/.test(preview) && /1 context key/.test(preview) && /1 ticked step/.test(preview) && /masked/.test(preview), preview);
    assert(await page.inputValue('#share-link-text') === link, 'the previewed link differs');
    await page.click('#share-copy');
    await page.waitForFunction(() => document.getElementById('share-copy').textContent === 'Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert(copied === link, 'the copy button copied something else');
    await page.click('#copy-markdown');
    await page.waitForFunction((l) => navigator.clipboard.readText().then((t) => t !== l), link);
    const md = await page.evaluate(() => navigator.clipboard.readText());
    // Outside code blocks (which quote the pasted text as it is): no HTML, task boxes or tables.
    const prose = md.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
    assert(!/<\/?[a-z]/i.test(prose) && !prose.includes('- [ ]') && !/^\|/m.test(prose), `the short Markdown has HTML, task boxes or a table:\n${md}`);
    assert(md.includes('Full explanation: ' + link), 'the short Markdown lacks the share link');
    // A real Ctrl+V paste is analysed at once.
    const example2 = await page.evaluate(() => window.__denialExplainerCore.examples.find((e) => e.id === 'k8s-forbidden').text);
    await page.evaluate((t) => navigator.clipboard.writeText(t), example2);
    await page.locator('#input').fill('');
    await page.focus('#input');
    const count = await page.evaluate(() => window.denialExplainer.analyses);
    await page.keyboard.press('Control+V');
    await page.waitForFunction(([n, t]) => window.denialExplainer.analyses > n && document.getElementById('input').value === t, [count, example2], { timeout: 2000 });
    const pasted = await compareWithCore(page, example2);
    assert(!pasted.problems.length, pasted.problems.join('\n'));
    await paste(page, text);
    await page.click('#copy-json');
    await page.waitForFunction((m) => navigator.clipboard.readText().then((t) => t !== m), md);
    const json = await page.evaluate(() => navigator.clipboard.readText());
    assert(JSON.parse(json).redacted === report.redacted, 'JSON copy');
    for (const s of report.secrets) {
      const secret = Buffer.from(text, 'utf8').subarray(s.span.start, s.span.end).toString('utf8');
      assert(!md.includes(secret), 'markdown carries a secret');
      assert(!json.includes(secret), 'JSON carries a secret');
    }
  });

  check('policies: type guessed and changeable, diagnostics at the line, evaluation shown', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    const text = await page.evaluate(() => window.__denialExplainerCore.examples[0].text);
    await paste(page, text);
    await page.click('#policies-section > summary');
    await page.click('#add-policy');
    const identity = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*" }]\n}';
    await page.locator('#policy-text-1').fill(identity);
    assert(await page.inputValue('#policy-type-1') === 'identity', 'identity not guessed');
    await page.click('#add-policy');
    const trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}';
    await page.locator('#policy-text-2').fill(trust);
    assert(await page.inputValue('#policy-type-2') === 'trust', 'trust not guessed');
    await page.click('#add-policy');
    const bucket = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::example-reports/*"}]}';
    await page.locator('#policy-text-3').fill(bucket);
    assert(await page.inputValue('#policy-type-3') === 'resource', 'resource not guessed');
    await page.selectOption('#policy-type-3', 'vpc_endpoint');
    await page.locator('#policy-text-3').fill(bucket + ' ');
    assert(await page.inputValue('#policy-type-3') === 'vpc_endpoint', 'a chosen type was overridden by the guess');
    // A broken document gets a diagnostic with its line.
    await page.locator('#policy-text-1').fill('{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", }\n  ]\n}');
    await page.waitForFunction(() => document.querySelectorAll('#policy-diags-1 li').length > 0);
    const where = await page.textContent('#policy-diags-1');
    assert(/line 4/.test(where), `diagnostic not at line 4: ${where}`);
    // Request prefilled from the first finding (when the core found one).
    const first = await page.evaluate(() => window.denialExplainer.report.findings[0] || null);
    if (first) {
      assert(await page.inputValue('#req-principal') === (first.principal || ''), 'principal not prefilled');
      await page.waitForSelector('[data-finding="0"] [data-field="decision"]');
    } else {
      await page.waitForSelector('#request-evaluation [data-field="decision"]');
    }
  });

  check('a long log: every finding has a card; later checklists are built when opened', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    const examples = await examplesOf(page);
    const log = examples.map((e, i) => `2024-03-01T10:02:${String(i % 60).padStart(2, '0')}Z [job-${i}] ${e.text}`).join('\n');
    await paste(page, log);
    // Identical denials share a card (issue 10, point 12), so cards are per distinct finding.
    const core = await page.evaluate((t) => {
      const seen = new Set();
      return window.denialExplainer.explain(t).findings.map((f, i) => ({ i, n: f.checklist.length, key: JSON.stringify([f.provider, f.gate, f.errorCode, f.deny, f.policyType, f.principal, f.action, f.resource, f.summary]) }))
        .filter((f) => !seen.has(f.key) && seen.add(f.key));
    }, log);
    assert(core.length > 5, `only ${core.length} findings in the long log`);
    const cards = page.locator('[data-finding]');
    assert((await cards.count()) === core.length, `${await cards.count()} cards for ${core.length} distinct findings`);
    // The first card carries its whole checklist (the top steps, the rest folded);
    // the last shows its top steps and builds the rest when its details open.
    assert((await cards.nth(0).locator('[data-check]').count()) === core[0].n, 'first card lacks its checklist');
    const last = cards.nth(core.length - 1);
    const lastN = core[core.length - 1].n;
    const before = await last.locator('[data-check]').count();
    assert(before <= 3 && (lastN <= 3 || before < lastN), `last card built ${before} of ${lastN} steps before being opened`);
    if (lastN > before) {
      await last.locator('details.more-advice > summary').click();
      await last.locator('details.more-advice [data-check]').first().waitFor({ state: 'attached', timeout: 5000 });
    }
    const n = await last.locator('[data-check]').count();
    assert(n === lastN, `last card shows ${n} checklist items, the core gives ${lastN}`);
  });

  check('keyboard: skip link, paste area, examples, theme, checklist reachable and usable', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    await page.keyboard.press('Tab');
    assert(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'the first Tab does not reach the skip link');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    // Skip link moves to the paste area (or just before it).
    let seen = [];
    for (let i = 0; i < 12 && !seen.includes('input'); i++) {
      seen.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
      if (!seen.includes('input')) await page.keyboard.press('Tab');
    }
    assert(seen.includes('input'), `Tab order after the skip link: ${seen.join(', ')}`);
    await page.keyboard.insertText('HTTP/1.1 403 Forbidden');
    await page.keyboard.press('Control+Enter');
    // Issue 10, point 8: an arrow key on the Examples menu does not lose a paste;
    // loading is a deliberate act (the button, or Enter), and Ctrl+Z brings the paste back.
    await page.focus('#examples');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(400);
    assert(await page.inputValue('#input') === 'HTTP/1.1 403 Forbidden', 'an arrow key on the Examples menu replaced the paste');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('input').value !== 'HTTP/1.1 403 Forbidden');
    await page.focus('#input');
    await page.keyboard.press('Control+Z');
    await page.waitForFunction(() => document.getElementById('input').value === 'HTTP/1.1 403 Forbidden', null, { timeout: 3000 });
    await page.keyboard.press('Control+Shift+Z');
    await page.waitForFunction(() => document.getElementById('input').value !== 'HTTP/1.1 403 Forbidden', null, { timeout: 3000 });
    const boxes = await page.locator('.checklist input[type=checkbox]').count();
    if (boxes) {
      await page.locator('.checklist input[type=checkbox]').first().focus();
      await page.keyboard.press('Space');
      assert(await page.locator('.checklist li').first().evaluate((li) => li.classList.contains('done')), 'space does not tick a checklist item');
    }
    await page.focus('#theme');
    await page.selectOption('#theme', 'dark');
    assert(await page.evaluate(() => document.documentElement.getAttribute('data-theme')) === 'dark', 'theme not applied');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert(bg === 'rgb(15, 18, 22)', `dark background not applied: ${bg}`);
    await page.reload();
    await pageReady(page);
    assert(await page.evaluate(() => document.documentElement.getAttribute('data-theme')) === 'dark', 'theme choice not kept');
  });

  check('screenshots of the page with a real example, light, dark and phone', async ({ browser, url }) => {
    for (const [name, options] of [
      ['page-light', { colorScheme: 'light', viewport: { width: 1360, height: 1000 } }],
      ['page-dark', { colorScheme: 'dark', viewport: { width: 1360, height: 1000 } }],
      ['page-phone', { colorScheme: 'light', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
    ]) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await page.goto(url);
      await pageReady(page);
      await loadExample(page, 'aws-presigned-secret');
      await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
      if (name === 'page-phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert(overflow <= 1, `the page scrolls sideways on a phone by ${overflow}px`);
      }
      await context.close();
    }
    readFileSync(join(RESULTS, 'page-dark.png'));
  });
}
