//! Unicode lowercase mapping, as `char::to_lowercase` gives it, from a table of
//! runs instead of the standard library's.
//!
//! The standard library's table lists every mapped character (about 1,400
//! entries of 8 bytes); the mappings come in runs (`A`..`Z` each plus 32,
//! `Ā`..`Į` every second one plus 1, ...), so the same mapping fits in 185
//! runs, which keeps the wasm about 10 KB smaller. The tests compare both
//! mappings for every character, so a toolchain whose Unicode tables differ
//! fails them instead of matching differently. The table is printed from the
//! standard library's mapping by
//! `cargo test --lib print_runs -- --ignored --nocapture`.

/// `(first, span, step, delta)`: the characters `first`, `first + step`, ...
/// up to `first + span` each lowercase to the one `delta` away. Sorted by
/// `first`; runs do not overlap. Characters in no run are their own
/// lowercase, except `U+0130` (see [`chars`]).
static RUNS: [(u32, u8, u8, i32); 185] = [
    (0x00041, 25, 1, 32),
    (0x000c0, 22, 1, 32),
    (0x000d8, 6, 1, 32),
    (0x00100, 46, 2, 1),
    (0x00132, 4, 2, 1),
    (0x00139, 14, 2, 1),
    (0x0014a, 44, 2, 1),
    (0x00178, 0, 1, -121),
    (0x00179, 4, 2, 1),
    (0x00181, 0, 1, 210),
    (0x00182, 2, 2, 1),
    (0x00186, 0, 1, 206),
    (0x00187, 0, 1, 1),
    (0x00189, 1, 1, 205),
    (0x0018b, 0, 1, 1),
    (0x0018e, 0, 1, 79),
    (0x0018f, 0, 1, 202),
    (0x00190, 0, 1, 203),
    (0x00191, 0, 1, 1),
    (0x00193, 0, 1, 205),
    (0x00194, 0, 1, 207),
    (0x00196, 0, 1, 211),
    (0x00197, 0, 1, 209),
    (0x00198, 0, 1, 1),
    (0x0019c, 0, 1, 211),
    (0x0019d, 0, 1, 213),
    (0x0019f, 0, 1, 214),
    (0x001a0, 4, 2, 1),
    (0x001a6, 0, 1, 218),
    (0x001a7, 0, 1, 1),
    (0x001a9, 0, 1, 218),
    (0x001ac, 0, 1, 1),
    (0x001ae, 0, 1, 218),
    (0x001af, 0, 1, 1),
    (0x001b1, 1, 1, 217),
    (0x001b3, 2, 2, 1),
    (0x001b7, 0, 1, 219),
    (0x001b8, 0, 1, 1),
    (0x001bc, 0, 1, 1),
    (0x001c4, 0, 1, 2),
    (0x001c5, 0, 1, 1),
    (0x001c7, 0, 1, 2),
    (0x001c8, 0, 1, 1),
    (0x001ca, 0, 1, 2),
    (0x001cb, 16, 2, 1),
    (0x001de, 16, 2, 1),
    (0x001f1, 0, 1, 2),
    (0x001f2, 2, 2, 1),
    (0x001f6, 0, 1, -97),
    (0x001f7, 0, 1, -56),
    (0x001f8, 38, 2, 1),
    (0x00220, 0, 1, -130),
    (0x00222, 16, 2, 1),
    (0x0023a, 0, 1, 10795),
    (0x0023b, 0, 1, 1),
    (0x0023d, 0, 1, -163),
    (0x0023e, 0, 1, 10792),
    (0x00241, 0, 1, 1),
    (0x00243, 0, 1, -195),
    (0x00244, 0, 1, 69),
    (0x00245, 0, 1, 71),
    (0x00246, 8, 2, 1),
    (0x00370, 2, 2, 1),
    (0x00376, 0, 1, 1),
    (0x0037f, 0, 1, 116),
    (0x00386, 0, 1, 38),
    (0x00388, 2, 1, 37),
    (0x0038c, 0, 1, 64),
    (0x0038e, 1, 1, 63),
    (0x00391, 16, 1, 32),
    (0x003a3, 8, 1, 32),
    (0x003cf, 0, 1, 8),
    (0x003d8, 22, 2, 1),
    (0x003f4, 0, 1, -60),
    (0x003f7, 0, 1, 1),
    (0x003f9, 0, 1, -7),
    (0x003fa, 0, 1, 1),
    (0x003fd, 2, 1, -130),
    (0x00400, 15, 1, 80),
    (0x00410, 31, 1, 32),
    (0x00460, 32, 2, 1),
    (0x0048a, 52, 2, 1),
    (0x004c0, 0, 1, 15),
    (0x004c1, 12, 2, 1),
    (0x004d0, 94, 2, 1),
    (0x00531, 37, 1, 48),
    (0x010a0, 37, 1, 7264),
    (0x010c7, 0, 1, 7264),
    (0x010cd, 0, 1, 7264),
    (0x013a0, 79, 1, 38864),
    (0x013f0, 5, 1, 8),
    (0x01c89, 0, 1, 1),
    (0x01c90, 42, 1, -3008),
    (0x01cbd, 2, 1, -3008),
    (0x01e00, 148, 2, 1),
    (0x01e9e, 0, 1, -7615),
    (0x01ea0, 94, 2, 1),
    (0x01f08, 7, 1, -8),
    (0x01f18, 5, 1, -8),
    (0x01f28, 7, 1, -8),
    (0x01f38, 7, 1, -8),
    (0x01f48, 5, 1, -8),
    (0x01f59, 6, 2, -8),
    (0x01f68, 7, 1, -8),
    (0x01f88, 7, 1, -8),
    (0x01f98, 7, 1, -8),
    (0x01fa8, 7, 1, -8),
    (0x01fb8, 1, 1, -8),
    (0x01fba, 1, 1, -74),
    (0x01fbc, 0, 1, -9),
    (0x01fc8, 3, 1, -86),
    (0x01fcc, 0, 1, -9),
    (0x01fd8, 1, 1, -8),
    (0x01fda, 1, 1, -100),
    (0x01fe8, 1, 1, -8),
    (0x01fea, 1, 1, -112),
    (0x01fec, 0, 1, -7),
    (0x01ff8, 1, 1, -128),
    (0x01ffa, 1, 1, -126),
    (0x01ffc, 0, 1, -9),
    (0x02126, 0, 1, -7517),
    (0x0212a, 0, 1, -8383),
    (0x0212b, 0, 1, -8262),
    (0x02132, 0, 1, 28),
    (0x02160, 15, 1, 16),
    (0x02183, 0, 1, 1),
    (0x024b6, 25, 1, 26),
    (0x02c00, 47, 1, 48),
    (0x02c60, 0, 1, 1),
    (0x02c62, 0, 1, -10743),
    (0x02c63, 0, 1, -3814),
    (0x02c64, 0, 1, -10727),
    (0x02c67, 4, 2, 1),
    (0x02c6d, 0, 1, -10780),
    (0x02c6e, 0, 1, -10749),
    (0x02c6f, 0, 1, -10783),
    (0x02c70, 0, 1, -10782),
    (0x02c72, 0, 1, 1),
    (0x02c75, 0, 1, 1),
    (0x02c7e, 1, 1, -10815),
    (0x02c80, 98, 2, 1),
    (0x02ceb, 2, 2, 1),
    (0x02cf2, 0, 1, 1),
    (0x0a640, 44, 2, 1),
    (0x0a680, 26, 2, 1),
    (0x0a722, 12, 2, 1),
    (0x0a732, 60, 2, 1),
    (0x0a779, 2, 2, 1),
    (0x0a77d, 0, 1, -35332),
    (0x0a77e, 8, 2, 1),
    (0x0a78b, 0, 1, 1),
    (0x0a78d, 0, 1, -42280),
    (0x0a790, 2, 2, 1),
    (0x0a796, 18, 2, 1),
    (0x0a7aa, 0, 1, -42308),
    (0x0a7ab, 0, 1, -42319),
    (0x0a7ac, 0, 1, -42315),
    (0x0a7ad, 0, 1, -42305),
    (0x0a7ae, 0, 1, -42308),
    (0x0a7b0, 0, 1, -42258),
    (0x0a7b1, 0, 1, -42282),
    (0x0a7b2, 0, 1, -42261),
    (0x0a7b3, 0, 1, 928),
    (0x0a7b4, 14, 2, 1),
    (0x0a7c4, 0, 1, -48),
    (0x0a7c5, 0, 1, -42307),
    (0x0a7c6, 0, 1, -35384),
    (0x0a7c7, 2, 2, 1),
    (0x0a7cb, 0, 1, -42343),
    (0x0a7cc, 14, 2, 1),
    (0x0a7dc, 0, 1, -42561),
    (0x0a7f5, 0, 1, 1),
    (0x0ff21, 25, 1, 32),
    (0x10400, 39, 1, 40),
    (0x104b0, 35, 1, 40),
    (0x10570, 10, 1, 39),
    (0x1057c, 14, 1, 39),
    (0x1058c, 6, 1, 39),
    (0x10594, 1, 1, 39),
    (0x10c80, 50, 1, 64),
    (0x10d50, 21, 1, 32),
    (0x118a0, 31, 1, 32),
    (0x16e40, 31, 1, 32),
    (0x16ea0, 24, 1, 27),
    (0x1e900, 33, 1, 34),
];

