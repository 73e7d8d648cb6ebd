//! IPv4 and IPv6 addresses and CIDR blocks for the `IpAddress` and
//! `NotIpAddress` condition operators.
//!
//! IAM User Guide, "IAM JSON policy elements: Condition operators", IP address
//! condition operators: values are in CIDR format (RFC 4632); a value without a
//! prefix length is one address (`/32` for IPv4, `/128` for IPv6). IPv6
//! follows RFC 4291 text forms: `::` compression once, and an embedded IPv4
//! dotted quad in the last 32 bits (`::ffff:192.0.2.1`). Zone ids (`%eth0`) are
//! not accepted. An IPv4 address never matches an IPv6 block, nor the reverse.

/// A parsed address: IPv4 or IPv6, as a 128-bit value with its family width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr {
    /// IPv4, 32 bits.
    V4(u32),
    /// IPv6, 128 bits.
    V6(u128),
}

/// Parses a dotted-quad IPv4 address. Leading zeros are rejected (`01.2.3.4`),
/// as is anything but four decimal octets.
#[must_use]
pub fn parse_ipv4(s: &str) -> Option<u32> {
    let mut value: u32 = 0;
    let mut count = 0;
    for part in s.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        let octet: u32 = part.parse().ok()?;
        if octet > 255 {
            return None;
        }
        value = (value << 8) | octet;
        count += 1;
        if count > 4 {
            return None;
        }
    }
    (count == 4).then_some(value)
}

/// Parses an IPv6 address in any RFC 4291 text form.
#[must_use]
pub fn parse_ipv6(s: &str) -> Option<u128> {
    if s.len() > 45 || s.is_empty() {
        return None;
    }
    let (head, tail) = match s.find("::") {
        Some(at) => (s.get(..at)?, Some(s.get(at + 2..)?)),
        None => (s, None),
    };
    if tail.is_some_and(|t| t.contains("::")) {
        return None;
    }
    let mut head_groups = [0u16; 8];
    let head_n = groups(head, &mut head_groups, tail.is_none())?;
    match tail {
        None => {
            if head_n != 8 {
                return None;
            }
            Some(combine(&head_groups, head_n, &[], 0))
        }
        Some(tail) => {
            let mut tail_groups = [0u16; 8];
            let tail_n = groups(tail, &mut tail_groups, true)?;
            // `::` stands for at least one zero group.
            if head_n + tail_n > 7 {
                return None;
            }
            Some(combine(&head_groups, head_n, &tail_groups, tail_n))
        }
    }
}

/// Reads colon-separated hex groups into `out`; returns how many. When
/// `last` is set the final piece may be a dotted IPv4 address (two groups).
fn groups(s: &str, out: &mut [u16; 8], last: bool) -> Option<usize> {
    if s.is_empty() {
        return Some(0);
    }
    let mut n = 0usize;
    let mut pieces = s.split(':').peekable();
    while let Some(piece) = pieces.next() {
        let is_last = pieces.peek().is_none();
        if is_last && last && piece.contains('.') {
            let v4 = parse_ipv4(piece)?;
            *out.get_mut(n)? = (v4 >> 16) as u16;
            *out.get_mut(n + 1)? = (v4 & 0xffff) as u16;
            n += 2;
            continue;
        }
        if piece.is_empty() || piece.len() > 4 || !piece.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        *out.get_mut(n)? = u16::from_str_radix(piece, 16).ok()?;
        n += 1;
    }
    Some(n)
}

fn combine(head: &[u16; 8], head_n: usize, tail: &[u16], tail_n: usize) -> u128 {
    let mut value: u128 = 0;
    for &g in head.iter().take(head_n) {
        value = (value << 16) | u128::from(g);
    }
    let zeros = 8 - head_n - tail_n;
    value = value.checked_shl(16 * zeros as u32).unwrap_or(0);
    for &g in tail.iter().take(tail_n) {
        value = (value << 16) | u128::from(g);
    }
    value
}

/// Parses an IPv4 or IPv6 address.
#[must_use]
pub fn parse_addr(s: &str) -> Option<Addr> {
    let s = s.trim();
    if s.contains(':') {
        parse_ipv6(s).map(Addr::V6)
    } else {
        parse_ipv4(s).map(Addr::V4)
    }
}

/// A CIDR block: network address and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The address as written (host bits are allowed and ignored).
    pub addr: Addr,
    /// Prefix length: 0..=32 for IPv4, 0..=128 for IPv6.
    pub prefix: u8,
}

/// Parses `addr/len`, or a bare address (one host).
#[must_use]
pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let s = s.trim();
    let (addr_text, prefix_text) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr = parse_addr(addr_text)?;
    let max = match addr {
        Addr::V4(_) => 32,
        Addr::V6(_) => 128,
    };
    let prefix = match prefix_text {
        None => max,
        Some(p) => {
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let v: u8 = p.parse().ok()?;
            if v > max {
                return None;
            }
            v
        }
    };
    Some(Cidr { addr, prefix })
}

