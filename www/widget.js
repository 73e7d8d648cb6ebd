/*! <denial-explainer>: explains a pasted access-denied error, offline, inside an open
 * shadow root. Loads denial-explainer-explain.js, the explain core without the policy
 * engine (next to this script, or the URL in
 * this script tag's data-core attribute) when the element is first visible or focused.
 * Attributes: example, message, compact, theme (light | dark | auto), page (the
 * full explainer's address for "Open in the full explainer"; default: the
 * script tag's data-page, else index.html next to this script).
 * Event: `denial-explained` (bubbles, composed) with the JSON result as `detail`.
 * Height: reserved before this script runs by the host rule in the README
 * (`denial-explainer{display:block;height:440px;margin:1rem 0}`); the widget keeps
 * it until the reader acts, then grows with the result up to 1200 px. */
(function () {
  'use strict';
  if (!window.customElements || customElements.get('denial-explainer')) return;

  var script = document.currentScript;
  var coreUrl = (script && script.getAttribute('data-core')) ||
    new URL('denial-explainer-explain.js', (script && script.src) || location.href).href;
  var nonce = script && script.nonce;
  var pageUrl = (script && script.getAttribute('data-page')) ||
    new URL('index.html', (script && script.src) || location.href).href;
  var MAX_HEIGHT = 1200;
  var loading = null;

  function loadCore() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.__denialExplainerCore) { resolve(); return; }
        var s = document.createElement('script');
        s.src = coreUrl;
        s.async = true;
        if (nonce) s.nonce = nonce;
        s.onload = function () { window.__denialExplainerCore ? resolve() : reject(new Error('the analyser script did not start')); };
        s.onerror = function () { reject(new Error('could not load ' + coreUrl)); };
        document.head.appendChild(s);
      }).then(function () { return window.__denialExplainerCore.load(); });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // ---------- theme: follow the host's dark-mode markers ----------

  function hostTheme() {
    var nodes = [document.documentElement, document.body];
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (!n) continue;
      var marker = (n.getAttribute('data-theme') || n.getAttribute('data-bs-theme') || n.getAttribute('data-color-mode') || '').toLowerCase();
      if (marker === 'dark' || n.getAttribute('data-md-color-scheme') === 'slate' || n.classList.contains('dark') || n.classList.contains('theme-dark')) return 'dark';
      if (marker === 'light' || n.getAttribute('data-md-color-scheme') === 'default' || n.classList.contains('light') || n.classList.contains('theme-light')) return 'light';
    }
    return window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  var themed = new Set();
  function refreshThemes() { themed.forEach(function (w) { w._applyTheme(); }); }
  var watching = false;
  function watchTheme() {
    if (watching) return;
    watching = true;
    var mo = new MutationObserver(refreshThemes);
    var opts = { attributes: true, attributeFilter: ['class', 'data-theme', 'data-bs-theme', 'data-color-mode', 'data-md-color-scheme'] };
    mo.observe(document.documentElement, opts);
    if (document.body) mo.observe(document.body, opts);
    if (window.matchMedia) {
      var mq = matchMedia('(prefers-color-scheme: dark)');
      if (mq.addEventListener) mq.addEventListener('change', refreshThemes);
    }
  }

  // ---------- styles (adopted, so a host CSP without 'unsafe-inline' styles is fine) ----------

  var CSS = [
    ':host{all:initial!important;display:block!important;box-sizing:border-box!important;height:var(--denial-explainer-height,440px)!important;max-width:100%!important;contain:layout paint!important;margin:1rem 0!important;visibility:visible!important;opacity:1!important;position:relative!important}',
    ':host([compact]){height:var(--denial-explainer-height,300px)!important}',
    ':host([hidden]){display:none!important}',
    '*{box-sizing:border-box}',
    '.w{--bg:#fff;--fg:#1b1f24;--mu:#57606a;--bd:#d5d9e0;--p2:#f3f5f8;--ac:#2a5bd7;--at:#fff;--a1:#fde8c8;--a1f:#7a3e00;--a2:#fbdada;--a2f:#8a1c1c;--a3:#e8defc;--a3f:#4b2a8c;--a4:#e6e8eb;--a4f:#3b4149;--wn:#fff4e5;--wnf:#6b3300;',
    'display:flex;flex-direction:column;gap:.5rem;height:100%;padding:.85rem;border:1px solid var(--bd);border-radius:10px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;text-align:left;overflow:hidden}',
    '.w.dark{--bg:#171b21;--fg:#e6e9ee;--mu:#a3abb7;--bd:#2f3742;--p2:#1e232b;--ac:#6e9bff;--at:#0b1020;--a1:#4a2e0a;--a1f:#ffd9a3;--a2:#4d1a1a;--a2f:#ffc9c9;--a3:#33244f;--a3f:#dccbff;--a4:#2a2f36;--a4f:#d5dae0;--wn:#2e1f0c;--wnf:#ffd7a8}',
    '.hd{display:flex;justify-content:space-between;align-items:center;gap:.5rem;flex-wrap:wrap}',
    '.tt{font-weight:700;font-size:15px}.lc{font-size:12px;color:var(--mu)}',
    'label{font-size:13px;color:var(--mu)}',
    'textarea{display:block;width:100%;flex:0 0 auto;height:6.5em;resize:none;padding:.5rem .6rem;border:1px solid var(--bd);border-radius:7px;background:var(--bg);color:var(--fg);font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0}',
    ':host([compact]) textarea{height:4.5em}',
    'button{font:inherit;font-size:13px;font-weight:600;padding:.3rem .75rem;border-radius:7px;border:1px solid var(--ac);background:var(--ac);color:var(--at);cursor:pointer;margin:0}',
    'button.s{background:transparent;color:var(--fg);border-color:var(--bd);font-size:12px;padding:.15rem .5rem}',
    'button:disabled{opacity:.6;cursor:progress}',
    ':focus-visible{outline:3px solid var(--ac);outline-offset:2px}',
    '.row{display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}.st{font-size:13px;color:var(--mu)}',
    '.out{flex:1 1 auto;min-height:0;overflow:auto;display:flex;flex-direction:column;gap:.6rem}',
    '.ans{font-weight:600;margin:0 0 .4rem;overflow-wrap:anywhere}',
    '.more{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;font-size:13px}',
    'a{color:var(--ac)}',
    'textarea.fb{height:auto;min-height:3em;margin-top:.25rem;font-size:12px}',
    '.card{border:1px solid var(--bd);border-radius:8px;padding:.6rem .7rem;background:var(--p2)}',
    '.sum{font-weight:600;margin:0 0 .35rem}',
    '.bs{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 .4rem}',
    '.b{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:12px;font-weight:650;background:var(--a4);color:var(--a4f)}',
    '.b[hidden]{display:none}',
    '.g-authentication{background:var(--a1);color:var(--a1f)}.g-authorization,.d-explicit{background:var(--a2);color:var(--a2f)}.g-replay{background:var(--a3);color:var(--a3f)}',
    'dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem .7rem;margin:0 0 .4rem;font-size:13px}',
    'dt{color:var(--mu)}dd{margin:0;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}',
    'ol{margin:.2rem 0 0;padding-left:1.2rem;font-size:13px}li{margin:.2rem 0}',
    'pre{margin:.25rem 0;padding:.3rem .45rem;border:1px solid var(--bd);border-radius:6px;background:var(--bg);white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace}',
    '.cmd{display:flex;gap:.35rem;align-items:flex-start}.cmd pre{flex:1}',
    '.warn{border:1px solid #c25e00;border-left-width:5px;background:var(--wn);color:var(--wnf);border-radius:8px;padding:.45rem .6rem;font-size:13px}',
    '.err{border:1px solid #b42318;border-radius:8px;padding:.5rem .65rem;font-size:13px}',
    '.empty{color:var(--mu);font-size:13px}',
    'code{font:12px ui-monospace,Menlo,Consolas,monospace;background:var(--bg);border:1px solid var(--bd);border-radius:4px;padding:0 .2em;overflow-wrap:anywhere}',
  ].join('');
  var sheet = null;
  function styleInto(root) {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      var st = document.createElement('style');
      st.textContent = CSS;
      root.appendChild(st);
    }
  }

  function h(tag, attrs) {
    var n = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') n.className = v; else if (k === 'hidden') n.hidden = true; else if (k === 'readonly') n.readOnly = true; else n.setAttribute(k, String(v));
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) n.append(x); });
      else n.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return n;
  }
  // Identifiers in the core's prose are in backticks: show them as code.
  function prose(text) {
    var parts = String(text).split('`');
    if (parts.length < 3 || parts.length % 2 === 0) return String(text);
    return parts.map(function (p, i) { return i % 2 ? h('code', null, p) : document.createTextNode(p); });
  }
  function fieldAttrs(name, value, cls) {
    var a = { 'data-field': name, 'data-value': JSON.stringify(value === undefined ? null : value), class: cls };
    if (value === null || value === undefined) a.hidden = true;
    return a;
  }
  var GATE = { authentication: 'Authentication failed', authorization: 'Authorization denied', replay: 'Replay protection', 'not-auth': 'Not an access-control denial', unknown: 'Gate unknown' };
  var PROVIDER = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure', kubernetes: 'Kubernetes', http: 'HTTP', unknown: 'Unknown provider' };
  // Words for the core's values: a reader sees "service control policy", not `scp`.
  var POLICY = {
    identity: 'identity-based policy', resource: 'resource-based policy', permissions_boundary: 'permissions boundary',
    session: 'session policy', scp: 'service control policy (SCP)', rcp: 'resource control policy (RCP)',
    vpc_endpoint: 'VPC endpoint policy', trust: 'role trust policy', kms_key: 'KMS key policy',
    gcp_iam_allow: 'IAM allow policy', gcp_iam_deny: 'IAM deny policy', gcp_vpc_service_controls: 'VPC Service Controls perimeter',
    gcp_org_policy: 'organization policy', azure_rbac: 'Azure role assignment (RBAC)', azure_deny_assignment: 'Azure deny assignment',
    azure_policy: 'Azure Policy', k8s_rbac: 'Kubernetes RBAC',
  };
  var SECRET = {
    'aws-access-key-id': 'an AWS access key ID', 'aws-secret-access-key': 'an AWS secret access key', 'aws-session-token': 'an AWS session token',
    'aws-presigned-signature': 'a presigned URL signature', 'aws-presigned-security-token': 'a presigned URL security token', jwt: 'a JSON Web Token',
    'bearer-token': 'a bearer token', 'basic-auth': 'a basic-auth password', 'azure-sas-signature': 'an Azure SAS signature',
    'azure-account-key': 'an Azure storage account key', 'gcp-service-account-key': 'a Google Cloud service account key',
    'gcp-signed-url-signature': 'a signed URL signature', 'pem-private-key': 'a private key', 'url-password': 'a password in a URL',
  };

  var counter = 0;

  class DenialExplainer extends HTMLElement {
    static get observedAttributes() { return ['example', 'message', 'theme']; }
    constructor() { super(); this._init(); }
  }

  DenialExplainer.prototype._init = function () {
    var id = 'de' + (++counter);
    var root = this.attachShadow({ mode: 'open' });
    styleInto(root);
    this._text = h('textarea', { id: id + 't', spellcheck: 'false', autocomplete: 'off' });
    this._button = h('button', { type: 'button' }, 'Explain');
    this._status = h('span', { class: 'st', role: 'status', 'aria-live': 'polite' });
    this._out = h('div', { class: 'out' });
    this._wrap = h('div', { class: 'w', part: 'container' },
      h('div', { class: 'hd' }, h('span', { class: 'tt' }, 'Why was access denied?'), h('span', { class: 'lc' }, 'Runs in your browser; nothing is sent')),
      h('label', { for: id + 't' }, 'Paste an access-denied error'),
      this._text,
      h('div', { class: 'row' }, this._button, this._status),
      this._out);
    root.appendChild(this._wrap);
    this._api = null;
    this._timer = 0;
    var self = this;
    // The reserved height is kept until the reader acts (typing, Explain, "Show
    // all"): a shift that follows input is not a layout shift the host pays for.
    this._acted = false;
    this._button.addEventListener('click', function () { self._acted = true; self._explainSoon(0); });
    this._text.addEventListener('input', function () { self._acted = true; if (self._api) self._explainSoon(300); });
    this.addEventListener('focusin', function () { self._start(); });
  };

  DenialExplainer.prototype.connectedCallback = function () {
    themed.add(this);
    watchTheme();
    this._applyTheme();
    if (this.hasAttribute('message') && !this._text.value) this._text.value = this.getAttribute('message');
    var self = this;
    if (!this._api && typeof IntersectionObserver === 'function') {
      this._io = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) self._start();
      }, { rootMargin: '100px' });
      this._io.observe(this);
    } else if (!this._api) {
      this._start();
    }
  };
  DenialExplainer.prototype.disconnectedCallback = function () {
    themed.delete(this);
    if (this._io) { this._io.disconnect(); this._io = null; }
  };
  DenialExplainer.prototype.attributeChangedCallback = function (name, old, value) {
    if (name === 'theme') { this._applyTheme(); return; }
    if (name === 'message' && value !== null) { this._text.value = value; if (this._api) this._explainSoon(0); }
    if (name === 'example' && this._api) { this._loadExample(); this._explainSoon(0); }
  };

  DenialExplainer.prototype._applyTheme = function () {
    var t = (this.getAttribute('theme') || 'auto').toLowerCase();
    if (t !== 'light' && t !== 'dark') t = hostTheme();
    this._wrap.classList.toggle('dark', t === 'dark');
    this._wrap.setAttribute('data-theme', t);
  };

  DenialExplainer.prototype._loadExample = function () {
    var name = this.getAttribute('example');
    var list = (window.__denialExplainerCore && window.__denialExplainerCore.examples) || [];
    var ex = list.filter(function (e) { return e.id === name; })[0];
    this._badExample = ex ? null : name;
    if (ex) this._text.value = ex.text;
  };

  DenialExplainer.prototype._start = function () {
    if (this._api || this._starting) return this._starting;
    var self = this;
    if (this._io) { this._io.disconnect(); this._io = null; }
    this._status.textContent = 'Loading the analyser…';
    this._button.disabled = true;
    this._starting = loadCore().then(function (api) {
      self._api = api;
      self._starting = null;
      self._button.disabled = false;
      self._status.textContent = '';
      if (self.hasAttribute('example') && !self.hasAttribute('message')) self._loadExample();
      if (self._badExample !== null && self._badExample !== undefined) { self._unknownExample(); return; }
      if (self._text.value.trim()) self._explain();
    }, function (error) {
      self._starting = null;
      self._button.disabled = false;
      self._status.textContent = '';
      self._out.replaceChildren(h('div', { class: 'err', role: 'alert', 'data-error': 'load' },
        h('strong', null, 'The explainer could not load. '),
        error && error.damaged
          ? 'Its analyser (' + coreUrl + ') is damaged: it does not unpack to the module it was built with.'
          : 'Its analyser (' + coreUrl + ') did not start: ' + (error && error.message ? error.message : String(error)) +
            '. The page may block it, or the browser may lack WebAssembly. Press Explain to try again.'));
    });
    return this._starting;
  };

  DenialExplainer.prototype._unknownExample = function () {
    var list = (window.__denialExplainerCore && window.__denialExplainerCore.examples) || [];
    this._out.replaceChildren(h('div', { class: 'err', role: 'alert', 'data-error': 'example' },
      h('strong', null, 'No example called \u201c' + this._badExample + '\u201d. '),
      'Known examples: ' + list.map(function (e) { return e.id; }).join(', ') + '. Paste an error above meanwhile.'));
  };

  DenialExplainer.prototype._explainSoon = function (delay) {
    var self = this;
    clearTimeout(this._timer);
    if (!this._api) { this._start(); return; }
    this._timer = setTimeout(function () { self._explain(); }, delay);
  };

  DenialExplainer.prototype._explain = function () {
    var report;
    var text = this._text.value;
    // A failure on an input ends in a message, never in a retry of the same input.
    if (this._failedOn === text) return;
    try {
      report = this._api.explain(text);
    } catch (error) {
      this._api = null;
      this._failedOn = text;
      var self = this;
      window.__denialExplainerCore.restart().then(function (api) { self._api = api; });
      this._status.textContent = 'The analyser failed on this input and was restarted; change the text to try again.';
      return;
    }
    this._render(report);
    this.dispatchEvent(new CustomEvent('denial-explained', { detail: report, bubbles: true, composed: true }));
  };

  DenialExplainer.prototype._render = function (report) {
    var compact = this.hasAttribute('compact');
    var findings = report.findings || [];
    var nodes = [];
    var secrets = (report.secrets || []).filter(function (s) { return s.kind !== 'aws-access-key-id'; });
    if (secrets.length) {
      var kinds = [];
      secrets.forEach(function (s) { var w = SECRET[s.kind] || 'a credential'; if (kinds.indexOf(w) < 0) kinds.push(w); });
      nodes.push(h('div', { class: 'warn', 'data-secrets': secrets.length },
        h('strong', null, 'Looks like a credential: '),
        kinds.join(', ') + '. It has not left this browser. If you pasted it anywhere else, rotate it.'));
    }
    if (!findings.length) {
      nodes.push(h('p', { class: 'empty' }, report.summary || (this._text.value.trim() ? 'No access denial recognised in this text.' : 'Paste an error to see which gate failed and what to do.')));
    }
    // Every Copy copies redacted text: each credential the core found is replaced
    // by its masked form wherever it appears (a presigned URL in a command).
    var bytes = new TextEncoder().encode(this._text.value);
    var dec = new TextDecoder();
    var masks = (report.secrets || []).map(function (s) { return [dec.decode(bytes.subarray(s.span.start, s.span.end)), s.masked || '[redacted]']; })
      .filter(function (m) { return m[0].length >= 4; });
    function scrub(t) { masks.forEach(function (m) { t = t.split(m[0]).join(m[1]); }); return t; }
    findings.forEach(function (f, i) {
      var checklist = (f.checklist || []).slice(0, compact ? 2 : 6);
      nodes.push(h('div', { class: 'card', 'data-finding': i },
        h('p', { class: 'sum' }, prose(f.summary || ((PROVIDER[f.provider] || '') + ' ' + (f.errorCode || 'denial')))),
        f.answer ? h('p', { class: 'ans', 'data-answer': '' }, prose(f.answer)) : null,
        h('div', { class: 'bs' },
          h('span', fieldAttrs('gate', f.gate, 'b g-' + f.gate), GATE[f.gate] || String(f.gate)),
          h('span', fieldAttrs('httpStatus', f.httpStatus, 'b'), 'HTTP ' + f.httpStatus),
          h('span', fieldAttrs('deny', f.deny, 'b d-' + f.deny), f.deny === 'explicit' ? 'Explicit deny' : f.deny === 'implicit' ? 'Implicit deny' : 'Deny kind not stated'),
          h('span', fieldAttrs('provider', f.provider, 'b'), PROVIDER[f.provider] || String(f.provider))),
        compact ? null : h('dl', null, [['errorCode', 'Error code'], ['policyType', 'Policy type'], ['principal', 'Principal'], ['action', 'Action'], ['resource', 'Resource']].map(function (r) {
          var v = f[r[0]];
          var a = fieldAttrs(r[0], v);
          var frag = document.createDocumentFragment();
          var dt = h('dt', null, r[1]);
          if (v === null || v === undefined) dt.hidden = true;
          var shown = v === null || v === undefined ? '' : r[0] === 'policyType' ? (POLICY[v] || String(v)) : String(v);
          frag.append(dt, h('dd', a, shown));
          return frag;
        })),
        checklist.length ? h('ol', null, checklist.map(function (item) {
          return h('li', { 'data-check': item.id }, prose(item.text), item.command ? h('div', { class: 'cmd' }, h('pre', null, item.command), copyButton(scrub(item.command))) : null);
        })) : null));
    });
    var self = this;
    var open = h('a', { href: this._fullUrl(report), target: '_blank', rel: 'noopener noreferrer', 'data-open': '' }, 'Open in the full explainer');
    var showAll = h('button', { type: 'button', class: 's', 'data-show-all': '', hidden: true }, 'Show the whole result');
    showAll.addEventListener('click', function () { self._acted = true; self._fit(); });
    this._showAll = showAll;
    nodes.push(h('p', { class: 'more' }, open, showAll));
    this._out.replaceChildren.apply(this._out, nodes);
    this._status.textContent = findings.length ? (findings.length === 1 ? 'One denial explained.' : findings.length + ' denials explained.') : '';
    this._fit();
  };

  // The full page with this text prefilled (`#error=`, the page's prefill format),
  // from the redacted text: a credential never goes into a link.
  DenialExplainer.prototype._fullUrl = function (report) {
    var base = this.getAttribute('page') || pageUrl;
    var text = typeof report.redacted === 'string' ? report.redacted : '';
    return base.split('#')[0] + (text.length <= 6000 ? '#error=' + encodeURIComponent(text) : '');
  };

  // After the reader acts, the widget grows with its result, up to MAX_HEIGHT;
  // before, it keeps the reserved height and offers to show the rest.
  DenialExplainer.prototype._fit = function () {
    var out = this._out;
    var hidden = out.scrollHeight - out.clientHeight;
    if (!this._acted) {
      if (this._showAll) this._showAll.hidden = hidden <= 1;
      return;
    }
    if (this._showAll) this._showAll.hidden = true;
    if (hidden <= 1) return;
    var now = this.getBoundingClientRect().height;
    this.style.setProperty('--denial-explainer-height', Math.min(MAX_HEIGHT, Math.ceil(now + hidden)) + 'px');
  };

  // Where the clipboard is unavailable (a non-secure origin), the text is shown
  // selected, to copy by hand.
  function copyButton(text) {
    var b = h('button', { type: 'button', class: 's', 'aria-label': 'Copy command' }, 'Copy');
    function fallback() {
      var ta = h('textarea', { class: 'fb', readonly: true, 'aria-label': 'Command to copy' });
      ta.value = text;
      var old = b.parentNode.parentNode.querySelector('textarea.fb');
      if (old) old.remove();
      b.parentNode.after(ta);
      ta.focus();
      ta.select();
      b.textContent = 'Press Ctrl+C';
    }
    b.addEventListener('click', function () {
      var done = function () { b.textContent = 'Copied'; setTimeout(function () { b.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
      else fallback();
    });
    return b;
  }

  customElements.define('denial-explainer', DenialExplainer);
})();
