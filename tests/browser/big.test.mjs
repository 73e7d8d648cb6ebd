// Big pastes and CloudTrail triage in a worker: the page stays responsive, shows
// progress, can be cancelled, finishes 10 MB in time, triages generated
// CloudTrail (tools/gen-cloudtrail.py, constructed from documented formats) and
// sends nothing anywhere while doing it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { assert, pageReady, RESULTS, ROOT, SINGLE_URL } from './lib.mjs';

// Constructed from documented formats, not real messages:
// - the AWS line follows "Troubleshooting access denied error messages" in the IAM
//   User Guide (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html);
// - the status line is RFC 9110's 403 Forbidden;
// - the XML body is the S3 REST error response format
//   (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
const AWS_LINE = 'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/ci is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::example-bucket/report.csv" because no identity-based policy allows the s3:GetObject action\n';
const HTTP_LINE = 'HTTP/1.1 403 Forbidden\n';
const S3_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>\n';
export const TEN_MB = 10 * 1024 * 1024;
export const BIG_INPUTS = { 'AWS lines': AWS_LINE, '403 lines': HTTP_LINE, 'S3 XML bodies': S3_XML };
export const repeatTo = (unit, size) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

// Pastes `text` as one input event (as Ctrl+V does) and waits until the page has
// either shown the analysis of exactly that text or refused it. Returns ms.
export async function pasteBig(page, text) {
  const before = await page.evaluate(() => window.denialExplainer.analyses);
  return page.evaluate(([t, n]) => new Promise((resolve) => {
    const box = document.getElementById('input');
    const t0 = performance.now();
    box.value = t;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    (function wait() {
      const root = document.documentElement;
      if (window.denialExplainer.analyses > n || root.hasAttribute('data-refused') || root.hasAttribute('data-failed')) resolve(performance.now() - t0);
      else setTimeout(wait, 5);
    })();
  }), [text, before]);
}

function watchNetwork(context, allowed) {
  const requests = [];
  context.on('request', (r) => { const u = r.url(); if (!u.startsWith('data:') && !u.startsWith('blob:') && !allowed(u)) requests.push(u); });
  return requests;
}

// Generated CloudTrail as `aws s3 sync` leaves it (tools/gen-cloudtrail.py:
// the planted patterns over `background` ordinary events). Returns the
// directory and its files.
function generatedTrail(background = 4000) {
  const dir = mkdtempSync(join(tmpdir(), 'de-trail-'));
  execFileSync('python3', [join(ROOT, 'tools/gen-cloudtrail.py'), dir, '--background', String(background)]);
  const files = [];
  (function walk(d) {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p); else files.push(p);
    }
  })(dir);
  return { dir, files: files.sort() };
}

function generated() {
  return generatedTrail().files;
}

// What tests/triage.rs expects of the planted patterns, whatever the
// background: the enumeration ranked first, the storm and the misconfigured
// role at their counts. Returns those two groups.
function assertPlanted(g) {
  assert(g[0].principal.endsWith(':user/build-bot') && g[0].action === '*', `rank 1: ${JSON.stringify(g[0])}`);
  const storm = g.find((x) => x.principal.endsWith(':role/reporting-etl') && x.errorCode.includes('ExpiredToken'));
  const role = g.find((x) => x.principal.endsWith(':role/orders-worker') && x.errorCode.includes('AccessDeniedException'));
  assert(storm && storm.count === 3000, `storm: ${JSON.stringify(storm)}`);
  assert(role && role.count === 10000, `role: ${JSON.stringify(role)}`);
  return { storm, role };
}

// A page that records the workers it starts and the errors it throws.
async function watchedPage(context) {
  const page = await context.newPage();
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, workers, errors };
}

async function groups(page) {
  return page.$$eval('.triage-group', (all) => all.map((g) => ({
    rank: +g.dataset.rank, principal: g.dataset.principal, action: g.dataset.action, count: +g.dataset.count, errorCode: g.dataset.errorCode,
  })));
}

