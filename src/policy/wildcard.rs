//! Glob matching for IAM `Action`, `Resource` and the `*Like` condition operators.
//!
//! The pattern language is the one the IAM User Guide describes for those
//! elements: `*` matches any run of characters (including none), `?` matches
//! exactly one character, and every other character is literal. There is no
//! escape character inside the pattern itself; a literal `*` or `?` comes from
//! the policy-variable escapes `${*}` and `${?}` (see `variables.rs`), which the
//! caller passes to [`matches_with_literals`] as positions.
//!
//! # Complexity
//!
//! The pattern is cut at every `*` into star-free segments. The first segment
//! must match at the start of the text and the last at its end (both checked in
//! place); each middle segment is then found at its leftmost occurrence after
//! the previous one, which is correct because a leftmost match never rules out a
//! later segment that a further-right match would allow. Each middle segment is
//! searched with the bit-parallel Shift-And algorithm, one pass over the text
//! per segment with `?` folded into the bit masks, so:
//!
//! - segments of up to 64 characters: O(n) per segment, O(n + m) overall with
//!   a small constant (the scans of successive segments start where the
//!   previous one stopped, so the text is read about once), where n is the text
//!   length and m the pattern length;
//! - a middle segment longer than 64 characters (never seen in real policies,
//!   whose documents are a few kilobytes at most) falls back to a direct
//!   window-by-window check, O(n·k) for that segment of length k.
//!
//! There is no backtracking, so `*a*a*a*a*a*a*a*b` against 100,000 `a`s costs
//! seven linear scans.
//!
//! # Case
//!
//! `case_insensitive` is used for actions, which AWS compares without regard to
//! case (IAM User Guide, "IAM JSON policy elements: Action": action names are
//! case-insensitive). Action names are ASCII, so when both the pattern and the
//! text are ASCII the comparison is ASCII case folding on bytes, with no
//! allocation. Otherwise each character is compared by its Unicode simple
//! lowercase mapping (a character whose lowercase form is several characters
//! is compared as itself); this path collects characters into vectors.
//!
//! Characters, not bytes: `?` matches one Unicode scalar value.

/// Returns whether `text` matches the glob `pattern`.
///
/// `*` matches any run of characters (including the empty run), `?` exactly
/// one character; everything else is literal. With `case_insensitive`, letters
/// are compared by their lowercase forms (see the module documentation).
#[must_use]
pub fn matches(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    matches_with_literals(pattern, &[], text, case_insensitive)
}

/// Like [`matches`], but the `*` and `?` characters at the byte offsets listed
/// in `literal` (sorted ascending) are literal characters, not wildcards.
///
/// This is how a pattern produced by policy-variable substitution keeps the
/// escapes `${*}` and `${?}`, and substituted request values, from acting as
/// wildcards.
#[must_use]
pub fn matches_with_literals(
    pattern: &str,
    literal: &[usize],
    text: &str,
    case_insensitive: bool,
) -> bool {
    if pattern == "*" && literal.is_empty() {
        return true;
    }
    if literal.is_empty() {
        if let Some(answer) = literal_prefix_decides(pattern, text, case_insensitive) {
            return answer;
        }
    }
    let has_wild = pattern
        .bytes()
        .enumerate()
        .any(|(i, b)| (b == b'*' || b == b'?') && literal.binary_search(&i).is_err());
    if !has_wild {
        // Fast path: plain comparison.
        if !case_insensitive {
            return pattern == text;
        }
        if pattern.is_ascii() && text.is_ascii() {
            return pattern.eq_ignore_ascii_case(text);
        }
    }
    if pattern.is_ascii() && text.is_ascii() {
        let pat = Pattern {
            units: pattern.as_bytes(),
            literal,
        };
        let fold: fn(u8) -> u8 = if case_insensitive {
            |b| b.to_ascii_lowercase()
        } else {
            |b| b
        };
        return run(&pat, text.as_bytes(), fold);
    }
    // General path: one unit per character, folded up front.
    let fold_char = |c: char| {
        if case_insensitive {
            simple_lowercase(c)
        } else {
            c
        }
    };
    let mut units = Vec::with_capacity(pattern.len());
    let mut char_literal = Vec::with_capacity(literal.len());
    for (index, (offset, c)) in pattern.char_indices().enumerate() {
        if literal.binary_search(&offset).is_ok() {
            char_literal.push(index);
        }
        units.push(fold_char(c));
    }
    let text_units: Vec<char> = text.chars().map(fold_char).collect();
    let pat = Pattern {
        units: &units,
        literal: &char_literal,
    };
    run(&pat, &text_units, |c| c)
}

