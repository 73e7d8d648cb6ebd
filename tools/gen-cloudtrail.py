#!/usr/bin/env python3
"""Writes a day of synthetic CloudTrail, laid out as `aws s3 sync` leaves a trail's bucket:
AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz

Constructed from documented formats, not real logs: event fields follow the CloudTrail
"record contents" and "userIdentity element" references, the file names the "CloudTrail log
file examples" page, error codes and messages the services' error references and the IAM
"Troubleshooting access denied error messages" page. Deterministic for a given --seed.

Planted patterns (what `triage` is expected to find, tests/triage.rs):
  1. a misconfigured role: `orders-worker` sessions denied dynamodb:GetItem on one table,
     --role-denials times (10,000 by default), all day long, from addresses that also succeed;
  2. enumeration: one IAM user's long-term key (AKIA...) denied on 40 services within minutes,
     from an address that never succeeds;
  3. an expired-token storm: after a 16:00 rotation, `reporting-etl` sessions keep presenting an
     expired token (ExpiredToken) for 45 minutes;
  plus root console sign-in failures, Lambda and S3 data events, and background traffic.

usage: gen-cloudtrail.py OUT_DIR [--seed N] [--background N] [--role-denials N] [--day YYYY-MM-DD]
       [--files-per-hour N]
"""
import argparse
import datetime as dt
import gzip
import json
import os
import random

ACCOUNT = "111122223333"
REGIONS = ["us-east-1", "eu-west-1"]
OFFICE = ["198.51.100.%d" % i for i in range(10, 30)]
VPC = ["10.0.%d.%d" % (i, j) for i in range(1, 4) for j in range(10, 20)]
PROBE_IP = "203.0.113.66"
ROOT_IP = "192.0.2.77"
CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/%s"
BOTO = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8"
CONSOLE = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"

# The 42 calls on 40 services the enumeration burst makes: (eventSource, eventName, errorCode, protocol).
# Query/EC2-protocol services report AccessDenied / Client.UnauthorizedOperation, JSON-protocol
# services AccessDeniedException (AWS "Common errors" and each service's error list).
SERVICES = [
    ("iam", "ListUsers", "AccessDenied"), ("iam", "ListRoles", "AccessDenied"),
    ("s3", "ListBuckets", "AccessDenied"), ("ec2", "DescribeInstances", "Client.UnauthorizedOperation"),
    ("ec2", "DescribeVpcs", "Client.UnauthorizedOperation"), ("lambda", "ListFunctions20150331", "AccessDenied"),
    ("dynamodb", "ListTables", "AccessDenied"), ("rds", "DescribeDBInstances", "AccessDenied"),
    ("sqs", "ListQueues", "AccessDenied"), ("sns", "ListTopics", "AuthorizationError"),
    ("kms", "ListKeys", "AccessDeniedException"), ("secretsmanager", "ListSecrets", "AccessDenied"),
    ("ssm", "DescribeParameters", "AccessDenied"), ("cloudformation", "ListStacks", "AccessDenied"),
    ("cloudtrail", "DescribeTrails", "AccessDenied"), ("logs", "DescribeLogGroups", "AccessDenied"),
    ("monitoring", "DescribeAlarms", "AccessDenied"), ("ecs", "ListClusters", "AccessDenied"),
    ("eks", "ListClusters", "AccessDenied"), ("ecr", "DescribeRepositories", "AccessDenied"),
    ("elasticloadbalancing", "DescribeLoadBalancers", "AccessDenied"), ("route53", "ListHostedZones", "AccessDenied"),
    ("cloudfront", "ListDistributions", "AccessDenied"), ("organizations", "DescribeOrganization", "AccessDenied"),
    ("guardduty", "ListDetectors", "AccessDenied"), ("securityhub", "DescribeHub", "AccessDenied"),
    ("config", "DescribeConfigRules", "AccessDenied"), ("athena", "ListWorkGroups", "AccessDenied"),
    ("glue", "GetDatabases", "AccessDenied"), ("redshift", "DescribeClusters", "AccessDenied"),
    ("elasticache", "DescribeCacheClusters", "AccessDenied"), ("es", "ListDomainNames", "AccessDenied"),
    ("kinesis", "ListStreams", "AccessDenied"), ("firehose", "ListDeliveryStreams", "AccessDenied"),
    ("states", "ListStateMachines", "AccessDenied"), ("events", "ListRules", "AccessDenied"),
    ("apigateway", "GetRestApis", "AccessDenied"), ("codecommit", "ListRepositories", "AccessDenied"),
    ("codebuild", "ListProjects", "AccessDenied"), ("backup", "ListBackupVaults", "AccessDenied"),
    ("acm", "ListCertificates", "AccessDenied"), ("sts", "GetSessionToken", "AccessDenied"),
]