export default function (check) {
  for (const [kind, unit] of Object.entries(BIG_INPUTS)) {
    check(`10 MB of ${kind}: answered in under 3 s or refused before any work`, async ({ context, url }) => {
      const { page, workers } = await watchedPage(context);
      await page.goto(url);
      await pageReady(page);
      // A paste event carrying the text, as Ctrl+V delivers it.
      const ms = await page.evaluate((t) => {
        const t0 = performance.now();
        const data = new DataTransfer();
        data.setData('text/plain', t);
        const box = document.getElementById('input');
        box.focus();
        const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
        const inserted = box.dispatchEvent(event);
        if (inserted) { box.value = t; box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' })); }
        return performance.now() - t0;
      }, repeatTo(unit, TEN_MB));
      const refused = await page.evaluate(() => document.documentElement.getAttribute('data-refused'));
      if (refused) {
        const summary = await page.textContent('#summary');
        assert(/^This paste is 10 MB, more than the 2\.0 MB the page analyses/.test(summary), summary);
        assert(!workers.length, 'a worker started for a refused paste');
        assert(await page.evaluate(() => document.getElementById('input').value === ''), 'the refused paste reached the text box');
        console.log(`      10 MB of ${kind}: refused in ${ms.toFixed(0)} ms`);
      } else {
        assert(ms < 3000, `10 MB of ${kind} took ${ms.toFixed(0)} ms`);
        console.log(`      10 MB of ${kind}: ${ms.toFixed(0)} ms`);
      }
    });

    check(`2 MB of ${kind}: analysed in a worker in under 3 s, page responsive, nothing sent (served)`, async ({ context, url }) => {
      const origin = new URL(url).origin;
      const requests = watchNetwork(context, (u) => u.startsWith(origin + '/'));
      const { page, workers, errors } = await watchedPage(context);
      await page.goto(url);
      await pageReady(page);
      const text = repeatTo(unit, 2 * 1024 * 1024);
      // While the worker runs, the main thread answers: an input event on
      // another control (the theme menu) is handled at once.
      const probe = page.evaluate(() => new Promise((resolve) => {
        (function tick() {
          if (!document.documentElement.hasAttribute('data-busy')) { setTimeout(tick, 2); return; }
          setTimeout(answer, 150);
        })();
        function answer() {
          // Only while the worker analyses (`data-busy="true"`); drawing the
          // result afterwards (`"rendering"`) is the page's own work.
          if (document.documentElement.getAttribute('data-busy') !== 'true') { resolve({ lag: 0, applied: true, late: true }); return; }
          // The lag is how long the main thread takes to come back to a task
          // queued now (an input event waits the same way). The theme change
          // shows a handler runs; its own restyle of a 2 MB text box (150,000
          // lines of `403 Forbidden` take the browser some 400 ms to lay out
          // again) is layout work, not the analysis, so it is not timed.
          const t0 = performance.now();
          setTimeout(() => {
            const lag = performance.now() - t0;
            const theme = document.getElementById('theme');
            theme.value = theme.value === 'dark' ? 'light' : 'dark';
            theme.dispatchEvent(new Event('change', { bubbles: true }));
            const applied = document.documentElement.getAttribute('data-theme') === theme.value;
            resolve({ lag, applied });
          }, 0);
        }
      }));
      const ms = await pasteBig(page, text);
      const responsive = await probe;
      const refused = await page.evaluate(() => document.documentElement.getAttribute('data-refused'));
      assert(!refused, `refused: ${await page.textContent('#summary')}`);
      assert(ms < 3000, `2 MB of ${kind} took ${ms.toFixed(0)} ms`);
      assert(workers.length >= 1 && workers.every((w) => w.startsWith('blob:')), `workers: ${workers.join(', ')}`);
      assert(responsive.applied, 'the theme change was not applied while the worker ran');
      assert(responsive.lag < 250, `the page took ${responsive.lag.toFixed(0)} ms to answer an input event during the analysis`);
      const cards = await page.$$eval('#results .card', (c) => c.length);
      assert(cards >= 1, 'no result card after the big paste');
      assert(!requests.length, `requests: ${requests.join(', ')}`);
      assert(!errors.length, `page errors: ${errors.join('; ')}`);
      console.log(`      2 MB of ${kind}: ${ms.toFixed(0)} ms; an input event answered in ${responsive.lag.toFixed(0)} ms during it`);
    });
  }

  check('a big paste can be cancelled: the worker ends and the page says so', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    const text = repeatTo(AWS_LINE, 2 * 1024 * 1024);
    await page.evaluate((t) => {
      const box = document.getElementById('input');
      box.value = t;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);
    await page.waitForSelector('#busy:not([hidden])', { timeout: 5000 });
    const label = await page.textContent('#busy-label');
    assert(/Analysing 2\.0 MB/.test(label), `progress label: ${label}`);
    await page.click('#busy-cancel');
    const after = await page.evaluate(() => ({
      busy: window.denialExplainer.busy, hidden: document.getElementById('busy').hidden,
      summary: document.getElementById('summary').textContent, cancelled: document.documentElement.getAttribute('data-cancelled'),
    }));
    assert(!after.busy && after.hidden && after.cancelled === 'explain', JSON.stringify(after));
    assert(/^Analysis cancelled/.test(after.summary), after.summary);
    // Nothing restarts behind the person's back.
    await page.waitForTimeout(1500);
    assert(!(await page.evaluate(() => window.denialExplainer.busy)), 'the analysis restarted after Cancel');
  });

  check('a paste over the limit is refused before any work, with a clear message', async ({ context, url }) => {
    const { page, workers } = await watchedPage(context);
    await page.goto(url);
    await pageReady(page);
    await pasteBig(page, repeatTo(HTTP_LINE, 5 * 1024 * 1024));
    const summary = await page.textContent('#summary');
    assert(/more than the 2\.0 MB the page analyses/.test(summary), summary);
    assert(!workers.length, 'a worker started for a refused paste');
  });

  check('single file over file://: triage of generated CloudTrail finds the planted groups, ranked, with no request', async ({ context }) => {
    await context.setOffline(true);
    const requests = watchNetwork(context, (u) => u === SINGLE_URL);
    const { page, workers, errors } = await watchedPage(context);
    await page.goto(SINGLE_URL);
    await pageReady(page);
    await page.click('#triage-section > summary');
    const files = generated();
    const t0 = Date.now();
    await page.setInputFiles('#triage-files', files);
    await page.waitForFunction(() => ['done', 'failed'].includes(document.documentElement.getAttribute('data-triage')), null, { timeout: 60000 });
    const ms = Date.now() - t0;
    assert(await page.evaluate(() => document.documentElement.getAttribute('data-triage')) === 'done', await page.textContent('#summary'));
    const g = await groups(page);
    // tests/triage.rs holds the same expectations for the command line.
    const { storm, role } = assertPlanted(g);
    assert(g[1].principal.endsWith(':root') && g[1].count === 5, `rank 2: ${JSON.stringify(g[1])}`);
    assert(storm.rank < role.rank, 'the new expired-token storm is not ranked above the older misconfiguration');
    const summary = await page.textContent('#triage-summary');
    assert(summary.startsWith(`${10000 + 3000 + 84 + 5 + 3 + 40 + 25} denials in ${g.length} groups`), summary);
    // A group opens to its explanation.
    await page.click(`.triage-group[data-rank="${role.rank}"] > summary`);
    const card = await page.$eval(`.triage-group[data-rank="${role.rank}"] .card`, (c) => c.querySelector('[data-field="action"]')?.getAttribute('data-value') || c.textContent);
    assert(card.includes('dynamodb:GetItem'), `explanation: ${card.slice(0, 200)}`);
    assert(workers.length >= 1 && workers.every((w) => w.startsWith('blob:')), `workers: ${workers.join(', ')}`);
    assert(!requests.length, `requests: ${requests.join(', ')}`);
    assert(!errors.length, `page errors: ${errors.join('; ')}`);
    console.log(`      triage of ${files.length} files (${(files.reduce((n, f) => n + statSync(f).size, 0) / 1048576).toFixed(1)} MB gzipped): ${ms} ms`);
  });

  check('triage: a truncated gzip file and non-CloudTrail JSON get clear messages', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    const files = generated();
    const whole = readFileSync(files[0]);
    await page.setInputFiles('#triage-files', [{ name: 'cut.json.gz', mimeType: 'application/gzip', buffer: whole.subarray(0, whole.length >> 1) }]);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-triage') === 'done', null, { timeout: 20000 });
    const error = await page.textContent('.triage-errors li[data-file="cut.json.gz"]');
    assert(/gzip data is cut short or damaged/.test(error), error);
    await page.click('#triage-section > summary');
    await page.fill('#input', '{"name": "not an event", "items": [1, 2, 3]}');
    await page.click('#triage-paste');
    await page.waitForFunction(() => document.documentElement.getAttribute('data-triage') === 'done', null, { timeout: 20000 });
    const problem = await page.textContent('[data-triage-problem="no-events"]');
    assert(/No CloudTrail events here/.test(problem), problem);
  });

  check('triage: a folder, chosen or dropped, is read whole; at 375 px the groups fit the screen', async ({ browser, url }) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const page = await context.newPage();
      await page.goto(url);
      await pageReady(page);
      await page.click('#triage-section > summary');
      const { dir, files } = generatedTrail();
      // Chosen with "Choose a folder" (an <input webkitdirectory>).
      await page.setInputFiles('#triage-folder', dir);
      await page.waitForFunction(() => ['done', 'failed'].includes(document.documentElement.getAttribute('data-triage')), null, { timeout: 60000 });
      assert(await page.evaluate(() => document.documentElement.getAttribute('data-triage')) === 'done', await page.textContent('#summary'));
      assertPlanted(await groups(page));
      const summary = await page.textContent('#triage-summary');
      assert(summary.includes(`in ${files.length} inputs`), `every file of the folder is read: ${summary}`);
      // While triage shows its result, the paste area's "nothing to explain" line is not shown under it.
      const idle = await page.evaluate(() => [...document.querySelectorAll('#results .empty')].some((e) => e.offsetParent !== null));
      assert(!idle, 'the empty-paste line shows beside the triage result');
      // The top group opened, as a person on a phone would: nothing wider than the screen.
      await page.click('.triage-group[data-rank="1"] > summary');
      const wide = await page.evaluate(() => {
        const out = [];
        const limit = document.documentElement.clientWidth;
        for (const n of document.querySelectorAll('#triage-out *')) {
          const r = n.getBoundingClientRect();
          if (r.width && r.right > limit + 1) out.push(`${n.tagName.toLowerCase()}.${n.className}: right ${Math.round(r.right)}`);
        }
        return { out: out.slice(0, 5), scroll: document.scrollingElement.scrollWidth, limit };
      });
      assert(!wide.out.length && wide.scroll <= wide.limit, `wider than ${wide.limit} px: ${wide.out.join('; ')} (page ${wide.scroll} px)`);
      await page.screenshot({ path: join(RESULTS, 'triage-375.png'), fullPage: false });
      // Dropped on the drop zone as a folder (the browser's drag data, through DevTools).
      await page.click('#triage-close');
      const cdp = await context.newCDPSession(page);
      // Drag events land where the pointer is: in view, as a person's would.
      await page.locator('#triage-drop').scrollIntoViewIfNeeded();
      const box = await page.locator('#triage-drop').boundingBox();
      const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const data = { items: [], files: [dir], dragOperationsMask: 1 };
      await page.evaluate(() => document.documentElement.removeAttribute('data-triage'));
      for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
      await page.waitForFunction(() => ['done', 'failed'].includes(document.documentElement.getAttribute('data-triage')), null, { timeout: 60000 });
      const dropped = await page.textContent('#triage-summary');
      assert(dropped.includes(`in ${files.length} inputs`), `a dropped folder is read whole: ${dropped}`);
      assertPlanted(await groups(page));
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await context.close();
    }
  });

  check('triage: 100 MB of CloudTrail events in the page, read without running out of memory', async ({ context, url }) => {
    // 90,000 ordinary events with the planted patterns, written out uncompressed.
    const { dir, files } = generatedTrail(90000);
    const plain = files.map((f) => { const p = f.replace(/\.gz$/, ''); writeFileSync(p, gunzipSync(readFileSync(f))); return p; });
    const bytes = plain.reduce((n, f) => n + statSync(f).size, 0);
    assert(bytes > 100 * 1024 * 1024, `only ${bytes} bytes`);
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => { crashed = true; });
    await page.goto(url);
    await pageReady(page);
    await page.click('#triage-section > summary');
    const t0 = Date.now();
    await page.setInputFiles('#triage-files', plain);
    await page.waitForFunction(() => ['done', 'failed'].includes(document.documentElement.getAttribute('data-triage')), null, { timeout: 240000 });
    const ms = Date.now() - t0;
    assert(!crashed, 'the tab crashed');
    assert(await page.evaluate(() => document.documentElement.getAttribute('data-triage')) === 'done', await page.textContent('#summary'));
    assertPlanted(await groups(page));
    // The page itself keeps none of the files: the worker streams each one.
    const heap = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : 0);
    assert(heap < 64 * 1024 * 1024, `the page holds ${heap} bytes of JavaScript heap`);
    console.log(`      triage of ${(bytes / 1048576).toFixed(0)} MB of events in ${plain.length} files: ${ms} ms; page heap ${(heap / 1048576).toFixed(0)} MB`);
    rmSync(dir, { recursive: true, force: true });
  });

  check('triage: the page writes the Athena query, offline, as the command line does', async ({ context }) => {
    await context.setOffline(true);
    const requests = watchNetwork(context, (u) => u === SINGLE_URL);
    const page = await context.newPage();
    await page.goto(SINGLE_URL);
    await pageReady(page);
    await page.click('#triage-section > summary');
    await page.click('#athena > summary');
    await page.fill('#athena-table', 'security.cloudtrail_logs_pp');
    await page.fill('#athena-start', '2026-11-19');
    await page.fill('#athena-end', '2026-11-20');
    await page.click('#athena-form button[type="submit"]');
    await page.waitForSelector('#athena-out:not([hidden])');
    const sql = await page.inputValue('#athena-sql');
    // The command line `cargo test` (or a release build) left, the newer one.
    const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
    const bin = ['debug', 'release'].map((p) => join(target, p, 'denial-explainer')).filter((f) => existsSync(f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    assert(bin, `no denial-explainer binary under ${target}: run cargo test or cargo build first`);
    const cli = execFileSync(bin, ['triage', '--athena-sql', '--table', 'security.cloudtrail_logs_pp', '--start', '2026-11-19', '--end', '2026-11-20'], { encoding: 'utf8' });
    assert(sql === cli, `the page's query differs from the command line's:\n${sql.slice(0, 300)}`);
    assert(sql.includes('FROM security.cloudtrail_logs_pp') && sql.includes("eventtime >= '2026-11-19T00:00:00Z'"), sql.slice(0, 400));
    // A table name that could carry SQL is refused, with the reason.
    await page.fill('#athena-table', 'logs; DROP TABLE x');
    await page.click('#athena-form button[type="submit"]');
    await page.waitForSelector('#athena-error:not([hidden])');
    const problem = await page.textContent('#athena-error');
    assert(/table name .* must be letters, digits and `_`/.test(problem), problem);
    assert(!requests.length, `requests: ${requests.join(', ')}`);
  });

  check("triage: the Athena query's CSV result, chosen in the page, is ranked and explained", async ({ context, url }) => {
    // Constructed in the shape the query returns (its column names, Athena's CSV quoting).
    const header = ['kind', 'principal', 'principal_type', 'key_type', 'action', 'resource', 'error_code', 'policy_type', 'deny', 'events',
      'first_seen', 'last_seen', 'source_ips', 'user_agents', 'regions', 'request_ids', 'error_message'];
    const rows = [
      ['authorization', 'arn:aws:iam::111122223333:role/orders-worker', 'AssumedRole', 'temporary', 'dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders',
        'AccessDeniedException', '', 'implicit', '10000', '2026-11-20T01:00:00Z', '2026-11-20T23:00:00Z', '198.51.100.10', 'Boto3/1.34.0', 'eu-west-1', 'r1 | r2 | r3',
        'User: arn:aws:sts::111122223333:assumed-role/orders-worker/i-0abc is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-1:111122223333:table/orders because no identity-based policy allows the dynamodb:GetItem action'],
      ['authentication', 'arn:aws:iam::111122223333:root', 'Root', '', 'signin:ConsoleLogin', '', 'ConsoleLogin', '', '', '5', '2026-11-20T09:00:00Z', '2026-11-20T09:02:40Z',
        '192.0.2.77', 'Mozilla/5.0', 'us-east-1', 'r4', 'Failed authentication'],
    ];
    const q = (v) => '"' + v.replace(/"/g, '""') + '"';
    const csv = [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    await page.click('#triage-section > summary');
    await page.setInputFiles('#triage-files', [{ name: 'result.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
    await page.waitForFunction(() => ['done', 'failed'].includes(document.documentElement.getAttribute('data-triage')), null, { timeout: 20000 });
    const g = await groups(page);
    assert(g.length === 2, JSON.stringify(g));
    const role = g.find((x) => x.principal.endsWith(':role/orders-worker'));
    const root = g.find((x) => x.principal.endsWith(':root'));
    assert(role && role.count === 10000 && root && root.count === 5, JSON.stringify(g));
    await page.click(`.triage-group[data-rank="${role.rank}"] > summary`);
    const action = await page.$eval(`.triage-group[data-rank="${role.rank}"] .card [data-field="action"]`, (n) => n.getAttribute('data-value'));
    assert(action === '"dynamodb:GetItem"', `explanation: ${action}`);
  });

  check('triage can be cancelled', async ({ context, url }) => {
    const page = await context.newPage();
    await page.goto(url);
    await pageReady(page);
    const big = repeatTo('{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-11-20T10:00:00Z","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ci","accountId":"111122223333"},"errorCode":"AccessDenied","errorMessage":"Access Denied"}\n', 60 * 1024 * 1024);
    await page.evaluate((t) => { window.denialExplainer.triage([{ name: 'big.json', text: t }]).catch(() => {}); }, big);
    await page.waitForSelector('#busy:not([hidden])', { timeout: 5000 });
    await page.click('#busy-cancel');
    const state = await page.evaluate(() => [document.documentElement.getAttribute('data-triage'), document.getElementById('summary').textContent, window.denialExplainer.busy]);
    assert(state[0] === 'cancelled' && /^Triage cancelled/.test(state[1]) && !state[2], JSON.stringify(state));
  });
}