/// Compares the part of `pattern` before its first wildcard with the start of
/// `text`, byte by byte, and returns the answer when that settles it: `false`
/// on two different ASCII characters at the same place (most patterns fail this
/// way, on the service or the bucket name), or the plain comparison when the
/// pattern has no wildcard at all. `None` when a wildcard is reached or a
/// non-ASCII difference needs the general path. Every byte before the point
/// reached is equal (or equal ASCII letters when `case_insensitive`), so both
/// strings are cut at the same character boundary there.
fn literal_prefix_decides(pattern: &str, text: &str, case_insensitive: bool) -> Option<bool> {
    let t = text.as_bytes();
    for (i, &pb) in pattern.as_bytes().iter().enumerate() {
        if pb == b'*' || pb == b'?' {
            // A `*` ending the pattern takes whatever follows the equal prefix
            // (which ends on a character boundary, see above).
            return (pb == b'*' && i + 1 == pattern.len()).then_some(true);
        }
        let tb = *t.get(i)?;
        if pb == tb || (case_insensitive && pb.eq_ignore_ascii_case(&tb)) {
            continue;
        }
        if pb.is_ascii() && tb.is_ascii() {
            return Some(false);
        }
        return None;
    }
    // No wildcard, and the whole pattern matched the start of the text: a match
    // exactly when nothing is left (one pattern character per text character).
    Some(pattern.len() == text.len())
}

/// The Unicode simple lowercase mapping of `c` (itself when the full mapping is
/// more than one character).
#[must_use]
pub fn simple_lowercase(c: char) -> char {
    super::lowercase::simple(c)
}

/// Returns whether `pattern` contains a `*` or `?` wildcard.
#[must_use]
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.bytes().any(|b| b == b'*' || b == b'?')
}

/// One matching unit: a byte (all-ASCII inputs) or a character.
trait Unit: Copy + Ord {
    const STAR: Self;
    const ONE: Self;
    fn ascii(self) -> Option<usize>;
}

impl Unit for u8 {
    const STAR: Self = b'*';
    const ONE: Self = b'?';
    fn ascii(self) -> Option<usize> {
        self.is_ascii().then_some(usize::from(self))
    }
}

impl Unit for char {
    const STAR: Self = '*';
    const ONE: Self = '?';
    fn ascii(self) -> Option<usize> {
        self.is_ascii().then_some(self as usize)
    }
}

#[derive(Clone, Copy)]
enum Tok<U> {
    Star,
    One,
    Lit(U),
}

struct Pattern<'a, U> {
    units: &'a [U],
    /// Sorted unit indices whose `*`/`?` is literal.
    literal: &'a [usize],
}

impl<U: Unit> Pattern<'_, U> {
    fn len(&self) -> usize {
        self.units.len()
    }

    fn tok(&self, i: usize) -> Tok<U> {
        match self.units.get(i) {
            Some(&u) if u == U::STAR || u == U::ONE => {
                if self.literal.binary_search(&i).is_ok() {
                    Tok::Lit(u)
                } else if u == U::STAR {
                    Tok::Star
                } else {
                    Tok::One
                }
            }
            Some(&u) => Tok::Lit(u),
            // Out of range never happens for callers; treat as a star so no
            // spurious literal comparison is made.
            None => Tok::Star,
        }
    }

    fn is_star(&self, i: usize) -> bool {
        matches!(self.tok(i), Tok::Star)
    }
}

/// Checks the star-free segment `pattern[seg_start..seg_end]` against
/// `text[at..]` without searching.
fn segment_at<U: Unit>(
    p: &Pattern<'_, U>,
    seg_start: usize,
    seg_end: usize,
    text: &[U],
    at: usize,
    fold: fn(U) -> U,
) -> bool {
    (seg_start..seg_end).all(|i| {
        let Some(&t) = text.get(at + (i - seg_start)) else {
            return false;
        };
        match p.tok(i) {
            Tok::One => true,
            Tok::Lit(c) => fold(c) == fold(t),
            Tok::Star => false,
        }
    })
}