class Gen:
    def __init__(self, seed, day):
        self.r = random.Random(seed)
        self.day = day
        self.events = []

    def hexid(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def uuid(self):
        h = self.hexid(32)
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])

    def key(self, prefix):
        return prefix + "".join(self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))

    def at(self, seconds):
        t = self.day + dt.timedelta(seconds=seconds)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def role_session(self, role, session, key_prefix="ASIA", issuer=True):
        ui = {
            "type": "AssumedRole",
            "principalId": "AROA%s:%s" % (self.hexid(16).upper(), session),
            "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, role, session),
            "accountId": ACCOUNT,
            "accessKeyId": self.key(key_prefix),
        }
        if issuer:
            ui["sessionContext"] = {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": "AROA" + role.upper().replace("-", "")[:16],
                    "arn": "arn:aws:iam::%s:role/%s" % (ACCOUNT, role),
                    "accountId": ACCOUNT,
                    "userName": role,
                },
                "attributes": {"creationDate": self.at(0), "mfaAuthenticated": "false"},
            }
        return ui

    def iam_user(self, name, key=None):
        ui = {
            "type": "IAMUser",
            "principalId": "AIDA" + name.upper().replace("-", "")[:16].ljust(16, "X"),
            "arn": "arn:aws:iam::%s:user/%s" % (ACCOUNT, name),
            "accountId": ACCOUNT,
            "userName": name,
        }
        if key:
            ui["accessKeyId"] = key
        return ui

    def event(self, t, ui, source, name, region, ip, agent, error=None, message=None,
              resources=None, read_only=True, data=False, params=None, response=None):
        e = {
            "eventVersion": "1.09",
            "userIdentity": ui,
            "eventTime": self.at(t),
            "eventSource": source + ".amazonaws.com",
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": ip,
            "userAgent": agent,
        }
        if error:
            e["errorCode"] = error
        if message:
            e["errorMessage"] = message
        e["requestParameters"] = params
        e["responseElements"] = response
        e["requestID"] = self.uuid() if not source == "s3" else self.hexid(16).upper()
        e["eventID"] = self.uuid()
        e["readOnly"] = read_only
        if resources:
            e["resources"] = resources
        e["eventType"] = "AwsApiCall"
        e["managementEvent"] = not data
        e["recipientAccountId"] = ACCOUNT
        e["eventCategory"] = "Data" if data else "Management"
        self.events.append((t, region, e))


def iam_message(who, action, resource, tail="because no identity-based policy allows the %s action"):
    return "User: %s is not authorized to perform: %s on resource: %s %s" % (
        who, action, resource, tail % action if "%s" in tail else tail)


