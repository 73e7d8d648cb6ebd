//! The `denial-explainer` command line: a thin shell over the library.
//!
//! Exit status: 0 when it ran, whatever it found; 2 on unusable arguments or
//! unreadable input.

use std::io::{Read, Write};
use std::process::ExitCode;

mod cli_triage;

// The command line allocates for every scenario of a `simulate --batch` and
// every event of a `triage`, on every core at once; glibc's allocator spent a
// third of a varied batch's time in malloc and free. mimalloc keeps per-thread
// heaps. The wasm keeps its own allocator.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  denial-explainer explain [FILE|-] [--format text|markdown|chat|json] [--policies POLICIES.json]
  denial-explainer simulate SCENARIO.json [--format text|markdown|json]
  denial-explainer simulate --batch FILE.jsonl [--trace]
  denial-explainer triage PATH... [--format text|markdown|json] [--top N] [--progress]
  denial-explainer triage --athena-sql --table NAME --start YYYY-MM-DD --end YYYY-MM-DD
  denial-explainer code CODE

explain reads the pasted error text from FILE, or from standard input when FILE
is `-` or absent, and says which gate failed, why, and what to do;
--format chat writes the short form for a support chat (the one-line answer,
the key facts, the first steps and the lines around the error).
With --policies, the AWS policies in POLICIES.json (an array in the scenario
format's `policies` shape, or a scenario whose `policies` are used) are evaluated
against the request each denial names.
simulate evaluates the AWS policies in a scenario against its request; with
--batch it reads one scenario per line and writes one JSON result per line, in
input order, using every core; each result leaves out the statement-by-statement
`trace` unless --trace is given.
triage reads CloudTrail (files, gzipped or not, and directories of them, as
`aws s3 sync` leaves them; or the CSV of an Athena or CloudTrail Lake query),
groups the denials by what one fix would address, explains each group and ranks
them; --athena-sql writes the query that does the same grouping in Athena.
code prints what an error code means, from the catalogue the recognisers use
(`denial-explainer code AccessDeniedException`).";

/// Largest input the command reads, the same limit the library documents.
const MAX_INPUT: u64 = denial_explainer::MAX_INPUT_BYTES as u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    /// The short Markdown for a support chat (`explain` only; elsewhere Markdown).
    Chat,
    Json,
}

#[derive(Debug)]
enum Command {
    Explain {
        input: Option<String>,
        format: Format,
        policies: Option<String>,
    },
    Simulate {
        input: String,
        format: Format,
    },
    Batch {
        input: String,
        trace: bool,
    },
    Code {
        code: String,
    },
    Triage {
        paths: Vec<String>,
        format: Format,
        top: usize,
        progress: bool,
    },
    AthenaSql {
        table: String,
        start: String,
        end: String,
    },
    Help,
}

fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut rest = args.iter();
    let sub = match rest.next() {
        None => return Err("missing command: `explain` or `simulate`".to_owned()),
        Some(s) if s == "-h" || s == "--help" || s == "help" => return Ok(Command::Help),
        Some(s) => s.as_str(),
    };
    let mut format = Format::Text;
    let mut batch = false;
    let mut trace = false;
    let mut policies = None;
    let mut positional: Vec<String> = Vec::new();
    let mut triage = TriageArgs::default();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--athena-sql" if sub == "triage" => triage.athena = true,
            "--progress" if sub == "triage" => triage.progress = true,
            "--table" | "--start" | "--end" | "--top" if sub == "triage" => {
                let value = rest
                    .next()
                    .ok_or_else(|| format!("`{arg}` needs a value"))?
                    .clone();
                match arg.as_str() {
                    "--table" => triage.table = Some(value),
                    "--start" => triage.start = Some(value),
                    "--end" => triage.end = Some(value),
                    _ => {
                        triage.top = Some(value.parse().map_err(|_| {
                            format!("`--top` needs a number of groups, not `{value}`")
                        })?);
                    }
                }
            }
            "--batch" => batch = true,
            "--trace" => trace = true,
            "--policies" => {
                let value = rest.next().ok_or("`--policies` needs a file")?;
                policies = Some(value.clone());
            }
            "--format" | "-f" => {
                let value = rest
                    .next()
                    .ok_or("`--format` needs a value: text, markdown, chat or json")?;
                format = parse_format(value)?;
            }
            s if s.starts_with("--format=") => {
                format = parse_format(s.strip_prefix("--format=").unwrap_or_default())?;
            }
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option `{s}`")),
            s => positional.push(s.to_owned()),
        }
    }
    if sub == "triage" {
        return triage_command(triage, positional, format);
    }
    if positional.len() > 1 {
        return Err(format!("expected one input file, got {}", positional.len()));
    }
    let input = positional.pop();
    match sub {
        "explain" if batch => Err("`--batch` goes with `simulate`".to_owned()),
        _ if trace && !batch => Err("`--trace` goes with `simulate --batch`".to_owned()),
        "explain" => Ok(Command::Explain {
            input,
            format,
            policies,
        }),
        _ if policies.is_some() => Err("`--policies` goes with `explain`".to_owned()),
        "code" => {
            let code = input.ok_or("`code` needs an error code, such as `AccessDenied`")?;
            Ok(Command::Code { code })
        }
        "simulate" => {
            let input =
                input.ok_or("`simulate` needs a scenario file (or `-` for standard input)")?;
            if batch {
                Ok(Command::Batch { input, trace })
            } else {
                Ok(Command::Simulate { input, format })
            }
        }
        other => Err(format!(
            "unknown command `{other}`: expected `explain`, `simulate`, `triage` or `code`"
        )),
    }
}

#[derive(Debug, Default)]
struct TriageArgs {
    athena: bool,
    progress: bool,
    table: Option<String>,
    start: Option<String>,
    end: Option<String>,
    top: Option<usize>,
}

fn triage_command(a: TriageArgs, paths: Vec<String>, format: Format) -> Result<Command, String> {
    if a.athena {
        let need = |v: Option<String>, name: &str| {
            v.ok_or_else(|| format!("`--athena-sql` needs `--{name}`"))
        };
        return Ok(Command::AthenaSql {
            table: need(a.table, "table")?,
            start: need(a.start, "start")?,
            end: need(a.end, "end")?,
        });
    }
    if a.table.is_some() || a.start.is_some() || a.end.is_some() {
        return Err("`--table`, `--start` and `--end` go with `--athena-sql`".to_owned());
    }
    if paths.is_empty() {
        return Err("`triage` needs at least one file or directory".to_owned());
    }
    Ok(Command::Triage {
        paths,
        format,
        top: a.top.unwrap_or(20),
        progress: a.progress,
    })
}

fn parse_format(value: &str) -> Result<Format, String> {
    match value {
        "text" => Ok(Format::Text),
        "markdown" | "md" => Ok(Format::Markdown),
        "json" => Ok(Format::Json),
        "chat" => Ok(Format::Chat),
        other => Err(format!(
            "unknown format `{other}`: expected text, markdown, chat or json"
        )),
    }
}

/// Reads the whole input, at most [`MAX_INPUT`] bytes plus one so that the
/// library can say the input was too large.
fn read_input(path: Option<&str>) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let result = match path {
        None | Some("-") => std::io::stdin()
            .lock()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut bytes),
        Some(p) => std::fs::File::open(p)
            .and_then(|f| f.take(MAX_INPUT + 1).read_to_end(&mut bytes))
            .map_err(|e| std::io::Error::new(e.kind(), format!("`{p}`: {e}"))),
    };
    result.map_err(|e| format!("cannot read input: {e}"))?;
    Ok(bytes)
}

