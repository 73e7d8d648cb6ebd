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
    assert(!requests.includes('/denial-explainer-core.js'), 'the core loaded before a widget was visible');
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
    assert(Math.abs(after.secondHeight - heightBefore) < 1, `the widget changed height (${heightBefore} -> ${after.secondHeight})`);
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
    await page.route('**/denial-explainer-core.js', (route) => route.abort());
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
}
