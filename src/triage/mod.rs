//! Triage: many CloudTrail events in, the denials grouped by what one fix would
//! address, each group explained once and ranked by how likely it is to need
//! someone.
//!
//! Reading is streaming: [`Triage::read`] takes any [`std::io::Read`] (the
//! command line hands it files, gunzipped on the way) and keeps only the current
//! event and the groups, whose size is capped ([`MAX_GROUPS`], and a few
//! examples per group). Several `Triage`s can read in parallel and be
//! [`Triage::merge`]d; [`Triage::finish`] ranks and explains.
//!
//! ```
//! use denial_explainer::triage::{Triage, TriageOptions};
//!
//! let log = r#"{"Records":[{"eventTime":"2026-11-20T10:00:00Z","eventSource":"s3.amazonaws.com",
//!   "eventName":"GetObject","awsRegion":"eu-west-1","errorCode":"AccessDenied",
//!   "errorMessage":"Access Denied","userIdentity":{"type":"IAMUser",
//!   "arn":"arn:aws:iam::111122223333:user/ana"}}]}"#;
//! let mut t = Triage::new();
//! t.read("log.json", log.as_bytes());
//! let report = t.finish(&TriageOptions::default());
//! assert_eq!(report.groups.len(), 1);
//! assert_eq!(report.groups[0].action, "s3:GetObject");
//! ```

pub mod csv;
pub mod event;
pub mod render;
pub mod split;
pub mod sql;

use event::{Denial, Kind, Parsed};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};

/// The most groups kept; denials that would open more are counted in
/// [`Summary::ungrouped`].
pub const MAX_GROUPS: usize = 100_000;
/// The most principals whose activity over time is kept for the enumeration signal.
pub const MAX_PRINCIPALS: usize = 50_000;
/// The most addresses of successful calls kept to judge whether a network is familiar.
pub const MAX_FAMILIAR_IPS: usize = 200_000;
/// The most (principal, five minutes, service) entries kept for the enumeration signal.
pub const MAX_ACTIVITY: usize = 2_000_000;
/// Distinct values kept per group for source addresses, user agents and regions.
pub const MAX_VALUES: usize = 20;
/// Example request ids kept per group.
pub const MAX_EXAMPLES: usize = 3;
/// Groups explained through `explain` (the highest ranked).
pub const MAX_EXPLAINED: usize = 200;

/// Enumeration: this many distinct services denied to one principal ...
pub const ENUM_SERVICES: usize = 10;
/// ... within this many minutes (three five-minute buckets).
pub const ENUM_MINUTES: i64 = 15;
const BUCKET_MS: i64 = 5 * 60_000;
/// New: a group first seen after the window's first quarter, with at least this many events.
pub const NEW_MIN_EVENTS: u64 = 10;
/// Volume: a group with at least this many events.
pub const VOLUME_EVENTS: u64 = 100;

/// Settings for [`Triage::finish`].
#[derive(Debug, Clone, Default)]
pub struct TriageOptions {
    /// Start of the window, in milliseconds since the epoch; the earliest
    /// denial when absent.
    pub window_start: Option<i64>,
    /// Leave `explanation` empty instead of explaining the highest ranked
    /// groups with [`crate::explain`] (which the default does).
    pub skip_explain: bool,
}

