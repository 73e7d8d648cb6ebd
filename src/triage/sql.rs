//! The Athena (Trino) query that does triage's filtering and grouping where the
//! logs already are.
//!
//! It targets the table of the Athena guide "Create the table for CloudTrail
//! logs in Athena using partition projection": lowercase columns
//! (`useridentity` a struct with `sessioncontext.sessionissuer.arn`,
//! `resources` an array of structs with `arn`) and the `timestamp` partition
//! column (`yyyy/MM/dd`) of the `AWSLogs/<account>/CloudTrail/<region>/` layout.
//! Its result, saved as CSV, is read back by `triage` (see
//! [`super::csv`]) and explained group by group. Every rule here mirrors one in
//! [`super::event`]: the same codes, the same principal, action and resource,
//! the same policy phrases.

use super::event::{Kind, DENIAL_CODES, POLICY_PHRASES};
use super::MAX_VALUES;
use std::fmt::Write;

/// Why a query could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlError {
    /// The table name is not a plain (optionally database-qualified) identifier.
    Table(String),
    /// A date is not `YYYY-MM-DD`.
    Date(String),
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SqlError::Table(t) => write!(
                f,
                "table name `{t}` must be letters, digits and `_`, optionally `database.table`"
            ),
            SqlError::Date(d) => write!(f, "date `{d}` is not `YYYY-MM-DD`"),
        }
    }
}

