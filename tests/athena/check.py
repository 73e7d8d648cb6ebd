#!/usr/bin/env python3
"""Runs the query `denial-explainer triage --athena-sql` writes against DuckDB over a generated
CloudTrail fixture laid out like S3, and checks it returns the same groups and counts as
`triage` over the raw files; then reads the query's CSV result back with `triage`.

The table is built as the Athena guide's partition-projection table has it: lowercase columns,
`useridentity` and `resources` as structs, and the `timestamp` partition (yyyy/MM/dd) taken from
the object's path. DuckDB lacks three Trino functions the query uses; they are defined as macros
with Trino's meaning: `array_join(array, sep)`, `slice(array, start, length)` and
`json_extract_scalar(json, path)`. `responseelements` is a JSON string, as in the guide's table.

usage: tests/athena/check.py BINARY [--background N]
"""
import json, os, subprocess, sys, tempfile

try:
    import duckdb
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "duckdb"])
    import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1]
BACKGROUND = sys.argv[sys.argv.index("--background") + 1] if "--background" in sys.argv else "2000"

TABLE = """
CREATE TABLE cloudtrail_logs_pp AS
SELECT
  json_extract_string(r, '$.eventTime') AS eventtime,
  json_extract_string(r, '$.eventSource') AS eventsource,
  json_extract_string(r, '$.eventName') AS eventname,
  json_extract_string(r, '$.awsRegion') AS awsregion,
  json_extract_string(r, '$.sourceIPAddress') AS sourceipaddress,
  json_extract_string(r, '$.userAgent') AS useragent,
  json_extract_string(r, '$.errorCode') AS errorcode,
  json_extract_string(r, '$.errorMessage') AS errormessage,
  json_extract_string(r, '$.requestID') AS requestid,
  CAST(json_extract(r, '$.responseElements') AS VARCHAR) AS responseelements,
  struct_pack(
    type := json_extract_string(r, '$.userIdentity.type'),
    principalid := json_extract_string(r, '$.userIdentity.principalId'),
    arn := json_extract_string(r, '$.userIdentity.arn'),
    accountid := json_extract_string(r, '$.userIdentity.accountId'),
    invokedby := json_extract_string(r, '$.userIdentity.invokedBy'),
    accesskeyid := json_extract_string(r, '$.userIdentity.accessKeyId'),
    sessioncontext := struct_pack(sessionissuer := struct_pack(
      arn := json_extract_string(r, '$.userIdentity.sessionContext.sessionIssuer.arn')))
  ) AS useridentity,
  CASE WHEN json_extract(r, '$.resources') IS NULL THEN NULL ELSE
    list_transform(json_extract(r, '$.resources[*]'), lambda x: struct_pack(arn := json_extract_string(x, '$.ARN'),
      accountid := json_extract_string(x, '$.accountId'), type := json_extract_string(x, '$.type'))) END AS resources,
  regexp_extract(filename, 'CloudTrail/[^/]+/(\\d{4}/\\d{2}/\\d{2})/', 1) AS "timestamp"
FROM (
  SELECT filename, unnest(json_extract(json, '$.Records[*]')) AS r
  FROM read_json_objects(?, format = 'auto', filename = true, compression = 'gzip')
)
"""


def main():
    with tempfile.TemporaryDirectory() as d:
        subprocess.check_call([sys.executable, os.path.join(ROOT, "tools/gen-cloudtrail.py"), d,
                               "--background", BACKGROUND, "--role-denials", "1000", "--storm", "300"],
                              stdout=subprocess.DEVNULL)
        raw = json.loads(subprocess.check_output([BIN, "triage", d, "--format", "json"]))
        sql = subprocess.check_output([BIN, "triage", "--athena-sql", "--table", "cloudtrail_logs_pp",
                                       "--start", "2026-11-20", "--end", "2026-11-20"], text=True)
        db = duckdb.connect()
        db.execute("CREATE MACRO array_join(a, sep) AS array_to_string(a, sep)")
        db.execute("CREATE MACRO slice(a, s, n) AS list_slice(a, s, s + n - 1)")
        db.execute("CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)")
        db.execute(TABLE, [os.path.join(d, "AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz")])
        cur = db.execute(sql)
        cols = [c[0] for c in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]

        def key(kind, principal, action, resource, code, policy, deny):
            return (kind, principal, action, resource or "", code, policy or "", deny or "")

        got = {key(r["kind"], r["principal"], r["action"], r["resource"], r["error_code"], r["policy_type"], r["deny"]): r["events"] for r in rows}
        want = {}
        for g in raw["groups"]:
            if g["members"]:
                for m in g["members"]:
                    want[key(g["kind"], g["principal"], m["action"], m["resource"], m["errorCode"], m["policyType"], m["deny"])] = m["count"]
            else:
                want[key(g["kind"], g["principal"], g["action"], g["resource"], g["errorCode"], g["policyType"], g["deny"])] = g["count"]
        if got != want:
            for k in sorted(set(got) | set(want)):
                if got.get(k) != want.get(k):
                    print("differs:", k, "sql:", got.get(k), "triage:", want.get(k))
            sys.exit("the Athena query and triage disagree")
        print("athena query: %d groups, %d denials, the same as triage over the raw files" % (len(got), sum(got.values())))

        # The result read back: same groups, same counts, same ranking signals that need no raw events.
        csv = os.path.join(d, "result.csv")
        db.execute("COPY (%s) TO '%s' (HEADER, DELIMITER ',', FORCE_QUOTE *)" % (sql.rstrip().rstrip(";"), csv))
        back = json.loads(subprocess.check_output([BIN, "triage", csv, "--format", "json"]))
        assert not back["errors"], back["errors"]
        assert back["summary"]["denials"] == raw["summary"]["denials"], (back["summary"], raw["summary"])
        top = back["groups"][0]
        assert top["principal"].endswith(":user/build-bot") and top["action"] == "*", top
        assert any(g["explanation"] for g in back["groups"]), "groups read back are explained"
        print("read back: %d groups, %d denials, enumeration ranked first" % (len(back["groups"]), back["summary"]["denials"]))


main()
