/*! denial-explainer core: the wasm-bindgen glue, the wasm module (base64) and the examples.
 * Defines one global, `__denialExplainerCore`, and nothing else: the glue's own
 * `wasm_bindgen` stays inside this function. The module is compiled from bytes
 * in memory, so no fetch is needed and `connect-src 'none'` holds.
 * Assembled by tools/build-page.mjs; the lines marked @...@ are replaced there. */
(function () {
  if (typeof globalThis.__denialExplainerCore === 'object') return;

  function createGlue() {
    /* @GLUE@ */
    return wasm_bindgen;
  }

  var WASM_BASE64 = '@WASM_BASE64@';
  /* @EXAMPLES@ */

  function decodeBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  var compiled = null;
  var current = null;

  function compile() {
    if (!compiled) {
      compiled = Promise.resolve().then(function () {
        return WebAssembly.compile(decodeBase64(WASM_BASE64));
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

  globalThis.__denialExplainerCore = {
    load: load,
    restart: restart,
    examples: typeof DENIAL_EXAMPLES === 'undefined' ? [] : DENIAL_EXAMPLES,
  };
})();