/// Where a file could not be read, and how far reading got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileError {
    /// The file, as given.
    pub file: String,
    /// The byte offset (in the uncompressed data) where reading stopped.
    pub offset: u64,
    /// What went wrong: lowercase, no trailing period.
    pub message: String,
    /// Events read from this file before the problem; they are kept.
    pub events_kept: u64,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}`: {} (reading stopped at byte {}",
            self.file, self.message, self.offset
        )?;
        if self.events_kept > 0 {
            write!(f, "; the {} events before it were kept", self.events_kept)?;
        }
        write!(f, ")")
    }
}

#[derive(Debug, Clone, Default)]
struct Capped {
    values: BTreeSet<String>,
    more: bool,
}

impl Capped {
    /// Keeps the smallest [`MAX_VALUES`] values, so that the result does not
    /// depend on the order files were read in.
    fn insert(&mut self, v: &str) {
        if v.is_empty() || self.values.contains(v) {
            return;
        }
        self.values.insert(v.to_owned());
        if self.values.len() > MAX_VALUES {
            self.values.pop_last();
            self.more = true;
        }
    }
    fn merge(&mut self, other: Capped) {
        self.more |= other.more;
        for v in other.values {
            self.insert(&v);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct GroupKey {
    kind: Kind,
    principal: String,
    action: String,
    resource: String,
    error_code: String,
    policy_type: &'static str,
    deny: &'static str,
}

#[derive(Debug, Clone, Default)]
struct Acc {
    count: u64,
    first: Option<i64>,
    last: Option<i64>,
    ips: Capped,
    agents: Capped,
    regions: Capped,
    /// The earliest examples by (time, request id).
    examples: BTreeSet<(i64, String)>,
    /// The earliest event, as a compact event for `explain`, with its message.
    example: Option<(i64, String, String)>,
    principal_type: String,
    key_types: BTreeSet<&'static str>,
    service: String,
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl Acc {
    fn add(&mut self, d: &Denial) {
        self.count += d.count;
        self.first = min_opt(self.first, d.time);
        self.last = max_opt(self.last, max_opt(d.time, d.last_time));
        for v in &d.source_ips {
            self.ips.insert(v);
        }
        for v in &d.user_agents {
            self.agents.insert(v);
        }
        for v in &d.regions {
            self.regions.insert(v);
        }
        let t = d.time.unwrap_or(i64::MAX);
        for id in &d.request_ids {
            self.examples.insert((t, id.clone()));
            if self.examples.len() > MAX_EXAMPLES {
                self.examples.pop_last();
            }
        }
        let better = match &self.example {
            None => true,
            Some((et, ex, _)) => (t, &d.example) < (*et, ex),
        };
        if better {
            self.example = Some((t, d.example.clone(), d.message.clone()));
        }
        if self.principal_type.is_empty() || d.principal_type < self.principal_type {
            self.principal_type.clone_from(&d.principal_type);
        }
        if !d.key_type.is_empty() {
            self.key_types.insert(d.key_type);
        }
        if self.service.is_empty() {
            self.service.clone_from(&d.service);
        }
    }

    fn merge(&mut self, o: Acc) {
        self.count += o.count;
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        self.ips.merge(o.ips);
        self.agents.merge(o.agents);
        self.regions.merge(o.regions);
        self.examples.extend(o.examples);
        while self.examples.len() > MAX_EXAMPLES {
            self.examples.pop_last();
        }
        let better = match (&self.example, &o.example) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((a, x, _)), Some((b, y, _))) => (b, y) < (a, x),
        };
        if better {
            self.example = o.example;
        }
        if self.principal_type.is_empty()
            || (!o.principal_type.is_empty() && o.principal_type < self.principal_type)
        {
            self.principal_type = o.principal_type;
        }
        self.key_types.extend(o.key_types);
        if self.service.is_empty() {
            self.service = o.service;
        }
    }
}

/// One principal's denials over time, for the enumeration signal.
#[derive(Debug, Clone, Default)]
struct Activity {
    /// Five-minute bucket to the services denied in it.
    buckets: BTreeMap<i64, BTreeSet<String>>,
}

const MAX_BUCKETS: usize = 4096;

impl Activity {
    /// Adds one denial; returns whether a new entry was kept.
    fn add(&mut self, t: i64, service: &str) -> bool {
        let b = t.div_euclid(BUCKET_MS);
        if !self.buckets.contains_key(&b) && self.buckets.len() >= MAX_BUCKETS {
            return false;
        }
        let set = self.buckets.entry(b).or_default();
        if set.len() < 64 && !set.contains(service) {
            set.insert(service.to_owned());
            return true;
        }
        false
    }
    fn merge(&mut self, o: Activity, budget: &mut usize) {
        for (b, set) in o.buckets {
            for s in set {
                if *budget >= MAX_ACTIVITY {
                    return;
                }
                if self.add(b * BUCKET_MS, &s) {
                    *budget += 1;
                }
            }
        }
    }
    /// The largest number of distinct services in any [`ENUM_MINUTES`] window,
    /// with the window's first bucket.
    fn widest(&self) -> (usize, i64) {
        let span = ENUM_MINUTES * 60_000 / BUCKET_MS;
        let mut best = (0, 0);
        for &b in self.buckets.keys() {
            let mut set: BTreeSet<&str> = BTreeSet::new();
            for (_, s) in self.buckets.range(b..b + span) {
                set.extend(s.iter().map(String::as_str));
            }
            if set.len() > best.0 {
                best = (set.len(), b);
            }
        }
        best
    }
}

/// Reads CloudTrail and collects denials. See the module documentation.
#[derive(Debug, Default)]
pub struct Triage {
    groups: HashMap<GroupKey, Acc>,
    activity: HashMap<String, Activity>,
    activity_entries: usize,
    familiar: HashSet<String>,
    files: u64,
    bytes: u64,
    events: u64,
    denials: u64,
    not_cloudtrail: u64,
    ungrouped: u64,
    errors: Vec<FileError>,
    grouped_input: bool,
}

impl Triage {
    /// An empty triage.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one input: CloudTrail JSON in any of the shapes the module
    /// documentation lists, or the CSV of an Athena or CloudTrail Lake query.
    /// Problems are recorded (see [`Report::errors`]) with the byte where
    /// reading stopped; what was read before them is kept.
    pub fn read<R: Read>(&mut self, name: &str, reader: R) {
        self.files += 1;
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let first = match first_byte(&mut reader) {
            Ok(b) => b,
            Err(e) => {
                self.error(name, 0, format!("cannot read: {e}"), 0);
                return;
            }
        };
        let before = self.events;
        match first {
            None => self.error(name, 0, "the file is empty".to_owned(), 0),
            Some(b'{' | b'[') => self.read_json(name, reader, before),
            Some(_) => {
                let grouped = csv::read(name, reader, self);
                match grouped {
                    Ok(bytes) => self.bytes += bytes,
                    Err(e) => self.errors.push(FileError {
                        events_kept: self.events - before,
                        ..e
                    }),
                }
            }
        }
    }

    fn read_json<R: Read>(&mut self, name: &str, reader: R, before: u64) {
        let mut objects = 0u64;
        let mut first_other: Option<u64> = None;
        let mut bad: Option<(u64, String)> = None;
        let result = split::split(reader, |bytes, offset, marks| {
            objects += 1;
            if !marks.candidate {
                if marks.event_name {
                    self.events += 1;
                    if let Some((a, b)) = marks.ip {
                        self.familiar_ip(bytes.get(a..b).unwrap_or_default());
                    }
                } else {
                    self.not_cloudtrail += 1;
                    first_other.get_or_insert(offset);
                }
                return;
            }
            let parsed = if bytes.first() == Some(&b'[') {
                csv::lake_row(bytes)
            } else {
                event::parse(bytes)
            };
            match parsed {
                Ok(Parsed::Denial(d)) => {
                    self.events += 1;
                    self.add(&d);
                }
                Ok(Parsed::Other) => self.events += 1,
                Ok(Parsed::NotCloudTrail) => {
                    self.not_cloudtrail += 1;
                    first_other.get_or_insert(offset);
                }
                Err(e) => {
                    if bad.is_none() {
                        bad = Some((offset, format!("an event could not be read: {e}")));
                    }
                }
            }
        });
        match result {
            Ok(bytes) => {
                self.bytes += bytes;
                if let Some((at, m)) = bad {
                    self.error(name, at, m, self.events - before);
                } else if self.events == before && objects > 0 {
                    self.error(
                        name,
                        first_other.unwrap_or(0),
                        "holds JSON that is not CloudTrail events: no object has `eventSource` and `eventName`"
                            .to_owned(),
                        0,
                    );
                }
            }
            Err((e, at)) => {
                self.bytes += at;
                let message = match e {
                    split::SplitError::Io(e) => io_message(&e),
                    split::SplitError::Syntax(s) => s,
                };
                self.error(name, at, message, self.events - before);
            }
        }
    }

    fn error(&mut self, file: &str, offset: u64, message: String, events_kept: u64) {
        self.errors.push(FileError {
            file: file.to_owned(),
            offset,
            message,
            events_kept,
        });
    }

    fn familiar_ip(&mut self, ip: &[u8]) {
        if self.familiar.len() < MAX_FAMILIAR_IPS {
            if let Ok(s) = std::str::from_utf8(ip) {
                if !self.familiar.contains(s) {
                    self.familiar.insert(s.to_owned());
                }
            }
        }
    }

    /// Adds one denial (or one grouped row of a query result).
    pub fn add(&mut self, d: &Denial) {
        let Some(kind) = d.kind else { return };
        self.denials += d.count;
        if let Some(t) = d.time {
            if self.activity.len() < MAX_PRINCIPALS || self.activity.contains_key(&d.principal) {
                self.activity
                    .entry(d.principal.clone())
                    .or_default()
                    .add(t, &d.service);
            }
        }
        let key = GroupKey {
            kind,
            principal: d.principal.clone(),
            action: d.action.clone(),
            resource: d.resource.clone(),
            error_code: d.error_code.clone(),
            policy_type: d.policy_type,
            deny: d.deny,
        };
        if let Some(acc) = self.groups.get_mut(&key) {
            acc.add(d);
        } else if self.groups.len() < MAX_GROUPS {
            let mut acc = Acc::default();
            acc.add(d);
            self.groups.insert(key, acc);
        } else {
            self.ungrouped += d.count;
        }
    }

    /// Counts events that were read elsewhere (a query result's rows stand for
    /// events already filtered).
    pub(crate) fn count_events(&mut self, n: u64, grouped: bool) {
        self.events += n;
        self.grouped_input |= grouped;
    }

    /// Adds what `other` read.
    pub fn merge(&mut self, other: Triage) {
        for (k, acc) in other.groups {
            if let Some(a) = self.groups.get_mut(&k) {
                a.merge(acc);
            } else if self.groups.len() < MAX_GROUPS {
                self.groups.insert(k, acc);
            } else {
                self.ungrouped += acc.count;
            }
        }
        for (p, act) in other.activity {
            if self.activity.len() >= MAX_PRINCIPALS && !self.activity.contains_key(&p) {
                continue;
            }
            let mut budget = self.activity_entries;
            self.activity.entry(p).or_default().merge(act, &mut budget);
            self.activity_entries = budget;
        }
        for ip in other.familiar {
            if self.familiar.len() >= MAX_FAMILIAR_IPS {
                break;
            }
            self.familiar.insert(ip);
        }
        self.files += other.files;
        self.bytes += other.bytes;
        self.events += other.events;
        self.denials += other.denials;
        self.not_cloudtrail += other.not_cloudtrail;
        self.ungrouped += other.ungrouped;
        self.errors.extend(other.errors);
        self.grouped_input |= other.grouped_input;
    }

    /// Events read so far.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Records a problem found outside [`Triage::read`] (a file that could not
    /// be opened, a gzip stream cut short).
    pub fn record_error(&mut self, error: FileError) {
        self.errors.push(error);
    }

    /// Ranks the groups, explains the highest ranked, and masks secrets.
    #[must_use]
    pub fn finish(self, options: &TriageOptions) -> Report {
        finish(self, options)
    }
}

fn first_byte<R: Read>(r: &mut BufReader<R>) -> std::io::Result<Option<u8>> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        // Skip a byte-order mark and white space.
        let skip = buf
            .iter()
            .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0xEF | 0xBB | 0xBF));
        match skip {
            Some(i) => return Ok(buf.get(i).copied()),
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "the compressed data ends early (a truncated gzip file?)".to_owned()
        }
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("the compressed data is corrupt: {e}")
        }
        _ => format!("cannot read: {e}"),
    }
}

/// A reason a group was ranked where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signal {
    /// Stable code: `enumeration`, `root`, `long-term-key`, `unfamiliar-network`,
    /// `new`, `volume`.
    pub code: String,
    /// What it adds to the score.
    pub weight: u32,
    /// Why it fired, for people.
    pub text: String,
}

/// A part of a group folded into it (an enumerating principal's denials on
/// each action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// `service:eventName`.
    pub action: String,
    /// The resource pattern, or empty.
    pub resource: String,
    /// The error code.
    pub error_code: String,
    /// The policy type the message names, or empty.
    pub policy_type: String,
    /// `explicit`, `implicit` or empty.
    pub deny: String,
    /// Events.
    pub count: u64,
}

/// Denials one fix would address.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// 1 for the group most likely to need someone.
    pub rank: usize,
    /// The sum of the signals' weights.
    pub score: u32,
    /// `authentication` or `authorization`.
    pub kind: String,
    /// The principal; a role session's role.
    pub principal: String,
    /// `userIdentity.type`.
    pub principal_type: String,
    /// The kinds of access key seen: `long-term`, `temporary`.
    pub key_types: Vec<String>,
    /// `service:eventName`; `*` for a folded group (see `members`).
    pub action: String,
    /// The resource pattern, or empty when the events name none.
    pub resource: String,
    /// The error code; codes joined by `, ` for a folded group.
    pub error_code: String,
    /// The policy type the message names (`scp`, `identity`, ...), or empty.
    pub policy_type: String,
    /// `explicit`, `implicit`, or empty.
    pub deny: String,
    /// Events.
    pub count: u64,
    /// The first event's time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub first_seen: Option<String>,
    /// The last event's time.
    pub last_seen: Option<String>,
    /// Source addresses (the first [`MAX_VALUES`] in sort order).
    pub source_ips: Vec<String>,
    /// User agents.
    pub user_agents: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
    /// Whether there were more source addresses, agents or regions than listed.
    pub more_values: bool,
    /// Request ids of the earliest events.
    pub request_ids: Vec<String>,
    /// The earliest event's `errorMessage`.
    pub message: String,
    /// Why it ranks where it does.
    pub signals: Vec<Signal>,
    /// The earliest event explained as a pasted one would be; `null` past the
    /// [`MAX_EXPLAINED`] highest ranked.
    pub explanation: Option<crate::model::Finding>,
    /// For a folded group, its parts; empty otherwise.
    pub members: Vec<Member>,
    /// The earliest event, masked, as `explain` reads it.
    #[serde(skip)]
    example: String,
}

/// The numbers of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Inputs read (including those with errors).
    pub files: u64,
    /// Bytes read, uncompressed.
    pub bytes: u64,
    /// CloudTrail events read (rows, for a query result).
    pub events: u64,
    /// Denials among them.
    pub denials: u64,
    /// Groups.
    pub groups: usize,
    /// JSON objects that were not CloudTrail events.
    pub not_cloudtrail: u64,
    /// Denials not grouped because [`MAX_GROUPS`] was reached.
    pub ungrouped: u64,
    /// The earliest denial.
    pub window_start: Option<String>,
    /// The latest denial.
    pub window_end: Option<String>,
}

/// What triage found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The numbers.
    pub summary: Summary,
    /// The groups, highest ranked first.
    pub groups: Vec<Group>,
    /// Inputs that could not be read in full.
    pub errors: Vec<FileError>,
    /// Things to keep in mind about the result.
    pub notes: Vec<String>,
}

fn mask(s: &str) -> String {
    let found = crate::secrets::scan(s, None);
    if found.is_empty() {
        s.to_owned()
    } else {
        crate::secrets::redact(s, &found)
    }
}

fn is_service_address(ip: &str) -> bool {
    // CloudTrail writes the service's name (`s3.amazonaws.com`) or
    // `AWS Internal` when a service called on the principal's behalf.
    ip.ends_with(".amazonaws.com") || ip == "AWS Internal" || ip.is_empty()
}

fn finish(t: Triage, options: &TriageOptions) -> Report {
    let Triage {
        groups,
        activity,
        activity_entries: _,
        familiar,
        files,
        bytes,
        events,
        denials,
        not_cloudtrail,
        ungrouped,
        mut errors,
        grouped_input,
    } = t;
    let first = groups.values().filter_map(|a| a.first).min();
    let last = groups.values().filter_map(|a| a.last).max();
    let start = options.window_start.or(first);

    // Enumeration: principals denied on many services within a short time.
    let mut enumerating: HashMap<&str, (usize, i64)> = HashMap::new();
    for (p, act) in &activity {
        let (n, b) = act.widest();
        if n >= ENUM_SERVICES && !p.is_empty() {
            enumerating.insert(p.as_str(), (n, b));
        }
    }

    // Fold each enumerating principal's groups of one kind into one.
    let mut folded: BTreeMap<GroupKey, (Acc, Vec<Member>, BTreeSet<String>)> = BTreeMap::new();
    let mut plain: Vec<(GroupKey, Acc)> = Vec::new();
    for (k, acc) in groups {
        if enumerating.contains_key(k.principal.as_str()) {
            let fk = GroupKey {
                kind: k.kind,
                principal: k.principal.clone(),
                action: "*".to_owned(),
                resource: String::new(),
                error_code: String::new(),
                policy_type: "",
                deny: "",
            };
            let entry = folded.entry(fk).or_default();
            entry.1.push(Member {
                action: k.action.clone(),
                resource: k.resource.clone(),
                error_code: k.error_code.clone(),
                policy_type: k.policy_type.to_owned(),
                deny: k.deny.to_owned(),
                count: acc.count,
            });
            entry.2.insert(k.error_code.clone());
            entry.0.merge(acc);
        } else {
            plain.push((k, acc));
        }
    }
    let mut all: Vec<(GroupKey, Acc, Vec<Member>)> =
        plain.into_iter().map(|(k, a)| (k, a, Vec::new())).collect();
    for (mut k, (acc, mut members, codes)) in folded {
        k.error_code = codes.into_iter().collect::<Vec<_>>().join(", ");
        members.sort_by(|a, b| {
            (&a.action, &a.resource, &a.error_code).cmp(&(&b.action, &b.resource, &b.error_code))
        });
        all.push((k, acc, members));
    }

    let mut out: Vec<Group> = all
        .into_iter()
        .map(|(k, acc, members)| {
            let signals = signals(
                &k,
                &acc,
                &members,
                &enumerating,
                &familiar,
                start,
                last,
                denials,
            );
            let score = signals.iter().map(|s| s.weight).sum();
            group_of(k, acc, members, signals, score)
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.count.cmp(&a.count))
            .then_with(|| {
                (&a.principal, &a.action, &a.resource, &a.error_code).cmp(&(
                    &b.principal,
                    &b.action,
                    &b.resource,
                    &b.error_code,
                ))
            })
    });
    for (i, g) in out.iter_mut().enumerate() {
        g.rank = i + 1;
        if !options.skip_explain && i < MAX_EXPLAINED {
            g.explanation = explain_example(g);
        }
    }
    let mut notes = Vec::new();
    if ungrouped > 0 {
        notes.push(format!(
            "{ungrouped} denials were counted but not grouped: more than {MAX_GROUPS} distinct groups"
        ));
    }
    if out.len() > MAX_EXPLAINED && !options.skip_explain {
        notes.push(format!(
            "only the {MAX_EXPLAINED} highest ranked groups are explained"
        ));
    }
    if grouped_input {
        notes.push("read from a query result: source addresses, user agents and regions are the ones the query listed, and the enumeration and unfamiliar-network signals see only its rows".to_owned());
    }
    if familiar.is_empty() && !grouped_input {
        notes.push(
            "no successful calls were read, so no network could be judged unfamiliar".to_owned(),
        );
    }
    for e in &mut errors {
        e.file = mask(&e.file);
        e.message = mask(&e.message);
    }
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    Report {
        summary: Summary {
            files,
            bytes,
            events,
            denials,
            groups: out.len(),
            not_cloudtrail,
            ungrouped,
            window_start: first.map(crate::time::format_datetime),
            window_end: last.map(crate::time::format_datetime),
        },
        groups: out,
        errors,
        notes,
    }
}

#[allow(clippy::too_many_arguments)]
fn signals(
    k: &GroupKey,
    acc: &Acc,
    members: &[Member],
    enumerating: &HashMap<&str, (usize, i64)>,
    familiar: &HashSet<String>,
    start: Option<i64>,
    end: Option<i64>,
    denials: u64,
) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut push = |code: &str, weight: u32, text: String| {
        out.push(Signal {
            code: code.to_owned(),
            weight,
            text,
        });
    };
    if let Some((n, b)) = enumerating.get(k.principal.as_str()) {
        let from = crate::time::format_datetime(b * BUCKET_MS);
        push(
            "enumeration",
            50,
            format!(
                "denied on {n} services within {ENUM_MINUTES} minutes from {from} ({} actions in all): one identity trying many services is the pattern GuardDuty's Recon findings describe for leaked credentials; a pattern worth a look",
                members.len().max(1)
            ),
        );
    }
    if acc.principal_type == "Root" || k.principal.ends_with(":root") {
        push(
            "root",
            40,
            "the account's root user made these requests; day-to-day work should not need it"
                .to_owned(),
        );
    }
    if acc.key_types.contains("long-term") {
        push(
            "long-term-key",
            20,
            "signed with a long-term access key (`AKIA`), which works until someone rotates it"
                .to_owned(),
        );
    }
    let ips: Vec<&String> = acc
        .ips
        .values
        .iter()
        .filter(|ip| !is_service_address(ip))
        .collect();
    if !familiar.is_empty() && !ips.is_empty() && ips.iter().all(|ip| !familiar.contains(*ip)) {
        push(
            "unfamiliar-network",
            20,
            if ips.len() == 1 {
                "its one source address made no successful call in the window".to_owned()
            } else {
                format!(
                    "none of its {} source addresses made a successful call in the window",
                    ips.len()
                )
            },
        );
    }
    if let (Some(s), Some(e), Some(f)) = (start, end, acc.first) {
        let span = e - s;
        // New: absent from the first quarter of a window of at least two hours,
        // and more than a stray event.
        if span >= 2 * 3_600_000 && f > s + span / 4 && acc.count >= NEW_MIN_EVENTS {
            push(
                "new",
                15,
                format!(
                    "first seen {}, {} after the window starts ({}): it was not happening before",
                    crate::time::format_datetime(f),
                    duration(f - s),
                    crate::time::format_datetime(s)
                ),
            );
        }
    }
    if acc.count >= VOLUME_EVENTS {
        let digits = acc.count.checked_ilog10().unwrap_or(0);
        let share = (acc.count * 100).checked_div(denials).unwrap_or(0);
        push(
            "volume",
            5 * digits,
            format!("{} events, {share}% of all denials", acc.count),
        );
    }
    out
}

fn duration(ms: i64) -> String {
    let minutes = ms / 60_000;
    if minutes >= 120 {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}

fn group_of(
    k: GroupKey,
    acc: Acc,
    members: Vec<Member>,
    signals: Vec<Signal>,
    score: u32,
) -> Group {
    let list = |c: &Capped| c.values.iter().map(|v| mask(v)).collect::<Vec<_>>();
    let (example, message) = acc
        .example
        .as_ref()
        .map(|(_, ex, m)| (mask(ex), mask(m)))
        .unwrap_or_default();
    Group {
        rank: 0,
        score,
        kind: k.kind.as_str().to_owned(),
        principal: mask(&k.principal),
        principal_type: acc.principal_type.clone(),
        key_types: acc.key_types.iter().map(|s| (*s).to_owned()).collect(),
        action: k.action,
        resource: mask(&k.resource),
        error_code: k.error_code,
        policy_type: k.policy_type.to_owned(),
        deny: k.deny.to_owned(),
        count: acc.count,
        first_seen: acc.first.map(crate::time::format_datetime),
        last_seen: acc.last.map(crate::time::format_datetime),
        source_ips: list(&acc.ips),
        user_agents: list(&acc.agents),
        regions: list(&acc.regions),
        more_values: acc.ips.more || acc.agents.more || acc.regions.more,
        request_ids: acc.examples.iter().map(|(_, id)| mask(id)).collect(),
        message,
        example,
        signals,
        explanation: None,
        members: members
            .into_iter()
            .map(|m| Member {
                resource: mask(&m.resource),
                ..m
            })
            .collect(),
    }
}

fn explain_example(g: &Group) -> Option<crate::model::Finding> {
    if g.example.is_empty() {
        return None;
    }
    crate::explain(&g.example).findings.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Constructed from the CloudTrail record contents reference.
    const LOG: &str = r#"{"Records":[{"eventTime":"2026-11-20T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","errorMessage":"Access Denied","requestID":"R1","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/s1","accessKeyId":"ASIAEXAMPLEEXAMPLE12"},"resources":[{"ARN":"arn:aws:s3:::b/k"}]},{"eventTime":"2026-11-20T10:01:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","sourceIPAddress":"198.51.100.8","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/s2"}}]}"#;

    #[test]
    fn every_truncation_is_an_error_with_its_offset_or_a_clean_read() {
        for cut in 0..LOG.len() {
            let mut t = Triage::new();
            t.read("cut.json", LOG.as_bytes().get(..cut).unwrap());
            let r = t.finish(&TriageOptions {
                skip_explain: true,
                ..TriageOptions::default()
            });
            if r.errors.is_empty() {
                // Only a cut after the whole document reads cleanly.
                assert!(LOG.get(cut..).unwrap().trim().is_empty(), "cut at {cut}");
            } else {
                assert!(
                    r.errors[0].offset <= cut as u64,
                    "cut at {cut}: {:?}",
                    r.errors
                );
            }
        }
    }

    #[test]
    fn mutated_input_never_panics() {
        // A fixed linear congruential sequence: the same mutations every run.
        let mut x: u64 = 12;
        let mut next = || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            x >> 33
        };
        let bytes = LOG.as_bytes();
        for _ in 0..1500 {
            let mut b = bytes.to_vec();
            for _ in 0..4 {
                let i = (next() as usize) % b.len();
                b[i] = b"{}[]\",:\\ x0"[(next() as usize) % 11];
            }
            let mut t = Triage::new();
            t.read("m.json", b.as_slice());
            let _ = t.finish(&TriageOptions {
                skip_explain: true,
                ..TriageOptions::default()
            });
        }
    }

    #[test]
    fn sessions_group_as_their_role_and_successes_make_networks_familiar() {
        let mut t = Triage::new();
        t.read("a.json", LOG.as_bytes());
        let r = t.finish(&TriageOptions::default());
        assert_eq!(r.summary.events, 2);
        assert_eq!(r.summary.denials, 1);
        let g = &r.groups[0];
        assert_eq!(g.principal, "arn:aws:iam::111122223333:role/App");
        assert_eq!(g.resource, "arn:aws:s3:::b/*");
        // 198.51.100.7 made no successful call (only .8 did).
        assert_eq!(g.signals[0].code, "unfamiliar-network");
        assert_eq!(
            g.explanation.as_ref().unwrap().error_code.as_deref(),
            Some("AccessDenied")
        );
    }
}
