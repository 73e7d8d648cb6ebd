// Pasted markup is text: it is shown as typed and nothing in it runs, on the page
// and in the widget.
import { assert, pageReady, paste, SINGLE_URL } from './lib.mjs';

const HOSTILE = [
  'User: <img src=x onerror="window.__pwned=1"> is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/<svg onload=window.__pwned=2>" because no identity-based policy allows the s3:GetObject action',
  '</textarea><script>window.__pwned=3</script><textarea>',
  '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe> `<b onmouseover=alert(1)>` javascript:alert(5)',
  '{"error":{"code":403,"message":"<img src=x onerror=alert(6)>","status":"PERMISSION_DENIED"}}',
  'HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="<script>window.__pwned=7</script>"',
].join('\n');

async function trap(page) {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.addInitScript(() => { window.__pwned = undefined; });
  return dialogs;
}

async function assertInert(page, dialogs, text) {
  await page.waitForTimeout(300);
  const state = await page.evaluate((t) => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll('img, iframe, svg[onload]').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes('__pwned')).length,
    textarea: document.getElementById('input').value === t,
    overlay: document.getElementById('highlights').textContent.replace(/\u200b$/, '') === t,
  }), text);
  assert(state.pwned === undefined, `script ran: __pwned=${state.pwned}`);
  assert(state.imgs === 0, `markup became elements (${state.imgs})`);
  assert(state.scripts === 0, 'a pasted script element exists');
  assert(state.textarea && state.overlay, 'the text is not shown exactly as pasted');
  assert(!dialogs.length, `dialogs opened: ${dialogs.join(', ')}`);
}

export default function (check) {
  check('markup and script in the paste are shown as text and run nothing (served)', async ({ context, url }) => {
    const page = await context.newPage();
    const dialogs = await trap(page);
    await page.goto(url);
    await pageReady(page);
    await paste(page, HOSTILE);
    await assertInert(page, dialogs, HOSTILE);
    // Rendering paths beyond the first: Markdown, focus buttons, hover.
    await page.hover('#results');
    await page.evaluate(() => window.denialExplainer.markdown());
    await assertInert(page, dialogs, HOSTILE);
  });

  check('markup and script in the paste run nothing (single file)', async ({ context }) => {
    const page = await context.newPage();
    const dialogs = await trap(page);
    await page.goto(SINGLE_URL);
    await pageReady(page);
    await paste(page, HOSTILE);
    await assertInert(page, dialogs, HOSTILE);
  });

  check('markup in a share link runs nothing', async ({ context, url }) => {
    const page = await context.newPage();
    const dialogs = await trap(page);
    await page.goto(url);
    await pageReady(page);
    await paste(page, HOSTILE);
    const link = await page.evaluate(() => window.denialExplainer.shareLink());
    const other = await context.newPage();
    const d2 = await trap(other);
    await other.goto(link);
    await pageReady(other);
    const redacted = await page.evaluate(() => window.denialExplainer.report.redacted);
    await other.waitForFunction((t) => document.getElementById('input').value === t, redacted);
    await assertInert(other, d2, redacted);
    assert(!dialogs.length, 'dialog on the first page');
  });

  check('markup in the widget runs nothing', async ({ context, url }) => {
    const page = await context.newPage();
    const dialogs = await trap(page);
    await page.goto(url + 'embed-example.html');
    const box = page.locator('#second textarea');
    await box.fill(HOSTILE);
    await page.locator('#second button', { hasText: 'Explain' }).click();
    await page.waitForFunction(() => window.__denialExplainerCore && document.getElementById('second').shadowRoot.querySelector('.out').childNodes.length > 0, null, { timeout: 15000 });
    await page.waitForTimeout(200);
    const state = await page.evaluate(() => ({
      pwned: window.__pwned,
      elements: document.getElementById('second').shadowRoot.querySelectorAll('img, iframe, script, svg').length,
    }));
    assert(state.pwned === undefined && state.elements === 0 && !dialogs.length, `widget not inert: ${JSON.stringify(state)}`);
  });
}