impl Cidr {
    /// Whether `addr` lies in this block (always false across families).
    #[must_use]
    pub fn contains(&self, addr: Addr) -> bool {
        match (self.addr, addr) {
            (Addr::V4(net), Addr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                net & mask == a & mask
            }
            (Addr::V6(net), Addr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                net & mask == a & mask
            }
            _ => false,
        }
    }
}

/// Whether the address `addr` lies in the block `cidr` (a bare address means
/// that one host). `None` when either does not parse.
#[must_use]
pub fn cidr_contains(cidr: &str, addr: &str) -> Option<bool> {
    let block = parse_cidr(cidr)?;
    let a = parse_addr(addr)?;
    Some(block.contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_cidrs() {
        // "IAM JSON policy elements: Condition operators", IP address
        // operators: the example allows 203.0.113.0/24.
        assert_eq!(cidr_contains("203.0.113.0/24", "203.0.113.7"), Some(true));
        assert_eq!(cidr_contains("203.0.113.0/24", "203.0.114.7"), Some(false));
        assert_eq!(cidr_contains("10.0.0.0/8", "10.255.1.2"), Some(true));
        assert_eq!(cidr_contains("0.0.0.0/0", "198.51.100.1"), Some(true));
        // A bare address is /32.
        assert_eq!(cidr_contains("192.0.2.1", "192.0.2.1"), Some(true));
        assert_eq!(cidr_contains("192.0.2.1", "192.0.2.2"), Some(false));
        // Host bits in the block are ignored.
        assert_eq!(cidr_contains("192.0.2.77/24", "192.0.2.1"), Some(true));
        assert_eq!(cidr_contains("192.0.2.1/32", "192.0.2.1"), Some(true));
    }

    #[test]
    fn ipv6_cidrs_and_compression() {
        // The operators page's IPv6 example block.
        let block = "2001:DB8:1234:5678::/64";
        assert_eq!(cidr_contains(block, "2001:db8:1234:5678::1"), Some(true));
        assert_eq!(
            cidr_contains(block, "2001:db8:1234:5678:ffff:ffff:ffff:ffff"),
            Some(true)
        );
        assert_eq!(cidr_contains(block, "2001:db8:1234:5679::1"), Some(false));
        assert_eq!(parse_ipv6("::"), Some(0));
        assert_eq!(parse_ipv6("::1"), Some(1));
        assert_eq!(parse_ipv6("1::"), Some(1u128 << 112));
        assert_eq!(
            parse_ipv6("1:2:3:4:5:6:7:8"),
            Some(0x0001_0002_0003_0004_0005_0006_0007_0008)
        );
        assert_eq!(
            parse_ipv6("1:2:3::7:8"),
            Some(0x0001_0002_0003_0000_0000_0000_0007_0008)
        );
        assert_eq!(parse_ipv6("::ffff:192.0.2.1"), Some(0xffff_c000_0201));
        assert_eq!(
            parse_ipv6("1:2:3:4:5:6:192.0.2.1"),
            parse_ipv6("1:2:3:4:5:6:c000:201")
        );
        assert_eq!(cidr_contains("::/0", "2001:db8::1"), Some(true));
        assert_eq!(
            cidr_contains("2001:db8::1", "2001:DB8:0:0:0:0:0:1"),
            Some(true)
        );
    }

    #[test]
    fn families_do_not_mix() {
        assert_eq!(cidr_contains("0.0.0.0/0", "::1"), Some(false));
        assert_eq!(cidr_contains("::/0", "10.0.0.1"), Some(false));
        assert_eq!(cidr_contains("::ffff:0:0/96", "10.0.0.1"), Some(false));
    }

    #[test]
    fn bad_inputs() {
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.-4",
            "a.b.c.d",
            "1..2.3",
            ":::",
            "1:::2",
            "1::2::3",
            "12345::",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "g::",
            "fe80::1%eth0",
            "::1.2.3",
            "1.2.3.4::",
            ":1::",
            "1::2:",
        ] {
            assert_eq!(parse_addr(bad), None, "{bad:?} should not parse");
        }
        assert_eq!(cidr_contains("10.0.0.0/33", "10.0.0.1"), None);
        assert_eq!(cidr_contains("10.0.0.0/", "10.0.0.1"), None);
        assert_eq!(cidr_contains("10.0.0.0/+8", "10.0.0.1"), None);
        assert_eq!(cidr_contains("::/129", "::1"), None);
        assert_eq!(cidr_contains("10.0.0.0/8", "not an ip"), None);
        // `::` must stand for at least one group.
        assert_eq!(parse_ipv6("1:2:3:4::5:6:7:8"), None);
    }
}
