/*! denial-explainer core: the wasm-bindgen glue, the wasm module (LZMA, then base64) and the examples.
 * Defines one global, `__denialExplainerCore`, and nothing else: the glue's own
 * `wasm_bindgen` stays inside this function. The module is unpacked and compiled
 * from bytes in memory, so no fetch is needed and `connect-src 'none'` holds.
 * Two flavours are built from this file: `full` (denial-explainer-core.js: explain
 * and the policy engine) and `explain` (denial-explainer-explain.js: explain
 * alone, what the widget and the served page load first). `loadFull()` resolves
 * to the full engine: in the full script it is `load`; in the explain script it
 * adds the full script (next to this one) to the page once and waits for it.
 * Assembled by tools/build-page.mjs; the lines marked @...@ are replaced there. */
(function () {
  var FLAVOUR = '@FLAVOUR@';
  var existing = globalThis.__denialExplainerCore;
  // The full script arriving after the explain one: hand over its engine.
  if (typeof existing === 'object' && !(FLAVOUR === 'full' && existing.flavour === 'explain' && !existing._full)) return;
  var selfUrl = document.currentScript && document.currentScript.src;
  var selfNonce = document.currentScript && document.currentScript.nonce;

  function createGlue() {
    /* @GLUE@ */
    return wasm_bindgen;
  }

  // The module as an `.lzma` stream in base64, its size and its CRC-32 (IEEE).
  var WASM_LZMA = '@WASM_LZMA_BASE64@';
  var WASM_SIZE = +'@WASM_SIZE@';
  var WASM_CRC32 = +'@WASM_CRC32@';
  /* @EXAMPLES@ */
  /* @LZMA@ */

  function decodeBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function crc32(bytes) {
    var table = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
    var crc = -1;
    for (var i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ -1) >>> 0;
  }

  // A copy edited or truncated on its way (a mangled "Save page as", a proxy)
  // says so, instead of failing later in a way that looks like a browser problem.
  function unpack() {
    var bytes;
    try {
      bytes = decodeLzma(decodeBase64(WASM_LZMA), WASM_SIZE);
    } catch (error) {
      bytes = null;
    }
    if (!bytes || bytes.length !== WASM_SIZE || crc32(bytes) !== WASM_CRC32) {
      var damaged = new Error('the analyser embedded in this copy is damaged (it does not unpack to the module it was built with)');
      damaged.damaged = true;
      throw damaged;
    }
    return bytes;
  }

  var compiled = null;
  var current = null;

  function compile() {
    if (!compiled) {
      compiled = Promise.resolve().then(function () {
        return WebAssembly.compile(unpack());
      });
      compiled.catch(function () { compiled = null; });
    }
    return compiled;
  }

  // Resolves to the glue's exports (`explain`, `simulate`, `version`, ...), ready to call.
  function load() {
    if (!current) {
      current = compile().then(function (module) {
        var glue = createGlue();
        return glue({ module_or_path: module }).then(function () { return glue; });
      });
      current.catch(function () { current = null; });
    }
    return current;
  }

  // After a trap (a bug in the core), the instance may be broken: start a fresh one.
  function restart() {
    current = null;
    return load();
  }

  // What a worker needs to run this engine off the main thread: the compiled
  // module (a worker receives it by postMessage) and the glue's source (a blob:
  // worker is built from it, so the offline file needs no file of its own).
  function parts() {
    return compile().then(function (module) { return { module: module, glue: createGlue.toString() }; });
  }

  if (typeof existing === 'object') {
    existing._full = { load: load, restart: restart, parts: parts };
    if (existing._fullArrived) existing._fullArrived();
    return;
  }

  var fullLoading = null;
  function loadFull() {
    if (FLAVOUR === 'full') return load();
    var core = globalThis.__denialExplainerCore;
    if (core._full) return core._full.load();
    if (!fullLoading) {
      fullLoading = new Promise(function (resolve, reject) {
        core._fullArrived = resolve;
        var s = document.createElement('script');
        s.src = new URL('denial-explainer-core.js', selfUrl || location.href).href;
        if (selfNonce) s.nonce = selfNonce;
        s.onerror = function () { reject(new Error('could not load the policy engine (denial-explainer-core.js)')); };
        document.head.appendChild(s);
      }).then(function () { return core._full.load(); });
      fullLoading.catch(function () { fullLoading = null; });
    }
    return fullLoading;
  }
  function restartFull() {
    var core = globalThis.__denialExplainerCore;
    return FLAVOUR === 'full' ? restart() : core._full ? core._full.restart() : loadFull();
  }

  // The full engine's parts for a worker (triage lives in the full engine only).
  function fullParts() {
    if (FLAVOUR === 'full') return parts();
    return loadFull().then(function () { return globalThis.__denialExplainerCore._full.parts(); });
  }

  globalThis.__denialExplainerCore = {
    flavour: FLAVOUR,
    parts: parts,
    fullParts: fullParts,
    load: load,
    restart: restart,
    loadFull: loadFull,
    restartFull: restartFull,
    examples: typeof DENIAL_EXAMPLES === 'undefined' ? [] : DENIAL_EXAMPLES,
  };
})();