fn quote_list(items: impl Iterator<Item = String>) -> String {
    items
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the query over `table` for the days `start` to `end` (inclusive,
/// `YYYY-MM-DD`).
///
/// # Errors
///
/// When the table name or a date is not in the form above (nothing from the
/// arguments reaches the query unchecked).
pub fn athena(table: &str, start: &str, end: &str) -> Result<String, SqlError> {
    let plain =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !table.split('.').all(plain) || table.split('.').count() > 2 {
        return Err(SqlError::Table(table.to_owned()));
    }
    let day = |d: &str| -> Result<i64, SqlError> {
        if d.len() == 10 {
            if let Some(ms) = crate::time::parse_datetime(d) {
                return Ok(ms);
            }
        }
        Err(SqlError::Date(d.to_owned()))
    };
    let (from, to) = (day(start)?, day(end)?);
    let date = |ms: i64| {
        crate::time::format_datetime(ms)
            .get(..10)
            .unwrap_or_default()
            .to_owned()
    };
    // Logs are delivered up to about 15 minutes after the event: read one more day's folder.
    let partition_end = date(to + 86_400_000).replace('-', "/");
    let event_end = date(to + 86_400_000);
    let codes = |kind: Kind| {
        DENIAL_CODES
            .iter()
            .filter(move |(_, k)| *k == kind)
            .flat_map(|(c, _)| {
                [
                    (*c).to_owned(),
                    format!("Client.{c}"),
                    format!("Server.{c}"),
                ]
            })
    };
    let authn = quote_list(codes(Kind::Authentication));
    let all = quote_list(codes(Kind::Authorization).chain(codes(Kind::Authentication)));
    let mut policy = String::from("CASE");
    for (phrase, name) in POLICY_PHRASES {
        let _ = write!(policy, " WHEN errormessage LIKE '%{phrase}%' THEN '{name}'");
    }
    policy.push_str(" ELSE '' END");
    let mut q = String::new();
    let _ = writeln!(
        q,
        "-- denial-explainer triage: CloudTrail denials in {table} from {start} to {end}, grouped as `triage` groups them.\n\
         -- Save the result as CSV and run: denial-explainer triage RESULT.csv"
    );
    let _ = write!(
        q,
        r#"WITH denials AS (
  SELECT
    CASE WHEN eventname = 'ConsoleLogin' AND coalesce(errorcode, '') = '' THEN 'ConsoleLogin' ELSE errorcode END AS error_code,
    CASE WHEN coalesce(errorcode, '') = '' OR errorcode IN ({authn}) THEN 'authentication' ELSE 'authorization' END AS kind,
    CASE
      WHEN useridentity.type = 'AssumedRole' THEN coalesce(
        nullif(useridentity.sessioncontext.sessionissuer.arn, ''),
        CASE WHEN useridentity.arn LIKE 'arn:%:sts::%:assumed-role/%'
          THEN split_part(useridentity.arn, ':', 1) || ':' || split_part(useridentity.arn, ':', 2) || ':iam::'
            || split_part(useridentity.arn, ':', 5) || ':role/' || split_part(split_part(useridentity.arn, ':', 6), '/', 2)
          ELSE coalesce(useridentity.arn, '') END)
      WHEN useridentity.type = 'AWSService' THEN coalesce(useridentity.invokedby, '')
      ELSE coalesce(nullif(useridentity.arn, ''), nullif(useridentity.principalid, ''), 'account ' || nullif(useridentity.accountid, ''), '')
    END AS principal,
    coalesce(useridentity.type, '') AS principal_type,
    CASE WHEN useridentity.accesskeyid LIKE 'AKIA%' THEN 'long-term' WHEN useridentity.accesskeyid LIKE 'ASIA%' THEN 'temporary' END AS key_type,
    split_part(eventsource, '.', 1) || ':' || eventname AS action,
    coalesce(
      nullif(CASE WHEN cardinality(resources) > 0 THEN resources[1].arn END, ''),
      nullif(regexp_extract(errormessage, 'on resource: "?([^" ]+)', 1), ''),
      '') AS resource0,
    {policy} AS policy_type,
    CASE WHEN errormessage LIKE '%explicit deny%' THEN 'explicit' WHEN errormessage LIKE '%because no %' THEN 'implicit' ELSE '' END AS deny,
    eventtime, sourceipaddress, useragent, awsregion, requestid, errormessage
  FROM {table}
  WHERE "timestamp" >= '{p_start}' AND "timestamp" <= '{partition_end}'
    AND eventtime >= '{start}T00:00:00Z' AND eventtime < '{event_end}T00:00:00Z'
    AND (errorcode IN ({all})
      OR errorcode LIKE '%AccessDenied' OR errorcode LIKE '%AccessDeniedException'
      OR (eventname = 'ConsoleLogin' AND (errormessage = 'Failed authentication'
        OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')))
)
SELECT
  kind, principal, min(principal_type) AS principal_type, max(key_type) AS key_type, action,
  CASE WHEN resource0 LIKE 'arn:aws:s3:::%/%' THEN split_part(resource0, '/', 1) || '/*' ELSE resource0 END AS resource,
  error_code, policy_type, deny,
  count(*) AS events,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, {n}), ' | ') AS source_ips,
  array_join(slice(array_sort(array_agg(DISTINCT useragent)), 1, {n}), ' | ') AS user_agents,
  array_join(slice(array_sort(array_agg(DISTINCT awsregion)), 1, {n}), ' | ') AS regions,
  array_join(slice(array_agg(requestid ORDER BY eventtime, requestid), 1, 3), ' | ') AS request_ids,
  min_by(errormessage, eventtime) AS error_message
FROM denials
GROUP BY 1, 2, 5, 6, 7, 8, 9
ORDER BY events DESC
"#,
        p_start = start.replace('-', "/"),
        n = MAX_VALUES,
    );
    let _ = from;
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_could_change_the_query() {
        assert_eq!(
            athena("logs; DROP TABLE x", "2026-11-20", "2026-11-20").unwrap_err(),
            SqlError::Table("logs; DROP TABLE x".to_owned())
        );
        assert_eq!(
            athena("db.logs", "2026-11-31", "2026-12-01").unwrap_err(),
            SqlError::Date("2026-11-31".to_owned())
        );
        let q = athena("db.cloudtrail_logs_pp", "2026-11-20", "2026-11-21").unwrap();
        assert!(q.contains("FROM db.cloudtrail_logs_pp"));
        assert!(q.contains(r#""timestamp" >= '2026/11/20' AND "timestamp" <= '2026/11/22'"#));
        assert!(q.contains("eventtime < '2026-11-22T00:00:00Z'"));
    }
}