/// Decodes the input as UTF-8. Invalid sequences are replaced (so the rest of the
/// input is still analysed) and reported on standard error with their byte offset.
fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            eprintln!(
                "warning: the input is not valid UTF-8 (first bad byte at offset {at}); \
                 invalid bytes were replaced with U+FFFD and the rest was analysed"
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let written = match command {
        Command::Help => writeln!(out, "{USAGE}"),
        Command::Explain {
            input,
            format,
            policies,
        } => {
            let text = decode(read_input(input.as_deref())?);
            let policies = match policies {
                Some(path) => Some(read_policies(&path)?),
                None => None,
            };
            let options = denial_explainer::ExplainOptions {
                now_millis: now_millis(),
                policies,
            };
            let report = denial_explainer::explain_with(&text, &options);
            match format {
                Format::Json => writeln!(out, "{}", to_json(&report)),
                Format::Text => write!(out, "{}", denial_explainer::render::text(&report)),
                Format::Markdown => write!(out, "{}", denial_explainer::render::markdown(&report)),
                Format::Chat => write!(out, "{}", denial_explainer::render::chat(&report, &text)),
            }
        }
        Command::Simulate { input, format } => {
            let text = decode(read_input(Some(&input))?);
            let result = denial_explainer::simulate(&text);
            match format {
                Format::Json => writeln!(out, "{}", to_json(&result)),
                Format::Text => write!(
                    out,
                    "{}",
                    denial_explainer::render::simulation_text(&result)
                ),
                Format::Markdown | Format::Chat => {
                    write!(
                        out,
                        "{}",
                        denial_explainer::render::simulation_markdown(&result)
                    )
                }
            }
        }
        Command::Batch { input, trace } => run_batch(open_lines(&input)?, &mut out, trace),
        Command::Code { code } => {
            let rows = denial_explainer::catalogue::rows(&code);
            if rows.is_empty() {
                let near = denial_explainer::catalogue::near(&code);
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", near.join(", "))
                };
                return Err(format!("`{code}` is not in the catalogue{hint}"));
            }
            write!(out, "{}", denial_explainer::render::catalogue_rows(&rows))
        }
        Command::AthenaSql { table, start, end } => {
            let sql = denial_explainer::triage::sql::athena(&table, &start, &end)
                .map_err(|e| e.to_string())?;
            write!(out, "{sql}")
        }
        Command::Triage {
            paths,
            format,
            top,
            progress,
        } => {
            let report = cli_triage::run(&paths, progress);
            match format {
                Format::Json => writeln!(out, "{}", to_json(&report)),
                Format::Text => write!(
                    out,
                    "{}",
                    denial_explainer::triage::render::text(&report, top)
                ),
                Format::Markdown | Format::Chat => write!(
                    out,
                    "{}",
                    denial_explainer::triage::render::markdown(&report, top)
                ),
            }
        }
    };
    match written.and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Reads the policies for `explain --policies`: a JSON array of policies, or a
/// scenario object whose `policies` member is used.
fn read_policies(path: &str) -> Result<serde_json::Value, String> {
    let text = decode(read_input(Some(path))?);
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        // serde_json's message ends with its own "at line L column C".
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        format!(
            "`{path}` is not valid JSON at line {}, column {}: {message}",
            e.line(),
            e.column()
        )
    })?;
    match value {
        serde_json::Value::Object(mut scenario) => scenario
            .remove("policies")
            .ok_or_else(|| format!("`{path}` holds an object without `policies`")),
        other => Ok(other),
    }
}

/// Opens the `--batch` input: a file, or standard input for `-`.
fn open_lines(input: &str) -> Result<Box<dyn std::io::BufRead>, String> {
    match input {
        "-" => Ok(Box::new(std::io::stdin().lock())),
        path => std::fs::File::open(path)
            .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn std::io::BufRead>)
            .map_err(|e| format!("cannot read input: `{path}`: {e}")),
    }
}

/// Lines handed to a worker at a time: enough to keep the workers busy between
/// hand-offs, few enough that results go out steadily.
const CHUNK_LINES: usize = 256;

