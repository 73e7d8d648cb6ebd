// The <denial-explainer> widget inside a hostile documentation page.
import { join } from 'node:path';
import { assert, FIELDS, RESULTS } from './lib.mjs';

async function widgetFields(page, id, text) {
  return page.evaluate(async ([wid, t, fields]) => {
    const api = await window.__denialExplainerCore.load();
    const expected = api.explain(t);
    const root = document.getElementById(wid).shadowRoot;
    const problems = [];
    const cards = root.querySelectorAll('[data-finding]');
    if (cards.length !== expected.findings.length) problems.push(`cards ${cards.length} vs findings ${expected.findings.length}`);
    expected.findings.forEach((f, i) => {
      const card = root.querySelector(`[data-finding="${i}"]`);
      for (const name of fields) {
        const node = card && card.querySelector(`[data-field="${name}"]`);
        if (!node) continue; // compact widgets show fewer fields
        const want = JSON.stringify(f[name] === undefined ? null : f[name]);
        if (node.getAttribute('data-value') !== want) problems.push(`${wid} card ${i} ${name}: ${node.getAttribute('data-value')} vs ${want}`);
      }
    });
    if (!expected.findings.length && !root.querySelector('.empty')) problems.push(`${wid}: no result shown`);
    return problems;
  }, [id, text, FIELDS]);
}

