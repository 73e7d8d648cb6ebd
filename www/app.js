// Denial Explainer page. Vanilla JS, no dependencies. Everything that comes from
// the pasted text is inserted with text nodes (textContent), never as markup.
(function () {
  'use strict';

  var core = globalThis.__denialExplainerCore;
  var $ = function (id) { return document.getElementById(id); };

  // ---------- small DOM helpers ----------

  // el('p', { class: 'x', 'data-field': 'gate' }, 'text', otherNode): children that are
  // strings become text nodes, so nothing is ever parsed as HTML.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        var value = attrs[key];
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'hidden') node.hidden = true;
        else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  // One operation for the whole subtree: removing children one at a time cost
  // about 1.5 ms per analysis of a long log.
  function clear(node) { node.textContent = ''; }
  // Prose from the core marks identifiers with backticks: show those as code.
  function prose(text) {
    var parts = String(text).split('`');
    if (parts.length < 3 || parts.length % 2 === 0) return String(text);
    return parts.map(function (part, i) { return i % 2 ? el('code', null, part) : part; });
  }

  // ---------- UTF-8 byte offsets (from the core) to JS string indices ----------

  // The core reports byte offsets into the UTF-8 text; the page works in UTF-16 code
  // units. One pass builds the table; offsets inside a character map to its start.
  function byteToIndexer(text) {
    var n = text.length;
    var ascii = true;
    for (var i = 0; i < n; i++) { if (text.charCodeAt(i) > 127) { ascii = false; break; } }
    if (ascii) return function (b) { return b <= 0 ? 0 : b >= n ? n : b; };
    var map = new Uint32Array(n * 3 + 1);
    var byte = 0;
    for (var j = 0; j < n; j++) {
      var c = text.charCodeAt(j);
      var len = 3;
      var units = 1;
      if (c < 0x80) len = 1;
      else if (c < 0x800) len = 2;
      else if (c >= 0xd800 && c <= 0xdbff && j + 1 < n && (text.charCodeAt(j + 1) & 0xfc00) === 0xdc00) { len = 4; units = 2; }
      // A lone surrogate is sent to the core as U+FFFD: three bytes, like the default.
      for (var k = 0; k < len; k++) map[byte + k] = j;
      byte += len;
      j += units - 1;
    }
    var total = byte;
    return function (b) { return b <= 0 ? 0 : b >= total ? n : map[b]; };
  }

  // Line and column (both from 1) of a UTF-16 index. The positions of the line
  // breaks are kept for the last text asked about, so the many lookups of one
  // analysis (a card per finding) search them instead of rescanning the text.
  var lineBreaks = { text: null, at: [] };
  function lineColumn(text, index) {
    if (lineBreaks.text !== text) {
      var at = [];
      for (var p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) at.push(p);
      lineBreaks = { text: text, at: at };
    }
    var breaks = lineBreaks.at;
    var lo = 0;
    var hi = breaks.length;
    // The number of line breaks before `index`.
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (breaks[mid] < index) lo = mid + 1; else hi = mid;
    }
    return { line: lo + 1, column: index - (lo ? breaks[lo - 1] : -1) };
  }

  // ---------- the highlighting editor (textarea over a backdrop) ----------

  var OVERLAY_LIMIT = 400000;
  var PRIORITY = { focus: 4, secret: 3, decider: 2, diag: 1, evidence: 0 };

  function Editor(textarea, highlights) {
    this.input = textarea;
    this.layer = highlights;
    this.backdrop = highlights.parentNode;
    var self = this;
    textarea.addEventListener('scroll', function () { self.syncScroll(); });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(function () { self.syncSize(); }).observe(textarea);
    }
  }
  Editor.prototype.syncScroll = function () {
    this.backdrop.scrollTop = this.input.scrollTop;
    this.backdrop.scrollLeft = this.input.scrollLeft;
  };
  // Widths match through CSS (scrollbar-gutter: stable on both), so no inline
  // style is ever written: a saved copy of the page stays within its CSP.
  Editor.prototype.syncSize = function () {
    // Deferred to the next frame: reading scrollTop now would force a layout
    // in the middle of rendering.
    var self = this;
    if (this._frame) return;
    this._frame = requestAnimationFrame(function () { self._frame = 0; self.syncScroll(); });
  };
  // ranges: [{ start, end, kind, title }] in string indices.
  Editor.prototype.render = function (ranges, off) {
    var text = this.input.value;
    var layer = this.layer;
    clear(layer);
    if (off) return;
    var events = [];
    ranges.forEach(function (r) {
      var s = Math.max(0, Math.min(text.length, r.start));
      var e = Math.max(0, Math.min(text.length, r.end));
      if (e > s) { events.push([s, 1, r.kind]); events.push([e, -1, r.kind]); }
    });
    events.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var active = { focus: 0, secret: 0, decider: 0, diag: 0, evidence: 0 };
    var pos = 0;
    var fragment = document.createDocumentFragment();
    function top() {
      var best = null;
      for (var k in active) if (active[k] > 0 && (best === null || PRIORITY[k] > PRIORITY[best])) best = k;
      return best;
    }
    function emit(upTo) {
      if (upTo <= pos) return;
      var piece = text.slice(pos, upTo);
      var kind = top();
      // A detected credential is drawn masked (same length, so the overlay keeps
      // the textarea's layout): "Save page as" then never writes it out.
      if (active.secret > 0) piece = piece.replace(/[^\n]/g, '*');
      if (kind) fragment.appendChild(el('mark', { class: kind === 'evidence' ? null : kind }, piece));
      else fragment.appendChild(document.createTextNode(piece));
      pos = upTo;
    }
    for (var i = 0; i < events.length; i++) {
      emit(events[i][0]);
      active[events[i][2]] += events[i][1];
    }
    emit(text.length);
    // A trailing newline needs something after it to take up its line.
    fragment.appendChild(document.createTextNode('\u200b'));
    layer.appendChild(fragment);
    this.syncSize();
  };
  // The vertical position of character `index` in the box's content, measured in
  // the overlay, which wraps exactly as the textarea does (same font, padding and
  // gutter), so long wrapped lines are counted as the rows they take.
  Editor.prototype.offsetOf = function (index) {
    var layer = this.layer;
    var walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
    var pos = 0;
    var node;
    while ((node = walker.nextNode())) {
      var len = node.data.length;
      if (index < pos + len) {
        var range = document.createRange();
        var at = Math.max(0, Math.min(len, index - pos));
        range.setStart(node, at);
        range.setEnd(node, Math.min(len, at + 1));
        var rects = range.getClientRects();
        var r = rects.length ? rects[0] : range.getBoundingClientRect();
        return r.top - this.backdrop.getBoundingClientRect().top + this.backdrop.scrollTop;
      }
      pos += len;
    }
    return null;
  };
  // Scrolls the box so that character `index` sits in its upper third.
  Editor.prototype.reveal = function (index) {
    var top = this.layer.childNodes.length ? this.offsetOf(index) : null;
    if (top === null) {
      var line = lineColumn(this.input.value, index).line;
      var lineHeight = parseFloat(getComputedStyle(this.input).lineHeight) || 20;
      top = (line - 1) * lineHeight;
    }
    this.input.scrollTop = Math.max(0, top - this.input.clientHeight / 3);
    this.syncScroll();
  };
  Editor.prototype.select = function (start, end) {
    this.input.focus({ preventScroll: true });
    this.input.setSelectionRange(start, end);
    this.reveal(start);
    var box = this.input.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) this.input.scrollIntoView({ block: 'nearest' });
  };

  // ---------- state ----------

  var input = $('input');
  var editor = new Editor(input, $('highlights'));
  var state = {
    api: null,
    report: null,
    evaluation: null,
    policies: [],
    nextPolicyId: 1,
    checked: Object.create(null),
    analyses: 0,
    lastMs: 0,
    lastSummary: '',
    focusRange: null,
  };
  var requestFields = {
    principal: $('req-principal'),
    action: $('req-action'),
    resource: $('req-resource'),
    resourceAccount: $('req-account'),
  };
  var dirty = Object.create(null);

  // ---------- theme ----------

  var THEME_KEY = 'denial-explainer-theme';
  function applyTheme(value) {
    if (value !== 'light' && value !== 'dark') value = 'auto';
    document.documentElement.setAttribute('data-theme', value);
    $('theme').value = value;
  }
  try { applyTheme(localStorage.getItem(THEME_KEY)); } catch (e) { applyTheme('auto'); }
  $('theme').addEventListener('change', function () {
    applyTheme(this.value);
    try { localStorage.setItem(THEME_KEY, this.value); } catch (e) { /* storage may be off */ }
  });

  // ---------- labels for values ----------

  var GATE_LABEL = {
    authentication: 'Authentication failed',
    authorization: 'Authorization denied',
    replay: 'Replay protection',
    'not-auth': 'Not an access-control denial',
    unknown: 'Gate unknown',
  };
  var PROVIDER_LABEL = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure', kubernetes: 'Kubernetes', http: 'HTTP', github: 'GitHub', registry: 'Registry', 's3-compatible': 'S3-compatible storage', unknown: 'Unknown provider' };
  // A service with no provider of its own (HashiCorp Vault) is named by its
  // `service` fact.
  function providerName(f) {
    if (f.provider === 'unknown') {
      var svc = (f.facts || []).filter(function (x) { return x.key === 'service'; })[0];
      if (svc) return svc.value;
    }
    return PROVIDER_LABEL[f.provider] || String(f.provider);
  }
  var POLICY_LABEL = {
    identity: 'Identity-based policy', resource: 'Resource-based policy', permissions_boundary: 'Permissions boundary',
    session: 'Session policy', scp: 'Service control policy (SCP)', rcp: 'Resource control policy (RCP)',
    vpc_endpoint: 'VPC endpoint policy', trust: 'Role trust policy', kms_key: 'KMS key policy',
    gcp_iam_allow: 'IAM allow policy', gcp_iam_deny: 'IAM deny policy', gcp_vpc_service_controls: 'VPC Service Controls',
    gcp_org_policy: 'Organization policy', azure_rbac: 'Azure RBAC', azure_deny_assignment: 'Azure deny assignment',
    azure_policy: 'Azure Policy', k8s_rbac: 'Kubernetes RBAC',
  };
  var EDITABLE_TYPES = ['identity', 'resource', 'permissions_boundary', 'session', 'scp', 'rcp', 'vpc_endpoint', 'trust', 'kms_key'];
  var STAGE_LABEL = { capture: 'Capture', diagnose: 'Diagnose', fix: 'Fix', verify: 'Verify', prevent: 'Prevent' };
  var SECRET_LABEL = {
    'aws-access-key-id': 'AWS access key ID', 'aws-secret-access-key': 'AWS secret access key',
    'aws-session-token': 'AWS session token', 'aws-presigned-signature': 'presigned URL signature',
    'aws-presigned-security-token': 'presigned URL security token', jwt: 'JSON Web Token', 'bearer-token': 'bearer token',
    'azure-sas-signature': 'Azure SAS signature', 'azure-account-key': 'Azure storage account key',
    'gcp-service-account-key': 'Google Cloud service account key', 'pem-private-key': 'PEM private key',
    'url-password': 'password in a URL',
  };
  var DECISION_LABEL = { Allowed: 'Allowed', ExplicitlyDenied: 'Explicitly denied', ImplicitlyDenied: 'Implicitly denied', Unknown: 'Undecided' };

  // ---------- analysis ----------

  // Forgiving where the intent is clear: a policy copied from a chat or an editor
  // may carry comments, trailing commas, curly quotes or no-break spaces. When the
  // text is not JSON, those are turned into what was meant, each replaced by
  // characters of the same UTF-16 length (so positions in the box still match),
  // and every assumption is listed with its line. Anything else is left for the
  // core to report.
  var SMART_DOUBLE = /[\u201c\u201d\u201e\u201f\u2033]/g;
  function relaxJson(text) {
    try { JSON.parse(text); return { text: text, notes: [] }; } catch (e) { /* relax below */ }
    var notes = [];
    var out = text.replace(/\u00a0/g, function () { return ' '; });
    if (out !== text) notes.push({ index: text.indexOf('\u00a0'), message: 'no-break spaces read as spaces' });
    var smart = SMART_DOUBLE.test(out);
    SMART_DOUBLE.lastIndex = 0;
    if (smart) {
      var first = out.search(SMART_DOUBLE);
      out = out.replace(SMART_DOUBLE, '"');
      notes.push({ index: first, message: 'curly quotes (\u201c \u201d) read as straight double quotes' });
    }
    var chars = out.split('');
    var n = chars.length;
    var inString = false;
    var lastComma = -1;
    for (var i = 0; i < n; i++) {
      var c = chars[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') { inString = true; lastComma = -1; continue; }
      if (c === '/' && chars[i + 1] === '/') {
        notes.push({ index: i, message: 'comment ignored' });
        while (i < n && chars[i] !== '\n') { chars[i] = ' '; i++; }
        continue;
      }
      if (c === '/' && chars[i + 1] === '*') {
        notes.push({ index: i, message: 'comment ignored' });
        var j = i;
        while (j < n && !(chars[j] === '*' && chars[j + 1] === '/' && j > i + 1)) { if (chars[j] !== '\n') chars[j] = ' '; j++; }
        if (j < n) { chars[j] = ' '; chars[j + 1] = ' '; }
        i = j + 1;
        continue;
      }
      if (c === ',') { lastComma = i; continue; }
      if ((c === '}' || c === ']') && lastComma >= 0) {
        chars[lastComma] = ' ';
        notes.push({ index: lastComma, message: 'trailing comma before `' + c + '` ignored' });
        lastComma = -1;
        continue;
      }
      if (!/\s/.test(c)) lastComma = -1;
    }
    var relaxed = chars.join('');
    try { JSON.parse(relaxed); } catch (e) {
      // Still not JSON: send the text as pasted, so the core's message points at
      // the first real problem.
      return { text: text, notes: [] };
    }
    notes.forEach(function (note) { note.line = lineColumn(text, Math.max(0, note.index)).line; });
    return { text: relaxed, notes: notes };
  }
  function sentText(p) { return p.sent !== undefined ? p.sent : p.editor.input.value; }

  function policiesForCore() {
    return state.policies.map(function (p) {
      var relaxed = relaxJson(p.editor.input.value);
      p.sent = relaxed.text;
      p.assumptions = relaxed.notes;
      var out = { type: p.type, name: p.name || defaultName(p), document: p.sent };
      if ((p.type === 'scp' || p.type === 'rcp') && p.level) out.level = p.level;
      return out;
    });
  }

  // A trap leaves the instance unusable: report it and start a fresh one. The
  // input that caused it is remembered and not analysed again (that would trap
  // again, for ever); the next change to the input is analysed as usual.
  function callCore(fn, full) {
    try {
      return fn(full ? state.full : state.api);
    } catch (error) {
      console.error('denial-explainer: the core failed', error);
      state.failedOn = inputKey();
      if (full) {
        state.full = null;
        core.restartFull().then(function (api) { state.full = api; if (inputKey() !== state.failedOn) schedule(0); }, fullFailed);
      } else {
        state.api = null;
        core.restart().then(function (api) {
          state.api = api;
          if (inputKey() !== state.failedOn) schedule(0);
        }, startupFailed);
      }
      throw error;
    }
  }

  // The policy engine is a second module, loaded the first time policies come into
  // play (a policy added, or the policy area opened); until then the explain core
  // answers alone. The offline file carries both in one module.
  var fullPending = null;
  function ensureFull() {
    if (state.full || fullPending || !core.loadFull) return;
    fullPending = core.loadFull().then(function (api) {
      state.full = api;
      fullPending = null;
      document.documentElement.setAttribute('data-engine', 'ready');
      if (state.policies.length) schedule(0);
    }, fullFailed);
  }
  function fullFailed(error) {
    fullPending = null;
    console.error('denial-explainer: could not load the policy engine', error);
    state.fullError = 'The policy engine could not be loaded (' + (error && error.message ? error.message : String(error)) + '); the error is explained without it.';
    if (state.policies.length) schedule(0);
  }
  // What an analysis depends on: the text, the policies and the request.
  function inputKey() {
    return JSON.stringify([input.value, state.policies.map(function (p) { return [p.type, p.name, p.level, p.editor.input.value]; }),
      ['principal', 'action', 'resource', 'resourceAccount'].map(function (k) { return requestFields[k].value; }),
      $('req-context').value, $('req-complete').checked]);
  }
  function failedMessage() {
    return 'The analyser failed on this input and has been restarted. It will not analyse this exact input again: change it (a shorter excerpt around the error usually works), and please report the input that caused it.';
  }

  var timer = 0;
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(analyse, delay);
  }

  function analyse() {
    clearTimeout(timer);
    if (state.failedOn !== undefined && inputKey() === state.failedOn) { setSummary(failedMessage()); return; }
    if (!state.api) return;
    var text = input.value;
    var started = performance.now();
    var withPolicies = state.policies.length > 0;
    if (withPolicies) ensureFull();
    var full = withPolicies && !!state.full;
    var policies = full ? policiesForCore() : undefined;
    // A big paste without policies is analysed in a worker, so the page stays
    // usable; a small one here, at once (starting a worker costs more than it).
    if (!withPolicies && text.length > BIG_TEXT) { analyseInWorker(text, started); return; }
    if (state.job && state.job.kind === 'explain') cancelJob('');
    var report;
    try {
      report = callCore(function (api) { return api.explain(text, policies); }, full);
    } catch (error) {
      setSummary(failedMessage());
      return;
    }
    show(report, text, started);
  }

  function show(report, text, started) {
    hideBusy();
    groupRepeats(report);
    state.report = report;
    state.toIndex = byteToIndexer(text);
    prefillRequest(report);
    evaluatePolicies();
    unifyEvaluation(report);
    render(report, text);
    if (state.revealFirst) {
      state.revealFirst = false;
      var first = report.findings && report.findings[0];
      if (first && first.span) editor.reveal(state.toIndex(first.span.start));
    }
    state.lastMs = performance.now() - started;
    state.analyses++;
    document.documentElement.setAttribute('data-analyses', String(state.analyses));
  }

  // ---------- big inputs and triage: a worker ----------

  // Pastes longer than this (in UTF-16 units) are analysed in a worker; longer
  // than MAX_TEXT they are refused before any work. Measured in headless
  // Chromium on 10 MB of repeated denials: `explain` alone takes 1.6 to 3.5 s
  // and the answer (one span per repeat) about 10 MB more, so 10 MB cannot be
  // answered in the 3 s issue 11 allows; 2 MB can (4 MB of short `403` lines
  // took 4.6 s, most of it laying out the text box).
  var BIG_TEXT = 200000;
  var MAX_TEXT = 2 * 1024 * 1024;
  // A CloudTrail file bigger than this once gunzipped is refused (CloudTrail
  // writes files of a few MB); the files together may be any size.
  var MAX_FILE = 256 * 1024 * 1024;

  // Runs in the worker. `createGlue` is the engine's wasm-bindgen glue, given
  // as source text; the first message carries the compiled module and the job.
  function workerMain(createGlue) {
    self.onmessage = function (event) {
      var data = event.data;
      self.postMessage({ type: 'started' });
      var glue = createGlue();
      glue({ module_or_path: data.module }).then(function () {
        return data.job.type === 'triage' ? triage(glue, data.job) : glue.explain(data.job.text, undefined);
      }).then(function (result) {
        self.postMessage({ type: 'done', result: result });
      }, function (error) {
        self.postMessage({ type: 'failed', message: String(error && error.message ? error.message : error) });
      });
    };
    function triage(api, job) {
      var session = new api.TriageSession();
      var done = 0;
      var last = 0;
      var i = 0;
      function progress(name, force) {
        var now = Date.now();
        if (!force && now - last < 80) return;
        last = now;
        self.postMessage({ type: 'progress', done: done, total: job.total, file: name, index: i, files: job.inputs.length, events: session.events() });
      }
      function next() {
        if (i >= job.inputs.length) { progress('', true); return session.finish(); }
        var item = job.inputs[i];
        progress(item.name, true);
        return read(item, function (n) { done += n; progress(item.name, false); }).then(function (bytes) {
          session.read(item.name, bytes);
        }, function (problem) {
          session.fail(item.name, problem.offset, problem.message);
        }).then(function () { i++; return next(); });
      }
      return next();
    }
    // One input's bytes, gunzipped; only this file is held, never all of them.
    function read(item, counted) {
      if (typeof item.text === 'string') {
        counted(item.text.length);
        return Promise.resolve(new TextEncoder().encode(item.text));
      }
      var gz = /\.gz$/i.test(item.name);
      var stream = item.file.stream().pipeThrough(new TransformStream({
        transform: function (chunk, out) { counted(chunk.byteLength); out.enqueue(chunk); },
      }));
      if (gz) stream = stream.pipeThrough(new DecompressionStream('gzip'));
      var reader = stream.getReader();
      var chunks = [];
      var size = 0;
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          size += r.value.byteLength;
          if (size > job_max) throw new Error('too-big');
          chunks.push(r.value);
          return pump();
        });
      }
      var job_max = item.max;
      return pump().then(function () {
        var bytes = new Uint8Array(size);
        var at = 0;
        chunks.forEach(function (c) { bytes.set(c, at); at += c.byteLength; });
        chunks = null;
        return bytes;
      }, function (error) {
        chunks = null;
        reader.cancel().catch(function () { /* already failed */ });
        var why = error && error.message === 'too-big'
          ? 'larger than ' + Math.round(job_max / 1048576) + ' MB once gunzipped; split it into smaller files'
          : gz ? 'the gzip data is cut short or damaged, so it could not be gunzipped to the end'
            : 'the browser could not read this file (' + (error && error.message ? error.message : String(error)) + ')';
        throw { offset: size, message: why };
      });
    }
  }

  function workerSource(glue) {
    return '"use strict";\n(' + workerMain.toString() + ')(' + glue + ');\n';
  }

  // One job at a time: a new one, Cancel or an edit ends the one running
  // (terminating its worker, which frees its memory at once).
  function runJob(kind, partsPromise, message, onProgress) {
    cancelJob('');
    var job = { kind: kind, worker: null, url: null, reject: null };
    state.job = job;
    job.promise = new Promise(function (resolve, reject) {
      job.reject = reject;
      partsPromise.then(function (parts) {
        if (state.job !== job) return;
        job.url = URL.createObjectURL(new Blob([workerSource(parts.glue)], { type: 'text/javascript' }));
        var w;
        try { w = new Worker(job.url); } catch (error) { endJob(job); reject(error); return; }
        job.worker = w;
        w.onmessage = function (event) {
          var m = event.data;
          if (m.type === 'started') { URL.revokeObjectURL(job.url); job.url = null; }
          else if (m.type === 'progress') { if (onProgress) onProgress(m); }
          else if (m.type === 'done') { endJob(job); resolve(m.result); }
          else if (m.type === 'failed') { endJob(job); reject(new Error(m.message)); }
        };
        w.onerror = function (event) {
          event.preventDefault();
          endJob(job);
          reject(new Error(event.message || 'the worker stopped'));
        };
        w.postMessage({ module: parts.module, job: message });
      }, function (error) { endJob(job); reject(error); });
    });
    return job.promise;
  }
  function endJob(job) {
    if (job.worker) job.worker.terminate();
    if (job.url) URL.revokeObjectURL(job.url);
    job.worker = null;
    job.url = null;
    if (state.job === job) state.job = null;
  }
  // Ends the running job; `said` (when not empty) is shown as the summary.
  function cancelJob(said) {
    var job = state.job;
    if (!job) return false;
    endJob(job);
    var stop = new Error(said || 'cancelled');
    stop.cancelled = true;
    job.reject(stop);
    hideBusy();
    if (said) setSummary(said);
    return true;
  }

  function mb(n) { return (n / 1048576).toFixed(n < 10485760 ? 1 : 0) + ' MB'; }

  // The progress box: a label, a bar (no value: indeterminate) and Cancel.
  function showBusy(label, value) {
    var box = $('busy');
    box.hidden = false;
    $('busy-label').textContent = label;
    var bar = $('busy-bar');
    if (value === undefined) bar.removeAttribute('value'); else bar.value = value;
    document.documentElement.setAttribute('data-busy', 'true');
  }
  function hideBusy() {
    $('busy').hidden = true;
    document.documentElement.removeAttribute('data-busy');
  }
  $('busy-cancel').addEventListener('click', function () {
    var kind = state.job && state.job.kind;
    if (!kind) return;
    if (kind === 'explain') state.cancelledOn = inputKey();
    cancelJob(kind === 'triage' ? 'Triage cancelled: nothing was kept. Choose the files again to start over.'
      : 'Analysis cancelled. Edit the text, or press Ctrl+Enter, to analyse it again.');
    document.documentElement.setAttribute('data-cancelled', kind);
    announce('Cancelled.');
  });

  function refuseSize(length) {
    clear($('results'));
    setSummary('This paste is ' + mb(length) + ', more than the ' + mb(MAX_TEXT) + ' the page analyses, so it was not analysed. Paste the part around the errors (a few thousand lines is plenty), or for CloudTrail logs use CloudTrail triage below the paste area, which reads files of any total size.');
    document.documentElement.setAttribute('data-refused', 'size');
  }

  function analyseInWorker(text, started) {
    var key = inputKey();
    if (state.job && state.job.kind === 'explain' && state.job.key === key) return;
    if (text.length > MAX_TEXT) {
      cancelJob('');
      refuseSize(text.length);
      return;
    }
    document.documentElement.removeAttribute('data-refused');
    var partsPromise = core.parts ? core.parts() : Promise.reject(new Error('this copy has no worker support'));
    var promise = runJob('explain', partsPromise, { type: 'explain', text: text });
    state.job.key = key;
    showBusy('Analysing ' + mb(text.length) + ' of text\u2026');
    promise.then(function (report) {
      if (input.value !== text) return;
      // The worker is done; what follows is drawing the result on the page.
      document.documentElement.setAttribute('data-busy', 'rendering');
      show(report, text, started);
    }, function (error) {
      if (error && error.cancelled) return;
      hideBusy();
      console.error('denial-explainer: the analysis failed', error);
      state.failedOn = key;
      setSummary('The analyser failed on this ' + mb(text.length) + ' input (' + (error && error.message ? error.message : String(error)) + '). It will not try this exact input again: paste a shorter excerpt around the errors, and please report the input that caused it.');
      document.documentElement.setAttribute('data-failed', 'explain');
    });
  }

  // ---------- CloudTrail triage ----------

  var TRIAGE_NAME = /\.(json|json\.gz|gz|jsonl|csv)$/i;

  // Files from a drop: folders are walked (where the browser allows), and only
  // `.json` and `.gz` files inside them are kept; files dropped one by one are
  // kept whatever their name.
  function droppedFiles(transfer) {
    var items = transfer.items ? Array.prototype.slice.call(transfer.items) : [];
    var entries = items.map(function (it) { return it.webkitGetAsEntry ? it.webkitGetAsEntry() : null; });
    if (!entries.length || entries.some(function (e) { return !e; })) return Promise.resolve(Array.prototype.slice.call(transfer.files || []));
    var found = [];
    var budget = 100000;
    function walk(entry, inFolder) {
      if (--budget < 0) return Promise.resolve();
      if (entry.isFile) {
        if (inFolder && !TRIAGE_NAME.test(entry.name)) return Promise.resolve();
        return new Promise(function (resolve) {
          entry.file(function (f) { found.push({ file: f, path: entry.fullPath.replace(/^\//, '') }); resolve(); }, function () { resolve(); });
        });
      }
      var reader = entry.createReader();
      return new Promise(function (resolve) {
        var all = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (!batch.length) { resolve(all.reduce(function (p, e) { return p.then(function () { return walk(e, true); }); }, Promise.resolve())); return; }
            all = all.concat(Array.prototype.slice.call(batch));
            more();
          }, function () { resolve(); });
        })();
      });
    }
    return entries.reduce(function (p, e) { return p.then(function () { return walk(e, false); }); }, Promise.resolve()).then(function () {
      return found;
    });
  }

  function startTriage(inputs) {
    if (!inputs.length) {
      setSummary('No CloudTrail files found there: triage reads .json and .json.gz files.');
      return;
    }
    inputs.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    var total = inputs.reduce(function (n, it) { return n + (it.file ? it.file.size : it.text.length); }, 0);
    var label = inputs.length === 1 ? inputs[0].name : inputs.length + ' files';
    document.documentElement.removeAttribute('data-cancelled');
    document.documentElement.setAttribute('data-triage', 'running');
    var out = $('triage-out');
    out.hidden = true;
    showBusy('Reading ' + label + ' (' + mb(total) + ')\u2026', 0);
    var parts = core.fullParts ? core.fullParts() : Promise.reject(new Error('this copy has no triage engine'));
    runJob('triage', parts, { type: 'triage', inputs: inputs, total: total }, function (m) {
      showBusy('Reading ' + (m.files > 1 ? 'file ' + Math.min(m.index + 1, m.files) + ' of ' + m.files + ', ' : '') + mb(m.done) + ' of ' + mb(m.total) +
        ' (' + m.events + ' events so far)\u2026', m.total ? Math.min(1, m.done / m.total) : undefined);
    }).then(function (report) {
      hideBusy();
      renderTriage(report, label);
      document.documentElement.setAttribute('data-triage', 'done');
    }, function (error) {
      if (error && error.cancelled) { document.documentElement.setAttribute('data-triage', 'cancelled'); return; }
      hideBusy();
      console.error('denial-explainer: triage failed', error);
      setSummary('Triage failed on ' + label + ' (' + (error && error.message ? error.message : String(error)) + '). It was not retried; please report the files that caused it if you can.');
      document.documentElement.setAttribute('data-triage', 'failed');
    });
  }

  function triageFileInputs(list) {
    return Array.prototype.map.call(list, function (f) {
      var it = f.file ? f : { file: f, path: f.webkitRelativePath || f.name };
      return { name: it.path || it.file.name, file: it.file, max: MAX_FILE };
    });
  }

  function renderTriage(r, label) {
    var out = $('triage-out');
    clear(out);
    out.hidden = false;
    var s = r.summary || {};
    var head = s.denials + ' denial' + (s.denials === 1 ? '' : 's') + ' in ' + s.groups + ' group' + (s.groups === 1 ? '' : 's') + ', from ' +
      s.events + ' event' + (s.events === 1 ? '' : 's') + ' in ' + s.files + ' input' + (s.files === 1 ? '' : 's') +
      (s.windowStart && s.windowEnd ? ', ' + s.windowStart + ' to ' + s.windowEnd : '') + '.';
    out.appendChild(el('div', { class: 'pane-head' }, el('h3', null, 'CloudTrail triage: ' + label),
      el('button', { type: 'button', class: 'button subtle small', id: 'triage-close', onclick: function () { clear(out); out.hidden = true; document.documentElement.removeAttribute('data-triage'); } }, 'Close')));
    out.appendChild(el('p', { class: 'summary', id: 'triage-summary' }, head));
    if (!s.events) {
      out.appendChild(el('p', { class: 'field-error', 'data-triage-problem': 'no-events' }, s.notCloudtrail
        ? 'No CloudTrail events here: ' + s.notCloudtrail + ' JSON value' + (s.notCloudtrail === 1 ? ' was' : 's were') + ' read, but none is a CloudTrail event (an object with eventSource, eventName and eventTime, or a {"Records": [...]} file of them).'
        : 'No CloudTrail events here. Triage reads CloudTrail files ({"Records": [...]}), an array of events, one event a line, or the CSV of an Athena or CloudTrail Lake query.'));
    }
    if ((r.errors || []).length) {
      out.appendChild(el('ul', { class: 'diagnostics triage-errors' }, r.errors.map(function (e) {
        return el('li', { 'data-file': e.file }, el('code', null, e.file), ': ' + e.message + ' (reading stopped at byte ' + e.offset +
          (e.eventsKept ? '; the ' + e.eventsKept + ' events before it were kept' : '') + ').');
      })));
    }
    if ((r.notes || []).length) out.appendChild(el('ul', { class: 'caveats triage-notes' }, r.notes.map(function (n) { return el('li', null, prose(n)); })));
    if (s.events && !(r.groups || []).length) out.appendChild(el('p', null, 'No denials found.'));
    out.appendChild(el('ol', { class: 'triage-groups' }, (r.groups || []).map(renderGroup)));
    announce(head);
    out.scrollIntoView({ block: 'nearest' });
  }

  // The ranking signals in a few words, for the line a group folds to; each
  // one's reason is in the group's body.
  var SIGNAL_LABEL = {
    enumeration: 'many services',
    root: 'root user',
    'long-term-key': 'long-term key',
    'unfamiliar-network': 'unfamiliar network',
    'new': 'new in this window',
    volume: 'high volume'
  };

  function renderGroup(g) {
    var what = g.members && g.members.length ? g.members.length + ' actions' : g.action;
    var details = el('details', { class: 'triage-group', 'data-rank': g.rank, 'data-action': g.action, 'data-principal': g.principal, 'data-count': g.count, 'data-error-code': g.errorCode },
      el('summary', null,
        el('span', { class: 'rank' }, '#' + g.rank),
        el('span', null, (GATE_LABEL[g.kind] || g.kind) + ': ' + (g.errorCode || 'denied')),
        el('code', null, g.principal || 'unknown principal'),
        el('code', null, what),
        el('span', { class: 'count' }, '\u00d7 ' + g.count),
        (g.signals || []).map(function (x) { return el('span', { class: 'signal', 'data-signal': x.code }, SIGNAL_LABEL[x.code] || x.code); })));
    var body = el('div', { class: 'group-body' });
    details.appendChild(body);
    // Lists (addresses, agents, request ids) one value a line: a user agent is
    // a long string, and several joined by commas read as one.
    var rows = [['Resource', g.resource], ['Principal type', g.principalType], ['Policy type', g.policyType ? (POLICY_LABEL[g.policyType] || g.policyType) : ''],
      ['First seen', g.firstSeen], ['Last seen', g.lastSeen], ['Source addresses', g.sourceIps || []],
      ['Regions', g.regions || []], ['User agents', g.userAgents || []], ['Request ids', g.requestIds || []]]
      .filter(function (row) { return row[1] && row[1].length; });
    body.appendChild(el('dl', { class: 'fields' }, rows.map(function (row) {
      var values = Array.isArray(row[1]) ? row[1] : [row[1]];
      var code = function (v) { return el('code', null, v); };
      // Three shown; the rest (up to the 20 triage keeps) one click away.
      var rest = values.length > 4 ? values.slice(3) : [];
      return [el('dt', null, row[0]), el('dd', { class: values.length > 1 ? 'list' : null },
        (rest.length ? values.slice(0, 3) : values).map(code),
        rest.length ? el('details', { class: 'more-values' }, el('summary', null, rest.length + ' more'), rest.map(code)) : null)];
    })));
    if ((g.signals || []).length) {
      body.appendChild(el('p', { class: 'part-head' }, 'Why it is ranked here:'));
      body.appendChild(el('ul', { class: 'plain signals' }, g.signals.map(function (x) {
        return el('li', { 'data-signal': x.code }, el('strong', null, SIGNAL_LABEL[x.code] || x.code), ': ', prose(x.text));
      })));
    }
    if ((g.members || []).length) {
      body.appendChild(el('p', { class: 'part-head' }, 'What was denied' + (g.members.length > 50 ? ' (the first 50 of ' + g.members.length + ')' : '') + ':'));
      body.appendChild(el('ul', { class: 'plain members' }, g.members.slice(0, 50).map(function (m) {
        return el('li', null, el('code', null, m.action), m.resource ? [' on ', el('code', null, m.resource)] : null, ': ' + m.errorCode + ' \u00d7 ' + m.count);
      })));
    }
    if (g.explanation) {
      // The earliest event explained as a pasted one would be; its spans point
      // into that event, not into the paste area, so they are not offered.
      var f = Object.assign({}, g.explanation, { span: null, evidence: [], repeats: [], occurrences: [] });
      body.appendChild(renderFinding(f, 't' + g.rank, ''));
    } else if (g.message) {
      body.appendChild(el('p', null, 'The earliest event\u2019s message: ', el('code', null, g.message)));
    }
    return el('li', null, details);
  }

  (function triageControls() {
    var drop = $('triage-drop');
    ['dragenter', 'dragover'].forEach(function (type) {
      drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add('over'); });
    });
    drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
    drop.addEventListener('drop', function (event) {
      event.preventDefault();
      drop.classList.remove('over');
      droppedFiles(event.dataTransfer).then(function (files) { startTriage(triageFileInputs(files)); });
    });
    ['triage-files', 'triage-folder'].forEach(function (id) {
      $(id).addEventListener('change', function () {
        var list = Array.prototype.filter.call($(id).files || [], function (f) { return id === 'triage-files' || TRIAGE_NAME.test(f.name); });
        startTriage(triageFileInputs(list));
        $(id).value = '';
      });
    });
    if (!('webkitdirectory' in document.createElement('input'))) { $('triage-folder').hidden = true; $('triage-folder-label').hidden = true; }
    $('triage-paste').addEventListener('click', function () {
      var text = input.value;
      if (!text.trim()) { setSummary('Paste CloudTrail JSON (a log file, an array of events, or one event a line) into the paste area first.'); return; }
      startTriage([{ name: 'pasted text', text: text, max: MAX_FILE }]);
    });
  })();

  // The Athena query for logs too large for the page (`triage --athena-sql`),
  // written by the full engine; nothing leaves the page.
  (function athenaForm() {
    var form = $('athena-form');
    if (!form) return;
    var day = function (offset) { return new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10); };
    if (!$('athena-start').value) $('athena-start').value = day(-1);
    if (!$('athena-end').value) $('athena-end').value = day(-1);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var problem = $('athena-error');
      problem.hidden = true;
      var start = $('athena-start').value, end = $('athena-end').value;
      if (start && end && start > end) { problem.textContent = 'The first day is after the last one.'; problem.hidden = false; return; }
      var run = core.loadFull ? core.loadFull() : Promise.reject(new Error('this copy has no triage engine'));
      run.then(function (api) {
        var sql = api.athenaSql($('athena-table').value, start, end);
        $('athena-sql').value = sql;
        $('athena-out').hidden = false;
        announce('Athena query written.');
      }).catch(function (error) {
        problem.textContent = 'No query: ' + (error && error.message ? error.message : String(error)) + '.';
        problem.hidden = false;
      });
    });
    $('athena-copy').addEventListener('click', function () {
      var button = $('athena-copy');
      copyText($('athena-sql').value).then(function () { flash(button, 'Copied'); }, function () {
        $('athena-sql').select();
        flash(button, 'Selected: press Ctrl+C to copy');
      });
    });
  })();

  // Identical denials repeated in a log become one card with a count. The links
  // are not enumerable, so the JSON copy stays the core's report.
  function findingKey(f) {
    return JSON.stringify([f.provider, f.gate, f.errorCode, f.deny, f.policyType, f.principal, f.action, f.resource, f.summary]);
  }
  function groupRepeats(report) {
    var seen = Object.create(null);
    (report.findings || []).forEach(function (f, i) {
      var key = findingKey(f);
      if (key in seen) {
        var first = report.findings[seen[key]];
        first.repeats.push(f);
        Object.defineProperty(f, 'repeatOf', { value: seen[key], enumerable: false });
      } else {
        seen[key] = i;
        // The core already counts identical denials (`count`, `occurrences`):
        // each further occurrence stands as a repeat with its own place.
        var more = (f.occurrences || []).slice(1).map(function (span) { return { span: span }; });
        Object.defineProperty(f, 'repeats', { value: more, enumerable: false });
      }
    });
  }
  // How many times the denial stands in the text: the core's count (which goes
  // past the positions it lists) or the page's own grouping, whichever is more.
  function countOf(f) {
    return Math.max((f.repeats || []).length + 1, f.count || 1);
  }

  function prefillRequest(report) {
    var first = report.findings && report.findings[0];
    ['principal', 'action', 'resource'].forEach(function (key) {
      if (dirty[key]) return;
      requestFields[key].value = first && first[key] ? first[key] : '';
    });
    if (!dirty.resourceAccount) {
      var account = '';
      var resource = first && first.resource;
      var m = resource && /^arn:aws[\w-]*:[^:]*:[^:]*:(\d{12}):/.exec(resource);
      if (m) account = m[1];
      requestFields.resourceAccount.value = account;
    }
  }

  function readContext() {
    var raw = $('req-context').value.trim();
    var errorBox = $('req-context-error');
    errorBox.hidden = true;
    if (!raw) return {};
    try {
      var value = JSON.parse(raw);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value;
      errorBox.textContent = 'Context keys must be a JSON object, like {"aws:SourceIp": "203.0.113.7"}.';
    } catch (e) {
      errorBox.textContent = 'Context keys are not valid JSON: ' + e.message;
    }
    errorBox.hidden = false;
    return {};
  }

  function currentRequest() {
    var request = {};
    ['principal', 'action', 'resource', 'resourceAccount'].forEach(function (key) {
      var v = requestFields[key].value.trim();
      if (v) request[key] = v;
    });
    request.context = readContext();
    request.contextComplete = $('req-complete').checked;
    return request;
  }

  // A request that only serves to read the documents when the real one is
  // incomplete: per-policy diagnostics do not depend on the request.
  var PLACEHOLDER_REQUEST = { principal: 'arn:aws:iam::111122223333:user/placeholder', action: 'placeholder:Read', resource: '*' };

  // Evaluates the pasted policies against the request in the form, and shows each
  // policy's own diagnostics (from one simulation, by `policyIndex`).
  // The full-access stand-ins the core adds for a side of which nothing was pasted
  // (src/explain/evaluate.rs, `assumed_document`), read back from the first
  // finding's evaluation, so that the form's request is evaluated against exactly
  // the policies the card was.
  var ASSUMED_DOCUMENT = {
    resource: '{"Version":"2012-10-17","Statement":[{"Sid":"AssumedAllow","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    other: '{"Version":"2012-10-17","Statement":[{"Sid":"AssumedAllow","Effect":"Allow","Action":"*","Resource":"*"}]}',
  };
  function assumedPolicies() {
    var first = state.report && state.report.findings && state.report.findings[0];
    var ev = first && first.evaluation;
    if (!ev || !ev.result || !(ev.assumed || []).length) return [];
    return (ev.result.policies || []).slice(state.policies.length).map(function (info) {
      return { type: info.policyType, name: info.name, document: ASSUMED_DOCUMENT[info.policyType === 'resource' ? 'resource' : 'other'] };
    });
  }
  // Whether the form's request differs from the one the first finding names.
  function formEdited(ev) {
    var r = currentRequest();
    var given = ev && ev.request || {};
    if (Object.keys(r.context || {}).length || r.contextComplete) return true;
    return ['principal', 'action', 'resource'].some(function (k) { return (r[k] || null) !== (given[k] || null); }) || !!r.resourceAccount !== !!given.resourceAccount && !!dirty.resourceAccount;
  }
  var EDITED_TEXT = {
    ExplicitlyDenied: 'With the request as given under \u201cPolicies and request\u201d, the pasted policies deny it explicitly.',
    ImplicitlyDenied: 'With the request as given under \u201cPolicies and request\u201d, the pasted policies deny it implicitly: no statement allows it.',
    Allowed: 'With the request as given under \u201cPolicies and request\u201d, the pasted policies allow it, so the denial comes from a policy that was not pasted, or the real request differs from this one.',
    Unknown: 'With the request as given under \u201cPolicies and request\u201d, the pasted policies do not settle it; what it depends on is below.',
  };
  var DECISION_VERDICT = { ExplicitlyDenied: 'reproduces', ImplicitlyDenied: 'reproduces', Allowed: 'allows', Unknown: 'unknown' };
  // One evaluation, shown once: the first card shows the form's evaluation when the
  // form says something the message does not (an edited field, context keys), and
  // the form's panel shows the card's decision. Copies and links read the report,
  // so they carry what is shown.
  function unifyEvaluation(report) {
    var first = report.findings && report.findings[0];
    var ev = first && first.evaluation;
    state.unified = false;
    if (!ev || !ev.result || !state.evaluation || state.evaluation.type !== 'success') return;
    state.unified = true;
    if (!formEdited(ev)) { state.evaluation = ev.result; return; }
    var sim = state.evaluation;
    first.evaluation = {
      verdict: DECISION_VERDICT[sim.decision] || 'unknown', text: EDITED_TEXT[sim.decision] || EDITED_TEXT.Unknown,
      request: currentRequest(), missing: [], denyMatches: null, policyTypeMatches: null, askFor: null,
      assumed: ev.assumed || [], result: sim, edited: true,
    };
  }

  function evaluatePolicies() {
    state.evaluation = null;
    if (!state.policies.length) return;
    if (!state.full) {
      var waiting = { type: 'failure', errors: [{ code: 'page.engine-loading', severity: 'note', message: state.fullError || 'loading the policy engine\u2026', help: null, labels: [] }] };
      state.evaluation = waiting;
      state.policies.forEach(function (p) { renderPolicyDiagnostics(p, [], true); });
      return;
    }
    var request = currentRequest();
    var all = policiesForCore().concat(assumedPolicies());
    try {
      state.evaluation = callCore(function (api) { return api.simulate({ request: request, policies: all }); }, true);
    } catch (e) {
      state.evaluation = { type: 'failure', errors: [{ code: 'page.core-error', severity: 'error', message: 'the evaluation failed inside the analyser', help: null, labels: [] }] };
    }
    var read = state.evaluation && state.evaluation.type === 'success' ? state.evaluation : null;
    if (!read) {
      try {
        var probe = callCore(function (api) { return api.simulate({ request: PLACEHOLDER_REQUEST, policies: all }); }, true);
        if (probe && probe.type === 'success') read = probe;
      } catch (e) { read = null; }
    }
    state.policies.forEach(function (p, i) {
      var diags = read ? (read.diagnostics || []).filter(function (d) { return d.policyIndex === i && d.spanSource === 'document'; }) : [];
      renderPolicyDiagnostics(p, diags, !read);
    });
  }

  // ---------- rendering ----------

  function setSummary(text) {
    if (text === state.lastSummary) return;
    state.lastSummary = text;
    var node = $('summary');
    clear(node);
    append(node, prose(text));
  }

  function describe(report) {
    var all = report.findings || [];
    var findings = all.filter(function (f) { return f.repeatOf === undefined; });
    var secrets = (report.secrets || []).filter(function (s) { return s.kind !== 'aws-access-key-id'; });
    var parts = [];
    // The core's summary repeats the card's title for a single finding: it is
    // shown only when there is no card.
    if (!findings.length) parts.push(report.summary || 'No access denial recognised in this text.');
    else {
      var counted = all.length === findings.length ? '' : ' (' + all.length + ' in the text)';
      // A rate limit or a missing resource is a refusal but not a denial.
      var noun = findings.every(function (f) { return f.gate === 'not-auth'; }) ? ['refusal', 'refusals'] : ['denial', 'denials'];
      parts.push((findings.length === 1 ? 'One ' + noun[0] + ' found' + counted + ': ' : findings.length + ' different ' + noun[1] + ' found' + counted + ': ') +
        findings.slice(0, 6).map(function (f) {
          return providerName(f) + ', ' + (GATE_LABEL[f.gate] || String(f.gate)).toLowerCase() +
            (f.deny && f.deny !== 'unknown' ? ' (' + f.deny + ' deny)' : '') + (countOf(f) > 1 ? ' \u00d7' + countOf(f) : '');
        }).join('; ') + (findings.length > 6 ? '; \u2026' : '') + '.');
    }
    if (secrets.length) parts.push(secrets.length === 1 ? 'Warning: one credential-like value found; it has not left this browser.' : 'Warning: ' + secrets.length + ' credential-like values found; they have not left this browser.');
    return parts.join(' ');
  }

  function render(report, text) {
    var toIndex = state.toIndex;
    var ranges = [];
    var findings = report.findings || [];
    findings.forEach(function (f) {
      (f.evidence || []).forEach(function (ev) {
        if (ev && ev.span) ranges.push({ start: toIndex(ev.span.start), end: toIndex(ev.span.end), kind: 'evidence' });
      });
    });
    (report.secrets || []).forEach(function (s) {
      if (s && s.span) ranges.push({ start: toIndex(s.span.start), end: toIndex(s.span.end), kind: 'secret' });
    });
    if (state.focusRange) ranges.push({ start: state.focusRange[0], end: state.focusRange[1], kind: 'focus' });
    // Past this size, drawing the overlay costs more than it helps: no highlights.
    if (text.length > OVERLAY_LIMIT) ranges = [];
    editor.render(text.length > OVERLAY_LIMIT ? [] : ranges, text.length > OVERLAY_LIMIT);

    if (!text.trim()) setSummary('Paste an error message, or pick one from the examples, to see which gate failed and what to do.');
    else setSummary(describe(report));

    renderSecrets(report, text);
    renderInputDiagnostics(report, text);
    renderInputHints(text);
    renderNearAnswer(report, text);
    if (state.announceNext) { state.announceNext = false; announce(state.lastSummary); }

    var results = $('results');
    clear(results);
    if (!text.trim()) {
      results.appendChild(el('div', { class: 'empty' }, el('strong', null, 'Nothing to explain yet'),
        'Paste an error from AWS, Google Cloud, Azure, Kubernetes or an HTTP response. Try the examples menu to see what the results look like.'));
    } else if (!findings.length) {
      results.appendChild(el('div', { class: 'empty' }, el('strong', null, 'No denial recognised'),
        'The text does not contain an access-denied error this tool knows. Include the full message: the error code, the status line and any JSON body help.'));
    }
    eagerCards = findings.length <= 5 ? findings.length : 1;
    results.classList.toggle('many', findings.length > 5);
    findings.forEach(function (f, i) { if (f.repeatOf === undefined) results.appendChild(renderFinding(f, i, text)); });

    renderRequestEvaluation();
    markDeciders(findings);

    var has = !!text.trim();
    $('copy-markdown').disabled = !has;
    $('copy-json').disabled = !has;
    $('copy-link').disabled = !has;
  }

  function renderSecrets(report, text) {
    var box = $('secrets');
    clear(box);
    var secrets = report.secrets || [];
    if (!secrets.length) return;
    var toIndex = state.toIndex;
    var list = el('ul');
    secrets.forEach(function (s) {
      var start = toIndex(s.span ? s.span.start : 0);
      var lc = lineColumn(text, start);
      var expiry = s.expiresAt ? (s.expired ? ' It expired at ' + s.expiresAt + '.' : ' It is valid until ' + s.expiresAt + '.') : '';
      list.appendChild(el('li', null,
        el('strong', null, SECRET_LABEL[s.kind] || s.kind), ' at line ' + lc.line + ', column ' + lc.column + ', shown redacted as ',
        el('code', null, s.masked || '[redacted]'), '.' + expiry + ' ',
        el('button', { type: 'button', class: 'link-button', onclick: function () { focusRange(start, toIndex(s.span.end)); } }, 'Show in text')));
    });
    // An access key id (AKIA long-term, ASIA temporary) names a key; it is not the
    // key. It is masked like the rest, without the alarm kept for real secrets.
    var alarming = secrets.filter(function (s) { return s.kind !== 'aws-access-key-id'; }).length;
    var identifiers = !alarming;
    if (identifiers) {
      box.appendChild(el('section', { class: 'secrets identifiers', 'aria-labelledby': 'secrets-title', 'data-secrets': secrets.length, 'data-alarm': 'false' },
        el('h3', { id: 'secrets-title' }, secrets.length === 1 ? 'An AWS access key ID is masked' : secrets.length + ' AWS access key IDs are masked'),
        el('p', null, 'An access key ID names a key but cannot sign anything by itself (one starting ASIA belongs to temporary credentials). It is masked in copies, share links and downloads, keeping its first four characters.'),
        list));
      return;
    }
    box.appendChild(el('section', { class: 'secrets', 'aria-labelledby': 'secrets-title', 'data-secrets': secrets.length, 'data-alarm': 'true' },
      el('h3', { id: 'secrets-title' }, '\u26a0 This text contains ' + (alarming === 1 ? 'something that looks like a credential' : alarming + ' things that look like credentials') +
        (alarming < secrets.length ? ' (and ' + (secrets.length - alarming) + (secrets.length - alarming === 1 ? ' access key ID' : ' access key IDs') + ', masked too)' : '')),
      el('p', null, 'It has not left this browser: the analysis runs on this device, and copying, share links and downloads use the redacted text. If you have pasted it anywhere else (a ticket, a chat, a log), rotate it now.'),
      list));
  }

  // A policy pasted where the error goes: say where it belongs.
  function renderInputHints(text) {
    var box = $('input-hints');
    clear(box);
    var t = text.trim();
    if (!(t[0] === '{' || t[0] === '[') || !/"Statement"\s*:/.test(t) || !/"Effect"\s*:/.test(t)) return;
    if ((state.report && state.report.findings || []).length) return;
    box.appendChild(el('p', { class: 'note-warn', 'data-hint': 'policy-in-error-box' }, 'This looks like an AWS policy, not an error message. Policies go under \u201cPolicies and request\u201d, where they are evaluated against the request. ',
      el('button', { type: 'button', class: 'link-button', onclick: function () {
        var doc = input.value;
        replaceText('');
        $('policies-section').open = true;
        var p = addPolicy(doc);
        p.editor.input.focus();
        schedule(0);
      } }, 'Move it there')));
  }

  // On a narrow screen the results are below the box: the first answer is shown
  // under the box too, with a way down to the results.
  function renderNearAnswer(report, text) {
    var box = $('near-answer');
    clear(box);
    var f = (report.findings || [])[0];
    if (!f || !text.trim()) { box.hidden = true; return; }
    box.hidden = false;
    var n = (report.findings || []).filter(function (x) { return x.repeatOf === undefined; }).length;
    box.appendChild(el('p', { class: 'answer' }, prose(answerLine(f))));
    box.appendChild(el('a', { href: '#result-heading', class: 'button small', onclick: function (event) {
      event.preventDefault();
      var card = document.querySelector('[data-finding]') || $('result-heading');
      card.scrollIntoView({ block: 'start' });
      var b = card.querySelector('button');
      if (b) b.focus({ preventScroll: true });
    } }, n > 1 ? 'Jump to the ' + n + ' results' : 'Jump to the result'));
  }

  // Problems with the input itself (too large, malformed JSON), at their line.
  function renderInputDiagnostics(report, text) {
    var box = $('input-diagnostics');
    clear(box);
    var diags = report.diagnostics || [];
    if (!diags.length) return;
    var toIndex = state.toIndex;
    box.appendChild(el('ul', { class: 'diagnostics notes' }, diags.map(function (d) {
      var label = d.labels && d.labels[0];
      var start = label ? toIndex(label.start) : 0;
      var end = label ? toIndex(label.end) : 0;
      return el('li', { 'data-severity': d.severity, 'data-code': d.code || null },
        el('span', { class: 'badge' + (d.severity === 'error' ? ' deny-explicit' : '') }, d.severity || 'note'),
        label ? el('button', { type: 'button', class: 'link-button where', onclick: function () { focusRange(start, Math.max(end, start + 1)); } }, 'line ' + label.line + ', col ' + label.column) : null,
        el('span', null, prose(d.message + (d.help ? '. ' + d.help : ''))));
    })));
  }

  function focusRange(start, end) {
    state.focusRange = [start, end];
    if (state.report) render(state.report, input.value);
    editor.select(start, end);
  }

  function field(name, value, display, klass) {
    return { name: name, value: value, display: display, klass: klass };
  }

  function fieldAttrs(name, value, extraClass) {
    return { 'data-field': name, 'data-value': JSON.stringify(value === undefined ? null : value), class: extraClass || null };
  }

  function badge(name, value, label, klass, keyText) {
    var attrs = fieldAttrs(name, value, 'badge' + (klass ? ' ' + klass : ''));
    if (value === null || value === undefined) attrs.hidden = true;
    return el('span', attrs, keyText ? el('span', { class: 'k' }, keyText) : null, label);
  }

  // How many cards build their checklist with the card; later ones build it when
  // opened. All of them for a few findings, only the first for a long log.
  var eagerCards = Infinity;

  // The line a finding starts on, from 1.
  function findingLine(f, text) {
    return f.span ? lineColumn(text, state.toIndex(f.span.start)).line : null;
  }

  function renderFinding(f, i, text) {
    var toIndex = state.toIndex;
    var title = f.summary || ((PROVIDER_LABEL[f.provider] || 'Unknown') + ' ' + (f.errorCode || 'denial'));
    // Where the one-line answer is the summary itself (services without
    // policies, admission control), the title names what kind of refusal it is
    // instead of saying the same sentence twice.
    var flat = function (t) { return String(t || '').replace(/\.\s*$/, '').trim(); };
    // The answer to a refusal that is not an access decision is the summary
    // after "Not an access-control denial:" (the core's answer.rs).
    var answer = flat(answerLine(f)).replace(/^Not an access-control denial: /, '');
    if (answer === flat(title)) {
      title = providerName(f) + (f.errorCode ? ' `' + f.errorCode.replace(/`/g, '') + '`' : '') + ': ' + (GATE_LABEL[f.gate] || 'refusal').toLowerCase();
    }
    var card = el('article', { class: 'card', 'data-finding': i, 'aria-labelledby': 'finding-' + i + '-title' });
    var start = f.span ? toIndex(f.span.start) : 0;
    var end = f.span ? toIndex(f.span.end) : 0;
    var line = findingLine(f, text);
    var repeats = f.repeats || [];
    card.appendChild(el('div', { class: 'card-head' },
      el('h3', { class: 'card-title', id: 'finding-' + i + '-title' }, prose(title),
        countOf(f) > 1 ? el('span', { class: 'count', 'data-count': countOf(f) }, '\u00d7 ' + countOf(f)) : null),
      f.span ? el('div', { class: 'head-tools' },
        el('span', { class: 'where-line', 'data-line': line }, 'line ' + line),
        el('button', { type: 'button', class: 'button subtle small', onclick: function () { focusRange(start, end); }, 'aria-label': 'Show in text: finding ' + (i + 1) + ', line ' + line }, 'Show in text')) : null));
    if (repeats.length) {
      card.appendChild(el('p', { class: 'muted small' }, 'The same denial ' + countOf(f) + ' times, on lines ' +
        [line].concat(repeats.slice(0, 11).map(function (r) { return findingLine(r, text); })).join(', ') + (repeats.length > 11 ? ', \u2026' : '') + '.'));
    }

    card.appendChild(el('div', { class: 'badges' },
      badge('gate', f.gate, GATE_LABEL[f.gate] || String(f.gate), 'gate-' + f.gate),
      badge('httpStatus', f.httpStatus, f.httpStatus === null || f.httpStatus === undefined ? '' : String(f.httpStatus), null, 'HTTP '),
      badge('deny', f.deny, f.deny === 'explicit' ? 'Explicit deny' : f.deny === 'implicit' ? 'Implicit deny (no Allow)' : 'Deny kind not stated', 'deny-' + f.deny),
      badge('provider', f.provider, providerName(f)),
      badge('confidence', f.confidence, CONFIDENCE_LABEL[f.confidence] || String(f.confidence), 'confidence-' + f.confidence)));

    // The line to paste into a chat, then the steps that fit, then the rest.
    var answer = answerLine(f);
    card.appendChild(el('div', { class: 'answer-row' }, el('p', { class: 'answer', 'data-answer': '' }, prose(answer)),
      copyButton(function () { return scrub(answer.replace(/`/g, '')); }, 'Copy', 'Copy the one-line answer')));

    var pick = topSteps(f.checklist || []);
    if (pick.length) card.appendChild(renderSteps(f, i, pick, 'checklist top-steps'));

    var rows = [
      field('errorCode', f.errorCode, f.errorCode, 'Error code'),
      field('policyType', f.policyType, f.policyType ? (POLICY_LABEL[f.policyType] || f.policyType) : null, 'Policy type'),
      field('principal', f.principal, f.principal, 'Principal'),
      field('action', f.action, f.action, 'Action'),
      field('resource', f.resource, f.resource, 'Resource'),
    ];
    var dl = el('dl', { class: 'fields' });
    // Each field links to the phrase that decided it ("in text"), and a caret in
    // that phrase marks the field (see `linkEvidence`).
    var evidenceOf = {};
    (f.evidence || []).forEach(function (ev) { if (ev && ev.span && !evidenceOf[ev.field]) evidenceOf[ev.field] = ev.span; });
    rows.forEach(function (r) {
      dl.appendChild(el('dt', null, r.klass));
      var attrs = fieldAttrs(r.name, r.value, r.display ? null : 'none');
      var span = evidenceOf[r.name];
      dl.appendChild(el('dd', attrs, r.display || 'not stated in the message', span && r.display ? el('button', { type: 'button', class: 'link-button evidence-link', 'aria-label': 'in text: the phrase that gave the ' + r.klass.toLowerCase(),
        onclick: function () { focusRange(toIndex(span.start), toIndex(span.end)); } }, 'in text') : null));
    });
    (f.facts || []).forEach(function (fact) {
      dl.appendChild(el('dt', null, factLabel(fact.key)));
      // Kubernetes' core API group is the empty string: name it rather than show nothing.
      var shown = fact.key === 'apiGroup' && fact.value === '' ? '"" (core)' : fact.value;
      dl.appendChild(el('dd', { 'data-fact': fact.key }, shown));
    });
    card.appendChild(dl);

    if (f.evaluation) card.appendChild(renderFindingEvaluation(f.evaluation, i));

    // The other steps and the caveats, folded. With many findings, building every
    // checklist costs more than the rest of the page together: past the first few
    // cards they are built when opened.
    var rest = (f.checklist || []).length - pick.length;
    var caveats = (f.caveats || []).length;
    if (rest || caveats) {
      var parts = [];
      if (rest) parts.push(rest + (pick.length ? ' more step' : ' step') + (rest === 1 ? '' : 's'));
      if (caveats) parts.push('what the message cannot tell (' + caveats + ')');
      var more = el('details', { class: 'more-advice' }, el('summary', null, parts.join(', and ').replace(/^./, function (c) { return c.toUpperCase(); })));
      if (i < eagerCards) appendAdvice(more, f, i, pick);
      else {
        more.addEventListener('toggle', function () {
          if (more.open && more.childElementCount === 1) appendAdvice(more, f, i, pick);
        });
      }
      card.appendChild(more);
    }
    return card;
  }

  // The two or three steps that fit: the fix steps first; when there are fewer
  // than two, the diagnosis steps that come before them.
  // Advice that holds for every finding of its kind (`general.*`, such as "do not
  // rotate the credentials") comes after the steps specific to this one.
  function topSteps(items) {
    var fix = items.filter(function (it) { return it.stage === 'fix'; }).slice(0, 3);
    if (fix.length < 2) {
      var diag = items.filter(function (it) { return it.stage === 'diagnose'; });
      var specific = diag.filter(function (it) { return !/^general\./.test(it.id); });
      diag = specific.concat(diag.filter(function (it) { return specific.indexOf(it) < 0; }));
      fix = diag.slice(0, Math.max(0, 2 - fix.length)).concat(fix);
    }
    if (!fix.length) fix = items.slice(0, 2);
    return fix;
  }

  function renderSteps(f, i, items, klass) {
    var all = f.checklist || [];
    var list = el('ol', { class: klass });
    items.forEach(function (item) {
      var j = all.indexOf(item);
      var key = i + ':' + item.id + ':' + j;
      var boxId = 'check-' + i + '-' + j;
      var li = el('li', { 'data-check': item.id, class: state.checked[key] ? 'done' : null });
      var box = el('input', { type: 'checkbox', id: boxId });
      box.checked = !!state.checked[key];
      box.addEventListener('change', function () { state.checked[key] = box.checked; li.classList.toggle('done', box.checked); });
      li.appendChild(el('div', { class: 'check-row' }, box,
        el('label', { for: boxId }, el('span', { class: 'stage' }, STAGE_LABEL[item.stage] || item.stage || ''), ' ', el('span', { class: 'item-text' }, prose(item.text)))));
      if (item.command) {
        li.appendChild(el('div', { class: 'command' }, el('pre', null, el('code', null, item.command)),
          copyButton(function () { return scrub(item.command); }, 'Copy', 'Copy command: ' + scrub(item.command).slice(0, 60))));
      }
      list.appendChild(li);
    });
    return list;
  }

  // The rest of the checklist of finding `i`, then its caveats, appended to `into`.
  function appendAdvice(into, f, i, shown) {
    var rest = (f.checklist || []).filter(function (it) { return shown.indexOf(it) < 0; });
    if (rest.length) {
      into.appendChild(el('h4', { class: 'section-title' }, shown.length ? 'More steps' : 'Checklist'));
      into.appendChild(renderSteps(f, i, rest, 'checklist'));
    }
    if (f.caveats && f.caveats.length) {
      into.appendChild(el('h4', { class: 'section-title' }, 'What the message cannot tell'));
      into.appendChild(el('ul', { class: 'caveats' }, f.caveats.map(function (c) { return el('li', { 'data-caveat': c.code }, prose(c.text)); })));
    }
  }

  // ---------- the one-line answer ----------

  // Who can change each policy type: what a support engineer needs to say next.
  // How sure the reading is, as the core's `confidence` says.
  var CONFIDENCE_LABEL = {
    certain: 'Certain reading',
    likely: 'Likely reading',
    possible: 'Possible reading',
  };
  function factValue(f, key) {
    var hit = (f.facts || []).filter(function (x) { return x.key === key; })[0];
    return hit ? hit.value : null;
  }
  // One line a support engineer can paste into a chat: what denied it, and who
  // can change that. The core writes it (`answer`), so the page, the widget and
  // the command line say the same thing.
  function answerLine(f) {
    return String(f.answer || f.summary || '');
  }

  function factLabel(key) {
    var labels = { namespace: 'Namespace', apiGroup: 'API group', verb: 'Verb', scope: 'Scope', objectId: 'Object id', requestId: 'Request id', reason: 'Reason', constraint: 'Constraint', encodedMessage: 'Encoded message', via: 'Via', operation: 'Operation', region: 'Region', wwwAuthenticate: 'WWW-Authenticate', proxyAuthenticate: 'Proxy-Authenticate', expiresAt: 'Expires at', serverTime: 'Server time', policyArn: 'Policy ARN', appId: 'App id', assertionIssuer: 'Token issuer', assertionSubject: 'Token subject', assertionAudience: 'Token audience', permissionModel: 'Permissions', xAmzExpires: 'X-Amz-Expires (seconds)', vpcServiceControlsUniqueIdentifier: 'VPC-SC unique identifier', service: 'Service', domain: 'Domain', name: 'Name', origin: 'Origin', mayConceal: 'May conceal', denyAssignment: 'Deny assignment', eventSource: 'Event source', podSecurity: 'Pod Security level', admissionWebhook: 'Admission webhook', admissionPlugin: 'Admission plugin', matchedStatement: 'Matched statement', messageOf: 'Message of the code', serviceDisabled: 'Disabled API', tokenScope: 'Token scope', phrase: 'Words', credentialPlugin: 'Credential plugin', launchPermission: 'Decided by', project: 'Project', method: 'HTTP method', subresource: 'Subresource', podSecurityWarning: 'Pod Security level (warned)', caller: 'Caller', client: 'Client', documentationUrl: 'Documentation', githubMessage: 'GitHub says', permission: 'Permission', rateLimitRemaining: 'Rate limit remaining', rayId: 'Cloudflare Ray ID', server: 'Server', sshRefusal: 'SSH refusal', billingDisabled: 'Billing disabled', lockedScope: 'Locked scope', packageClient: 'Package client', projectRefused: 'Project refused', protectedBranch: 'Protected branch', registryError: 'Registry error', rpc: 'RPC method', servicePrincipal: 'Service principal', argoResource: 'Argo CD kind', shellCutUrl: 'Cut before', dbError: 'Database error', objectType: 'Object type', host: 'Client host', role: 'Role', database: 'Database', schema: 'Schema', vhost: 'Virtual host', anonymous: 'Anonymous' };
    return labels[key] || key;
  }

  function asText(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  // ---------- policy evaluation ----------

  var VERDICT_LABEL = {
    reproduces: 'Pasted policies reproduce it', allows: 'Pasted policies allow it',
    unknown: 'Not settled by the pasted policies', 'incomplete-request': 'Request incomplete',
  };
  var VERDICT_CLASS = { reproduces: 'decision-ExplicitlyDenied', allows: 'decision-Allowed', unknown: 'decision-Unknown', 'incomplete-request': 'decision-Unknown' };
  var OUTCOME_LABEL = { allow: 'allows', 'explicit-deny': 'denies explicitly', 'no-allow': 'no Allow', unknown: 'unknown', 'not-applicable': 'does not apply' };
  var TYPE_SHORT = {
    identity: 'Identity-based', resource: 'Resource-based', permissions_boundary: 'Permissions boundary', session: 'Session',
    scp: 'SCP', rcp: 'RCP', vpc_endpoint: 'VPC endpoint', trust: 'Trust', kms_key: 'KMS key',
  };
  var MATCH_MARK = { yes: '\u2713', no: '\u2717', unknown: '?', skipped: '\u2013' };
  var MATCH_WORD = { yes: 'matches', no: 'does not match', unknown: 'unknown', skipped: 'not checked' };

  // The page's policy editor that an evaluation's policy `index` refers to, when its
  // spans point into that editor's text (the page always sends documents as strings).
  function pagePolicy(result, index) {
    if (typeof index !== 'number') return null;
    var info = (result.policies || [])[index];
    var p = state.policies[index];
    if (!info || !p || info.spanSource !== 'document') return null;
    if (info.name !== (p.name || defaultName(p))) return null;
    return p;
  }

  function policyLabel(result, index, fallbackType, fallbackName) {
    var info = (result.policies || [])[index] || {};
    var type = info.policyType || fallbackType;
    var name = info.name || fallbackName;
    return { type: POLICY_LABEL[type] || type || 'policy', name: name || null, level: info.level || null };
  }

  function renderFindingEvaluation(ev, i) {
    var box = el('section', { class: 'evaluation', 'data-evaluation': 'finding', 'aria-labelledby': 'eval-' + i + '-title' });
    box.appendChild(el('div', { class: 'eval-head' },
      el('h4', { class: 'section-title', id: 'eval-' + i + '-title' }, 'Pasted policies'),
      el('span', fieldAttrs('verdict', ev.verdict, 'badge ' + (VERDICT_CLASS[ev.verdict] || '')), VERDICT_LABEL[ev.verdict] || String(ev.verdict))));
    box.appendChild(el('p', { class: 'verdict-text', 'data-verdict-text': '' }, prose(ev.text)));
    if (ev.verdict === 'incomplete-request' && ev.missing && ev.missing.length) {
      box.appendChild(el('p', null, el('button', { type: 'button', class: 'button subtle small', onclick: function () { fillRequest(ev.missing); } },
        'Fill in the ' + ev.missing.join(' and '))));
    }
    if (ev.result) box.appendChild(renderSimulation(ev.result, 'finding-' + i));
    return box;
  }

  // The evaluation of the request in the form, under the form.
  function renderRequestEvaluation() {
    var box = $('request-evaluation');
    clear(box);
    var ev = state.evaluation;
    if (!ev || !state.policies.length) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el('h3', { class: 'section-title' }, 'Evaluation of this request'));
    if (state.unified && ev.decision) {
      // The details are on the first card; here, the same decision and a way there.
      box.appendChild(el('div', { class: 'decision-line' }, el('span', { class: 'k' }, 'Decision'),
        decisionBadge(ev.decision, fieldAttrs('decision', ev.decision, 'badge big decision-' + ev.decision)),
        el('button', { type: 'button', class: 'link-button', onclick: function () {
          var card = document.querySelector('[data-finding="0"] .evaluation');
          if (card) { card.scrollIntoView({ block: 'start' }); var b = card.querySelector('button, [tabindex]'); if (b) b.focus({ preventScroll: true }); }
        } }, 'Details on the first card')));
      return;
    }
    if (ev.type === 'failure') {
      var loading = (ev.errors || [])[0] && ev.errors[0].code === 'page.engine-loading';
      box.appendChild(el('p', null, el('span', fieldAttrs('decision', null, 'badge decision-Unknown'), 'Not evaluated'), ' ',
        loading ? 'The policy engine is loading.' : 'Fill in the request to evaluate the policies against it.'));
      box.appendChild(el('ul', { class: 'diagnostics' }, (ev.errors || []).map(function (d) {
        return el('li', { 'data-code': d.code || null }, el('span', { class: 'badge' }, d.severity || 'note'), el('span', null, prose(d.message + (d.help ? ': ' + d.help : ''))));
      })));
      return;
    }
    box.appendChild(renderSimulation(ev, 'request'));
  }

  function decisionBadge(decision, attrs) {
    var a = attrs || { class: 'badge decision-' + decision };
    return el('span', a, DECISION_LABEL[decision] || String(decision));
  }

  function renderSimulation(r, key) {
    var wrap = el('div', { class: 'simulation' });
    var head = el('div', { class: 'decision-line' }, el('span', { class: 'k' }, 'Decision'),
      decisionBadge(r.decision, fieldAttrs('decision', r.decision, 'badge big decision-' + r.decision)));
    if (r.sameAccount === true) head.appendChild(el('span', { class: 'muted small' }, 'same-account request'));
    else if (r.sameAccount === false) head.appendChild(el('span', { class: 'muted small' }, 'cross-account request: both sides must allow'));
    wrap.appendChild(head);

    if (r.byPolicyType && r.byPolicyType.length) {
      wrap.appendChild(el('div', { class: 'badges by-type', 'aria-label': 'Result by policy type' }, r.byPolicyType.map(function (t) {
        return el('span', { class: 'badge outcome-' + t.result, 'data-policy-type': t.policyType, 'data-outcome': t.result },
          el('span', { class: 'k' }, (TYPE_SHORT[t.policyType] || t.policyType) + (t.level ? ' (' + t.level + ')' : '') + ':'), OUTCOME_LABEL[t.result] || t.result);
      })));
    }

    var denied = r.deniedBy || [];
    if (denied.length) {
      wrap.appendChild(el('h5', { class: 'sub-title' }, r.decision === 'ExplicitlyDenied' ? 'Deciding statement' + (denied.length > 1 ? 's' : '') : 'Where an Allow is missing'));
      wrap.appendChild(el('ul', { class: 'deciders' }, denied.map(function (d) { return renderDecider(r, d); })));
    }

    var missing = r.missingContext || [];
    if (missing.length) {
      wrap.appendChild(el('h5', { class: 'sub-title' }, 'Depends on context the request does not give'));
      var list = el('ul', { class: 'missing-context' });
      missing.forEach(function (m) {
        (m.outcomes || []).forEach(function (o) {
          var test = o.operator + ' ' + ((o.values || []).length > 1 ? '[' + o.values.join(', ') + ']' : (o.values || [''])[0]);
          var where = policyLabel(r, o.policyIndex, o.policyType, o.policyName);
          list.appendChild(el('li', { 'data-context-key': m.key },
            el('div', null, decisionBadge(o.whenTrue), ' if ', el('code', null, m.key), ' satisfies ', el('code', null, test), ', otherwise ', decisionBadge(o.whenFalse)),
            el('div', { class: 'muted small' }, 'From ' + (o.sid ? 'statement ' + o.sid : 'statement #' + (o.statement + 1)) + ' of the ' + inText(where.type) + (where.name ? ' ' + where.name : '') + '. ',
              el('button', { type: 'button', class: 'link-button', onclick: function () { addContextKey(m.key); } }, 'Give a value for ' + m.key))));
        });
      });
      wrap.appendChild(list);
    }

    var unevaluated = (r.unevaluated || []).filter(function (u) { return u.matters; });
    if (unevaluated.length) {
      wrap.appendChild(el('h5', { class: 'sub-title' }, 'Could not be evaluated'));
      wrap.appendChild(el('ul', { class: 'plain' }, unevaluated.map(function (u) { return el('li', { 'data-code': u.code }, prose(u.message)); })));
    }

    if (r.fix) wrap.appendChild(renderFix(r, r.fix));

    var problems = (r.diagnostics || []).filter(function (d) { return d.severity === 'error'; });
    if (problems.length) {
      wrap.appendChild(el('p', { class: 'muted small' }, problems.length === 1 ? 'One policy has an error; see it under the policy.' : problems.length + ' errors in the policies; see them under each policy.'));
    }
    if (r.trace && r.trace.length) wrap.appendChild(renderTrace(r, key));
    return wrap;
  }

  // A label such as "Service control policy (SCP)" in running text; acronyms stay.
  function inText(label) {
    return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  }

  var CHANGE_CAPTION = { 'remove-action': 'The statement\u2019s new Action value', 'add-condition': 'Merge into the statement\u2019s Condition', 'add-statement': 'Statement to add' };

  function statementName(sid, index) {
    return sid ? el('code', null, sid) : 'statement #' + (index + 1);
  }

  function renderDecider(r, d) {
    var where = policyLabel(r, d.policyIndex, d.policyType, d.policyName);
    var p = pagePolicy(r, d.policyIndex);
    var assumed = typeof d.policyIndex === 'number' && d.policyIndex >= state.policies.length && !!(r.policies || [])[d.policyIndex];
    var li = el('li', { class: 'decider', 'data-decider': d.kind, 'data-code': d.code });
    var named = ['the ' + inText(where.type), where.name ? ' ' : null, where.name ? el('code', null, where.name) : null, where.level ? ' at level ' + where.level : null];
    if (d.kind === 'explicit') {
      li.appendChild(el('div', null, el('strong', null, 'Deny'), ' ', statementName(d.sid, d.statement), ' in ', named, ' ',
        p && d.span ? el('button', { type: 'button', class: 'link-button', onclick: function () { showDecider(p, d.span); } }, 'Show in policy') : null));
      if (p && d.span) li.appendChild(excerpt(p, d.span));
    } else if (d.code === 'eval.no-policy-of-type') {
      li.appendChild(el('div', null, 'No ' + inText(where.type) + ' was pasted, and this side must allow the request.'));
    } else {
      li.appendChild(el('div', null, 'No statement allows it in ', named, assumed ? ' (assumed, not pasted)' : '', ' ',
        p ? el('button', { type: 'button', class: 'link-button', onclick: function () { showPolicy(p); } }, 'Show policy') : null));
    }
    return li;
  }

  // The deciding statement as it reads in its policy, with line numbers.
  function excerpt(p, span) {
    var text = p.editor.input.value;
    var idx = byteToIndexer(sentText(p));
    var start = idx(span.start);
    var end = idx(span.end);
    var lineStart = text.lastIndexOf('\n', start - 1) + 1;
    var first = lineColumn(text, start).line;
    var lines = (text.slice(lineStart, start).replace(/\S/g, ' ') + text.slice(start, end)).split('\n');
    var MAX = 14;
    var shown = lines.slice(0, MAX);
    var pre = el('pre', { class: 'excerpt', 'data-excerpt': '', tabindex: '0', role: 'region', 'aria-label': 'The deciding statement in its policy' }, shown.map(function (line, k) {
      return el('span', { class: 'line' }, el('span', { class: 'ln', 'aria-hidden': 'true' }, String(first + k)), line || ' ');
    }));
    if (lines.length > MAX) pre.appendChild(el('span', { class: 'line more' }, el('span', { class: 'ln', 'aria-hidden': 'true' }, '\u22ee'), '\u2026 ' + (lines.length - MAX) + ' more lines'));
    return pre;
  }

  function renderFix(r, fix) {
    var box = el('div', { class: 'fix', 'data-fix': fix.kind });
    box.appendChild(el('h5', { class: 'sub-title' }, 'Suggested fix'));
    box.appendChild(el('p', null, prose(fix.summary.charAt(0).toUpperCase() + fix.summary.slice(1) + '.')));
    (fix.changes || []).forEach(function (c) {
      var p = pagePolicy(r, c.policyIndex);
      var hasJson = c.json !== null && c.json !== undefined;
      var body = hasJson ? JSON.stringify(c.json, null, 2) : '';
      box.appendChild(el('div', { class: 'fix-change', 'data-change': c.action },
        el('p', null, prose(c.note.charAt(0).toUpperCase() + c.note.slice(1) + (hasJson ? ':' : '.')), ' ',
          p && c.span ? el('button', { type: 'button', class: 'link-button', onclick: function () { showDecider(p, c.span); } }, 'Show in policy') : null),
        hasJson && CHANGE_CAPTION[c.action] ? el('div', { class: 'caption' }, CHANGE_CAPTION[c.action]) : null,
        hasJson ? el('div', { class: 'command' }, el('pre', null, el('code', null, body)),
          copyButton(function () { return scrub(body); }, 'Copy', 'Copy the suggested JSON')) : null));
    });
    (fix.warnings || []).forEach(function (w) { box.appendChild(el('p', { class: 'note-warn' }, prose(w.charAt(0).toUpperCase() + w.slice(1) + '.'))); });
    return box;
  }

  function renderTrace(r, key) {
    var withPrincipal = r.trace.some(function (t) { return !!t.principal; });
    var heads = ['Policy', 'Statement', 'Effect', 'Applies', 'Action', 'Resource'].concat(withPrincipal ? ['Principal'] : []);
    var rows = [];
    r.trace.forEach(function (t) {
      var where = policyLabel(r, t.policyIndex, t.policyType, null);
      function cell(e) {
        if (!e) return el('td', { class: 'muted' }, '');
        // The value that decided it is shown, not only in a tooltip that keyboard
        // and touch cannot reach.
        return el('td', { class: 'm-' + e.matched, title: MATCH_WORD[e.matched] || null }, el('span', { class: 'mark' }, MATCH_MARK[e.matched] || '?'),
          e.by ? el('div', { class: 'muted small trace-by' }, e.by) : null, e.note ? el('div', { class: 'muted small' }, e.note) : null);
      }
      rows.push(el('tr', { class: t.applies === 'yes' ? 'applies' : null },
        el('td', null, where.name || where.type, el('div', { class: 'muted small' }, TYPE_SHORT[t.policyType] || t.policyType)),
        el('td', null, t.sid ? el('code', null, t.sid) : '#' + (t.statement + 1)),
        el('td', { class: 'effect-' + t.effect }, t.effect || '?'),
        el('td', { class: 'm-' + t.applies, title: MATCH_WORD[t.applies] }, MATCH_MARK[t.applies] || '?'),
        cell(t.action), cell(t.resource), withPrincipal ? cell(t.principal) : null));
      if (t.conditions && t.conditions.length) {
        rows.push(el('tr', { class: 'cond-row' + (t.applies === 'yes' ? ' applies' : '') }, el('td', null), el('td', { colspan: heads.length - 1 },
          t.conditions.map(function (c) {
            var detail = c.result === 'yes' ? '' : (c.policyValues && c.policyValues.length ? 'policy: ' + c.policyValues.join(', ') : '') +
              (c.requestValues ? '; request: ' + c.requestValues.join(', ') : c.keyKnown ? '; request: absent' : '; request: not given');
            return el('div', { class: 'cond m-' + c.result, title: MATCH_WORD[c.result] },
              el('span', { class: 'mark' }, MATCH_MARK[c.result] || '?'), ' ', el('code', null, c.operator + ' ' + c.key),
              detail ? el('span', { class: 'muted' }, ' ' + detail) : null, c.note ? el('span', { class: 'muted' }, ' (' + c.note + ')') : null);
          }))));
      }
    });
    return el('details', { class: 'trace', 'data-trace': key },
      el('summary', null, 'Statement-by-statement trace (' + r.trace.length + (r.trace.length === 1 ? ' statement)' : ' statements)')),
      el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Trace of every statement' }, el('table', null,
        el('thead', null, el('tr', null, heads.map(function (h) { return el('th', { scope: 'col' }, h); }))),
        el('tbody', null, rows))),
      el('p', { class: 'muted small' }, '\u2713 matches, \u2717 does not match, ? depends on something unknown, \u2013 not checked. Under each mark, the value that decided it.'));
  }

  // Highlights every explicitly deciding statement in its policy editor.
  function markDeciders(findings) {
    var results = findings.map(function (f) { return f.evaluation && f.evaluation.result; });
    if (state.evaluation && state.evaluation.type === 'success') results.push(state.evaluation);
    state.policies.forEach(function (p) { p.deciders = []; });
    results.forEach(function (r) {
      if (!r) return;
      (r.deniedBy || []).forEach(function (d) {
        var p = d.kind === 'explicit' && d.span ? pagePolicy(r, d.policyIndex) : null;
        if (!p) return;
        var idx = byteToIndexer(sentText(p));
        p.deciders.push([idx(d.span.start), idx(d.span.end)]);
      });
    });
    state.policies.forEach(renderPolicyHighlights);
  }

  function fillRequest(missing) {
    $('policies-section').open = true;
    var first = missing && missing[0];
    var target = first && requestFields[first];
    if (target) target.focus();
  }

  function addContextKey(key) {
    var box = $('req-context');
    var context = {};
    try { context = box.value.trim() ? JSON.parse(box.value) : {}; } catch (e) { context = null; }
    $('policies-section').open = true;
    if (context && typeof context === 'object' && !Array.isArray(context)) {
      if (!(key in context)) context[key] = '';
      box.value = JSON.stringify(context, null, 2);
    }
    box.focus();
    var at = box.value.indexOf(JSON.stringify(key));
    if (at >= 0) {
      var valueAt = box.value.indexOf('"', at + JSON.stringify(key).length + 1);
      if (valueAt >= 0) box.setSelectionRange(valueAt + 1, valueAt + 1);
    }
  }

  // ---------- policies ----------

  // Finds the first JSON syntax error and its index (JSON.parse does not always
  // say where). Returns null for valid JSON.
  function jsonError(text) {
    var i = 0;
    var n = text.length;
    var depth = 0;
    function fail(message) { throw { index: Math.min(i, n), message: message }; }
    function ws() {
      while (i < n) { var c = text.charCodeAt(i); if (c === 32 || c === 9 || c === 10 || c === 13) i++; else break; }
    }
    function string() {
      i++;
      while (i < n) {
        var c = text[i];
        if (c === '"') { i++; return; }
        if (c === '\\') { i += 2; continue; }
        if (c < ' ') fail('control character inside a string');
        i++;
      }
      fail('unterminated string');
    }
    function container(close) {
      if (++depth > 512) fail('nested too deeply');
      i++;
      ws();
      if (text[i] === close) { i++; depth--; return; }
      for (;;) {
        ws();
        if (close === '}') {
          if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before `}`' : 'expected a property name in double quotes');
          string();
          ws();
          if (text[i] !== ':') fail('expected `:` after the property name');
          i++;
        } else if (text[i] === ']') fail('trailing comma before `]`');
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === close) { i++; depth--; return; }
        fail(i >= n ? 'unexpected end of input, expected `' + close + '`' : 'expected `,` or `' + close + '`');
      }
    }
    function value() {
      ws();
      if (i >= n) fail('unexpected end of input, expected a value');
      var c = text[i];
      if (c === '{') return container('}');
      if (c === '[') return container(']');
      if (c === '"') return string();
      var number = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
      number.lastIndex = i;
      if ((c === '-' || (c >= '0' && c <= '9')) && number.exec(text)) { i = number.lastIndex; return; }
      var words = ['true', 'false', 'null'];
      for (var k = 0; k < words.length; k++) if (text.startsWith(words[k], i)) { i += words[k].length; return; }
      fail('unexpected character `' + c + '`');
    }
    try {
      value();
      ws();
      if (i < n) fail('unexpected text after the end of the document');
      return null;
    } catch (e) {
      if (e && typeof e.index === 'number') return e;
      throw e;
    }
  }

  function guessPolicyType(text) {
    var statements = [];
    try {
      var doc = JSON.parse(text);
      var s = doc && doc.Statement;
      statements = Array.isArray(s) ? s : s ? [s] : [];
    } catch (e) {
      if (!/"(Not)?Principal"\s*:/.test(text)) return 'identity';
      return /"sts:AssumeRole/i.test(text) ? 'trust' : 'resource';
    }
    var withPrincipal = statements.filter(function (st) { return st && (st.Principal !== undefined || st.NotPrincipal !== undefined); });
    if (!withPrincipal.length) return 'identity';
    var assumes = withPrincipal.some(function (st) {
      var actions = [].concat(st.Action || []);
      return actions.some(function (a) { return typeof a === 'string' && /^sts:AssumeRole/i.test(a); });
    });
    return assumes ? 'trust' : 'resource';
  }

  function showPolicy(p) {
    $('policies-section').open = true;
    p.node.scrollIntoView({ block: 'center' });
    p.editor.input.focus();
  }

  function showDecider(p, span) {
    var idx = byteToIndexer(sentText(p));
    $('policies-section').open = true;
    p.editor.select(idx(span.start), idx(span.end));
    p.node.scrollIntoView({ block: 'nearest' });
  }

  function renderPolicyHighlights(p) {
    var ranges = (p.diagRanges || []).slice();
    (p.deciders || []).forEach(function (r) { ranges.push({ start: r[0], end: r[1], kind: 'decider' }); });
    p.editor.render(ranges);
  }

  // Shows the core's diagnostics for one policy (labels are byte offsets into the
  // policy's own text, with the core's line and column) and underlines them.
  function renderPolicyDiagnostics(p, diags, coreSilent) {
    var text = p.editor.input.value;
    var idx = byteToIndexer(sentText(p));
    var list = p.diagList;
    clear(list);
    p.diagRanges = [];
    (p.assumptions || []).forEach(function (note) {
      list.appendChild(el('li', { 'data-severity': 'info', 'data-code': 'page.assumed', 'data-line': note.line },
        el('span', { class: 'badge' }, 'assumed'),
        el('button', { type: 'button', class: 'link-button where', onclick: function () { p.editor.select(note.index, note.index + 1); } }, 'line ' + note.line),
        el('span', null, prose(note.message))));
    });
    if (!diags.length && coreSilent && text.trim()) {
      // The core could not be asked; still point at JSON typos at once.
      var bad = jsonError(text);
      if (bad) {
        var lc = lineColumn(text, bad.index);
        diags = [{ severity: 'error', code: 'json.syntax', message: 'invalid JSON: ' + bad.message, labels: [{ line: lc.line, column: lc.column, _index: bad.index }] }];
      }
    }
    diags.forEach(function (d) {
      var label = d.labels && d.labels[0];
      var s = 0;
      var e = 0;
      if (label) {
        s = label._index !== undefined ? label._index : idx(label.start);
        e = label._index !== undefined ? Math.min(text.length, s + 1) : idx(label.end);
        e = Math.max(e, Math.min(text.length, s + 1));
        p.diagRanges.push({ start: s, end: e, kind: 'diag' });
      }
      list.appendChild(el('li', { 'data-severity': d.severity, 'data-code': d.code || null, 'data-line': label ? label.line : null },
        el('span', { class: 'badge sev-' + (d.severity || 'info') }, d.severity || 'note'),
        label ? el('button', { type: 'button', class: 'link-button where', onclick: function () { p.editor.select(s, e); } }, 'line ' + label.line + ', col ' + label.column) : null,
        el('span', null, prose(d.message + (d.help ? ': ' + d.help : '')))));
    });
    renderPolicyHighlights(p);
  }

  // A readable default name: the policy's type and, when there are several of a
  // type, its number among them ("SCP 2"); or its first statement's Sid.
  function defaultName(p) {
    var NAME = { identity: 'identity policy', resource: 'resource policy', permissions_boundary: 'permissions boundary', session: 'session policy',
      scp: 'SCP', rcp: 'RCP', vpc_endpoint: 'VPC endpoint policy', trust: 'trust policy', kms_key: 'KMS key policy' };
    var same = state.policies.filter(function (q) { return q.type === p.type; });
    return (NAME[p.type] || p.type) + (same.length > 1 ? ' ' + (same.indexOf(p) + 1) : '');
  }

  function addPolicy(initialText, initialType) {
    var id = state.nextPolicyId++;
    var p = { id: id, type: initialType || 'identity', typeGuessed: !initialType, name: '', level: '', deciders: [], diagRanges: [] };
    var typeSelect = el('select', { id: 'policy-type-' + id });
    EDITABLE_TYPES.forEach(function (t) { typeSelect.appendChild(el('option', { value: t }, POLICY_LABEL[t])); });
    var guessNote = el('span', { class: 'guess' }, '');
    var nameInput = el('input', { type: 'text', id: 'policy-name-' + id, placeholder: 'policy-' + id, spellcheck: 'false', autocomplete: 'off' });
    var levelInput = el('input', { type: 'text', id: 'policy-level-' + id, placeholder: 'root, ou-…, account', spellcheck: 'false', autocomplete: 'off' });
    var levelLabel = el('label', null, 'Level', levelInput);
    var textarea = el('textarea', { id: 'policy-text-' + id, class: 'editor-input', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'policy-diags-' + id, rows: '8' });
    var highlights = el('div', { class: 'editor-highlights' });
    var diagList = el('ul', { class: 'diagnostics', id: 'policy-diags-' + id, 'aria-label': 'Problems in this policy' });
    var removeBtn = el('button', { type: 'button', class: 'button subtle small' }, 'Remove');
    var node = el('div', { class: 'policy', role: 'group', 'aria-labelledby': 'policy-title-' + id },
      el('div', { class: 'policy-head' },
        el('h3', { id: 'policy-title-' + id, class: 'visually-hidden' }, 'Policy ' + id),
        el('label', null, 'Type', typeSelect),
        levelLabel,
        el('label', { class: 'grow' }, 'Name', nameInput),
        removeBtn),
      guessNote,
      el('label', { for: 'policy-text-' + id, class: 'field-label' }, 'Policy document (JSON)'),
      el('div', { class: 'editor' }, el('div', { class: 'editor-backdrop', 'aria-hidden': 'true' }, highlights), textarea),
      diagList);
    p.node = node;
    p.editor = new Editor(textarea, highlights);
    p.diagList = diagList;

    function updateLevel() { levelLabel.hidden = !(p.type === 'scp' || p.type === 'rcp'); }
    function updateGuess() {
      if (!p.typeGuessed) { guessNote.textContent = 'Type chosen by you.'; return; }
      p.type = guessPolicyType(textarea.value);
      typeSelect.value = p.type;
      guessNote.textContent = 'Type guessed from the document; change it if it is wrong.';
      updateLevel();
      nameInput.placeholder = defaultName(p);
    }
    typeSelect.addEventListener('change', function () { p.type = typeSelect.value; p.typeGuessed = false; updateGuess(); updateLevel(); nameInput.placeholder = defaultName(p); schedule(0); });
    nameInput.addEventListener('input', function () { p.name = nameInput.value.trim(); schedule(250); });
    levelInput.addEventListener('input', function () { p.level = levelInput.value.trim(); schedule(250); });
    textarea.addEventListener('input', function () { p.deciders = []; updateGuess(); schedule(200); });
    removeBtn.addEventListener('click', function () {
      state.policies = state.policies.filter(function (q) { return q !== p; });
      node.remove();
      $('add-policy').focus();
      schedule(0);
    });
    textarea.value = initialText || '';
    typeSelect.value = p.type;
    state.policies.push(p);
    $('policies').appendChild(node);
    updateGuess();
    updateLevel();
    return p;
  }

  $('policies-section').addEventListener('toggle', function () { if (this.open) ensureFull(); });
  $('add-policy').addEventListener('click', function () {
    var p = addPolicy('');
    p.editor.input.focus();
    schedule(0);
  });
  Object.keys(requestFields).forEach(function (key) {
    requestFields[key].addEventListener('input', function () { dirty[key] = requestFields[key].value !== ''; schedule(250); });
  });
  $('req-context').addEventListener('input', function () { schedule(300); });
  $('req-complete').addEventListener('change', function () { schedule(0); });

  // ---------- Markdown, JSON, share link ----------

  function mdInline(value) {
    var s = String(value).replace(/\r?\n/g, ' ');
    var ticks = '`';
    while (s.indexOf(ticks) !== -1) ticks += '`';
    return ticks + (s[0] === '`' ? ' ' : '') + s + (s[s.length - 1] === '`' ? ' ' : '') + ticks;
  }
  function mdFence(body, lang) {
    var fence = '```';
    while (body.indexOf(fence) !== -1) fence += '`';
    return fence + (lang || '') + '\n' + body.replace(/\n$/, '') + '\n' + fence;
  }
  function mdText(value) { return String(value).replace(/([\\`*_[\]<>|])/g, '\\$1'); }
  // The core's prose marks identifiers with backticks, which Markdown keeps as code.
  function mdProse(value) {
    var parts = String(value).replace(/\r?\n/g, ' ').split('`');
    if (parts.length % 2 === 0) return mdText(value);
    return parts.map(function (p, i) { return i % 2 ? p : p.replace(/([\\*_[\]<>|])/g, '\\$1'); }).join('`');
  }

  // The lines around a finding in the pasted text (not the head of the paste: in
  // a CI log the error is far from the top), at most `n` lines either side.
  function excerptAround(f, text, n) {
    if (!f.span) return '';
    var startLine = lineColumn(text, state.toIndex(f.span.start)).line;
    var endLine = lineColumn(text, state.toIndex(f.span.end)).line;
    var lines = text.split('\n');
    var from = Math.max(1, startLine - n);
    var to = Math.min(lines.length, Math.max(endLine, startLine) + n, from + 14);
    return lines.slice(from - 1, to).map(function (l) { return l.length > 400 ? l.slice(0, 400) + ' \u2026' : l; }).join('\n');
  }

  function keyFacts(f) {
    var facts = [];
    if (f.errorCode) facts.push(['Error', f.errorCode + (f.httpStatus ? ' (HTTP ' + f.httpStatus + ')' : '')]);
    else if (f.httpStatus) facts.push(['HTTP', String(f.httpStatus)]);
    if (f.principal) facts.push(['Principal', f.principal]);
    if (f.action) facts.push(['Action', f.action]);
    if (f.resource) facts.push(['Resource', f.resource]);
    ['requestId', 'policyArn', 'region', 'namespace'].forEach(function (k) { var v = factValue(f, k); if (v) facts.push([factLabel(k), v]); });
    return facts;
  }

  // Chat-ready: the one-line answer, the key facts (with the request id), the two or
  // three steps, the lines around the error and the share link. No HTML, no tables,
  // no task-list boxes: Slack, Teams and ticket tools show those raw.
  // `slack`: Slack's mrkdwn (*bold*, no headings).
  // The short form's label: only an authorization failure is an "access
  // denied"; a refused credential or a rate limit is not (render.rs chat_label).
  function chatLabel(gate) {
    if (gate === 'authorization') return 'Access denied';
    if (gate === 'authentication') return 'Credentials refused';
    return 'Refused';
  }

  function toShort(report, text, link, slack) {
    var out = [];
    var findings = (report.findings || []).filter(function (f) { return f.repeatOf === undefined; });
    var bold = function (t) { return slack ? '*' + t + '*' : '**' + t + '**'; };
    if (!findings.length) out.push(slack ? 'No access denial recognised in this text.' : 'No access denial recognised in this text.');
    findings.slice(0, 3).forEach(function (f, i) {
      if (i) out.push('');
      var count = countOf(f) > 1 ? ' (\u00d7' + countOf(f) + ')' : '';
      out.push(bold((findings.length > 1 ? (i + 1) + '. ' : '') + chatLabel(f.gate) + count + ':') + ' ' + (slack ? answerLine(f) : mdProse(answerLine(f))));
      keyFacts(f).forEach(function (kv) { out.push('\u2022 ' + kv[0] + ': ' + mdInline(kv[1])); });
      var steps = topSteps(f.checklist || []);
      if (steps.length) {
        out.push('', bold('Next steps'));
        steps.forEach(function (st, k) {
          out.push((k + 1) + '. ' + (slack ? st.text : mdProse(st.text)));
          if (st.command) out.push(mdFence(st.command, slack ? '' : 'sh'));
        });
      }
      var around = excerptAround(f, text, 2);
      if (around) out.push('', bold('Error (line ' + findingLine(f, text) + ')'), mdFence(around, slack ? '' : 'text'));
    });
    if (findings.length > 3) out.push('', '\u2026and ' + (findings.length - 3) + ' more denials in the text.');
    if ((report.secrets || []).length) out.push('', '_Credentials in the text are masked above._');
    if (link) out.push('', (slack ? 'Full explanation: ' : 'Full explanation: ') + link);
    return out.join('\n');
  }

  // The full report: every finding, every step, the caveats and the excerpt.
  function toMarkdown(report, text, link) {
    var out = ['## Access denied: what happened', ''];
    var findings = (report.findings || []).filter(function (f) { return f.repeatOf === undefined; });
    out.push(mdProse(describe({ findings: report.findings || [], secrets: [], summary: report.summary })), '');
    findings.forEach(function (f, i) {
      var count = countOf(f) > 1 ? ' (\u00d7' + countOf(f) + ')' : '';
      out.push('### ' + (findings.length > 1 ? (i + 1) + '. ' : '') + mdProse(f.summary || (PROVIDER_LABEL[f.provider] + ' denial')) + count, '');
      out.push(mdProse(answerLine(f)), '');
      [['Provider', providerName(f)], ['Gate', GATE_LABEL[f.gate] || f.gate], ['HTTP status', f.httpStatus, true],
        ['Error code', f.errorCode, true], ['Deny', f.deny && f.deny + ' deny'], ['Policy type', f.policyType && (POLICY_LABEL[f.policyType] || f.policyType)],
        ['Principal', f.principal, true], ['Action', f.action, true], ['Resource', f.resource, true]].forEach(function (row) {
        if (row[1] === null || row[1] === undefined || row[1] === '') return;
        out.push('- ' + row[0] + ': ' + (row[2] ? mdInline(row[1]) : mdText(row[1])));
      });
      (f.facts || []).forEach(function (fact) { out.push('- ' + mdText(factLabel(fact.key)) + ': ' + mdInline(fact.value)); });
      out.push('');
      if (f.evaluation) {
        var ev = f.evaluation;
        out.push('**Pasted policies (' + mdText(VERDICT_LABEL[ev.verdict] || ev.verdict) + '):** ' + mdProse(ev.text), '');
        if (ev.result && ev.result.fix) {
          (ev.result.fix.changes || []).forEach(function (c) {
            out.push('- ' + mdProse(c.note), '', mdFence(JSON.stringify(c.json, null, 2), 'json').replace(/^/gm, '  '), '');
          });
        }
      }
      if (f.checklist && f.checklist.length) {
        out.push('**Steps**', '');
        f.checklist.forEach(function (item, k) {
          out.push((k + 1) + '. ' + (STAGE_LABEL[item.stage] ? '*' + STAGE_LABEL[item.stage] + ':* ' : '') + mdProse(item.text));
          if (item.command) out.push('', mdFence(item.command, 'sh').replace(/^/gm, '   '), '');
        });
        out.push('');
      }
      if (f.caveats && f.caveats.length) {
        out.push('**What the message cannot tell**', '');
        f.caveats.forEach(function (c) { out.push('- ' + mdProse(c.text)); });
        out.push('');
      }
      var around = excerptAround(f, text, 3);
      if (around) out.push('**The error in the text (line ' + findingLine(f, text) + ')**', '', mdFence(around, 'text'), '');
    });
    if ((report.secrets || []).length) out.push('> Credentials in the original text are masked.', '');
    if (link) out.push('Share link: ' + link, '');
    out.push('_Explained offline by Denial Explainer._');
    return out.join('\n');
  }

  // The Markdown to copy, in the chosen form, redacted.
  function markdownFor(form) {
    var text = input.value;
    return shareLink().catch(function () { return null; }).then(function (made) {
      var link = made && made.url && made.link ? made.link : null;
      var body = form === 'full' ? toMarkdown(state.report, text, link) : toShort(state.report, text, link, form === 'slack');
      return scrub(body);
    });
  }

  function base64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function fromBase64url(text) {
    var s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    var bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }
  function pipe(bytes, stream) {
    return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  // ---------- share links ----------
  //
  // `#s=<base64url of raw DEFLATE of JSON>`: the whole redacted state (the error
  // text as the core redacted it, the policies, the request, the context and the
  // ticked steps). `#v1=` (older links) holds the text alone. `#error=<percent-
  // encoded text>` is the prefill format a docs site or a ticketing tool can build
  // by hand ("Open in denial-explainer"). All stay in the fragment, which browsers
  // never send, and in the address bar, so a reload restores them.
  var SHARE_LIMIT = 1 << 20;
  var SHARE_LIMIT_TEXT = '1 MiB';
  function refusal(message) { var e = new Error(message); e.refused = true; return e; }
  // Unpacks at most SHARE_LIMIT bytes: a link that would unpack to more (a
  // decompression bomb: 21 KB of link can hold 16 MiB) is refused as soon as the
  // count passes the limit, without unpacking the rest.
  function inflateBounded(bytes) {
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    var chunks = [];
    var total = 0;
    function next() {
      return reader.read().then(function (r) {
        if (r.done) {
          var outBytes = new Uint8Array(total);
          var at = 0;
          chunks.forEach(function (c) { outBytes.set(c, at); at += c.length; });
          return new TextDecoder().decode(outBytes);
        }
        total += r.value.length;
        if (total > SHARE_LIMIT) {
          reader.cancel().catch(function () {});
          throw refusal('This link unpacks to more than ' + SHARE_LIMIT_TEXT + ', more than a link made by this page holds, so it was not opened.');
        }
        chunks.push(r.value);
        return next();
      });
    }
    return next();
  }

  function publicBase() {
    if (/^https?:$/.test(location.protocol)) return location.href.split('#')[0];
    var meta = document.querySelector('meta[name="denial-explainer-public-url"]');
    var url = meta && meta.getAttribute('content');
    return url && /^https:\/\//.test(url) ? url : null;
  }

  function shareState() {
    var text = (state.report && state.report.redacted) || '';
    var checked = Object.keys(state.checked).filter(function (k) { return state.checked[k]; });
    var out = { v: 2, text: text };
    if (state.policies.length) out.policies = state.policies.map(function (p) { return { type: p.type, name: p.name || '', level: p.level || '', document: p.editor.input.value }; });
    var request = {};
    ['principal', 'action', 'resource', 'resourceAccount'].forEach(function (k) { if (dirty[k] && requestFields[k].value) request[k] = requestFields[k].value; });
    if ($('req-context').value.trim()) request.context = $('req-context').value;
    if ($('req-complete').checked) request.complete = true;
    if (Object.keys(request).length) out.request = request;
    if (checked.length) out.checked = checked;
    return out;
  }

  // What a link holds, in words, shown before it is copied.
  function shareContents(st) {
    var items = [];
    var secrets = (state.report && state.report.secrets || []).length;
    items.push('the error text (' + st.text.length.toLocaleString('en') + ' characters' + (secrets ? ', with ' + secrets + (secrets === 1 ? ' credential' : ' credentials') + ' masked' : '') + ')');
    if (st.policies) items.push(st.policies.length + (st.policies.length === 1 ? ' policy' : ' policies'));
    if (st.request) {
      var keys = 0;
      try { keys = st.request.context ? Object.keys(JSON.parse(st.request.context)).length : 0; } catch (e) { keys = 0; }
      var fields = Object.keys(st.request).filter(function (k) { return k !== 'context' && k !== 'complete'; }).length;
      items.push('the request' + (fields ? ' (' + fields + ' edited field' + (fields === 1 ? '' : 's') + ')' : '') + (keys ? ', ' + keys + ' context key' + (keys === 1 ? '' : 's') : ''));
    }
    if (st.checked) items.push(st.checked.length + ' ticked step' + (st.checked.length === 1 ? '' : 's'));
    return items;
  }

  // Resolves to { link, fragment, url (whether `link` is an address), contents }.
  function shareLink() {
    var st = shareState();
    var json = scrub(JSON.stringify(st));
    var raw = new TextEncoder().encode(json);
    if (raw.length > SHARE_LIMIT) return Promise.reject(refusal('The text is too long for a link (over ' + SHARE_LIMIT_TEXT + ').'));
    return pipe(raw, new CompressionStream('deflate-raw')).then(function (bytes) {
      var fragment = '#s=' + base64url(bytes);
      var base = publicBase();
      return { fragment: fragment, link: base ? base + fragment : fragment, url: !!base, contents: shareContents(JSON.parse(json)), tooLong: fragment.length > MAX_LINK };
    });
  }

  // The state a link in the address bar carries, or null; rejects with a message
  // for a link that cannot be opened.
  function readShared() {
    var hash = location.hash;
    var m = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
    if (m) {
      return inflateBounded(fromBase64url(m[1])).then(function (json) {
        var st = JSON.parse(json);
        if (!st || typeof st.text !== 'string') throw refusal('This share link is damaged: it holds no error text.');
        return st;
      });
    }
    m = /^#v1=([A-Za-z0-9_-]+)$/.exec(hash);
    if (m) return inflateBounded(fromBase64url(m[1])).then(function (text) { return { text: text }; });
    m = /^#error=(.*)$/s.exec(hash);
    if (m) {
      if (m[1].length > SHARE_LIMIT * 3) return Promise.reject(refusal('This link holds more than ' + SHARE_LIMIT_TEXT + ' of text, so it was not opened.'));
      var text;
      try { text = decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return Promise.reject(refusal('This link\u2019s #error= text is not valid percent-encoding, so it was not opened.')); }
      return Promise.resolve({ text: text });
    }
    return Promise.resolve(null);
  }

  function applyShared(st) {
    input.value = st.text;
    (Array.isArray(st.policies) ? st.policies : []).forEach(function (q) {
      if (!q || typeof q.document !== 'string') return;
      var p = addPolicy(q.document, EDITABLE_TYPES.indexOf(q.type) >= 0 ? q.type : undefined);
      if (typeof q.name === 'string' && q.name) { p.name = q.name; $('policy-name-' + p.id).value = q.name; }
      if (typeof q.level === 'string' && q.level) { p.level = q.level; $('policy-level-' + p.id).value = q.level; }
    });
    if (st.policies && st.policies.length) $('policies-section').open = true;
    var r = st.request && typeof st.request === 'object' ? st.request : {};
    ['principal', 'action', 'resource', 'resourceAccount'].forEach(function (k) {
      if (typeof r[k] === 'string') { requestFields[k].value = r[k]; dirty[k] = true; }
    });
    if (typeof r.context === 'string') $('req-context').value = r.context;
    if (r.complete === true) $('req-complete').checked = true;
    (Array.isArray(st.checked) ? st.checked : []).forEach(function (k) { if (typeof k === 'string') state.checked[k] = true; });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return Promise.resolve(legacyCopy(text));
  }
  function legacyCopy(text) {
    var ta = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true', tabindex: '-1' });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    if (!ok) throw new Error('copy failed');
  }
  function flash(button, text) {
    var original = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', original);
    button.textContent = text;
    announce(text);
    clearTimeout(button._flash);
    button._flash = setTimeout(function () { button.textContent = original; }, 1600);
  }
  // Copy feedback and finished analyses are announced here (polite), not by the
  // summary, so a screen reader is not interrupted at every key typed.
  function announce(text) {
    var region = $('announce');
    region.textContent = '';
    setTimeout(function () { region.textContent = text; }, 30);
  }
  // Where the clipboard is unavailable (a non-secure origin, a refused
  // permission), the text is shown selected, to copy by hand.
  function fallback(button, text) {
    var holder = button.parentNode;
    var old = holder.querySelector(':scope > textarea.fallback-copy');
    if (old) old.remove();
    var ta = el('textarea', { class: 'fallback-copy', readonly: true, rows: String(Math.min(8, text.split('\n').length)), 'aria-label': 'Text to copy' });
    ta.value = text;
    button.after(ta);
    ta.focus();
    ta.select();
    flash(button, 'Press Ctrl+C to copy');
  }
  function copyButton(getText, label, ariaLabel) {
    var b = el('button', { type: 'button', class: 'button subtle small', 'aria-label': ariaLabel || label }, label);
    wireCopy(b, getText);
    return b;
  }
  function wireCopy(button, produce) {
    button.addEventListener('click', function () {
      var made;
      Promise.resolve().then(produce).then(function (text) { made = text; return copyText(text); })
        .then(function () { flash(button, 'Copied'); }, function () { if (typeof made === 'string') fallback(button, made); else flash(button, 'Copy failed'); });
    });
  }
  // Belt and braces for everything that can leave the page: a credential the core
  // found may also sit inside an extracted field (a presigned URL as the resource),
  // so every occurrence of its raw text is replaced by its masked form.
  function scrub(out) {
    var report = state.report;
    var text = input.value;
    (report && report.secrets || []).forEach(function (s) {
      if (!s.span) return;
      var raw = text.slice(state.toIndex(s.span.start), state.toIndex(s.span.end));
      if (raw.length >= 4) out = out.split(raw).join(s.masked || '[redacted]');
      var escaped = JSON.stringify(raw).slice(1, -1);
      if (escaped !== raw && escaped.length >= 4) out = out.split(escaped).join(JSON.stringify(s.masked || '[redacted]').slice(1, -1));
    });
    return out;
  }
  var MAX_LINK = 60000;
  wireCopy($('copy-markdown'), function () { return markdownFor($('markdown-form').value); });
  wireCopy($('copy-json'), function () { return scrub(JSON.stringify(state.report, null, 2)); });
  // The link is shown with what it holds before it is copied.
  $('copy-link').addEventListener('click', function () {
    var box = $('share-preview');
    clear(box);
    box.hidden = false;
    shareLink().then(function (made) {
      box.appendChild(el('p', null, el('strong', null, 'This link carries: '), made.contents.join('; ') + '. Nothing else: no credential the analyser found, and it stays after the ', el('code', null, '#'), ', which browsers never send to a server.'));
      if (made.tooLong) {
        box.appendChild(el('p', { class: 'note-warn' }, 'The link is ' + made.link.length.toLocaleString('en') + ' characters long, more than chat tools and browsers reliably keep. Share the Markdown or a shorter excerpt instead.'));
        return;
      }
      if (!made.url) {
        box.appendChild(el('p', null, 'This copy of the page is a file on this computer and has no public address, so a link to it would be a file path. Below is the part of the link after the address: add it after the address of a served Denial Explainer.'));
      }
      var field = el('input', { type: 'text', readonly: true, id: 'share-link-text', 'aria-label': made.url ? 'Share link' : 'Share link fragment' });
      field.value = made.link;
      var copy = el('button', { type: 'button', class: 'button small', id: 'share-copy' }, made.url ? 'Copy link' : 'Copy fragment');
      wireCopy(copy, function () { return made.link; });
      box.appendChild(el('div', { class: 'command' }, field, copy));
      copy.focus();
    }, function (error) {
      box.appendChild(el('p', { class: 'note-warn' }, error && error.refused ? error.message : 'The link could not be made in this browser.'));
    });
  });

  // ---------- input wiring ----------

  // A paste over the limit is refused before it reaches the text box (laying
  // out megabytes of short lines alone takes the browser seconds).
  input.addEventListener('paste', function (event) {
    var data = event.clipboardData && event.clipboardData.getData('text/plain');
    if (!data || data.length + input.value.length <= MAX_TEXT) return;
    event.preventDefault();
    cancelJob('');
    refuseSize(data.length);
  });
  input.addEventListener('input', function (event) {
    state.focusRange = null;
    var pasted = event.inputType === 'insertFromPaste' || event.inputType === 'insertFromDrop';
    if (pasted) { state.revealFirst = true; state.announceNext = true; }
    schedule(pasted ? 0 : 180);
  });
  // The other way round: a caret inside a highlighted phrase marks the card field it decided.
  function linkEvidence() {
    var report = state.report;
    document.querySelectorAll('.fields dd.linked, .badge.linked').forEach(function (n) { n.classList.remove('linked'); });
    if (!report || !state.toIndex) return;
    var at = input.selectionStart;
    (report.findings || []).forEach(function (f, i) {
      (f.evidence || []).forEach(function (ev) {
        if (!ev || !ev.span) return;
        if (at >= state.toIndex(ev.span.start) && at <= state.toIndex(ev.span.end)) {
          var card = document.querySelector('[data-finding="' + (f.repeatOf === undefined ? i : f.repeatOf) + '"]');
          var node = card && card.querySelector('[data-field="' + ev.field + '"]');
          if (node) node.classList.add('linked');
        }
      });
    });
  }
  input.addEventListener('click', linkEvidence);
  input.addEventListener('keyup', function (event) { if (/^(Arrow|Home|End|Page)/.test(event.key)) linkEvidence(); });

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); state.announceNext = true; analyse(); }
  });
  // Replaces the whole text the way typing does, so that Ctrl+Z brings back what
  // was there (a paste is never lost to an example or to Clear).
  function replaceText(text) {
    input.focus();
    input.select();
    var done = false;
    try { done = document.execCommand('insertText', false, text); } catch (e) { done = false; }
    if (!done || input.value !== text) input.value = text;
    input.setSelectionRange(0, 0);
    input.scrollTop = 0;
  }
  $('clear').addEventListener('click', function () {
    replaceText('');
    state.focusRange = null;
    $('examples').value = '';
    analyse();
    input.focus();
  });

  var examples = (core && core.examples) || [];
  (function fillExamples() {
    var select = $('examples');
    var groups = {};
    examples.forEach(function (ex) {
      if (!groups[ex.group]) { groups[ex.group] = el('optgroup', { label: ex.group }); select.appendChild(groups[ex.group]); }
      groups[ex.group].appendChild(el('option', { value: ex.id }, ex.label));
    });
    // Choosing in the menu (an arrow key does) only enables the button: loading an
    // example is a deliberate act, and Ctrl+Z in the box brings the paste back.
    var load = $('load-example');
    function update() { load.disabled = !select.value; }
    select.addEventListener('change', update);
    update();
    load.addEventListener('click', function () {
      var ex = examples.filter(function (e) { return e.id === select.value; })[0];
      if (!ex) return;
      var had = input.value.trim() && input.value !== ex.text;
      replaceText(ex.text);
      state.focusRange = null;
      state.announceNext = true;
      analyse();
      if (had) announce('Example loaded. Ctrl+Z in the text box brings back your text.');
    });
    select.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && select.value) { event.preventDefault(); load.click(); }
    });
  })();

  // ---------- start ----------

  function startupFailed(error) {
    console.error('denial-explainer: could not start the analyser', error);
    var why = error && error.message ? error.message : String(error);
    setSummary(error && error.damaged
      ? 'The analyser could not start: ' + why + '. Get a fresh copy of this page.'
      : 'The analyser could not start in this browser (' + why + '). It needs WebAssembly; try a current version of Chrome, Edge, Firefox or Safari.');
    document.documentElement.setAttribute('data-core', 'failed');
  }

  // Content that "Save page as" may have captured from an earlier session is stale.
  document.documentElement.removeAttribute('data-core');
  document.documentElement.removeAttribute('data-analyses');
  clear($('results'));
  clear($('secrets'));
  clear($('input-diagnostics'));
  clear($('request-evaluation'));
  if (document.documentElement.hasAttribute('data-offline')) document.documentElement.classList.add('offline-copy');

  var ready = (core ? core.load() : Promise.reject(new Error('the analyser script did not load'))).then(function (api) {
    state.api = api;
    document.documentElement.setAttribute('data-core', 'ready');
    try { $('version').textContent = 'Version ' + api.version() + '.'; } catch (e) { /* optional */ }
    return readShared().catch(function (error) {
      return { refused: error && error.refused ? error.message : 'This share link could not be opened: it is damaged or incomplete.' };
    });
  }).then(function (shared) {
    if (shared && shared.refused) {
      analyse();
      setSummary(shared.refused);
      document.documentElement.setAttribute('data-share', 'refused');
      return;
    }
    if (shared) {
      applyShared(shared);
      document.documentElement.setAttribute('data-share', 'loaded');
    }
    analyse();
  }, startupFailed);

  // A share link pasted into the address bar of this open tab changes only the
  // fragment: start afresh from it, as opening it would.
  var loadedHash = location.hash;
  window.addEventListener('hashchange', function () {
    if (location.hash !== loadedHash && /^#(s|v1|error)=/.test(location.hash)) location.reload();
  });

  // For tests and other tools on the same page.
  window.denialExplainer = {
    ready: ready,
    explain: function (text, policies) { return state.api.explain(text, policies); },
    // Synchronous once the policy engine is loaded; a promise before.
    simulate: function (scenario) { return state.full ? state.full.simulate(scenario) : core.loadFull().then(function (api) { return api.simulate(scenario); }); },
    analyse: analyse,
    addPolicy: function (text, type) { var p = addPolicy(text, type); schedule(0); return p.id; },
    markdown: function (form) { return markdownFor(form || 'short'); },
    json: function () { return scrub(JSON.stringify(state.report, null, 2)); },
    shareLink: function () { return shareLink().then(function (made) { return made.link; }); },
    get report() { return state.report; },
    get lastDurationMs() { return state.lastMs; },
    get analyses() { return state.analyses; },
    // CloudTrail triage of File objects or { name, text } items; resolves when shown.
    triage: function (items) {
      startTriage(items.map(function (it) { return it instanceof File ? { name: it.name, file: it, max: MAX_FILE } : { name: it.name, text: it.text, max: MAX_FILE }; }));
      return state.job ? state.job.promise : Promise.resolve();
    },
    cancel: function () { $('busy-cancel').click(); },
    get busy() { return !!state.job; },
  };
})();
