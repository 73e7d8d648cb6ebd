// The Content-Security-Policy of the served page, shared by the build (meta tag)
// and the static server (header). The wasm is compiled from bytes carried in a
// script file, so nothing is fetched and `connect-src 'none'` holds.
export const SERVED_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  // The worker for big pastes and triage is built from the loaded script's own
  // glue as a blob: URL; it inherits this policy, so it cannot fetch either.
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Directives that only work as an HTTP header, not in a meta tag.
export const HEADER_ONLY = "frame-ancestors 'self'";

// The single offline file: everything inline, allowed by hash, nothing by origin.
export function singleFileCsp(scriptHashes, styleHashes) {
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.map((h) => `'${h}'`).join(' ')} 'wasm-unsafe-eval'`,
    `style-src ${styleHashes.map((h) => `'${h}'`).join(' ')}`,
    'img-src data:',
    "connect-src 'none'",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
