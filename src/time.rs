//! Dates and times as they appear in policies, tokens and presigned URLs.
//!
//! Hand-written so the wasm carries no date library: the civil-date conversion is
//! Howard Hinnant's `days_from_civil` algorithm, exact over the proleptic Gregorian
//! calendar. Times are milliseconds since the Unix epoch, UTC.

/// Parses a date or date-time into milliseconds since the Unix epoch.
///
/// Accepts the forms AWS documents for the `Date` condition operators and the
/// forms found in tokens and URLs:
/// - ISO 8601 extended: `2026-11-22`, `2026-11-22T21:57:36Z`,
///   `2026-11-22T21:57:36.123Z`, `2026-11-22T21:57:36+01:00`, `2026-11-22T21:57Z`;
///   a date-time without a zone is read as UTC;
/// - ISO 8601 basic, as in `X-Amz-Date`: `20261122T215736Z`;
/// - an integer count of seconds since the epoch (`1795392000`).
///
/// Returns `None` for anything else, including impossible dates such as February 30.
#[must_use]
pub fn parse_datetime(text: &str) -> Option<i64> {
    let s = text.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() != 8 {
        return s.parse::<i64>().ok()?.checked_mul(1000);
    }
    let b = s.as_bytes();
    let (year, month, day, rest) = if b.get(4) == Some(&b'-') {
        (
            num(s, 0, 4)?,
            expect(s, 4, b'-').and(num(s, 5, 7))?,
            expect(s, 7, b'-').and(num(s, 8, 10))?,
            s.get(10..)?,
        )
    } else {
        (num(s, 0, 4)?, num(s, 4, 6)?, num(s, 6, 8)?, s.get(8..)?)
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let mut millis = days.checked_mul(86_400_000)?;
    if rest.is_empty() {
        return Some(millis);
    }
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?;
    let (hour, minute, second, frac, zone) = parse_time(rest)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    millis += ((hour * 60 + minute) * 60 + second) * 1000 + frac;
    millis -= zone * 60_000;
    Some(millis)
}

/// Formats milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
#[must_use]
pub fn format_datetime(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        (of_day / 60) % 60,
        of_day % 60
    )
}

fn expect(s: &str, at: usize, byte: u8) -> Option<()> {
    (s.as_bytes().get(at) == Some(&byte)).then_some(())
}

fn num(s: &str, from: usize, to: usize) -> Option<i64> {
    let part = s.get(from..to)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Parses `HH:MM[:SS[.fff]][zone]` or `HHMMSS[zone]`; returns hour, minute,
/// second, milliseconds and the zone's offset east of UTC in minutes.
fn parse_time(s: &str) -> Option<(i64, i64, i64, i64, i64)> {
    let extended = s.as_bytes().get(2) == Some(&b':');
    let (hour, minute, mut at) = if extended {
        (num(s, 0, 2)?, num(s, 3, 5)?, 5)
    } else {
        (num(s, 0, 2)?, num(s, 2, 4)?, 4)
    };
    let mut second = 0;
    if extended && s.as_bytes().get(at) == Some(&b':') {
        second = num(s, at + 1, at + 3)?;
        at += 3;
    } else if !extended && s.as_bytes().get(at).is_some_and(u8::is_ascii_digit) {
        second = num(s, at, at + 2)?;
        at += 2;
    }
    let mut frac = 0;
    if matches!(s.as_bytes().get(at), Some(b'.' | b',')) {
        let digits: &str = s.get(at + 1..)?;
        let n = digits.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let ms_digits = digits.get(..n.min(3))?;
        frac = ms_digits.parse::<i64>().ok()? * 10_i64.pow(3 - n.min(3) as u32);
        at += 1 + n;
    }
    let zone = parse_zone(s.get(at..)?)?;
    Some((hour, minute, second, frac, zone))
}

fn parse_zone(z: &str) -> Option<i64> {
    match z {
        "" | "Z" | "z" => Some(0),
        _ => {
            let sign = match z.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let body = z.get(1..)?;
            let (h, m) = match body.len() {
                2 => (num(body, 0, 2)?, 0),
                4 => (num(body, 0, 2)?, num(body, 2, 4)?),
                5 if body.as_bytes().get(2) == Some(&b':') => (num(body, 0, 2)?, num(body, 3, 5)?),
                _ => return None,
            };
            (h <= 23 && m <= 59).then_some(sign * (h * 60 + m))
        }
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_aws_documents() {
        // 2019-07-16T12:00:00Z is the example value on the IAM condition operators page.
        assert_eq!(
            parse_datetime("2019-07-16T12:00:00Z"),
            Some(1_563_278_400_000)
        );
        assert_eq!(parse_datetime("2019-07-16"), Some(1_563_235_200_000));
        assert_eq!(
            parse_datetime("2019-07-16T12:00:00.250Z"),
            Some(1_563_278_400_250)
        );
        assert_eq!(
            parse_datetime("2019-07-16T14:00:00+02:00"),
            Some(1_563_278_400_000)
        );
        assert_eq!(parse_datetime("2019-07-16T12:00Z"), Some(1_563_278_400_000));
        assert_eq!(parse_datetime("1563278400"), Some(1_563_278_400_000));
        assert_eq!(parse_datetime("20190716T120000Z"), Some(1_563_278_400_000));
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for bad in [
            "2019-02-30",
            "2019-13-01",
            "2019-07-16T25:00:00Z",
            "yesterday",
            "",
            "2019-07-16T12",
            "2019-07-16T12:00:00+5",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
        assert!(parse_datetime("2020-02-29").is_some());
    }

    #[test]
    fn formats_round_trip() {
        for t in [
            0,
            1_563_278_400_000,
            951_782_400_000,
            4_102_444_799_000,
            -86_400_000,
        ] {
            assert_eq!(parse_datetime(&format_datetime(t)), Some(t));
        }
        assert_eq!(format_datetime(1_563_278_400_999), "2019-07-16T12:00:00Z");
        assert_eq!(format_datetime(0), "1970-01-01T00:00:00Z");
    }
}