/// Finds the leftmost start of the star-free segment `pattern[seg_start..seg_end]`
/// lying entirely within `text[from..to]`.
fn find_segment<U: Unit>(
    p: &Pattern<'_, U>,
    seg_start: usize,
    seg_end: usize,
    text: &[U],
    from: usize,
    to: usize,
    fold: fn(U) -> U,
) -> Option<usize> {
    let k = seg_end - seg_start;
    if k == 0 {
        return Some(from);
    }
    if to < from || to - from < k {
        return None;
    }
    if k > 64 {
        // Long-segment fallback: O((to - from) · k).
        return (from..=to - k).find(|&at| segment_at(p, seg_start, seg_end, text, at, fold));
    }
    // Shift-And: bit j of `state` is set when the first j+1 segment units
    // match the text ending at the current position.
    let mut ascii_masks = [0u64; 128];
    let mut other_masks: Vec<(U, u64)> = Vec::new();
    let mut any_mask = 0u64;
    for (j, i) in (seg_start..seg_end).enumerate() {
        let bit = 1u64 << j;
        match p.tok(i) {
            Tok::One => any_mask |= bit,
            Tok::Lit(c) => {
                let c = fold(c);
                match c.ascii().and_then(|a| ascii_masks.get_mut(a)) {
                    Some(slot) => *slot |= bit,
                    // Kept sorted by unit as it is built, for the binary
                    // search below (no sort: one per unit type is ~4 KB of wasm).
                    None => match other_masks.binary_search_by(|e| e.0.cmp(&c)) {
                        Ok(pos) => {
                            if let Some((_, m)) = other_masks.get_mut(pos) {
                                *m |= bit;
                            }
                        }
                        Err(pos) => other_masks.insert(pos, (c, bit)),
                    },
                }
            }
            Tok::Star => return None,
        }
    }
    let accept = 1u64 << (k - 1);
    let mut state = 0u64;
    for (offset, &t) in text.get(from..to)?.iter().enumerate() {
        let t = fold(t);
        let mask = match t.ascii() {
            Some(a) => ascii_masks.get(a).copied().unwrap_or(0),
            None => other_masks
                .binary_search_by(|e| e.0.cmp(&t))
                .ok()
                .and_then(|pos| other_masks.get(pos))
                .map_or(0, |e| e.1),
        };
        state = ((state << 1) | 1) & (mask | any_mask);
        if state & accept != 0 {
            return Some(from + offset + 1 - k);
        }
    }
    None
}

