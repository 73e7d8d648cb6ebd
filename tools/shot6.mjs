import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, SINGLE_URL, pageReady, paste } from '../tests/browser/lib.mjs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const cases = {
  quota: 'Error from server (Forbidden): error when creating "test.yaml": pods "test-pod" is forbidden: exceeded quota: money-claims-quota, requested: requests.cpu=20,requests.memory=60Gi, used: requests.cpu=32575m,requests.memory=90368Mi, limited: requests.cpu=50,requests.memory=140Gi',
  scope: '{\n  "error":{\n    "code":403,\n    "message":"Request had insufficient authentication scopes.",\n    "status":"PERMISSION_DENIED",\n    "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com","metadata":{"service":"calendar-json.googleapis.com","method":"calendar.v3.CalendarList.List"}}]\n  }\n}',
  grpc: '2018/11/08 15:47:08 failed to connect to Spanner: rpc error: code = PermissionDenied desc = Resource projects/foo/instances/conversion/databases/conversion-prod is missing IAM permission: spanner.databases.get.',
  possible: "ERROR: cli.azure.cli.core.azclierror: TF400813: The user 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa' is not authorized to access this resource.",
};
for (const [w, h, tag] of [[390, 844, 'phone'], [1280, 900, 'desk']]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h } });
  const page = await ctx.newPage();
  await page.goto(SINGLE_URL);
  await pageReady(page);
  for (const [name, text] of Object.entries(cases)) {
    await paste(page, text);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `/work/notes/shots6/${name}-${tag}.png`, fullPage: false });
    if (tag === 'desk') {
      const t = await page.evaluate(() => document.querySelector('[data-finding="0"]')?.innerText.slice(0, 900));
      console.log('==', name, '\n', t);
    }
  }
  await ctx.close();
}
await browser.close();