/// `simulate --batch`: reads the input in chunks of lines and hands them in
/// turn to one worker thread per core (each with its own `Batch`, so each
/// reads a repeated policy document once); the main thread writes the results
/// back in input order. Memory stays bounded: at most two chunks per worker
/// are in flight.
fn run_batch(
    mut reader: Box<dyn std::io::BufRead>,
    out: &mut impl Write,
    trace: bool,
) -> std::io::Result<()> {
    use std::sync::mpsc;
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    std::thread::scope(|scope| -> std::io::Result<()> {
        let mut senders = Vec::with_capacity(workers);
        let mut receivers = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (to_worker, from_main) = mpsc::sync_channel::<Vec<String>>(2);
            let (to_main, from_worker) = mpsc::sync_channel::<Vec<u8>>(2);
            // Written buffers come back to their worker to be filled again: a
            // chunk's results are most of a megabyte, and fresh ones each time
            // cost more in page faults than the evaluation.
            let (recycle, recycled) = mpsc::channel::<Vec<u8>>();
            scope.spawn(move || {
                let mut batch = denial_explainer::policy::scenario::Batch::new();
                for lines in from_main {
                    let mut results = recycled
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(lines.len() * 512));
                    results.clear();
                    for line in &lines {
                        let result = batch.simulate(line);
                        // Writing into a Vec<u8> cannot fail; an error from the
                        // serializer would be one result short, caught below.
                        let _ = denial_explainer::policy::write::write_simulation_with(
                            &mut results,
                            &result,
                            trace,
                        );
                        results.push(b'\n');
                    }
                    if to_main.send(results).is_err() {
                        break;
                    }
                }
            });
            senders.push(to_worker);
            receivers.push((from_worker, recycle));
        }
        // Chunk k goes to worker k % workers; results come back in the same turn.
        let mut sent = 0usize;
        let mut written = 0usize;
        let mut number = 0usize;
        let mut done = false;
        while !done {
            let mut lines = Vec::with_capacity(CHUNK_LINES);
            while lines.len() < CHUNK_LINES {
                match read_scenario_line(&mut reader, &mut number)? {
                    Some(line) => lines.push(line),
                    None => {
                        done = true;
                        break;
                    }
                }
            }
            if !lines.is_empty() {
                // Keep at most one chunk queued per worker beyond the one it works on.
                while sent - written >= workers * 2 {
                    write_next(&receivers, &mut written, out)?;
                }
                if let Some(tx) = senders.get(sent % workers) {
                    tx.send(lines)
                        .map_err(|_| std::io::Error::other("a batch worker stopped"))?;
                }
                sent += 1;
            }
        }
        while written < sent {
            write_next(&receivers, &mut written, out)?;
        }
        drop(senders);
        out.flush()
    })
}

/// Where a batch worker's results arrive, and where its emptied buffers go back.
type WorkerLink = (
    std::sync::mpsc::Receiver<Vec<u8>>,
    std::sync::mpsc::Sender<Vec<u8>>,
);

/// Writes the results of chunk `written`, waiting for its worker, and hands
/// the buffer back to that worker.
fn write_next(
    receivers: &[WorkerLink],
    written: &mut usize,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let (rx, recycle) = receivers
        .get(*written % receivers.len().max(1))
        .ok_or_else(|| std::io::Error::other("no batch worker"))?;
    let results = rx
        .recv()
        .map_err(|_| std::io::Error::other("a batch worker stopped"))?;
    out.write_all(&results)?;
    // A worker that has stopped takes no buffer back: nothing is lost.
    let _ = recycle.send(results);
    *written += 1;
    Ok(())
}

