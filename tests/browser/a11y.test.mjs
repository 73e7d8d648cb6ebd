// axe-core on the page, light and dark, with results shown: no serious or critical violation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assert, pageReady, loadExample } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

export default function (check) {
  for (const scheme of ['light', 'dark']) {
    check(`accessibility (axe-core), ${scheme}`, async ({ browser, url }) => {
      // The page's CSP would block the injected axe script: this context bypasses CSP.
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1360, height: 1000 }, bypassCSP: true });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await pageReady(page);
        await loadExample(page, 'aws-presigned-secret');
        await page.click('#policies-section > summary');
        await page.click('#add-policy');
        await page.locator('#policy-text-1').fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}');
        await page.waitForTimeout(400);
        const problems = await axe(page);
        assert(!problems.length, problems.join('\n'));
        // With a full evaluation shown: verdict, deciding statement, fix, trace.
        await loadExample(page, 'aws-explicit-scp');
        await page.selectOption('#policy-type-1', 'scp');
        await page.locator('#policy-text-1').fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoLaunch","Effect":"Deny","Action":["ec2:RunInstances","ec2:StartInstances"],"Resource":"*"}]}');
        await page.waitForSelector('[data-finding="0"] [data-field="decision"][data-value="\\"ExplicitlyDenied\\""]');
        await page.click('[data-finding="0"] .trace > summary');
        const withEvaluation = await axe(page);
        assert(!withEvaluation.length, 'with an evaluation: ' + withEvaluation.join('\n'));
        const widget = await context.newPage();
        await widget.goto(url + 'embed-example.html');
        await widget.locator('#first').scrollIntoViewIfNeeded();
        await widget.waitForFunction(() => document.getElementById('first').shadowRoot.querySelector('.out').childNodes.length > 0, null, { timeout: 15000 });
        const wp = (await axe(widget)).filter((p) => !p.startsWith('color-contrast') || p.includes('denial-explainer'));
        assert(!wp.length, 'widget: ' + wp.join('\n'));
      } finally {
        await context.close();
      }
    });
  }
}
