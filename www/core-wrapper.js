/*! denial-explainer core: the wasm-bindgen glue, the wasm module (LZMA, then base64) and the examples.
 * Defines one global, `__denialExplainerCore`, and nothing else: the glue's own
 * `wasm_bindgen` stays inside this function. The module is unpacked and compiled
 * from bytes in memory, so no fetch is needed and `connect-src 'none'` holds.
 * Assembled by tools/build-page.mjs; the lines marked @...@ are replaced there. */
(function () {
  if (typeof globalThis.__denialExplainerCore === 'object') return;

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

  globalThis.__denialExplainerCore = {
    load: load,
    restart: restart,
    examples: typeof DENIAL_EXAMPLES === 'undefined' ? [] : DENIAL_EXAMPLES,
  };
})();
