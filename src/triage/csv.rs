//! Query results as CSV: the rows of an Athena or CloudTrail Lake query over
//! CloudTrail (one event a row, with the table's column names), or the rows of
//! the grouping query [`super::sql::athena`] writes (one group a row).
//!
//! Athena writes CSV with every value quoted and `""` for a quote inside a
//! value (RFC 4180); a struct column such as `useridentity` is written as
//! `{type=AssumedRole, arn=..., sessioncontext={...}}`, and CloudTrail Lake
//! writes nested values as JSON. Both are read.

use super::event::{self, Denial, Kind, Parsed};
use super::{FileError, Triage};
use std::io::BufRead;

/// The longest row read.
const MAX_ROW: usize = 4 << 20;

/// Reads a CSV query result into `t`, returning the bytes read.
pub(crate) fn read<R: BufRead>(name: &str, mut r: R, t: &mut Triage) -> Result<u64, FileError> {
    let mut offset = 0u64;
    let err = |offset: u64, message: String| FileError {
        file: name.to_owned(),
        offset,
        message,
        events_kept: 0,
    };
    let header = match record(&mut r, &mut offset).map_err(|m| err(offset, m))? {
        Some(h) => h,
        None => return Err(err(0, "the file is empty".to_owned())),
    };
    let cols: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let col = |name: &str| cols.iter().position(|c| c == name);
    let grouped = col("events").is_some() && col("principal").is_some();
    let known = ["eventname", "errorcode", "eventsource"]
        .iter()
        .all(|c| col(c).is_some());
    if !grouped && !known {
        return Err(err(
            0,
            format!(
                "neither CloudTrail JSON nor a query result with CloudTrail's columns: the first line holds {} (expected `eventsource`, `eventname` and `errorcode` columns, or the columns of `triage --athena-sql`)",
                header
                    .iter()
                    .take(6)
                    .map(|h| format!("`{}`", h.chars().take(40).collect::<String>()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    loop {
        let at = offset;
        let Some(row) = record(&mut r, &mut offset).map_err(|m| err(at, m))? else {
            return Ok(offset);
        };
        if row.iter().all(String::is_empty) {
            continue;
        }
        if grouped {
            let d = grouped_row(&|name| cell(&cols, &row, name)).map_err(|m| err(at, m))?;
            t.count_events(d.count, true);
            t.add(&d);
        } else {
            let v = event_row(&cols, &row);
            t.count_events(1, false);
            let bytes = v.to_string();
            if let Ok(Parsed::Denial(d)) = event::parse(bytes.as_bytes()) {
                t.add(&d);
            }
        }
    }
}

fn cell<'a>(cols: &[String], row: &'a [String], name: &str) -> &'a str {
    cols.iter()
        .position(|c| c == name)
        .and_then(|i| row.get(i))
        .map_or("", String::as_str)
}

/// A row of CloudTrail Lake's `GetQueryResults`: an array of one-member
/// objects, one per selected column (`[{"eventName": "..."}, {"userIdentity.arn": "..."}]`),
/// read as the same columns in a CSV result.
pub(crate) fn lake_row(bytes: &[u8]) -> Result<Parsed, serde_json::Error> {
    let cells: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(bytes)?;
    let mut cols = Vec::new();
    let mut row = Vec::new();
    for (k, v) in cells.into_iter().flatten() {
        cols.push(normalise(&k));
        row.push(match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        });
    }
    event::parse(event_row(&cols, &row).to_string().as_bytes())
}

/// `userIdentity.arn`, `useridentity_arn` and `UserIdentityArn` all become
/// `useridentityarn`.
fn normalise(h: &str) -> String {
    h.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn split_list(s: &str) -> Vec<String> {
    // The query joins lists with ` | `.
    s.split(" | ")
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

fn grouped_row<'a>(get: &dyn Fn(&str) -> &'a str) -> Result<Denial, String> {
    let count = get("events")
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("the `events` column holds `{}`, not a count", get("events")))?;
    let kind = match get("kind") {
        "authentication" => Kind::Authentication,
        _ => Kind::Authorization,
    };
    let known = |list: &[(&str, &'static str)], v: &str| -> &'static str {
        list.iter().find(|(_, t)| *t == v).map_or("", |(_, t)| t)
    };
    let deny = match get("deny") {
        "explicit" => "explicit",
        "implicit" => "implicit",
        _ => "",
    };
    let key_type = match get("keytype") {
        "long-term" => "long-term",
        "temporary" => "temporary",
        _ => "",
    };
    let service = get("action")
        .split(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let message = get("errormessage").to_owned();
    let example = serde_json::json!({
        "eventSource": format!("{service}.amazonaws.com"),
        "eventName": get("action").split_once(':').map_or("", |(_, n)| n),
        "errorCode": get("errorcode"),
        "errorMessage": message,
        "userIdentity": { "arn": get("principal"), "type": get("principaltype") },
    })
    .to_string();
    Ok(Denial {
        kind: Some(kind),
        principal: get("principal").to_owned(),
        principal_type: get("principaltype").to_owned(),
        key_type,
        action: get("action").to_owned(),
        resource: get("resource").to_owned(),
        error_code: get("errorcode").to_owned(),
        policy_type: known(event::POLICY_PHRASES, get("policytype")),
        deny,
        time: crate::time::parse_datetime(get("firstseen")),
        last_time: crate::time::parse_datetime(get("lastseen")),
        count,
        source_ips: split_list(get("sourceips")),
        user_agents: split_list(get("useragents")),
        regions: split_list(get("regions")),
        request_ids: split_list(get("requestids")),
        message,
        service,
        example,
    })
}

/// A row of event columns as a CloudTrail event object.
fn event_row(cols: &[String], row: &[String]) -> serde_json::Value {
    use serde_json::Value;
    let mut ev = serde_json::Map::new();
    let mut ui = serde_json::Map::new();
    let mut issuer = serde_json::Map::new();
    for (c, v) in cols.iter().zip(row) {
        if v.is_empty() || v == "null" {
            continue;
        }
        let s = || Value::String(v.clone());
        match c.as_str() {
            "useridentity" => {
                if let Value::Object(m) = nested(v) {
                    ui.extend(m);
                }
            }
            "resources" => {
                ev.insert("resources".to_owned(), nested(v));
            }
            "responseelements" => {
                ev.insert("responseElements".to_owned(), nested(v));
            }
            "useridentitytype" => {
                ui.insert("type".to_owned(), s());
            }
            "useridentityarn" => {
                ui.insert("arn".to_owned(), s());
            }
            "useridentityprincipalid" => {
                ui.insert("principalId".to_owned(), s());
            }
            "useridentityaccountid" => {
                ui.insert("accountId".to_owned(), s());
            }
            "useridentityaccesskeyid" => {
                ui.insert("accessKeyId".to_owned(), s());
            }
            "useridentityinvokedby" => {
                ui.insert("invokedBy".to_owned(), s());
            }
            "useridentitysessioncontextsessionissuerarn" => {
                issuer.insert("arn".to_owned(), s());
            }
            other => {
                ev.insert(other.to_owned(), s());
            }
        }
    }
    if !issuer.is_empty() {
        ui.insert(
            "sessionContext".to_owned(),
            serde_json::json!({ "sessionIssuer": issuer }),
        );
    }
    if !ui.is_empty() {
        ev.insert("userIdentity".to_owned(), Value::Object(ui));
    }
    Value::Object(ev)
}

/// A nested value as JSON (CloudTrail Lake) or in Athena's struct notation
/// (`{type=Role, arn=arn:aws:iam::1:role/R}`, `[{arn=..., type=...}]`).
fn nested(v: &str) -> serde_json::Value {
    if let Ok(j) = serde_json::from_str(v) {
        return j;
    }
    let mut p = StructParser {
        s: v.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.value()
}

struct StructParser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl StructParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn ws(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn value(&mut self) -> serde_json::Value {
        use serde_json::Value;
        self.ws();
        self.depth += 1;
        let v = match self.peek() {
            _ if self.depth > 32 => Value::Null,
            Some(b'{') => {
                self.i += 1;
                let mut m = serde_json::Map::new();
                loop {
                    self.ws();
                    let start = self.i;
                    while !matches!(self.peek(), None | Some(b'=' | b'}')) {
                        self.i += 1;
                    }
                    let key =
                        String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or_default())
                            .trim()
                            .to_owned();
                    if self.peek() != Some(b'=') {
                        self.i += 1;
                        break;
                    }
                    self.i += 1;
                    let v = self.value();
                    if !key.is_empty() {
                        m.insert(key, v);
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        _ => {
                            self.i += 1;
                            break;
                        }
                    }
                }
                Value::Object(m)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if matches!(self.peek(), None | Some(b']')) {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value());
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        _ => {
                            self.i += 1;
                            break;
                        }
                    }
                }
                Value::Array(items)
            }
            _ => {
                let start = self.i;
                while !matches!(self.peek(), None | Some(b',' | b'}' | b']')) {
                    self.i += 1;
                }
                let text = String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or_default())
                    .trim()
                    .to_owned();
                if text == "null" {
                    Value::Null
                } else {
                    Value::String(text)
                }
            }
        };
        self.depth -= 1;
        v
    }
}

/// Reads one CSV record; `None` at the end of the input.
fn record<R: BufRead>(r: &mut R, offset: &mut u64) -> Result<Option<Vec<String>>, String> {
    let mut fields = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut quoted = false;
    let mut any = false;
    let mut size = 0usize;
    loop {
        let buf = r.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
        if buf.is_empty() {
            if quoted {
                return Err("the file ends inside a quoted value (cut short?)".to_owned());
            }
            if !any {
                return Ok(None);
            }
            fields.push(String::from_utf8_lossy(&field).into_owned());
            return Ok(Some(fields));
        }
        let mut used = 0;
        let mut done = false;
        let mut iter = buf.iter().enumerate().peekable();
        while let Some((i, &b)) = iter.next() {
            used = i + 1;
            any = true;
            if quoted {
                if b == b'"' {
                    if let Some((_, b'"')) = iter.peek() {
                        field.push(b'"');
                        iter.next();
                        used = i + 2;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(b);
                }
                continue;
            }
            match b {
                b'"' => quoted = true,
                b',' => {
                    fields.push(String::from_utf8_lossy(&std::mem::take(&mut field)).into_owned())
                }
                b'\n' => {
                    done = true;
                    break;
                }
                b'\r' => {}
                _ => field.push(b),
            }
        }
        // A `""` split across two reads is taken as an end quote and a start
        // quote, which reads the same.
        r.consume(used);
        *offset += used as u64;
        size += used;
        if size > MAX_ROW {
            return Err(format!("a row longer than {} MiB", MAX_ROW >> 20));
        }
        if done {
            fields.push(String::from_utf8_lossy(&field).into_owned());
            return Ok(Some(fields));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athena_struct_notation() {
        let v = nested("{type=AssumedRole, principalid=AROA:s, arn=arn:aws:sts::1:assumed-role/R/s, accountid=1, invokedby=null, sessioncontext={attributes={mfaauthenticated=false}, sessionissuer={type=Role, arn=arn:aws:iam::1:role/R}}}");
        assert_eq!(v["type"], "AssumedRole");
        assert_eq!(
            v["sessioncontext"]["sessionissuer"]["arn"],
            "arn:aws:iam::1:role/R"
        );
        assert_eq!(v["invokedby"], serde_json::Value::Null);
        let v = nested("[{arn=arn:aws:s3:::b/k, accountid=null, type=AWS::S3::Object}]");
        assert_eq!(v[0]["arn"], "arn:aws:s3:::b/k");
    }

    #[test]
    fn quoted_records_with_newlines() {
        let mut r = "\"a\",\"b \"\"q\"\"\nline\"\n\"c\",d\n".as_bytes();
        let mut off = 0;
        assert_eq!(
            record(&mut r, &mut off).unwrap(),
            Some(vec!["a".to_owned(), "b \"q\"\nline".to_owned()])
        );
        assert_eq!(
            record(&mut r, &mut off).unwrap(),
            Some(vec!["c".to_owned(), "d".to_owned()])
        );
        assert_eq!(record(&mut r, &mut off).unwrap(), None);
    }
}