/// The next non-blank scenario line, or `None` at the end of the input.
///
/// The input is streamed, so a batch may be larger than [`MAX_INPUT`]; each
/// line is a scenario, and one longer than the library's scenario limit is
/// cut there (the library answers it with its `scenario.too-large` failure).
fn read_scenario_line(
    reader: &mut Box<dyn std::io::BufRead>,
    number: &mut usize,
) -> std::io::Result<Option<String>> {
    use std::io::BufRead;
    let limit = denial_explainer::policy::scenario::MAX_SCENARIO_BYTES as u64 + 1;
    loop {
        let mut buf = Vec::new();
        if (&mut *reader).take(limit).read_until(b'\n', &mut buf)? == 0 {
            return Ok(None);
        }
        *number += 1;
        if buf.last() != Some(&b'\n') && buf.len() as u64 >= limit {
            // Too long: skip the rest of the line; the library reports the size.
            let mut rest = Vec::new();
            reader.read_until(b'\n', &mut rest)?;
        }
        let mut line = match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => {
                eprintln!(
                    "warning: line {number} is not valid UTF-8 (first bad byte at offset {}); \
                     invalid bytes were replaced with U+FFFD",
                    e.utf8_error().valid_up_to()
                );
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        let len = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(len);
        if line.trim().is_empty() {
            continue;
        }
        return Ok(Some(line));
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!("{{\"type\":\"failure\",\"errors\":[{{\"message\":\"{e}\"}}]}}")
    })
}

fn now_millis() -> Option<i64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    i64::try_from(since.as_millis()).ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_the_documented_forms() {
        assert!(matches!(
            parse_args(&args("explain")),
            Ok(Command::Explain {
                input: None,
                format: Format::Text,
                policies: None
            })
        ));
        assert!(matches!(
            parse_args(&args("explain err.txt --format markdown")),
            Ok(Command::Explain { input: Some(ref p), format: Format::Markdown, .. }) if p == "err.txt"
        ));
        assert!(matches!(
            parse_args(&args("explain - --format=json")),
            Ok(Command::Explain {
                format: Format::Json,
                ..
            })
        ));
        assert!(matches!(
            parse_args(&args("explain e.txt --policies p.json")),
            Ok(Command::Explain { policies: Some(ref p), .. }) if p == "p.json"
        ));
        assert!(matches!(
            parse_args(&args("simulate s.json")),
            Ok(Command::Simulate { .. })
        ));
        assert!(matches!(
            parse_args(&args("simulate --batch s.jsonl")),
            Ok(Command::Batch { .. })
        ));
    }

    #[test]
    fn parses_triage() {
        assert!(matches!(
            parse_args(&args("triage logs/ more.json.gz --format markdown --top 5")),
            Ok(Command::Triage { ref paths, format: Format::Markdown, top: 5, progress: false }) if paths.len() == 2
        ));
        assert!(matches!(
            parse_args(&args("triage --athena-sql --table db.t --start 2026-11-20 --end 2026-11-21")),
            Ok(Command::AthenaSql { ref table, .. }) if table == "db.t"
        ));
        assert_eq!(
            parse_args(&args("triage")).unwrap_err(),
            "`triage` needs at least one file or directory"
        );
        assert_eq!(
            parse_args(&args("triage --athena-sql --table t --start 2026-11-20")).unwrap_err(),
            "`--athena-sql` needs `--end`"
        );
        assert_eq!(
            parse_args(&args("triage x --table t")).unwrap_err(),
            "`--table`, `--start` and `--end` go with `--athena-sql`"
        );
        assert_eq!(
            parse_args(&args("explain --table t")).unwrap_err(),
            "unknown option `--table`"
        );
    }

    #[test]
    fn rejects_unusable_arguments_with_a_reason() {
        assert_eq!(
            parse_args(&args("")).unwrap_err(),
            "missing command: `explain` or `simulate`"
        );
        assert_eq!(
            parse_args(&args("explain --format yaml")).unwrap_err(),
            "unknown format `yaml`: expected text, markdown, chat or json"
        );
        assert_eq!(
            parse_args(&args("explain --bogus")).unwrap_err(),
            "unknown option `--bogus`"
        );
        assert_eq!(
            parse_args(&args("explain a b")).unwrap_err(),
            "expected one input file, got 2"
        );
        assert_eq!(
            parse_args(&args("simulate")).unwrap_err(),
            "`simulate` needs a scenario file (or `-` for standard input)"
        );
        assert_eq!(
            parse_args(&args("frobnicate")).unwrap_err(),
            "unknown command `frobnicate`: expected `explain`, `simulate`, `triage` or `code`"
        );
    }
}