export default function (check) {
  check('widget: loads lazily, renders inside hostile CSS, two widgets independent', async ({ context, url }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1100, height: 120 });
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const events = [];
    await page.exposeFunction('__recordEvent', (e) => events.push(e));
    await page.addInitScript(() => {
      document.addEventListener('denial-explained', (e) => window.__recordEvent({ id: e.target.id, findings: e.detail.findings.length, composed: e.composed }));
    });
    await page.goto(url + 'embed-example.html');
    // Before any widget is near the viewport, the analyser is not loaded.
    await page.waitForTimeout(300);
    const heightBefore = await page.evaluate(() => document.getElementById('second').getBoundingClientRect().height);
    assert(!requests.includes('/denial-explainer-explain.js'), 'the core loaded before a widget was visible');
    await page.setViewportSize({ width: 1100, height: 1400 });
    await page.locator('#first').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('first').shadowRoot.querySelector('.out').childNodes.length > 0, null, { timeout: 15000 });
    const example = await page.evaluate(() => window.__denialExplainerCore.examples.find((e) => e.id === 'aws-implicit-identity').text);
    let problems = await widgetFields(page, 'first', example);
    assert(!problems.length, problems.join('\n'));
    assert(events.some((e) => e.id === 'first' && e.composed), 'no denial-explained event from the first widget');

    // The host's CSS does not reach inside, and the host element is a sized block.
    const look = await page.evaluate(() => {
      const host = document.getElementById('first');
      const root = host.shadowRoot;
      const ta = root.querySelector('textarea');
      const wrap = root.querySelector('.w');
      const cs = getComputedStyle(host);
      return {
        display: cs.display, height: host.getBoundingClientRect().height,
        taFont: getComputedStyle(ta).fontFamily, taBg: getComputedStyle(ta).backgroundColor,
        wrapDisplay: getComputedStyle(wrap).display, color: getComputedStyle(wrap).color,
        visible: wrap.getBoundingClientRect().width > 300 && wrap.getBoundingClientRect().height > 200,
      };
    });
    assert(look.display === 'block' && look.height >= 250, `host box: ${JSON.stringify(look)}`);
    assert(!/comic/i.test(look.taFont) && look.taBg !== 'rgb(255, 105, 180)', `host CSS reached the textarea: ${JSON.stringify(look)}`);
    assert(look.color !== 'rgb(255, 0, 0)' && look.wrapDisplay === 'flex' && look.visible, `host CSS reached the widget: ${JSON.stringify(look)}`);

    // The second widget: compact, dark, starts empty; its result does not touch the first.
    const firstOut = await page.evaluate(() => document.getElementById('first').shadowRoot.querySelector('.out').textContent);
    const k8s = await page.evaluate(() => window.__denialExplainerCore.examples.find((e) => e.id === 'k8s-forbidden').text);
    await page.locator('#second textarea').fill(k8s);
    await page.locator('#second button', { hasText: 'Explain' }).click();
    await page.waitForFunction(() => document.getElementById('second').shadowRoot.querySelector('.out').childNodes.length > 0);
    problems = await widgetFields(page, 'second', k8s);
    assert(!problems.length, problems.join('\n'));
    const after = await page.evaluate(() => ({
      first: document.getElementById('first').shadowRoot.querySelector('.out').textContent,
      firstText: document.getElementById('first').shadowRoot.querySelector('textarea').value,
      secondTheme: document.getElementById('second').shadowRoot.querySelector('.w').getAttribute('data-theme'),
      secondHeight: document.getElementById('second').getBoundingClientRect().height,
    }));
    assert(after.first === firstOut && after.firstText === example, 'the second widget changed the first');
    assert(after.secondTheme === 'dark', 'theme="dark" not applied');
    // After the reader's own Explain, the widget may grow with its result, up to 1200 px.
    assert(after.secondHeight >= heightBefore - 1 && after.secondHeight <= 1200, `the widget's height after Explain: ${heightBefore} -> ${after.secondHeight}`);
    assert(events.some((e) => e.id === 'second'), 'no event from the second widget');
    // A widget added later with a `message` attribute explains it by itself.
    const added = await page.evaluate(() => new Promise((resolve) => {
      const w = document.createElement('denial-explainer');
      w.id = 'third';
      w.setAttribute('message', 'HTTP/1.1 425 Too Early');
      w.addEventListener('denial-explained', (e) => resolve({ text: w.shadowRoot.querySelector('textarea').value, findings: e.detail.findings.length }));
      document.querySelector('main').appendChild(w);
      w.scrollIntoView();
    }));
    assert(added.text === 'HTTP/1.1 425 Too Early', 'message attribute not used');
    problems = await widgetFields(page, 'third', 'HTTP/1.1 425 Too Early');
    assert(!problems.length, problems.join('\n'));
    assert(!errors.length, errors.join('; '));
    await page.screenshot({ path: join(RESULTS, 'embed-example.png'), fullPage: true });
  });

  check('widget: theme auto follows the host marker; clear message when the wasm cannot load', async ({ context, url }) => {
    const page = await context.newPage();
    await page.route('**/denial-explainer-explain.js', (route) => route.abort());
    await page.goto(url + 'embed-example.html');
    const theme0 = await page.evaluate(() => document.getElementById('first').shadowRoot.querySelector('.w').getAttribute('data-theme'));
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await page.waitForFunction(() => document.getElementById('first').shadowRoot.querySelector('.w').getAttribute('data-theme') === 'dark');
    await page.evaluate(() => { document.documentElement.removeAttribute('data-theme'); document.body.classList.add('dark'); });
    await page.evaluate(() => document.getElementById('first').focus && document.getElementById('first').shadowRoot.querySelector('textarea').focus());
    await page.waitForSelector('#first >> [data-error="load"]', { timeout: 10000 });
    const msg = await page.textContent('#first >> [data-error="load"]');
    assert(/could not load/i.test(msg), msg);
    assert(theme0 === 'light', `auto theme on a light host: ${theme0}`);
    assert(await page.evaluate(() => document.getElementById('first').shadowRoot.querySelector('.w').getAttribute('data-theme')) === 'dark', '.dark on body not followed');
  });

  // Issue 10, point 7: the README's snippet in a documentation page.
  const SNIPPET = '<style>denial-explainer{display:block;height:440px;margin:1rem 0}denial-explainer[compact]{height:300px}</style>\n' +
    '<script src="widget.js" defer></script>';
  function docsPage(body) {
    const para = '<p>Access is decided in two steps: the service first checks who is asking, then whether they may do it. This paragraph stands for the documentation around the widget, long enough to wrap over several lines at any width.</p>';
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Docs</title>${SNIPPET}</head>` +
      `<body style="font: 16px/1.6 Georgia, serif; max-width: 46rem; margin: 1rem auto; padding: 0 1rem"><h1>Troubleshooting</h1>${para}${body}${para.repeat(6)}</body></html>`;
  }
  async function openDocs(context, url, body) {
    const page = await context.newPage();
    await page.route(url + 'docs.html', (route) => route.fulfill({ contentType: 'text/html', body: docsPage(body) }));
    await page.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(url + 'docs.html');
    return page;
  }

  check('widget in a docs page with the README snippet: layout shift below 0.01; grows after the reader acts', async ({ browser, url }) => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await openDocs(context, url, '<denial-explainer id="w" example="mixed-ci-log"></denial-explainer>');
    await page.waitForFunction(() => { const w = document.getElementById('w'); return w.shadowRoot && w.shadowRoot.querySelector('[data-finding]'); }, null, { timeout: 15000 });
    await page.waitForTimeout(600);
    const cls = await page.evaluate(() => window.__cls);
    assert(cls < 0.01, `cumulative layout shift ${cls}`);
    const before = await page.evaluate(() => document.getElementById('w').getBoundingClientRect().height);
    assert(Math.abs(before - 440) < 1, `reserved height ${before}`);
    // The long result is not hidden in a nested scroll box once the reader acts.
    const showAll = page.locator('#w [data-show-all]');
    assert(await showAll.isVisible(), 'no way to show the whole result');
    await showAll.click();
    await page.waitForFunction(() => document.getElementById('w').getBoundingClientRect().height > 450);
    const grown = await page.evaluate(() => { const w = document.getElementById('w'); const out = w.shadowRoot.querySelector('.out'); return { h: w.getBoundingClientRect().height, hidden: out.scrollHeight - out.clientHeight }; });
    assert(grown.h <= 1200 && (grown.hidden <= 1 || grown.h >= 1199), `after "Show the whole result": ${JSON.stringify(grown)}`);
    await page.screenshot({ path: join(RESULTS, 'widget-docs.png'), fullPage: true });
    await context.close();
  });

  check('widget: words not enums, unknown example said, clipboard fallback, "Open in the full explainer" with redacted text', async ({ context, url }) => {
    const page = await openDocs(context, url,
      '<denial-explainer id="scp" example="aws-explicit-scp"></denial-explainer><denial-explainer id="typo" example="aws-explicit-scpp"></denial-explainer>' +
      '<denial-explainer id="secret" example="aws-presigned-secret"></denial-explainer>');
    // No clipboard (as on a non-secure origin): Copy shows the text, selected.
    await page.addInitScript(() => {});
    await page.evaluate(() => { Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }); });
    await page.locator('#scp').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('scp').shadowRoot.querySelector('[data-finding]'), null, { timeout: 15000 });
    const type = await page.evaluate(() => document.getElementById('scp').shadowRoot.querySelector('[data-field="policyType"]').textContent);
    assert(type === 'service control policy (SCP)', `policy type shown as ${type}`);
    // The card leads with the core's one-line answer: who can change an SCP.
    const ans = await page.evaluate(() => { const a = document.getElementById('scp').shadowRoot.querySelector('[data-answer]'); return a && a.textContent; });
    assert(ans && /^An explicit Deny in the service control policy \(SCP\) stops /.test(ans) && /only the organization’s administrators/.test(ans), `widget answer: ${ans}`);
    await page.locator('#typo').scrollIntoViewIfNeeded();
    await page.waitForSelector('#typo >> [data-error="example"]', { timeout: 10000 });
    const typo = await page.textContent('#typo >> [data-error="example"]');
    assert(/No example called “aws-explicit-scpp”/.test(typo) && /aws-explicit-scp\b/.test(typo), typo);
    await page.locator('#secret').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.getElementById('secret').shadowRoot.querySelector('[data-finding]'), null, { timeout: 15000 });
    const state = await page.evaluate(async () => {
      const w = document.getElementById('secret');
      const api = await window.__denialExplainerCore.load();
      const text = w.shadowRoot.querySelector('textarea').value;
      const report = api.explain(text);
      const bytes = new TextEncoder().encode(text);
      const raw = report.secrets.map((s) => new TextDecoder().decode(bytes.subarray(s.span.start, s.span.end)));
      const href = w.shadowRoot.querySelector('[data-open]').href;
      const fragment = decodeURIComponent(href.split('#error=')[1] || '');
      return { raw, href, fragment, redacted: report.redacted, warn: w.shadowRoot.querySelector('.warn') && w.shadowRoot.querySelector('.warn').textContent };
    });
    assert(state.href.startsWith(url + 'index.html#error='), state.href);
    assert(state.fragment === state.redacted, 'the link does not carry the redacted text');
    for (const r of state.raw) assert(!state.href.includes(r) && !state.href.includes(encodeURIComponent(r)), 'the link carries a secret');
    assert(state.warn && !/aws-|jwt|pem-/.test(state.warn), `credential kinds shown as enums: ${state.warn}`);
    const copy = page.locator('#secret >> .cmd button').first();
    if (await copy.count()) {
      await copy.click();
      const fb = await page.evaluate(() => { const t = document.getElementById('secret').shadowRoot.querySelector('textarea.fb'); return t && { value: t.value, selected: t.selectionEnd - t.selectionStart }; });
      assert(fb && fb.selected === fb.value.length && fb.value.length > 0, `no selectable fallback: ${JSON.stringify(fb)}`);
      for (const r of state.raw) assert(!fb.value.includes(r), 'the copied command carries a secret');
    }
    // The link opens the page with the text.
    const full = await context.newPage();
    await full.goto(state.href);
    await full.waitForFunction((t) => document.getElementById('input').value === t, state.redacted, { timeout: 15000 });
  });
}