def generate(args):
    day = dt.datetime.strptime(args.day, "%Y-%m-%d")
    g = Gen(args.seed, day)
    r = g.r
    DAY = 86400
    # Background: successful calls by the usual principals.
    for i in range(args.background):
        t = r.randrange(DAY)
        kind = r.random()
        region = r.choice(REGIONS)
        if kind < 0.35:
            ui = g.role_session("orders-worker", "i-0%s" % g.hexid(16), "ASIA")
            bucket, key = "orders-archive", "2026/%02d/%s.json" % (r.randrange(1, 13), g.hexid(8))
            g.event(t, ui, "s3", "GetObject", region, r.choice(VPC), BOTO, data=True,
                    params={"bucketName": bucket, "key": key},
                    resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/%s" % (bucket, key)},
                               {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::" + bucket}])
        elif kind < 0.55:
            ui = g.role_session("reporting-etl", "etl-%d" % r.randrange(4))
            g.event(t, ui, "s3", "ListObjects", region, r.choice(VPC), BOTO, data=True,
                    params={"bucketName": "reports"},
                    resources=[{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::reports"}])
        elif kind < 0.7:
            ui = g.role_session("ci-deploy", "gh-%d" % r.randrange(1000))
            fn = "arn:aws:lambda:%s:%s:function:checkout" % (region, ACCOUNT)
            g.event(t, ui, "lambda", "Invoke", region, r.choice(OFFICE), BOTO, data=True,
                    params={"functionName": fn}, resources=[{"accountId": ACCOUNT, "type": "AWS::Lambda::Function", "ARN": fn}])
        elif kind < 0.85:
            ui = g.iam_user(r.choice(["ana", "bo", "chen"]))
            ui["accessKeyId"] = g.key("ASIA")
            g.event(t, ui, "ec2", "DescribeInstances", region, r.choice(OFFICE), CONSOLE)
        else:
            ui = {"type": "AWSService", "invokedBy": "cloudformation.amazonaws.com"}
            g.event(t, ui, "iam", "GetRole", "us-east-1", "cloudformation.amazonaws.com", "cloudformation.amazonaws.com")

    # 1. The misconfigured role, all day, from addresses that also succeed.
    table = "arn:aws:dynamodb:us-east-1:%s:table/Orders" % ACCOUNT
    for i in range(args.role_denials):
        t = int(i * DAY / args.role_denials) + r.randrange(5)
        session = "i-0%s" % ["4b1c2d3e4f5a6b7c8", "9a8b7c6d5e4f3a2b1", "1f2e3d4c5b6a79881"][i % 3]
        ui = g.role_session("orders-worker", session)
        g.event(t, ui, "dynamodb", "GetItem", "us-east-1", r.choice(VPC), BOTO,
                "AccessDeniedException",
                iam_message(ui["arn"], "dynamodb:GetItem", table),
                params={"tableName": "Orders", "key": {"id": {"S": g.hexid(8)}}},
                resources=[{"accountId": ACCOUNT, "type": "AWS::DynamoDB::Table", "ARN": table}], data=True)

    # 2. Enumeration: one long-term key, 40 services, 14:02-14:09, from an address that never succeeds.
    key = "AKIA" + "Q" * 4 + g.key("")[:12]
    ui = g.iam_user("build-bot", key)
    t0 = 14 * 3600 + 120
    for i, (svc, name, code) in enumerate(SERVICES):
        for k in range(2):
            t = t0 + i * 10 + k * 3
            action = "%s:%s" % (svc if svc != "monitoring" else "cloudwatch", name)
            if code.endswith("UnauthorizedOperation"):
                message = "You are not authorized to perform this operation."
            elif code == "AuthorizationError":
                message = iam_message(ui["arn"], action, "arn:aws:sns:us-east-1:%s:*" % ACCOUNT)
            else:
                message = iam_message(ui["arn"], action, "*")
            g.event(t, ui, svc, name, "us-east-1", PROBE_IP, CLI % name.lower(), code, message)

    # 3. Expired-token storm after the 16:00 rotation: old sessions keep calling for 45 minutes.
    storm_start = 16 * 3600
    for i in range(args.storm):
        t = storm_start + int(i * 2700 / args.storm)
        session = "etl-%d" % (i % 4)
        ui = g.role_session("reporting-etl", session, issuer=False)
        key = "2026/11/%s.csv" % g.hexid(6)
        g.event(t, ui, "s3", "GetObject", "eu-west-1", r.choice(VPC), BOTO,
                "ExpiredToken", "The provided token has expired.", data=True,
                params={"bucketName": "reports", "key": key},
                resources=[{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::reports/" + key},
                           {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::reports"}])

    # Console sign-in failures: the root user, from one address ("AWS Management Console
    # sign-in events": errorMessage "Failed authentication", responseElements ConsoleLogin Failure).
    for i in range(5):
        ui = {"type": "Root", "principalId": ACCOUNT, "arn": "arn:aws:iam::%s:root" % ACCOUNT, "accountId": ACCOUNT}
        g.event(9 * 3600 + i * 40, ui, "signin", "ConsoleLogin", "us-east-1", ROOT_IP, CONSOLE,
                None, "Failed authentication", params=None,
                response={"ConsoleLogin": "Failure"}, read_only=False)
        g.events[-1][2]["eventType"] = "AwsConsoleSignIn"
        g.events[-1][2]["additionalEventData"] = {"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No"}

    # Console sign-in failures of an IAM user that carry the outcome only in responseElements
    # (constructed: no errorMessage), which is the field the sign-in events reference and
    # detection rules read; triage and the Athena query must both count them.
    for i in range(3):
        ui = {"type": "IAMUser", "principalId": "AIDA%s" % g.hexid(8).upper(),
              "arn": "arn:aws:iam::%s:user/Anaya" % ACCOUNT, "accountId": ACCOUNT, "userName": "Anaya"}
        g.event(10 * 3600 + i * 30, ui, "signin", "ConsoleLogin", "us-east-1", r.choice(OFFICE), CONSOLE,
                None, None, params=None, response={"ConsoleLogin": "Failure"}, read_only=False)
        g.events[-1][2]["eventType"] = "AwsConsoleSignIn"

    # Scattered denials: a Lambda invoke denied by a resource policy, an SCP deny, a bucket policy.
    for i in range(40):
        ui = g.role_session("ci-deploy", "gh-%d" % r.randrange(1000))
        fn = "arn:aws:lambda:eu-west-1:%s:function:billing" % ACCOUNT
        g.event(r.randrange(DAY), ui, "lambda", "Invoke", "eu-west-1", r.choice(OFFICE), BOTO,
                "AccessDenied", iam_message(ui["arn"], "lambda:InvokeFunction", fn,
                                            "because no resource-based policy allows the %s action"),
                resources=[{"accountId": ACCOUNT, "type": "AWS::Lambda::Function", "ARN": fn}], data=True)
    for i in range(25):
        ui = g.iam_user("ana")
        ui["accessKeyId"] = g.key("ASIA")
        g.event(r.randrange(DAY), ui, "ec2", "RunInstances", "eu-west-1", r.choice(OFFICE), CONSOLE,
                "Client.UnauthorizedOperation",
                "You are not authorized to perform this operation. User: arn:aws:iam::%s:user/ana is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:eu-west-1:%s:instance/* with an explicit deny in a service control policy. Encoded authorization failure message: %s" % (ACCOUNT, ACCOUNT, g.hexid(40)),
                read_only=False)
    return g.events


def write(events, out, files_per_hour):
    events.sort(key=lambda e: (e[1], e[0], e[2]["eventID"]))
    r = random.Random(7)
    by_file = {}
    for t, region, e in events:
        hour_slot = int(t // (3600 // files_per_hour))
        by_file.setdefault((region, hour_slot), []).append(e)
    count = 0
    for (region, slot), recs in sorted(by_file.items()):
        first = recs[0]["eventTime"]
        day = first[:10].replace("-", "/")
        stamp = first[:4] + first[5:7] + first[8:10] + "T" + first[11:13] + first[14:16] + "Z"
        d = os.path.join(out, "AWSLogs", ACCOUNT, "CloudTrail", region, day)
        os.makedirs(d, exist_ok=True)
        unique = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
        name = "%s_CloudTrail_%s_%s_%s.json.gz" % (ACCOUNT, region, stamp, unique)
        body = json.dumps({"Records": recs}, separators=(",", ":")).encode()
        # mtime=0: the same seed gives the same bytes.
        with open(os.path.join(d, name), "wb") as f:
            f.write(gzip.compress(body, compresslevel=6, mtime=0))
        count += len(recs)
    return count


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--background", type=int, default=20000)
    p.add_argument("--role-denials", type=int, default=10000)
    p.add_argument("--storm", type=int, default=3000)
    p.add_argument("--day", default="2026-11-20")
    p.add_argument("--files-per-hour", type=int, default=12)
    args = p.parse_args()
    n = write(generate(args), args.out, args.files_per_hour)
    print("wrote %d events under %s" % (n, os.path.join(args.out, "AWSLogs")))


if __name__ == "__main__":
    main()
