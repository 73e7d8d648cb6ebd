/* A decoder for the `.lzma` format (LZMA_Alone: a 13-byte header, then one LZMA
 * stream), which is how tools/build-page.mjs packs the wasm into the page: LZMA
 * makes the module about a sixth smaller than gzip does, and gzip over base64 of
 * an LZMA stream stays at the stream's size. Written from Igor Pavlov's public
 * specification of the format (lzma-specification.txt in the LZMA SDK).
 *
 * decodeLzma(bytes: Uint8Array, maxSize: number) -> Uint8Array
 * Throws an Error (message "damaged LZMA data: ...") on any malformed input and
 * never writes more than maxSize bytes, so a bad stream cannot hang or exhaust
 * memory. Inserted into www/core-wrapper.js at build time. */
function decodeLzma(src, maxSize) {
  function fail(what) {
    throw new Error('damaged LZMA data: ' + what);
  }
  if (!(src instanceof Uint8Array) || src.length < 13) fail('shorter than its header');

  // Header: lc/lp/pb packed in one byte, the dictionary size, then the unpacked
  // size as a 64-bit little-endian number, all ones when the stream ends with a marker.
  var props = src[0];
  if (props >= 9 * 5 * 5) fail('bad properties byte');
  var lc = props % 9;
  var lp = Math.floor(props / 9) % 5;
  var pb = Math.floor(props / 45);
  var dictSize = src[1] + src[2] * 0x100 + src[3] * 0x10000 + src[4] * 0x1000000;
  if (dictSize < 4096) dictSize = 4096;
  var sizeKnown = false;
  var size = 0;
  for (var h = 5; h < 13; h++) {
    if (src[h] !== 0xff) sizeKnown = true;
  }
  if (sizeKnown) {
    if (src[11] !== 0 || src[12] !== 0) fail('unpacked size too large');
    for (var s = 10; s >= 5; s--) size = size * 256 + src[s];
    if (size > maxSize) fail('unpacked size exceeds the limit');
  }

  var out = new Uint8Array(sizeKnown ? size : Math.min(maxSize, Math.max(65536, src.length * 4)));
  var pos = 0;
  function grow() {
    if (out.length >= maxSize) fail('unpacked size exceeds the limit');
    var bigger = new Uint8Array(Math.min(maxSize, out.length * 2));
    bigger.set(out);
    out = bigger;
  }

  // The range decoder. Its `range` and `code` live in a Uint32Array between
  // calls and in locals within one: measured in Chromium, that unpacks the wasm
  // in about two thirds of the time that closure variables take (V8 boxes
  // numbers above 2^31 held in closures). They stay below 2^32, so
  // multiplication instead of shifts keeps them unsigned.
  var inPos = 13;
  function nextByte() {
    if (inPos >= src.length) fail('truncated');
    return src[inPos++];
  }
  if (nextByte() !== 0) fail('bad range coder start');
  var rc = new Uint32Array(2);
  var code0 = 0;
  for (var c = 0; c < 4; c++) code0 = code0 * 256 + nextByte();
  if (code0 === 0xffffffff) fail('bad range coder start');
  rc[0] = 0xffffffff;
  rc[1] = code0;

  function bit(probs, i) {
    var p = probs[i];
    var range = rc[0];
    var code = rc[1];
    var bound = (range >>> 11) * p;
    var b;
    if (code < bound) {
      probs[i] = p + ((2048 - p) >>> 5);
      range = bound;
      b = 0;
    } else {
      probs[i] = p - (p >>> 5);
      code -= bound;
      range -= bound;
      b = 1;
    }
    if (range < 0x1000000) {
      range *= 256;
      code = code * 256 + nextByte();
    }
    rc[0] = range;
    rc[1] = code;
    return b;
  }
  function directBits(n) {
    var r = 0;
    var range = rc[0];
    var code = rc[1];
    for (; n > 0; n--) {
      range = Math.floor(range / 2);
      var b = 0;
      if (code >= range) {
        code -= range;
        b = 1;
      }
      r = r * 2 + b;
      if (range < 0x1000000) {
        range *= 256;
        code = code * 256 + nextByte();
      }
    }
    rc[0] = range;
    rc[1] = code;
    return r;
  }
  function tree(probs, base, n) {
    var m = 1;
    for (var i = 0; i < n; i++) m = m * 2 + bit(probs, base + m);
    return m - (1 << n);
  }
  function reverseTree(probs, base, n) {
    var m = 1;
    var sym = 0;
    for (var i = 0; i < n; i++) {
      var b = bit(probs, base + m);
      m = m * 2 + b;
      sym |= b << i;
    }
    return sym;
  }
  function probabilities(n) {
    var p = new Uint16Array(n);
    p.fill(1024);
    return p;
  }

  var literal = probabilities(0x300 << (lc + lp));
  var isMatch = probabilities(12 << 4);
  var isRep = probabilities(12);
  var isRepG0 = probabilities(12);
  var isRepG1 = probabilities(12);
  var isRepG2 = probabilities(12);
  var isRep0Long = probabilities(12 << 4);
  var posSlot = probabilities(4 << 6);
  var posSpecial = probabilities(1 + 128 - 14);
  var align = probabilities(16);
  // A length coder: choice, choice 2, then 16 low trees of 3 bits, 16 middle
  // trees of 3 bits and one high tree of 8 bits, laid out in one array.
  function lengthCoder() {
    return probabilities(2 + 16 * 8 + 16 * 8 + 256);
  }
  var matchLen = lengthCoder();
  var repLen = lengthCoder();
  function length(probs, posState) {
    if (bit(probs, 0) === 0) return tree(probs, 2 + posState * 8, 3);
    if (bit(probs, 1) === 0) return 8 + tree(probs, 2 + 128 + posState * 8, 3);
    return 16 + tree(probs, 2 + 256, 8);
  }

  var lpMask = (1 << lp) - 1;
  var pbMask = (1 << pb) - 1;
  var state = 0;
  var rep0 = 0;
  var rep1 = 0;
  var rep2 = 0;
  var rep3 = 0;

  for (;;) {
    if (sizeKnown && pos === size && rc[1] === 0) break;
    var posState = pos & pbMask;
    if (bit(isMatch, (state << 4) + posState) === 0) {
      if (sizeKnown && pos === size) fail('data past the unpacked size');
      var prev = pos > 0 ? out[pos - 1] : 0;
      var base = 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
      var sym = 1;
      if (state >= 7) {
        var matchByte = out[pos - rep0 - 1];
        while (sym < 0x100) {
          var matchBit = (matchByte >>> 7) & 1;
          matchByte <<= 1;
          var b = bit(literal, base + ((1 + matchBit) << 8) + sym);
          sym = (sym << 1) | b;
          if (matchBit !== b) break;
        }
      }
      while (sym < 0x100) sym = (sym << 1) | bit(literal, base + sym);
      if (pos === out.length) grow();
      out[pos++] = sym - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }

    var len;
    if (bit(isRep, state) !== 0) {
      if (pos === 0) fail('repeated match before any data');
      if (sizeKnown && pos === size) fail('data past the unpacked size');
      if (bit(isRepG0, state) === 0) {
        if (bit(isRep0Long, (state << 4) + posState) === 0) {
          // A single byte from the last distance.
          state = state < 7 ? 9 : 11;
          if (pos === out.length) grow();
          out[pos] = out[pos - rep0 - 1];
          pos++;
          continue;
        }
      } else {
        var dist;
        if (bit(isRepG1, state) === 0) {
          dist = rep1;
        } else {
          if (bit(isRepG2, state) === 0) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = length(repLen, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(matchLen, posState);
      state = state < 7 ? 7 : 10;
      // The distance: a 6-bit slot chosen by the length, then its low bits.
      var slot = tree(posSlot, (len < 3 ? len : 3) << 6, 6);
      if (slot < 4) {
        rep0 = slot;
      } else {
        var direct = (slot >>> 1) - 1;
        rep0 = (2 | (slot & 1)) * Math.pow(2, direct);
        if (slot < 14) {
          rep0 += reverseTree(posSpecial, rep0 - slot, direct);
        } else {
          rep0 += directBits(direct - 4) * 16;
          rep0 += reverseTree(align, 0, 4);
        }
      }
      if (rep0 === 0xffffffff) {
        // The end marker.
        if (rc[1] !== 0) fail('end marker in the middle of the data');
        if (sizeKnown && pos !== size) fail('ends before its unpacked size');
        break;
      }
      if (sizeKnown && pos === size) fail('data past the unpacked size');
      if (rep0 >= dictSize || rep0 >= pos) fail('match distance before the start');
    }

    len += 2;
    if (sizeKnown && len > size - pos) fail('data past the unpacked size');
    var from = pos - rep0 - 1;
    for (var k = 0; k < len; k++) {
      if (pos === out.length) grow();
      out[pos++] = out[from + k];
    }
  }
  return pos === out.length ? out : out.slice(0, pos);
}