/// The simple lowercase mapping of `c`: the single character
/// `char::to_lowercase` gives, or `c` itself when that is more than one
/// character (only `U+0130`).
#[must_use]
pub fn simple(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let cp = u32::from(c);
    let i = RUNS.partition_point(|r| r.0 <= cp);
    let Some(&(first, span, step, delta)) = i.checked_sub(1).and_then(|i| RUNS.get(i)) else {
        return c;
    };
    let k = cp - first;
    if k > u32::from(span) || k % u32::from(step) != 0 {
        return c;
    }
    cp.checked_add_signed(delta)
        .and_then(char::from_u32)
        .unwrap_or(c)
}

/// The first `limit` characters of `s` lowercased, as
/// `s.chars().flat_map(char::to_lowercase).take(limit)` gives them (`U+0130`
/// becomes `i` and a combining dot above). A plain loop: the iterator
/// adapters cost more wasm than the table.
#[must_use]
pub fn chars(s: &str, limit: usize) -> Vec<char> {
    let mut out = Vec::new();
    for c in s.chars() {
        if out.len() >= limit {
            break;
        }
        if c == '\u{130}' {
            out.push('i');
            out.push('\u{307}');
        } else {
            out.push(simple(c));
        }
    }
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_lowercases_as_the_standard_library_does() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let std: Vec<char> = c.to_lowercase().collect();
            let expected = match std.as_slice() {
                [one] => *one,
                _ => c,
            };
            assert_eq!(simple(c), expected, "U+{:04X}", u32::from(c));
            let mut buf = [0u8; 4];
            let ours = chars(c.encode_utf8(&mut buf), usize::MAX);
            assert_eq!(ours, std, "U+{:04X}", u32::from(c));
            assert_eq!(
                chars(c.encode_utf8(&mut buf), 1),
                std[..1],
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn chars_stops_at_the_limit() {
        assert_eq!(chars("AbÇ", 2), ['a', 'b']);
        assert_eq!(chars("A\u{130}B", 2), ['a', 'i']);
        assert_eq!(chars("A\u{130}B", 3), ['a', 'i', '\u{307}']);
        assert_eq!(chars("", 5), []);
    }

    /// The runs of the standard library's single-character mappings, each
    /// as long as it goes (a step-2 run only over characters that stay).
    fn runs_from_std() -> Vec<(u32, u8, u8, i32)> {
        let single = |cp: u32| -> Option<i32> {
            let c = char::from_u32(cp)?;
            let mut it = c.to_lowercase();
            let (Some(l), None) = (it.next(), it.next()) else {
                return None;
            };
            let delta = i64::from(u32::from(l)) - i64::from(cp);
            (delta != 0).then(|| i32::try_from(delta).unwrap())
        };
        let mut runs: Vec<(u32, u8, u8, i32)> = Vec::new();
        let mut cp = 0;
        while cp <= 0x10_FFFF {
            let Some(delta) = single(cp) else {
                cp += 1;
                continue;
            };
            let step = if single(cp + 1) == Some(delta) {
                1
            } else if single(cp + 1).is_none() && single(cp + 2) == Some(delta) {
                2
            } else {
                1
            };
            let mut span = 0u32;
            while span + step <= 255
                && single(cp + span + step) == Some(delta)
                && (step == 1 || single(cp + span + 1).is_none())
            {
                span += step;
            }
            runs.push((
                cp,
                u8::try_from(span).unwrap(),
                u8::try_from(step).unwrap(),
                delta,
            ));
            cp += span + 1;
        }
        runs
    }

    #[test]
    #[ignore = "prints the table; run it after a toolchain upgrade changes the mapping"]
    fn print_runs() {
        let runs = runs_from_std();
        println!("static RUNS: [(u32, u8, u8, i32); {}] = [", runs.len());
        for (first, span, step, delta) in runs {
            println!("    (0x{first:05x}, {span}, {step}, {delta}),");
        }
        println!("];");
    }

    #[test]
    fn the_table_is_what_the_generator_prints() {
        assert_eq!(RUNS.to_vec(), runs_from_std(), "regenerate with print_runs");
    }

    #[test]
    fn runs_are_sorted_and_disjoint() {
        for w in RUNS.windows(2) {
            assert!(w[0].0 + u32::from(w[0].1) < w[1].0, "{w:?}");
        }
        assert!(RUNS.iter().all(|r| r.2 == 1 || r.2 == 2));
    }
}
