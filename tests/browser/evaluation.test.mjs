// Pasted AWS policies evaluated on the page: the decision badge agrees with the
// core's `simulate` for the same scenario, the deciding statement is shown and
// highlighted in its policy, missing context reads as "Allowed if ...", and a
// policy's own diagnostics sit at the right line.
import { join } from 'node:path';
import { assert, pageReady, paste, RESULTS } from './lib.mjs';

// Example messages from the page's menu (AWS's documented message forms).
async function example(page, id) {
  return page.evaluate((x) => window.__denialExplainerCore.examples.find((e) => e.id === x).text, id);
}

// Adds a policy the way a person does and waits for the page to analyse it.
async function addPolicy(page, id, text, type) {
  if (!(await page.evaluate(() => document.getElementById('policies-section').open))) await page.click('#policies-section > summary');
  const before = await page.evaluate(() => window.denialExplainer.analyses);
  await page.click('#add-policy');
  await page.locator(`#policy-text-${id}`).fill(text);
  if (type) await page.selectOption(`#policy-type-${id}`, type);
  await page.waitForFunction((n) => window.denialExplainer.analyses > n, before);
  await page.waitForTimeout(300);
}

// The SCP explicit-deny example from AWS's "Troubleshoot access denied error
// messages" page, as an EC2 RunInstances call; an SCP that denies it.
const SCP = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "AllowEverything", "Effect": "Allow", "Action": "*", "Resource": "*" },
    {
      "Sid": "DenyInstanceLaunch",
      "Effect": "Deny",
      "Action": ["ec2:RunInstances", "ec2:StartInstances"],
      "Resource": "arn:aws:ec2:*:*:instance/*"
    }
  ]
}`;
const DENY_STATEMENT = SCP.slice(SCP.indexOf('{\n      "Sid": "DenyInstanceLaunch"'), SCP.lastIndexOf('\n  ]'));

export default function register(check) {
  check('evaluation: a pasted SCP reproduces the denial; decision equals simulate; deciding statement shown', async ({ browser, url }) => {
    for (const scheme of ['light', 'dark', 'phone']) {
      const context = await browser.newContext(scheme === 'phone'
        ? { colorScheme: 'light', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
        : { colorScheme: scheme, viewport: { width: 1360, height: 1000 } });
      const page = await context.newPage();
      await page.goto(url);
      await pageReady(page);
      await paste(page, await example(page, 'aws-explicit-scp'));
      await addPolicy(page, 1, SCP, 'scp');
      await page.waitForSelector('[data-finding="0"] [data-field="decision"]');
      const shown = await page.evaluate(() => {
        const card = document.querySelector('[data-finding="0"]');
        return {
          decision: JSON.parse(card.querySelector('[data-field="decision"]').getAttribute('data-value')),
          verdict: JSON.parse(card.querySelector('[data-field="verdict"]').getAttribute('data-value')),
          verdictText: card.querySelector('[data-verdict-text]').textContent,
          excerpt: card.querySelector('[data-excerpt]') && card.querySelector('[data-excerpt]').textContent,
          request: window.denialExplainer.report.findings[0].evaluation.request,
          marks: [...document.querySelectorAll('#policies .policy mark.decider')].map((m) => m.textContent),
          panel: document.querySelector('#request-evaluation [data-field="decision"]') && JSON.parse(document.querySelector('#request-evaluation [data-field="decision"]').getAttribute('data-value')),
        };
      });
      // What the core's simulate says for the same request and policy.
      const simulated = await page.evaluate(([request, doc]) => window.denialExplainer.simulate({
        request, policies: [{ type: 'scp', name: 'policy-1', document: doc }],
      }), [shown.request, SCP]);
      assert(simulated.type === 'success', JSON.stringify(simulated));
      assert(shown.decision === simulated.decision, `page ${shown.decision}, simulate ${simulated.decision}`);
      assert(shown.decision === 'ExplicitlyDenied', shown.decision);
      assert(shown.panel === simulated.decision, `request panel ${shown.panel}`);
      assert(shown.verdict === 'reproduces', shown.verdict);
      assert(/^The pasted policies reproduce the denial\. Explicitly denied by statement DenyInstanceLaunch of the service control policy SCP\./.test(shown.verdictText), shown.verdictText);
      // The deciding statement: quoted on the card and highlighted in the policy.
      assert(shown.excerpt && shown.excerpt.includes('"Sid": "DenyInstanceLaunch"'), `excerpt: ${shown.excerpt}`);
      assert(!shown.excerpt.includes('AllowEverything'), 'the excerpt shows more than the statement');
      assert(shown.marks.length === 1 && shown.marks[0] === DENY_STATEMENT, `decider marks: ${JSON.stringify(shown.marks)}`);
      const span = simulated.deniedBy[0].span;
      const bytes = new TextEncoder().encode(SCP);
      assert(new TextDecoder().decode(bytes.subarray(span.start, span.end)) === DENY_STATEMENT, 'simulate span differs');
      // "Show in policy" selects the statement in the policy editor.
      await page.click('[data-finding="0"] .decider .link-button');
      const selected = await page.evaluate(() => { const t = document.getElementById('policy-text-1'); return t.value.slice(t.selectionStart, t.selectionEnd); });
      assert(selected === DENY_STATEMENT, `selection: ${selected}`);
      // The fix is offered with its JSON and a copy button.
      const fix = await page.evaluate(() => { const f = document.querySelector('[data-finding="0"] [data-fix]'); const c = f && f.querySelector('[data-change]'); return c && { kind: f.getAttribute('data-fix'), change: c.getAttribute('data-change'), json: JSON.parse(c.querySelector('pre').textContent), copy: !!c.querySelector('button[aria-label="Copy the suggested JSON"]') }; });
      // An SCP's Deny is a guardrail: the fix leads with the narrowest exception
      // for this principal, not with removing the action (issue 9).
      assert(fix && fix.kind === 'change-deny' && fix.change === 'add-condition' && fix.copy, JSON.stringify(fix));
      assert(JSON.stringify(fix.json) === '{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/deploy"}}', JSON.stringify(fix.json));
      await page.locator('[data-finding="0"] .evaluation').screenshot({ path: join(RESULTS, `evaluation-card-${scheme}.png`) });
      await page.locator('#request-evaluation').screenshot({ path: join(RESULTS, `evaluation-request-${scheme}.png`) });
      await page.screenshot({ path: join(RESULTS, `evaluation-${scheme}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(overflow <= 1, `${scheme}: the page scrolls sideways by ${overflow}px`);
      await context.close();
    }
  });

  check('evaluation: missing context reads "Allowed if ..., otherwise ..." and a value settles it', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    await paste(page, await example(page, 'aws-boundary'));
    const identity = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Sid": "OfficeOnly", "Effect": "Allow", "Action": "dynamodb:PutItem",\n    "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",\n    "Condition": { "IpAddress": { "aws:SourceIp": "10.0.0.0/8" } }\n  }]\n}';
    await addPolicy(page, 1, identity, 'identity');
    await addPolicy(page, 2, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}', 'permissions_boundary');
    await page.waitForSelector('[data-finding="0"] [data-context-key]');
    const state = await page.evaluate(() => ({
      verdict: JSON.parse(document.querySelector('[data-finding="0"] [data-field="verdict"]').getAttribute('data-value')),
      decision: JSON.parse(document.querySelector('[data-finding="0"] [data-field="decision"]').getAttribute('data-value')),
      line: document.querySelector('[data-finding="0"] [data-context-key="aws:SourceIp"] div').textContent,
    }));
    assert(state.verdict === 'unknown' && state.decision === 'Unknown', JSON.stringify(state));
    assert(state.line === 'Allowed if aws:SourceIp satisfies IpAddress 10.0.0.0/8, otherwise Implicitly denied', state.line);
    await page.click('[data-finding="0"] .trace > summary');
    await page.locator('[data-finding="0"] .evaluation').screenshot({ path: join(RESULTS, 'evaluation-context.png') });
    // Giving a value in the request's context settles the request panel.
    const before = await page.evaluate(() => window.denialExplainer.analyses);
    await page.click('[data-finding="0"] [data-context-key="aws:SourceIp"] .link-button');
    await page.keyboard.insertText('10.1.2.3');
    await page.waitForFunction((n) => window.denialExplainer.analyses > n, before);
    await page.waitForFunction(() => {
      const d = document.querySelector('#request-evaluation [data-field="decision"]');
      return d && d.getAttribute('data-value') === '"Allowed"';
    });
    // Issue 10, point 3: the card and the form show one evaluation: the same decision.
    const agree = await page.evaluate(() => ({
      card: document.querySelector('[data-finding="0"] .evaluation [data-field="decision"]').getAttribute('data-value'),
      panel: document.querySelector('#request-evaluation [data-field="decision"]').getAttribute('data-value'),
      report: window.denialExplainer.report.findings[0].evaluation.result.decision,
    }));
    assert(agree.card === '"Allowed"' && agree.panel === '"Allowed"' && agree.report === 'Allowed', JSON.stringify(agree));
    const given = await page.inputValue('#req-context');
    assert(JSON.parse(given)['aws:SourceIp'] === '10.1.2.3', given);
  });

  check('evaluation: a policy with a JSON error shows the diagnostic at the right line', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    await paste(page, await example(page, 'aws-implicit-identity'));
    // A trailing comma on line 5, and (in the second policy) a misspelt element on line 4.
    const broken = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Effect": "Allow",\n    "Action": "s3:GetObject",\n  }]\n}';
    const misspelt = '{\n  "Version": "2012-10-17",\n  "Statement": [{\n    "Efect": "Allow", "Action": "s3:GetObject", "Resource": "*"\n  }]\n}';
    await addPolicy(page, 1, broken, 'identity');
    await addPolicy(page, 2, misspelt, 'identity');
    await page.waitForSelector('#policy-diags-1 li');
    await page.waitForSelector('#policy-diags-2 li');
    // Issue 10, point 11: the trailing comma is forgiven and said so, at its line
    // (line 5); the core then reads the document as meant and reports what is
    // really wrong with it.
    const assumed = await page.evaluate(() => [...document.querySelectorAll('#policy-diags-1 li[data-code="page.assumed"]')].map((li) => li.textContent));
    assert(assumed.length === 1 && /line 5/.test(assumed[0]) && /trailing comma before } ignored/.test(assumed[0]), JSON.stringify(assumed));
    const relaxed = broken.replace('"s3:GetObject",\n', '"s3:GetObject" \n');
    for (const [id, doc] of [[1, relaxed], [2, misspelt]]) {
      const want = await page.evaluate((d) => {
        const r = window.denialExplainer.simulate({ request: { principal: 'arn:aws:iam::111122223333:user/a', action: 's3:GetObject', resource: '*' }, policies: [{ type: 'identity', document: d }] });
        return r.diagnostics.map((x) => ({ code: x.code, line: x.labels[0].line, column: x.labels[0].column, start: x.labels[0].start }));
      }, doc);
      const got = await page.evaluate((n) => [...document.querySelectorAll(`#policy-diags-${n} li:not([data-code="page.assumed"])`)].map((li) => ({
        code: li.getAttribute('data-code'), line: Number(li.getAttribute('data-line')), where: li.querySelector('.where') && li.querySelector('.where').textContent,
      })), id);
      assert(want.length > 0 && got.length === want.length, `policy ${id}: page ${JSON.stringify(got)}, core ${JSON.stringify(want)}`);
      want.forEach((w, k) => {
        assert(got[k].code === w.code && got[k].line === w.line && got[k].where === `line ${w.line}, col ${w.column}`, `policy ${id}: page ${JSON.stringify(got[k])}, core ${JSON.stringify(w)}`);
      });
      // Each labelled character is underlined.
      const underlined = await page.evaluate((n) => {
        const layer = document.querySelector(`#policy-text-${n}`).parentNode.querySelector('.editor-highlights');
        const covered = [];
        let pos = 0;
        const walk = (node, inDiag) => {
          for (const c of node.childNodes) {
            if (c.nodeType === 3) { for (let i = 0; i < c.data.length; i++) covered[pos + i] = inDiag; pos += c.data.length; }
            else walk(c, inDiag || (c.nodeName === 'MARK' && c.classList.contains('diag')));
          }
        };
        walk(layer, false);
        return covered;
      }, id);
      for (const w of want) assert(underlined[w.start], `policy ${id}: ${w.code} at ${w.start} is not underlined`);
      if (id === 2) assert(got[0].line === 4 && got[0].code === 'policy.unknown-element', `misspelt element: ${JSON.stringify(got[0])}`);
    }
    // Clicking the position selects it in the policy editor.
    await page.click('#policy-diags-2 .where');
    const caret = await page.evaluate(() => document.getElementById('policy-text-2').selectionStart);
    assert(misspelt.slice(caret).startsWith('"Efect"'), `caret at ${caret}: ${misspelt.slice(caret, caret + 10)}`);
    await page.locator('#policies-section').screenshot({ path: join(RESULTS, 'policy-diagnostics.png') });
  });
}