fn run<U: Unit>(p: &Pattern<'_, U>, text: &[U], fold: fn(U) -> U) -> bool {
    let n = p.len();
    let Some(first_star) = (0..n).find(|&i| p.is_star(i)) else {
        return text.len() == n && segment_at(p, 0, n, text, 0, fold);
    };
    // `first_star` exists, so `last_star` does too.
    let last_star = (0..n).rfind(|&i| p.is_star(i)).unwrap_or(first_star);
    let suffix_len = n - last_star - 1;
    if text.len() < first_star + suffix_len {
        return false;
    }
    if !segment_at(p, 0, first_star, text, 0, fold) {
        return false;
    }
    let end = text.len() - suffix_len;
    if !segment_at(p, last_star + 1, n, text, end, fold) {
        return false;
    }
    let mut pos = first_star;
    let mut seg_start = first_star + 1;
    while seg_start <= last_star {
        let seg_end = (seg_start..=last_star)
            .find(|&i| p.is_star(i))
            .unwrap_or(last_star);
        if seg_end > seg_start {
            match find_segment(p, seg_start, seg_end, text, pos, end, fold) {
                Some(at) => pos = at + (seg_end - seg_start),
                None => return false,
            }
        }
        seg_start = seg_end + 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference implementation: textbook dynamic programming over characters.
    fn reference(pattern: &str, literal: &[usize], text: &str, ci: bool) -> bool {
        let fold = |c: char| if ci { simple_lowercase(c) } else { c };
        let toks: Vec<Tok<char>> = pattern
            .char_indices()
            .map(|(off, c)| {
                if literal.contains(&off) {
                    Tok::Lit(c)
                } else if c == '*' {
                    Tok::Star
                } else if c == '?' {
                    Tok::One
                } else {
                    Tok::Lit(c)
                }
            })
            .collect();
        let t: Vec<char> = text.chars().collect();
        // dp[i][j]: first i tokens match first j chars.
        let mut dp = vec![vec![false; t.len() + 1]; toks.len() + 1];
        dp[0][0] = true;
        for i in 1..=toks.len() {
            for j in 0..=t.len() {
                dp[i][j] = match toks[i - 1] {
                    Tok::Star => dp[i - 1][j] || (j > 0 && dp[i][j - 1]),
                    Tok::One => j > 0 && dp[i - 1][j - 1],
                    Tok::Lit(c) => j > 0 && dp[i - 1][j - 1] && fold(c) == fold(t[j - 1]),
                };
            }
        }
        dp[toks.len()][t.len()]
    }

    /// xorshift64*: a small seeded generator, so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn string(&mut self, alphabet: &[char], max_len: usize) -> String {
            let len = self.below(max_len + 1);
            (0..len)
                .map(|_| alphabet[self.below(alphabet.len())])
                .collect()
        }
    }

    #[test]
    fn agrees_with_reference_on_random_inputs() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let cases: &[(&[char], &[char], bool)] = &[
            (&['a', 'b', '*', '?'], &['a', 'b'], false),
            (&['a', 'b', '*', '?', 'A'], &['a', 'b', 'A', 'B'], true),
            (&['a', 'b', '*', '?', 'A'], &['a', 'b', 'A', 'B'], false),
            // Non-ASCII forces the character path.
            (&['a', 'é', '*', '?', 'É'], &['a', 'é', 'É', 'b'], true),
            (&['a', 'é', '*', '?'], &['a', 'é', 'b'], false),
        ];
        let mut checked = 0;
        for &(pat_alpha, text_alpha, ci) in cases {
            for _ in 0..3000 {
                let pattern = rng.string(pat_alpha, 8);
                let text = rng.string(text_alpha, 12);
                assert_eq!(
                    matches(&pattern, &text, ci),
                    reference(&pattern, &[], &text, ci),
                    "pattern {pattern:?} text {text:?} ci {ci}"
                );
                checked += 1;
            }
        }
        // Literal wildcards: pick random `*`/`?` positions to make literal.
        for _ in 0..3000 {
            let pattern = rng.string(&['a', '*', '?'], 8);
            let text = rng.string(&['a', '*', '?'], 10);
            let literal: Vec<usize> = pattern
                .char_indices()
                .filter(|&(_, c)| c != 'a')
                .map(|(i, _)| i)
                .filter(|_| rng.below(2) == 0)
                .collect();
            assert_eq!(
                matches_with_literals(&pattern, &literal, &text, false),
                reference(&pattern, &literal, &text, false),
                "pattern {pattern:?} literal {literal:?} text {text:?}"
            );
            checked += 1;
        }
        assert_eq!(checked, 18_000);
    }

    #[test]
    fn long_segments_use_the_fallback_and_agree() {
        let mut rng = Rng(42);
        for _ in 0..200 {
            let seg = rng.string(&['a', 'b', '?'], 80);
            let pattern = format!("*{seg}*b");
            let text = rng.string(&['a', 'b'], 200);
            assert_eq!(
                matches(&pattern, &text, false),
                reference(&pattern, &[], &text, false),
                "pattern {pattern:?} text {text:?}"
            );
        }
        let seg = "a".repeat(70);
        assert!(matches(&format!("x*{seg}*y"), &format!("xb{seg}by"), false));
        assert!(!matches(
            &format!("x*{seg}b*y"),
            &format!("xb{seg}ay"),
            false
        ));
    }

    #[test]
    fn adversarial_pattern_runs_in_linear_time() {
        // No timing assertion: this would take minutes with naive backtracking.
        let text = "a".repeat(100_000);
        assert!(!matches("*a*a*a*a*a*a*a*b", &text, false));
        assert!(matches("*a*a*a*a*a*a*a*a", &text, false));
        assert!(!matches("*a?a?a?a?a?a?a?b*", &text, true));
        let long_text = format!("{text}b");
        assert!(matches("*a*a*a*a*a*a*a*b", &long_text, false));
        // The character path too.
        let accented = "é".repeat(100_000);
        assert!(!matches("*é*é*é*é*é*é*é*b", &accented, true));
    }

    #[test]
    fn documented_examples() {
        // IAM User Guide, "IAM JSON policy elements: Action": `*` and `?`
        // wildcards, action names case-insensitive.
        assert!(matches("s3:*", "s3:GetObject", true));
        assert!(matches("iam:*AccessKey*", "iam:CreateAccessKey", true));
        assert!(matches("iam:*accesskey*", "iam:ListAccessKeys", true));
        assert!(matches("S3:GETOBJECT", "s3:GetObject", true));
        assert!(!matches("S3:GETOBJECT", "s3:GetObject", false));
        assert!(matches("ec2:Describe?mages", "ec2:DescribeImages", true));
        assert!(!matches("s3:Get*", "s3:PutObject", true));
        // "IAM JSON policy elements: Resource": a wildcard may span `/`.
        assert!(matches(
            "arn:aws:s3:::amzn-s3-demo-bucket/*",
            "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt",
            false
        ));
    }

    #[test]
    fn edge_cases() {
        assert!(matches("", "", false));
        assert!(!matches("", "a", false));
        assert!(matches("*", "", false));
        assert!(matches("**", "", false));
        assert!(!matches("?", "", false));
        assert!(matches("?", "é", false));
        assert!(matches("a?c", "aéc", false));
        assert!(!matches("a?c", "ac", false));
        assert!(matches("*?", "x", false));
        assert!(!matches("a*a", "a", false));
        assert!(matches("a*a", "aa", false));
        // Literal star from an escape.
        assert!(matches_with_literals("a*", &[1], "a*", false));
        assert!(!matches_with_literals("a*", &[1], "ab", false));
        assert!(matches_with_literals("*?", &[0], "*x", false));
        assert!(!matches_with_literals("*?", &[0], "yx", false));
    }
}
