//! Database and message-broker refusals, in the products' own words:
//! PostgreSQL, MySQL and MariaDB, SQL Server (and Azure SQL), MongoDB, Redis,
//! RabbitMQ, Snowflake, Databricks Unity Catalog and Apache Kafka, and the
//! cloud services that decide a database login themselves (Amazon RDS IAM
//! database authentication, Cloud SQL IAM database users).
//!
//! None of these speaks HTTP or has a policy document: each decides by its
//! own accounts and grants (`GRANT`, `pg_hba.conf`, `CREATE USER ...
//! IDENTIFIED BY`, SQL Server logins and database users, MongoDB roles, Redis
//! ACL users, RabbitMQ vhost permissions). The findings are `unknown` with the
//! fact `service` naming the product, except where a cloud's managed service
//! decided (then its provider), and carry the fact `dbError`: the product's
//! number or name for the message, which the summary and the checklist read.
//!
//! The messages are a table, [`MESSAGES`]; each row's `read` says where the
//! user, the privilege and the object stand around the fixed words. Bare
//! "permission denied" or "access denied" is everywhere (files, sockets, web
//! pages): every row is anchored on wording only its product prints.

use super::{Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{Confidence, DenyKind, Finding, Gate, Provider, Stage};
use crate::scan::{
    at, byte, find_all, find_in, is_word, line_end, line_start, quoted, slice, token, whole_word,
};

/// The `service` facts.
pub(crate) const POSTGRES: &str = "PostgreSQL";
pub(crate) const MYSQL: &str = "MySQL";
pub(crate) const SQL_SERVER: &str = "SQL Server";
pub(crate) const AZURE_SQL: &str = "Azure SQL Database";
pub(crate) const MONGODB: &str = "MongoDB";
pub(crate) const REDIS: &str = "Redis";
pub(crate) const RABBITMQ: &str = "RabbitMQ";
pub(crate) const SNOWFLAKE: &str = "Snowflake";
pub(crate) const DATABRICKS: &str = "Databricks Unity Catalog";
pub(crate) const KAFKA: &str = "Apache Kafka";
pub(crate) const CLOUD_SQL: &str = "Cloud SQL";
pub(crate) const RDS_IAM: &str = "Amazon RDS IAM database authentication";

/// What a message means, for the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    /// PostgreSQL: the password (or the role) was wrong.
    PgPassword,
    /// PostgreSQL: an authentication method other than a password refused.
    PgAuthMethod,
    /// PostgreSQL: no `pg_hba.conf` line lets this host, user and database in.
    PgHba,
    /// PostgreSQL: the role lacks a privilege on an object.
    PgPrivilege,
    /// MySQL 1045: wrong password, or no account for this user at this host.
    MyLogin,
    /// MySQL 1044: the account has no privilege on the database.
    MyDatabase,
    /// MySQL 1142/1143/1370: a statement's privilege on a table or routine.
    MyTable,
    /// MySQL 1227: a global or dynamic privilege (SUPER).
    MyGlobal,
    /// SQL Server 18456: the login failed.
    MsLogin,
    /// SQL Server 4060: the login may not open the database.
    MsDatabase,
    /// SQL Server 229/230/262/916: a database user's permission.
    MsPermission,
    /// MongoDB 13: the user's roles do not allow the command.
    MongoRoles,
    /// MongoDB 13 on a connection that never authenticated.
    MongoNoAuth,
    /// MongoDB 18: the credentials were refused.
    MongoLogin,
    /// Redis NOPERM: the ACL user may not run the command or touch the key.
    RedisAcl,
    /// Redis NOAUTH: the connection did not authenticate.
    RedisNoAuth,
    /// Redis WRONGPASS: the user or password is wrong, or the user is off.
    RedisLogin,
    /// RabbitMQ: the broker refused the login.
    RabbitLogin,
    /// RabbitMQ: the user has no permission on the vhost or resource.
    RabbitAccess,
    /// Snowflake: the current role lacks a privilege.
    SnowPrivilege,
    /// Snowflake: the object does not exist or the role may not see it.
    SnowConcealed,
    /// Databricks Unity Catalog: the principal lacks a privilege.
    UcPrivilege,
    /// Kafka: an ACL refused the topic or group.
    KafkaAcl,
    /// Kafka: SASL authentication failed.
    KafkaLogin,
    /// Cloud SQL: automatic IAM authentication with a user that is not an IAM user.
    CloudSqlIam,
    /// RDS: the IAM authentication token was refused.
    RdsIam,
    /// Not an access decision: a connection limit.
    TooManyConnections,
    /// Not an access decision: the database named does not exist.
    NoDatabase,
    /// Not an access decision: the server or replica is read-only.
    ReadOnly,
    /// Not an access decision: MySQL blocked the host after connection errors.
    HostBlocked,
    /// Not an access decision: another connection holds an exclusive queue.
    Locked,
}

/// Where the user, the privilege and the object stand around a row's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    Nothing,
    /// `... for user "U"`: the quoted user right after the words.
    UserAfter,
    /// `no pg_hba.conf entry for host "H", user "U", database "D"`.
    PgHba,
    /// `permission denied for KIND NAME`: the object after the words.
    ObjectAfter,
    /// `Access denied for user 'u'@'h' (using password: YES)`.
    MyAccount,
    /// `Access denied for user 'u'@'h' to database 'd'`.
    MyDatabase,
    /// `PRIV command denied to user 'u'@'h' for table 't'`.
    MyCommand,
    /// `you need (at least one of) the PRIV privilege(s)`.
    MyPrivilege,
    /// `Login failed for user 'u'`.
    MsLogin,
    /// `Cannot open database "d" requested by the login`.
    MsDatabase,
    /// `The PERM permission was denied on the object 'o', database 'd', ...`.
    MsObject,
    /// `The server principal "p" is not able to access the database "d"`.
    MsPrincipal,
    /// `not authorized on DB to execute command { CMD: ...`.
    MongoCommand,
    /// `command CMD requires authentication`.
    MongoRequires,
    /// `Could not find user "u" for db "d"`.
    MongoUser,
    /// `NOPERM [User U|this user] has no permissions to run the 'CMD' command`.
    RedisCommand,
    /// `[PERM ]access to KIND 'name' in vhost 'v' refused for user 'u'`.
    Rabbit,
    /// `KIND 'NAME' does not exist or not authorized`: the object before.
    QuotedBefore,
    /// `Insufficient privileges to operate on KIND 'NAME'`.
    QuotedAfter,
    /// `User does not have PRIV on KIND 'NAME'`.
    Databricks,
    /// `Not authorized to access topics: [T]` / `group: G`.
    KafkaObject,
    /// `too many connections for role "R"`: the role after the words.
    RoleAfter,
    /// `database "D" does not exist`: the quoted name before the words.
    DatabaseBefore,
}

/// A cloud's managed service that decides in the product's place when its
/// words are near.
struct Cloud {
    tells: &'static [&'static str],
    provider: Provider,
    product: &'static str,
}

/// One message: its product, its fixed words, the gate and deny kind the
/// product's documentation gives it, the product's number or name for it
/// (the `dbError` fact), the codes that stand for it in the text (the first
/// found near it is the finding's code), where its values stand, the advice,
/// and the words that must be near it when the words alone do not name the
/// product (empty: they do).
struct Row {
    product: &'static str,
    provider: Provider,
    phrase: &'static str,
    gate: Gate,
    deny: Option<DenyKind>,
    error: &'static str,
    codes: &'static [&'static str],
    read: Read,
    topic: Topic,
    tells: &'static [&'static str],
    cloud: Option<Cloud>,
}

const fn row(
    product: &'static str,
    phrase: &'static str,
    gate: Gate,
    error: &'static str,
    read: Read,
    topic: Topic,
) -> Row {
    Row {
        product,
        provider: Provider::Unknown,
        phrase,
        gate,
        deny: match gate {
            Gate::Authorization => Some(DenyKind::Implicit),
            _ => None,
        },
        error,
        codes: &[],
        read,
        topic,
        tells: &[],
        cloud: None,
    }
}

/// Azure SQL answers with SQL Server's messages; its host names it.
const AZURE: Option<Cloud> = Some(Cloud {
    tells: &[".database.windows.net"],
    provider: Provider::Azure,
    product: AZURE_SQL,
});

/// RDS for PostgreSQL's IAM authentication goes through PAM.
const RDS: Option<Cloud> = Some(Cloud {
    tells: &[
        ".rds.amazonaws.com",
        "rds_iam",
        "rdsauthproxy",
        "generate-db-auth-token",
    ],
    provider: Provider::Aws,
    product: RDS_IAM,
});

use Gate::{Authentication as AUTHN, Authorization as AUTHZ, NotAuth as OTHER};

/// The products' refusals and the lookalikes that are not access decisions.
///
/// PostgreSQL: "Appendix A. PostgreSQL Error Codes" (28P01 invalid_password,
/// 28000 invalid_authorization_specification, 42501 insufficient_privilege,
/// 53300 too_many_connections, 3D000 invalid_catalog_name) and "The
/// pg_hba.conf File". MySQL: "Server Error Message Reference" (1044, 1045,
/// 1142, 1143, 1370, 1227, 1040, 1129, 1290). SQL Server: "Database engine
/// events and errors" (18456, 4060, 229, 230, 262, 916). MongoDB: its error
/// codes (13 Unauthorized, 18 AuthenticationFailed). Redis: the ACL
/// documentation (NOPERM, NOAUTH, WRONGPASS) and replication (READONLY).
/// RabbitMQ: "Access Control" (ACCESS_REFUSED, 403) and AMQP 0-9-1's
/// RESOURCE_LOCKED (405). Snowflake: "Access control" (003001, and 002003's
/// "does not exist or not authorized", which hides which). Databricks: Unity
/// Catalog privileges. Kafka: its authorization exceptions. Cloud SQL: "IAM
/// database authentication"; RDS: "IAM database authentication".
const MESSAGES: &[Row] = &[
    // PostgreSQL.
    Row {
        codes: &["28P01"],
        ..row(
            POSTGRES,
            "password authentication failed for user ",
            AUTHN,
            "SQLSTATE 28P01 (invalid_password)",
            Read::UserAfter,
            Topic::PgPassword,
        )
    },
    Row {
        codes: &["28000"],
        ..row(
            POSTGRES,
            "Peer authentication failed for user ",
            AUTHN,
            "SQLSTATE 28000 (peer or ident authentication)",
            Read::UserAfter,
            Topic::PgAuthMethod,
        )
    },
    Row {
        codes: &["28000"],
        ..row(
            POSTGRES,
            "Ident authentication failed for user ",
            AUTHN,
            "SQLSTATE 28000 (peer or ident authentication)",
            Read::UserAfter,
            Topic::PgAuthMethod,
        )
    },
    Row {
        codes: &["28000"],
        cloud: RDS,
        ..row(
            POSTGRES,
            "PAM authentication failed for user ",
            AUTHN,
            "SQLSTATE 28000 (PAM authentication)",
            Read::UserAfter,
            Topic::PgAuthMethod,
        )
    },
    Row {
        codes: &["28000"],
        ..row(
            POSTGRES,
            "no pg_hba.conf entry for host ",
            AUTHZ,
            "SQLSTATE 28000 (no pg_hba.conf entry)",
            Read::PgHba,
            Topic::PgHba,
        )
    },
    Row {
        codes: &["42501"],
        ..row(
            POSTGRES,
            "permission denied for ",
            AUTHZ,
            "SQLSTATE 42501 (insufficient_privilege)",
            Read::ObjectAfter,
            Topic::PgPrivilege,
        )
    },
    Row {
        codes: &["53300"],
        ..row(
            POSTGRES,
            "too many connections for role ",
            OTHER,
            "SQLSTATE 53300 (too_many_connections)",
            Read::RoleAfter,
            Topic::TooManyConnections,
        )
    },
    Row {
        codes: &["53300"],
        ..row(
            POSTGRES,
            "sorry, too many clients already",
            OTHER,
            "SQLSTATE 53300 (too_many_connections)",
            Read::Nothing,
            Topic::TooManyConnections,
        )
    },
    Row {
        codes: &["3D000"],
        ..row(
            POSTGRES,
            "\" does not exist",
            OTHER,
            "SQLSTATE 3D000 (invalid_catalog_name)",
            Read::DatabaseBefore,
            Topic::NoDatabase,
        )
    },
    // Cloud SQL and RDS, deciding the login themselves.
    Row {
        provider: Provider::Gcp,
        codes: &["1045"],
        ..row(
            CLOUD_SQL,
            "Automatic IAM authentication via the auth-proxy requires an IAM-authenticated user",
            AUTHN,
            "automatic IAM authentication",
            Read::Nothing,
            Topic::CloudSqlIam,
        )
    },
    Row {
        provider: Provider::Gcp,
        ..row(
            CLOUD_SQL,
            "Cloud SQL IAM user authentication failed for user ",
            AUTHN,
            "IAM database authentication",
            Read::UserAfter,
            Topic::CloudSqlIam,
        )
    },
    Row {
        provider: Provider::Gcp,
        ..row(
            CLOUD_SQL,
            "Cloud SQL IAM service account authentication failed for user ",
            AUTHN,
            "IAM database authentication",
            Read::UserAfter,
            Topic::CloudSqlIam,
        )
    },
    Row {
        provider: Provider::Aws,
        tells: &["rdsauthproxy"],
        ..row(
            RDS_IAM,
            "pam_authenticate failed: Permission denied",
            AUTHN,
            "IAM authentication token refused",
            Read::Nothing,
            Topic::RdsIam,
        )
    },
    // MySQL and MariaDB.
    Row {
        codes: &["1045", "ER_ACCESS_DENIED_ERROR"],
        ..row(
            MYSQL,
            "Access denied for user ",
            AUTHN,
            "1045 (ER_ACCESS_DENIED_ERROR)",
            Read::MyAccount,
            Topic::MyLogin,
        )
    },
    Row {
        codes: &["1044", "ER_DBACCESS_DENIED_ERROR"],
        ..row(
            MYSQL,
            "Access denied for user ",
            AUTHZ,
            "1044 (ER_DBACCESS_DENIED_ERROR)",
            Read::MyDatabase,
            Topic::MyDatabase,
        )
    },
    Row {
        codes: &[
            "1142",
            "ER_TABLEACCESS_DENIED_ERROR",
            "1143",
            "ER_COLUMNACCESS_DENIED_ERROR",
            "1370",
            "ER_PROCACCESS_DENIED_ERROR",
        ],
        ..row(
            MYSQL,
            " command denied to user ",
            AUTHZ,
            "1142 (ER_TABLEACCESS_DENIED_ERROR)",
            Read::MyCommand,
            Topic::MyTable,
        )
    },
    Row {
        codes: &["1227", "ER_SPECIFIC_ACCESS_DENIED_ERROR"],
        ..row(
            MYSQL,
            "Access denied; you need (at least one of) the ",
            AUTHZ,
            "1227 (ER_SPECIFIC_ACCESS_DENIED_ERROR)",
            Read::MyPrivilege,
            Topic::MyGlobal,
        )
    },
    Row {
        codes: &["1290", "ER_OPTION_PREVENTS_STATEMENT"],
        ..row(
            MYSQL,
            "is running with the --read-only option",
            OTHER,
            "1290 (ER_OPTION_PREVENTS_STATEMENT)",
            Read::Nothing,
            Topic::ReadOnly,
        )
    },
    Row {
        codes: &["1290", "ER_OPTION_PREVENTS_STATEMENT"],
        ..row(
            MYSQL,
            "is running with the --super-read-only option",
            OTHER,
            "1290 (ER_OPTION_PREVENTS_STATEMENT)",
            Read::Nothing,
            Topic::ReadOnly,
        )
    },
    Row {
        codes: &["ER_HOST_IS_BLOCKED", "1129"],
        ..row(
            MYSQL,
            "is blocked because of many connection errors",
            OTHER,
            "1129 (ER_HOST_IS_BLOCKED)",
            Read::Nothing,
            Topic::HostBlocked,
        )
    },
    Row {
        codes: &["1040", "ER_CON_COUNT_ERROR"],
        tells: &["1040", "ER_CON_COUNT_ERROR"],
        ..row(
            MYSQL,
            "Too many connections",
            OTHER,
            "1040 (ER_CON_COUNT_ERROR)",
            Read::Nothing,
            Topic::TooManyConnections,
        )
    },
    // SQL Server and Azure SQL.
    Row {
        codes: &["18456"],
        cloud: AZURE,
        ..row(
            SQL_SERVER,
            "Login failed for user ",
            AUTHN,
            "18456",
            Read::MsLogin,
            Topic::MsLogin,
        )
    },
    Row {
        codes: &["4060"],
        cloud: AZURE,
        deny: Some(DenyKind::Unknown),
        ..row(
            SQL_SERVER,
            "Cannot open database ",
            AUTHZ,
            "4060",
            Read::MsDatabase,
            Topic::MsDatabase,
        )
    },
    Row {
        codes: &["229"],
        cloud: AZURE,
        deny: Some(DenyKind::Unknown),
        ..row(
            SQL_SERVER,
            " permission was denied on the object ",
            AUTHZ,
            "229",
            Read::MsObject,
            Topic::MsPermission,
        )
    },
    Row {
        codes: &["230"],
        cloud: AZURE,
        deny: Some(DenyKind::Unknown),
        ..row(
            SQL_SERVER,
            " permission was denied on the column ",
            AUTHZ,
            "230",
            Read::MsObject,
            Topic::MsPermission,
        )
    },
    Row {
        codes: &["916"],
        cloud: AZURE,
        deny: Some(DenyKind::Unknown),
        ..row(
            SQL_SERVER,
            " is not able to access the database ",
            AUTHZ,
            "916",
            Read::MsPrincipal,
            Topic::MsDatabase,
        )
    },
    // MongoDB.
    Row {
        codes: &["Unauthorized"],
        ..row(
            MONGODB,
            "not authorized on ",
            AUTHZ,
            "13 (Unauthorized)",
            Read::MongoCommand,
            Topic::MongoRoles,
        )
    },
    Row {
        codes: &["Unauthorized"],
        ..row(
            MONGODB,
            " requires authentication",
            AUTHN,
            "13 (Unauthorized): requires authentication",
            Read::MongoRequires,
            Topic::MongoNoAuth,
        )
    },
    Row {
        codes: &["AuthenticationFailed"],
        tells: &["codeName", "MongoServerError", "MongoError", "mongo"],
        ..row(
            MONGODB,
            "Authentication failed.",
            AUTHN,
            "18 (AuthenticationFailed)",
            Read::Nothing,
            Topic::MongoLogin,
        )
    },
    Row {
        codes: &["AuthenticationFailed"],
        ..row(
            MONGODB,
            "Could not find user ",
            AUTHN,
            "18 (AuthenticationFailed)",
            Read::MongoUser,
            Topic::MongoLogin,
        )
    },
    // Redis.
    Row {
        codes: &["NOPERM"],
        ..row(
            REDIS,
            "NOPERM ",
            AUTHZ,
            "NOPERM",
            Read::RedisCommand,
            Topic::RedisAcl,
        )
    },
    Row {
        codes: &["NOAUTH"],
        ..row(
            REDIS,
            "NOAUTH Authentication required",
            AUTHN,
            "NOAUTH",
            Read::Nothing,
            Topic::RedisNoAuth,
        )
    },
    Row {
        codes: &["WRONGPASS"],
        ..row(
            REDIS,
            "WRONGPASS invalid username-password pair",
            AUTHN,
            "WRONGPASS",
            Read::Nothing,
            Topic::RedisLogin,
        )
    },
    Row {
        codes: &["READONLY"],
        ..row(
            REDIS,
            "READONLY You can't write against a read only replica",
            OTHER,
            "READONLY",
            Read::Nothing,
            Topic::ReadOnly,
        )
    },
    // RabbitMQ.
    Row {
        codes: &["ACCESS_REFUSED"],
        ..row(
            RABBITMQ,
            "ACCESS_REFUSED - Login was refused",
            AUTHN,
            "ACCESS_REFUSED (403): login refused",
            Read::Nothing,
            Topic::RabbitLogin,
        )
    },
    Row {
        codes: &["ACCESS_REFUSED"],
        ..row(
            RABBITMQ,
            "ACCESS_REFUSED - ",
            AUTHZ,
            "ACCESS_REFUSED (403): access refused",
            Read::Rabbit,
            Topic::RabbitAccess,
        )
    },
    Row {
        codes: &["RESOURCE_LOCKED"],
        ..row(
            RABBITMQ,
            "RESOURCE_LOCKED - cannot obtain exclusive access",
            OTHER,
            "RESOURCE_LOCKED (405)",
            Read::Nothing,
            Topic::Locked,
        )
    },
    // Snowflake.
    Row {
        codes: &["003001"],
        ..row(
            SNOWFLAKE,
            "Insufficient privileges to operate on ",
            AUTHZ,
            "003001 (SQL access control error)",
            Read::QuotedAfter,
            Topic::SnowPrivilege,
        )
    },
    Row {
        codes: &["002003"],
        deny: Some(DenyKind::Unknown),
        ..row(
            SNOWFLAKE,
            "' does not exist or not authorized",
            AUTHZ,
            "002003 (does not exist or not authorized)",
            Read::QuotedBefore,
            Topic::SnowConcealed,
        )
    },
    // Databricks Unity Catalog.
    Row {
        codes: &["PERMISSION_DENIED", "INSUFFICIENT_PERMISSIONS"],
        ..row(
            DATABRICKS,
            "User does not have ",
            AUTHZ,
            "PERMISSION_DENIED (Unity Catalog privilege)",
            Read::Databricks,
            Topic::UcPrivilege,
        )
    },
    // Apache Kafka.
    Row {
        codes: &["TopicAuthorizationException", "TOPIC_AUTHORIZATION_FAILED"],
        deny: Some(DenyKind::Unknown),
        ..row(
            KAFKA,
            "Not authorized to access topics: ",
            AUTHZ,
            "TOPIC_AUTHORIZATION_FAILED (29)",
            Read::KafkaObject,
            Topic::KafkaAcl,
        )
    },
    Row {
        codes: &["GroupAuthorizationException", "GROUP_AUTHORIZATION_FAILED"],
        deny: Some(DenyKind::Unknown),
        ..row(
            KAFKA,
            "Not authorized to access group: ",
            AUTHZ,
            "GROUP_AUTHORIZATION_FAILED (30)",
            Read::KafkaObject,
            Topic::KafkaAcl,
        )
    },
    Row {
        codes: &["SaslAuthenticationException"],
        ..row(
            KAFKA,
            "SaslAuthenticationException: Authentication failed",
            AUTHN,
            "SASL_AUTHENTICATION_FAILED (58)",
            Read::Nothing,
            Topic::KafkaLogin,
        )
    },
];

/// How far around a message its code and its tells may stand (an error
/// object's `code: 13` under a stack trace).
const REACH: usize = 1200;

/// Whether `f` is a database refusal this module explains.
pub(crate) fn applies(f: &Finding) -> bool {
    row_of(f).is_some()
}

fn row_of(f: &Finding) -> Option<&'static Row> {
    let service = super::checklist::fact(f, "service")?;
    let error = super::checklist::fact(f, "dbError")?;
    MESSAGES.iter().find(|r| {
        r.error == error
            && (r.product == service || r.cloud.as_ref().is_some_and(|c| c.product == service))
    })
}

/// The same message again within this many bytes of its first reading
/// (node's error object repeats it as `message:` and `errmsg:`, a client
/// prints what the server logged) is the same refusal.
const REPEAT: usize = 1200;

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    for r in MESSAGES {
        // The first hit of the run of repeats, and where that run started.
        let mut last: Option<(usize, usize)> = None;
        for pos in find_all(text, r.phrase) {
            let Some(h) = message(text, pos, r) else {
                continue;
            };
            if let Some((i, first)) = last {
                if let Some(prev) = hits.get_mut(i) {
                    if h.span.start.saturating_sub(first) <= REPEAT && same(prev, &h) {
                        prev.span.end = prev.span.end.max(h.span.end);
                        continue;
                    }
                }
            }
            last = Some((hits.len(), h.span.start));
            hits.push(h);
        }
    }
    odbc(text, hits);
    node_postgres(text, hits);
}

/// Whether two readings name the same user, privilege and object.
fn same(a: &Hit, b: &Hit) -> bool {
    let v = |x: &super::Val<String>| x.as_ref().map(|v| v.0.clone());
    v(&a.principal) == v(&b.principal)
        && v(&a.action) == v(&b.action)
        && v(&a.resource) == v(&b.resource)
}

fn window(text: &str, pos: usize) -> (usize, usize) {
    (
        crate::scan::floor_boundary(text, pos.saturating_sub(REACH)),
        crate::scan::ceil_boundary(text, (pos + REACH).min(text.len())),
    )
}

fn message(text: &str, pos: usize, r: &'static Row) -> Option<Hit> {
    let phrase = Span::new(pos, pos + r.phrase.len());
    let (from, to) = window(text, pos);
    if !r.tells.is_empty() && !r.tells.iter().any(|t| find_in(text, t, from, to).is_some()) {
        return None;
    }
    let (provider, product) = match &r.cloud {
        Some(c) if c.tells.iter().any(|t| find_in(text, t, from, to).is_some()) => {
            (c.provider, c.product)
        }
        _ => (r.provider, r.product),
    };
    let mut h = Hit::phrase(text, phrase, provider, r.gate);
    if r.gate == Gate::NotAuth {
        // The product's own words say what failed, whatever status or code
        // another reader saw around them.
        h.gate = Some((Gate::NotAuth, Some(phrase), P_STRONG));
    }
    if let Some(d) = r.deny {
        h.deny = Some((d, Some(phrase), P_DETAIL));
    }
    h.fact_value("service", product.to_owned(), phrase);
    h.fact_value("dbError", r.error.to_owned(), phrase);
    if !read(text, phrase, r.read, &mut h) {
        return None;
    }
    // An account with no user name is the anonymous account: nobody
    // authenticated (MySQL, "Access Control, Stage 1": `''@'localhost'`).
    if h.principal.as_ref().is_some_and(|p| p.0.starts_with("''@")) {
        h.gate = Some((
            Gate::Authentication,
            h.principal.as_ref().and_then(|p| p.1),
            P_DETAIL,
        ));
        h.deny = None;
        h.facts.push(crate::model::Fact {
            key: "anonymous".to_owned(),
            value: "no user name: the anonymous account".to_owned(),
            span: phrase,
        });
    }
    // The server's log line under a driver's `Authentication failed.` says
    // which user it could not find: the same refusal.
    if r.topic == Topic::MongoLogin && r.read == Read::Nothing {
        let below = crate::scan::ceil_boundary(text, (le_of(text, pos) + 400).min(text.len()));
        if let Some(c) = find_in(text, "Could not find user ", pos, below) {
            h.span.end = h.span.end.max(line_end(text, c));
        }
    }
    // RDS's authentication proxy answers the database's PAM module over
    // HTTP: its `403 Forbidden` above the log line is this refusal's.
    if r.topic == Topic::RdsIam {
        if let Some(t) = find_in(text, "rdsauthproxy", from, pos) {
            h.span.start = h.span.start.min(line_start(text, t));
        }
    }
    if r.topic == Topic::SnowConcealed {
        h.confidence = Some(Confidence::Likely);
    }
    // The code the text prints for it: `ERROR 1045 (28000):`, `(SQLSTATE
    // 42501)`, `"codeName" : "Unauthorized"`, on its line or in the error
    // object under it.
    // From the line above: Snowflake prints `003001 (42501): SQL access
    // control error:` above its message. A code the message starts with is
    // the code wherever it stands (`\nNOPERM` in an escaped log line).
    let ls = line_start(text, pos);
    let above = line_start(text, ls.saturating_sub(1));
    let le = line_end(text, phrase.end);
    let code = r
        .codes
        .iter()
        .find(|c| r.phrase.starts_with(*c))
        .map(|c| Span::new(pos, pos + c.len()))
        .or_else(|| {
            r.codes
                .iter()
                .find_map(|c| near_word(text, c, above, (le + REACH).min(to)))
        });
    if let Some(c) = code {
        h.error_code = Some((slice(text, c).to_owned(), Some(c), P_STRONG));
    }
    h.no_http = r.topic != Topic::RdsIam;
    Some(h)
}

fn le_of(text: &str, pos: usize) -> usize {
    line_end(text, pos)
}

/// The first whole-word `word` between `from` and `to`.
fn near_word(text: &str, word: &str, from: usize, to: usize) -> Option<Span> {
    let mut p = from;
    while let Some(i) = find_in(text, word, p, to) {
        if whole_word(text, i, word.len()) {
            return Some(Span::new(i, i + word.len()));
        }
        p = i + word.len();
    }
    None
}

/// A quoted value at `pos` (`"x"`, `'x'`, `\"x\"`).
fn q(text: &str, pos: usize) -> Option<Span> {
    quoted(text, pos).filter(|s| s.end > s.start || byte(text, pos) == b'\'')
}

/// MySQL's account as it prints it, `'user'@'host'`, starting at `pos`.
fn account(text: &str, pos: usize) -> Option<Span> {
    let user = quoted(text, pos)?;
    let at_sign = user.end + 1;
    if byte(text, at_sign) != b'@' {
        return None;
    }
    let host = quoted(text, at_sign + 1)?;
    Some(Span::new(pos, host.end + 1))
}

/// The word after `pos` (letters, digits, `_`), possibly empty.
fn word(text: &str, pos: usize) -> Span {
    let mut e = pos;
    while is_word(byte(text, e)) {
        e += 1;
    }
    Span::new(pos, e)
}

/// Reads the values a row's words carry into `h`; `false` when the text
/// around the words is not the product's message after all.
fn read(text: &str, phrase: Span, how: Read, h: &mut Hit) -> bool {
    let e = phrase.end;
    let le = line_end(text, phrase.start);
    match how {
        Read::Nothing => true,
        Read::UserAfter => {
            if let Some(u) = q(text, e) {
                Hit::set_str(&mut h.principal, text, u, P_DETAIL);
            }
            true
        }
        Read::RoleAfter => {
            if let Some(u) = q(text, e) {
                h.fact("role", text, u);
            }
            true
        }
        Read::PgHba => {
            if let Some(host) = q(text, e) {
                h.fact("host", text, host);
            }
            for (key, field) in [("user ", 0), ("database ", 1)] {
                let Some(k) = find_in(text, key, e, le) else {
                    continue;
                };
                if let Some(v) = q(text, k + key.len()) {
                    let f = if field == 0 {
                        &mut h.principal
                    } else {
                        &mut h.resource
                    };
                    Hit::set_str(f, text, v, P_DETAIL);
                }
            }
            true
        }
        Read::ObjectAfter => {
            // PostgreSQL's object kinds ("permission denied for table x",
            // `aclcheck_error`); anything else is some other program's words.
            const KINDS: [&str; 16] = [
                "table ",
                "relation ",
                "schema ",
                "database ",
                "sequence ",
                "function ",
                "procedure ",
                "routine ",
                "view ",
                "materialized view ",
                "foreign table ",
                "type ",
                "language ",
                "large object ",
                "tablespace ",
                "column ",
            ];
            let Some(kind) = KINDS.iter().find(|k| at(text, e, k)) else {
                return false;
            };
            let o = e + kind.len();
            let name = q(text, o)
                .unwrap_or_else(|| crate::scan::trim_trailing(text, token(text, o), b".,;:)"));
            if !name.is_empty() && slice(text, name) != "(SQLSTATE" {
                Hit::set_str(&mut h.resource, text, name, P_DETAIL);
            }
            h.fact_value(
                "objectType",
                kind.trim_end().to_owned(),
                Span::new(e, o - 1),
            );
            true
        }
        Read::MyAccount | Read::MyDatabase => {
            let Some(acct) = account(text, e) else {
                return false;
            };
            Hit::set_str(&mut h.principal, text, acct, P_DETAIL);
            const TO_DB: &str = " to database ";
            if how == Read::MyDatabase {
                // 1044: a known account without a privilege on the database.
                if !at(text, acct.end, TO_DB) {
                    return false;
                }
                if let Some(d) = q(text, acct.end + TO_DB.len()) {
                    Hit::set_str(&mut h.resource, text, d, P_DETAIL);
                }
            } else if !at(text, acct.end, " (using password") {
                return false;
            }
            true
        }
        Read::MyCommand => {
            // The statement's privilege is the word before the words.
            let ls = line_start(text, phrase.start);
            let head = text.get(ls..phrase.start).unwrap_or("");
            let vs = head
                .rfind(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .map_or(0, |i| i + 1);
            let verb = head.get(vs..).unwrap_or("");
            if verb.is_empty() || !verb.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                return false;
            }
            Hit::set_str(
                &mut h.action,
                text,
                Span::new(phrase.start - verb.len(), phrase.start),
                P_DETAIL,
            );
            let a = crate::scan::skip_blank(text, e);
            let Some(acct) = account(text, a) else {
                return false;
            };
            Hit::set_str(&mut h.principal, text, acct, P_DETAIL);
            for key in [" for table ", " in table ", " for routine "] {
                if let Some(k) = find_in(text, key, acct.end, le) {
                    if let Some(t) = q(text, k + key.len()) {
                        Hit::set_str(&mut h.resource, text, t, P_DETAIL);
                        break;
                    }
                }
            }
            true
        }
        Read::MyPrivilege => {
            let Some(p) = find_in(text, " privilege(s)", e, le) else {
                return false;
            };
            Hit::set_str(&mut h.action, text, Span::new(e, p), P_DETAIL);
            true
        }
        Read::MsLogin => {
            let Some(u) = q(text, e) else {
                return false;
            };
            // Azure SQL's Microsoft Entra token login is read by its own
            // reader (azure.rs), which knows what the token's failure means.
            if slice(text, u) == "<token-identified principal>" {
                return false;
            }
            Hit::set_str(&mut h.principal, text, u, P_DETAIL);
            true
        }
        Read::MsDatabase => {
            let Some(d) = q(text, e) else {
                return false;
            };
            if !at(text, d.end + 1, " requested by the login") {
                return false;
            }
            Hit::set_str(&mut h.resource, text, d, P_DETAIL);
            true
        }
        Read::MsObject => {
            // `The SELECT permission was denied on the object 'o', database
            // 'd', schema 's'.`
            let ls = line_start(text, phrase.start);
            let head = text.get(ls..phrase.start).unwrap_or("");
            let Some(t) = head.rfind("The ") else {
                return false;
            };
            let perm = Span::new(ls + t + 4, phrase.start);
            let pv = slice(text, perm);
            if pv.is_empty() || !pv.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') {
                return false;
            }
            Hit::set_str(&mut h.action, text, perm, P_DETAIL);
            if let Some(o) = q(text, e) {
                Hit::set_str(&mut h.resource, text, o, P_DETAIL);
                if let Some(d) = find_in(text, ", database ", o.end, le) {
                    if let Some(dv) = q(text, d + ", database ".len()) {
                        h.fact("database", text, dv);
                    }
                }
                if let Some(s) = find_in(text, ", schema ", o.end, le) {
                    if let Some(sv) = q(text, s + ", schema ".len()) {
                        h.fact("schema", text, sv);
                    }
                }
            }
            true
        }
        Read::MsPrincipal => {
            const SP: &str = "The server principal ";
            let ls = line_start(text, phrase.start);
            let Some(s) = find_in(text, SP, ls, phrase.start) else {
                return false;
            };
            if let Some(p) = q(text, s + SP.len()) {
                Hit::set_str(&mut h.principal, text, p, P_DETAIL);
            }
            if let Some(d) = q(text, e) {
                Hit::set_str(&mut h.resource, text, d, P_DETAIL);
            }
            true
        }
        Read::MongoCommand => {
            let db = token(text, e);
            const EXEC: &str = " to execute command ";
            if db.is_empty() || !at(text, db.end, EXEC) {
                return false;
            }
            Hit::set_str(&mut h.resource, text, db, P_DETAIL);
            let b = crate::scan::skip_blank(text, db.end + EXEC.len());
            if byte(text, b) == b'{' {
                let c = word(text, crate::scan::skip_blank(text, b + 1));
                Hit::set_str(&mut h.action, text, c, P_DETAIL);
            }
            true
        }
        Read::MongoRequires => {
            // `command find requires authentication`.
            let ls = line_start(text, phrase.start);
            let head = text.get(ls..phrase.start).unwrap_or("");
            let Some(c) = head.rfind("command ") else {
                return false;
            };
            let cmd = Span::new(ls + c + "command ".len(), phrase.start);
            let v = slice(text, cmd);
            if v.is_empty() || !v.bytes().all(is_word) {
                return false;
            }
            Hit::set_str(&mut h.action, text, cmd, P_DETAIL);
            true
        }
        Read::MongoUser => {
            let Some(u) = q(text, e) else {
                return false;
            };
            const DB: &str = " for db ";
            if !at(text, u.end + 1, DB) && !at(text, u.end + 2, DB) {
                return false;
            }
            Hit::set_str(&mut h.principal, text, u, P_DETAIL);
            let d = if at(text, u.end + 1, DB) {
                u.end + 1 + DB.len()
            } else {
                u.end + 2 + DB.len()
            };
            if let Some(dv) = q(text, d) {
                Hit::set_str(&mut h.resource, text, dv, P_DETAIL);
            }
            true
        }
        Read::RedisCommand => {
            // Redis 6: `NOPERM this user has no permissions to run the 'x'
            // command`; 7: `NOPERM User u has no permissions to run ...`;
            // keys and channels: `... to access one of the keys used as
            // arguments`.
            const USER: &str = "User ";
            if at(text, e, USER) {
                let u = token(text, e + USER.len());
                Hit::set_str(&mut h.principal, text, u, P_DETAIL);
            } else if !at(text, e, "this user ") {
                return false;
            }
            const RUN: &str = "has no permissions to run the ";
            if let Some(r) = find_in(text, RUN, e, le) {
                if let Some(c) = q(text, r + RUN.len()) {
                    Hit::set_str(&mut h.action, text, c, P_DETAIL);
                }
            } else if find_in(text, "has no permissions to access", e, le).is_none() {
                return false;
            }
            true
        }
        Read::Rabbit => {
            // `[configure |write |read ]access to KIND 'name' in vhost 'v'
            // refused for user 'u'`, or `access to vhost 'v' refused for user`.
            let mut a = e;
            for perm in ["configure ", "write ", "read "] {
                if at(text, a, perm) {
                    Hit::set_str(
                        &mut h.action,
                        text,
                        Span::new(a, a + perm.len() - 1),
                        P_DETAIL,
                    );
                    a += perm.len();
                    break;
                }
            }
            const ACCESS: &str = "access to ";
            if !at(text, a, ACCESS) {
                return false;
            }
            let k = word(text, a + ACCESS.len());
            let Some(name) = q(text, k.end + 1) else {
                return false;
            };
            Hit::set_str(&mut h.resource, text, name, P_DETAIL);
            if slice(text, k) != "vhost" {
                const IN: &str = " in vhost ";
                if at(text, name.end + 1, IN) {
                    if let Some(v) = q(text, name.end + 1 + IN.len()) {
                        h.fact("vhost", text, v);
                    }
                }
            }
            const FOR: &str = " refused for user ";
            if let Some(f) = find_in(text, FOR, name.end, le) {
                if let Some(u) = q(text, f + FOR.len()) {
                    Hit::set_str(&mut h.principal, text, u, P_DETAIL);
                }
            }
            true
        }
        Read::QuotedBefore => {
            // `Schema 'A.B' does not exist or not authorized.`
            let close = phrase.start;
            let ls = line_start(text, close);
            let head = text.get(ls..close).unwrap_or("");
            let Some(open) = head.rfind('\'') else {
                return false;
            };
            let name = Span::new(ls + open + 1, close);
            let kind = head.get(..open).unwrap_or("").trim_end();
            let kind = kind.rsplit(' ').next().unwrap_or("");
            if name.is_empty() || kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphabetic())
            {
                return false;
            }
            Hit::set_str(&mut h.resource, text, name, P_DETAIL);
            h.fact_value(
                "objectType",
                kind.to_ascii_lowercase(),
                Span::new(ls + open - kind.len() - 1, ls + open),
            );
            h.fact_value("mayConceal", "not found".to_owned(), phrase);
            true
        }
        Read::QuotedAfter => {
            let k = word(text, e);
            if let Some(n) = q(text, k.end + 1) {
                Hit::set_str(&mut h.resource, text, n, P_DETAIL);
                h.fact("objectType", text, k);
            }
            true
        }
        Read::Databricks => {
            // `User does not have USE CATALOG on Catalog 'x'.`
            let Some(on) = find_in(text, " on ", e, le) else {
                return false;
            };
            let priv_ = Span::new(e, on);
            let pv = slice(text, priv_);
            if pv.is_empty()
                || !pv
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b == b' ' || b == b'_')
            {
                return false;
            }
            let k = word(text, on + 4);
            let Some(n) = q(text, k.end + 1) else {
                return false;
            };
            Hit::set_str(&mut h.action, text, priv_, P_DETAIL);
            Hit::set_str(&mut h.resource, text, n, P_DETAIL);
            h.fact("objectType", text, k);
            true
        }
        Read::KafkaObject => {
            let v = if byte(text, e) == b'[' {
                find_in(text, "]", e, le).map(|c| Span::new(e + 1, c))
            } else {
                Some(crate::scan::trim_trailing(text, token(text, e), b".,"))
            };
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                Hit::set_str(&mut h.resource, text, v, P_DETAIL);
            }
            true
        }
        Read::DatabaseBefore => {
            // `FATAL:  database "x" does not exist`, as the server sends it
            // at connection time (not a `DROP DATABASE` notice).
            let close = phrase.start;
            let ls = line_start(text, close);
            let head = text.get(ls..close).unwrap_or("");
            const DB: &str = "FATAL:  database \"";
            let Some(d) = head.rfind(DB) else {
                return false;
            };
            let name = Span::new(ls + d + DB.len(), close);
            if slice(text, name).contains('"') {
                return false;
            }
            h.fact("database", text, name);
            true
        }
    }
}

/// The ODBC drivers' and SqlClient's form, `[SQL Server]MESSAGE (NNNN)`,
/// whatever the server's language: the number says what happened, and the
/// first quoted name in the message is the login or the database.
fn odbc(text: &str, hits: &mut Vec<Hit>) {
    const TAG: &str = "[SQL Server]";
    for pos in find_all(text, TAG) {
        let ms = pos + TAG.len();
        let le = line_end(text, ms);
        let me = find_in(text, "[", ms, le).unwrap_or(le);
        let Some(open) = text
            .get(ms..me)
            .and_then(|m| m.rfind(" ("))
            .map(|i| ms + i + 2)
        else {
            continue;
        };
        let n = word(text, open);
        if byte(text, n.end) != b')'
            || n.is_empty()
            || !slice(text, n).bytes().all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let Some(r) = MESSAGES
            .iter()
            .find(|r| r.product == SQL_SERVER && r.error == slice(text, n))
        else {
            continue;
        };
        let msg = Span::new(ms, open - 2);
        let mut h = Hit::phrase(text, msg, Provider::Unknown, r.gate);
        h.gate = Some((r.gate, Some(n), P_DETAIL));
        h.error_code = Some((slice(text, n).to_owned(), Some(n), P_STRONG));
        if let Some(d) = r.deny {
            h.deny = Some((d, Some(n), P_DETAIL));
        }
        let (from, to) = window(text, pos);
        let product = match &r.cloud {
            Some(c) if c.tells.iter().any(|t| find_in(text, t, from, to).is_some()) => {
                h.provider = Some((c.provider, Some(msg), P_DETAIL));
                c.product
            }
            _ => SQL_SERVER,
        };
        h.fact_value("service", product.to_owned(), msg);
        h.fact_value("dbError", r.error.to_owned(), n);
        // The first quote, with the backslash that escapes it in a Python
        // repr (`\'sa\'`).
        let first = |quote: u8| {
            (msg.start..msg.end)
                .find(|&i| byte(text, i) == quote)
                .map(|i| {
                    if i > 0 && byte(text, i - 1) == b'\\' {
                        i - 1
                    } else {
                        i
                    }
                })
                .and_then(|i| quoted(text, i))
                .filter(|s| s.end <= msg.end)
        };
        match r.topic {
            Topic::MsLogin => {
                if let Some(u) = first(b'\'') {
                    Hit::set_str(&mut h.principal, text, u, P_DETAIL);
                }
            }
            Topic::MsDatabase => {
                if let Some(d) = first(b'"') {
                    Hit::set_str(&mut h.resource, text, d, P_DETAIL);
                }
            }
            _ => {}
        }
        h.no_http = true;
        hits.push(h);
    }
}

/// node-postgres' error object, whose message may be cut from the paste:
/// `severity: 'FATAL', code: '28P01'` (the SQLSTATE says what failed).
fn node_postgres(text: &str, hits: &mut Vec<Hit>) {
    const CODES: [(&str, &str); 3] = [
        ("28P01", "SQLSTATE 28P01 (invalid_password)"),
        ("28000", "SQLSTATE 28000 (no pg_hba.conf entry)"),
        ("42501", "SQLSTATE 42501 (insufficient_privilege)"),
    ];
    const CODE: &str = "code: '";
    for pos in find_all(text, CODE) {
        let c = Span::new(pos + CODE.len(), pos + CODE.len() + 5);
        let Some((_, error)) = CODES.iter().find(|(k, _)| at(text, c.start, k)) else {
            continue;
        };
        if byte(text, c.end) != b'\'' {
            continue;
        }
        let (from, to) = window(text, pos);
        let pg = find_in(text, "severity: '", from, to).is_some()
            && (find_in(text, "node_modules/pg", from, to).is_some()
                || find_in(text, "routine: '", from, to).is_some());
        if !pg {
            continue;
        }
        let Some(r) = MESSAGES.iter().find(|r| r.error == *error) else {
            continue;
        };
        let mut h = Hit::phrase(text, c, Provider::Unknown, r.gate);
        h.error_code = Some((slice(text, c).to_owned(), Some(c), P_STRONG));
        h.gate = Some((r.gate, Some(c), P_CODE));
        if let Some(d) = r.deny {
            h.deny = Some((d, Some(c), P_GENERIC));
        }
        h.fact_value("service", POSTGRES.to_owned(), c);
        h.fact_value("dbError", r.error.to_owned(), c);
        h.no_http = true;
        hits.push(h);
    }
}

// ---------------------------------------------------------------------------
// What to say
// ---------------------------------------------------------------------------

fn code(v: &str) -> String {
    super::checklist::code_span(v)
}

fn or<'a>(v: Option<&'a str>, placeholder: &'a str) -> &'a str {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(placeholder)
}

/// The user part of MySQL's `'u'@'h'`, and its host.
fn my_user_host(p: &str) -> (&str, &str) {
    match p.split_once("'@'") {
        Some((u, h)) => (u.trim_start_matches('\''), h.trim_end_matches('\'')),
        None => (p, "%"),
    }
}

pub(crate) fn summary(f: &Finding) -> String {
    let Some(r) = row_of(f) else {
        return String::new();
    };
    let name = super::checklist::fact(f, "service").unwrap_or(r.product);
    let who = f
        .principal
        .as_deref()
        .map_or_else(String::new, |p| format!(" {}", code(p)));
    let on = f
        .resource
        .as_deref()
        .map_or_else(String::new, |r| format!(" on {}", code(r)));
    let what = f
        .action
        .as_deref()
        .map_or_else(|| "the statement".to_owned(), code);
    match r.topic {
        Topic::PgPassword => format!("{name} refused the login of the role{who}: the password is wrong, or the role does not exist or has no password it can check; no privilege was checked yet"),
        Topic::PgAuthMethod => format!("{name} refused the login of the role{who}: the authentication method `pg_hba.conf` chose for this connection (peer, ident or PAM) did not accept it; no privilege was checked yet"),
        Topic::PgHba => format!(
            "{name} refused the connection{} before asking for a password: no line of `pg_hba.conf` allows this host, user{} and database{}",
            super::checklist::fact(f, "host").map_or_else(String::new, |h| format!(" from {}", code(h))),
            who,
            f.resource.as_deref().map_or_else(String::new, |d| format!(" {}", code(d))),
        ),
        Topic::PgPrivilege => format!(
            "{name} refused the statement: the role it runs as has no privilege{} (it needs a `GRANT` from the object's owner)",
            f.resource.as_deref().map_or_else(|| " on the object".to_owned(), |r| format!(" on the {} {}", super::checklist::fact(f, "objectType").unwrap_or("object"), code(r))),
        ),
        Topic::MyLogin if anonymous(f) => format!("{name} refused the anonymous account{who}: no user name was sent, so no password was checked against an account"),
        Topic::MyLogin => format!("{name} refused the login of{who}: the password is wrong, or no account matches this user at this host (MySQL matches the user and the host together); no privilege was checked yet"),
        Topic::MyDatabase if anonymous(f) => format!("{name} connected as the anonymous account{who}, which has no privilege{on}: no user name was sent; connect as the user that should have access"),
        Topic::MyDatabase => format!("{name} refused{who} access to the database{}: the account has no privilege on it", f.resource.as_deref().map_or_else(String::new, |d| format!(" {}", code(d)))),
        Topic::MyTable => format!("{name} refused {what} to{who}{}: the account has no such privilege on it", f.resource.as_deref().map_or_else(String::new, |t| format!(" on {}", code(t)))),
        Topic::MyGlobal => format!("{name} refused an operation that needs the global privilege {what}: the account does not hold it (managed services such as RDS and Cloud SQL grant it to no one)"),
        Topic::MsLogin => format!(
            "{name} refused the login{who}{}: the login does not exist, the password is wrong, the login is disabled, or SQL Server authentication is off; the server's error log gives the state that says which",
            f.resource.as_deref().map_or_else(String::new, |d| format!(" (it asked for the database {})", code(d))),
        ),
        Topic::MsDatabase => format!("{name} accepted the login{who} but would not open the database{}: it does not exist, or the login has no user in it", f.resource.as_deref().map_or_else(String::new, |d| format!(" {}", code(d)))),
        Topic::MsPermission => format!("{name} refused the {what} permission{on}: the database user has no GRANT for it, or a DENY on it or its schema overrides the grant"),
        Topic::MongoRoles => format!("{name} refused the command {what}{}: the roles of the user the connection authenticated as do not allow it there (or the connection never authenticated)", f.resource.as_deref().map_or_else(String::new, |d| format!(" on the database {}", code(d)))),
        Topic::MongoNoAuth => format!("{name} refused the command {what}: the connection has not authenticated, and the server requires it"),
        Topic::MongoLogin => format!("{name} refused the credentials{who}: the user does not exist in the authentication database{} or the password is wrong", f.resource.as_deref().map_or_else(String::new, |d| format!(" ({})", code(d)))),
        Topic::RedisAcl => format!("{name} refused {}: the ACL user{who} may not run it", f.action.as_deref().map_or_else(|| "the command".to_owned(), |c| format!("the command {}", code(c)))),
        Topic::RedisNoAuth => format!("{name} requires authentication and the connection sent none (no `AUTH`): set the password (and user) in the client"),
        Topic::RedisLogin => format!("{name} refused `AUTH`: the user name or password is wrong, or the ACL user is disabled"),
        Topic::RabbitLogin => format!("{name} refused the login: the user name or password is wrong, the user does not exist, or it is `guest` connecting from another host"),
        Topic::RabbitAccess => format!(
            "{name} refused{who} {}access to{}{}: the user has no permission matching it in this virtual host",
            f.action.as_deref().map_or_else(String::new, |a| format!("{a} ")),
            on.strip_prefix(" on").map_or_else(|| " the resource".to_owned(), str::to_owned),
            super::checklist::fact(f, "vhost").map_or_else(String::new, |v| format!(" in vhost {}", code(v))),
        ),
        Topic::SnowPrivilege => format!("{name} refused the statement{on}: the current role has no privilege on it"),
        Topic::SnowConcealed => format!("{name} says {} does not exist or the current role may not see it: it does not tell which", f.resource.as_deref().map_or_else(|| "the object".to_owned(), code)),
        Topic::UcPrivilege => format!("{name} refused {what}{on}: the principal has no such grant on it"),
        Topic::KafkaAcl => format!("{name} refused access{on}: no ACL allows this principal the operation on it"),
        Topic::KafkaLogin => format!("{name} refused the SASL login: the user name or password is wrong, or the user has no credentials for this mechanism"),
        Topic::CloudSqlIam => format!("{name} refused the login{who}: with IAM database authentication the database user must be an IAM user or service account added to the instance, and the token must be valid"),
        Topic::RdsIam => format!("{name} refused the login{who}: the IAM authentication token was not accepted (expired, made for another user, host or Region, or the IAM policy lacks `rds-db:connect`)"),
        Topic::TooManyConnections => format!("{name} refused the connection because a connection limit is reached{}: this is not an access decision", super::checklist::fact(f, "role").map_or_else(String::new, |r| format!(" (the role {}'s)", code(r)))),
        Topic::NoDatabase => format!("{name} has no database {}: the connection names a database that does not exist; this is not an access decision", super::checklist::fact(f, "database").map_or_else(|| "by that name".to_owned(), code)),
        Topic::ReadOnly => format!("{name} refused the write because the server is read-only (a replica or `read_only` mode): this is not an access decision"),
        Topic::HostBlocked => format!("{name} blocked this client host after too many failed connections (`max_connect_errors`): this is not an access decision about the user"),
        Topic::Locked => format!("{name} refused the queue because another connection holds it exclusively: this is not an access decision"),
    }
}

fn anonymous(f: &Finding) -> bool {
    f.principal.as_deref().is_some_and(|p| p.starts_with("''@"))
}

pub(crate) fn checklist(f: &Finding, list: &mut super::checklist::List) {
    let Some(r) = row_of(f) else {
        return;
    };
    let mut add = |id: &str, stage: Stage, text: String, command: Option<String>| {
        list.add(id, stage, text, command);
    };
    let user = or(f.principal.as_deref(), "<user>");
    let object = or(f.resource.as_deref(), "<object>");
    let action = or(f.action.as_deref(), "<PRIVILEGE>");
    match r.topic {
        Topic::PgPassword | Topic::PgAuthMethod => {
            add("db.pg-login", Stage::Diagnose, "Read the server's log for this attempt: its DETAIL line says why (no such role, wrong password, no password set, password encrypted with another method) and which `pg_hba.conf` line chose the method.".to_owned(), None);
            add("db.pg-password", Stage::Fix, format!("As a superuser, check the role exists and may log in (`\\du {user}`), and set its password if needed: `ALTER ROLE \"{user}\" WITH LOGIN PASSWORD '...'`. With `scram-sha-256` in `pg_hba.conf`, a password stored as md5 does not match: set it again."), Some(format!("psql -U postgres -c '\\du {user}'")));
        }
        Topic::PgHba => {
            add("db.pg-hba", Stage::Fix, format!("Add a line to `pg_hba.conf` that matches this connection (type, database, user, client address, method), above any line that would reject it, e.g. `hostssl {} {user} {}/32 scram-sha-256`; `host` lines accept connections with and without SSL, `hostssl` only with SSL. Then reload the configuration.", or(f.resource.as_deref(), "<database>"), or(super::checklist::fact(f, "host"), "<client-ip>")), Some("psql -U postgres -c 'SELECT pg_reload_conf()'".to_owned()));
            add("db.pg-hba-rules", Stage::Verify, "List the rules the server loaded and any error in the file: `SELECT * FROM pg_hba_file_rules`.".to_owned(), None);
        }
        Topic::PgPrivilege => {
            add("db.pg-grants", Stage::Diagnose, format!("See the privileges on {} (`\\dp {object}`) and which role the statement runs as (`SELECT current_user`); the role also needs `USAGE` on the object's schema.", code(object)), None);
            add("db.pg-grant", Stage::Fix, format!("As the object's owner or a superuser, grant the role what the statement needs, e.g. `GRANT SELECT ON {object} TO <role>` (or `ALTER DEFAULT PRIVILEGES` for objects created later). Objects owned by an extension or the platform (such as `pgsodium` on Supabase) may not be grantable at all."), None);
        }
        Topic::MyLogin | Topic::MyDatabase if anonymous(f) => {
            add("db.mysql-anonymous", Stage::Fix, "The client sent no user name, so MySQL used the anonymous account. Connect as the intended user (`mysql -u <user> -p`, or the `user` in the connection string or `~/.my.cnf`). An anonymous account `''@'localhost'` also shadows `'user'@'%'` for local connections: drop it (`DROP USER ''@'localhost'`).".to_owned(), None);
        }
        Topic::MyLogin => {
            let (u, h) = my_user_host(user);
            add("db.mysql-accounts", Stage::Diagnose, format!("List the accounts for this user name: MySQL picks the most specific host that matches the client ({}), and that account's password must match.", code(h)), Some(format!("mysql -u root -p -e \"SELECT user, host, plugin FROM mysql.user WHERE user = '{u}'\"")));
            add("db.mysql-create-user", Stage::Fix, format!("Create the account for this host, or reset its password: `CREATE USER '{u}'@'{h}' IDENTIFIED BY '...'` / `ALTER USER '{u}'@'{h}' IDENTIFIED BY '...'`. In Docker, the root password comes from the first start of the data volume only."), None);
        }
        Topic::MyDatabase | Topic::MyTable | Topic::MyGlobal => {
            let (u, h) = my_user_host(user);
            add(
                "db.mysql-show-grants",
                Stage::Diagnose,
                format!("See what the account holds: `SHOW GRANTS FOR '{u}'@'{h}'`."),
                None,
            );
            let grant = match r.topic {
                Topic::MyDatabase => format!("GRANT ALL PRIVILEGES ON `{object}`.* TO '{u}'@'{h}'"),
                Topic::MyTable => format!("GRANT {action} ON <database>.{object} TO '{u}'@'{h}'"),
                _ => format!("GRANT {action} ON *.* TO '{u}'@'{h}'"),
            };
            add("db.mysql-grant", Stage::Fix, format!("As an account that may grant it: `{grant}` (grant only what the application needs)."), None);
            if r.topic == Topic::MyGlobal {
                add("db.mysql-definer", Stage::Fix, "If this came from restoring a dump, the dump's `DEFINER=` clauses, `SET @@GLOBAL` or `SET @@SESSION.SQL_LOG_BIN` lines need the privilege: remove them from the dump (or dump with `--set-gtid-purged=OFF`) rather than granting SUPER, which managed services such as RDS and Cloud SQL do not grant.".to_owned(), None);
            }
        }
        Topic::MsLogin => {
            add("db.mssql-state", Stage::Diagnose, "Find the login failure in the SQL Server error log: its `State` says why (2 and 5: no such login; 7: login disabled; 8: wrong password; 18: password must change; 38: the database could not be opened; 58: SQL Server authentication is off).".to_owned(), None);
            add("db.mssql-login", Stage::Fix, format!("Fix the login at the server level: create or enable it (`CREATE LOGIN [{user}] WITH PASSWORD = '...'`, `ALTER LOGIN [{user}] ENABLE`), reset its password, or turn on SQL Server and Windows authentication mode (then restart the service)."), None);
        }
        Topic::MsDatabase => {
            add("db.mssql-user", Stage::Fix, format!("Check the database name, then give the login a user in it: `USE [{object}]; CREATE USER [{user}] FOR LOGIN [{user}]`, and a role (`ALTER ROLE db_datareader ADD MEMBER [{user}]`). Logins are server-level; each database has its own users."), None);
        }
        Topic::MsPermission => {
            add("db.mssql-permissions", Stage::Diagnose, format!("As the user, list what it holds on the object (`SELECT * FROM fn_my_permissions('{object}', 'OBJECT')`); as an administrator, look for a DENY, which overrides any GRANT (`sys.database_permissions` with `state_desc = 'DENY'`)."), None);
            add("db.mssql-grant", Stage::Fix, format!("Grant the database user the permission, or remove the DENY: `GRANT {action} ON {object} TO [<user>]`, or add the user to a role that has it. System objects (in `msdb`, `master`) usually need a dedicated role such as `SQLAgentReaderRole`, or a server permission such as `VIEW ANY DEFINITION`."), None);
        }
        Topic::MongoRoles | Topic::MongoNoAuth | Topic::MongoLogin => {
            if matches!(r.topic, Topic::MongoNoAuth | Topic::MongoLogin) || f.principal.is_none() {
                add("db.mongo-auth", Stage::Diagnose, "Make sure the connection authenticates: the user name and password in the connection string (`mongodb://user:pass@host/db?authSource=admin`), and `authSource` set to the database the user was created in (often `admin`).".to_owned(), None);
            }
            if r.topic != Topic::MongoNoAuth {
                add("db.mongo-user", Stage::Diagnose, "Look up the user and its roles in the database where it was created: `db.getUser(\"<user>\")` (or `db.getSiblingDB(\"admin\").getUser(...)`).".to_owned(), None);
            }
            if r.topic == Topic::MongoRoles {
                add("db.mongo-grant", Stage::Fix, format!("Give the user a role that allows {} on {}: `db.getSiblingDB(\"admin\").grantRolesToUser(\"<user>\", [{{ role: \"read\", db: \"{}\" }}])` (`readWrite` to write; `listDatabases` needs a role on `admin`, such as `readAnyDatabase`).", code(action), code(object), object), None);
            }
        }
        Topic::RedisAcl => {
            add("db.redis-acl-log", Stage::Diagnose, "See which user was refused what: `ACL LOG`, and the user's rules: `ACL GETUSER <user>`.".to_owned(), Some("redis-cli ACL LOG".to_owned()));
            add("db.redis-acl-setuser", Stage::Fix, format!("Allow the command for the user: `ACL SETUSER <user> +{}` (or a category such as `+@read`), then `ACL SAVE` if the ACL is kept in a file. Clients run commands of their own at connection (`HELLO`, `CLUSTER`, `INFO`): allow those too.", action.to_ascii_lowercase()), None);
        }
        Topic::RedisNoAuth | Topic::RedisLogin => {
            add("db.redis-auth", Stage::Fix, "Set the password (and, with ACL users, the user name) in the client, e.g. `redis://user:password@host:6379`; the server's `requirepass` or the user's `>password` rule must match, and the user must be `on`.".to_owned(), Some("redis-cli ACL LIST".to_owned()));
        }
        Topic::RabbitLogin => {
            add("db.rabbit-login", Stage::Diagnose, "Check the credentials on the broker: `rabbitmqctl authenticate_user <user> <password>`. The `guest` user may only connect from localhost (`loopback_users`); create another user for remote clients. The broker's log says why.".to_owned(), Some("rabbitmqctl list_users".to_owned()));
        }
        Topic::RabbitAccess => {
            let vhost = or(super::checklist::fact(f, "vhost"), "/");
            add("db.rabbit-permissions", Stage::Diagnose, format!("See the user's permissions (configure, write, read patterns) in the virtual host: `rabbitmqctl list_user_permissions {user}`."), None);
            add("db.rabbit-set-permissions", Stage::Fix, format!("Grant the user permissions whose patterns match {}: `rabbitmqctl set_permissions -p {vhost} {user} \".*\" \".*\" \".*\"` (narrow the patterns to what it needs).", code(object)), None);
        }
        Topic::SnowPrivilege | Topic::SnowConcealed => {
            add("db.snowflake-role", Stage::Diagnose, format!("Check which role the session uses (`SELECT CURRENT_ROLE()`) and what it holds (`SHOW GRANTS TO ROLE <role>`); names are case-sensitive when quoted, so check the spelling of {}.", code(object)), None);
            add(
                "db.snowflake-grant",
                Stage::Fix,
                if object.to_ascii_uppercase().starts_with("SNOWFLAKE.") {
                    "The `SNOWFLAKE` database's views are shared: grant them with `GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE <role>` (as ACCOUNTADMIN).".to_owned()
                } else {
                    "Grant the role what the statement needs, as the object's owner: `GRANT USAGE ON DATABASE <database> TO ROLE <role>` (and on the schema; `CREATE SCHEMA` or `SELECT` as needed), or `USE ROLE` one that has it.".to_owned()
                },
                None,
            );
        }
        Topic::UcPrivilege => {
            add("db.databricks-grant", Stage::Fix, format!("An owner of {} or a metastore admin grants it: `GRANT {action} ON {} {object} TO <principal>`; `SHOW GRANTS ON {} {object}` lists what is granted. Catalogs the platform manages (such as `system` or `__databricks_internal`) are granted by an account or metastore admin.", code(object), super::checklist::fact(f, "objectType").unwrap_or("CATALOG").to_ascii_uppercase(), super::checklist::fact(f, "objectType").unwrap_or("CATALOG").to_ascii_uppercase()), None);
        }
        Topic::KafkaAcl => {
            add("db.kafka-acls", Stage::Fix, format!("List and add ACLs for the client's principal on {}: `kafka-acls --bootstrap-server <broker> --list --topic {object}`, then `--add --allow-principal User:<name> --operation Read --topic {object}` (a consumer also needs Read on its group).", code(object)), None);
        }
        Topic::KafkaLogin => {
            add("db.kafka-sasl", Stage::Fix, "Check the client's `sasl.jaas.config` user and password and `sasl.mechanism` against the broker's; a SCRAM user must have credentials for that mechanism (`kafka-configs --describe --entity-type users`).".to_owned(), None);
        }
        Topic::CloudSqlIam => {
            add("db.cloudsql-iam-user", Stage::Fix, "Add the IAM principal to the instance as a database user (`gcloud sql users create <email> --instance=<instance> --type=cloud_iam_user`, or `cloud_iam_service_account` with the name without `.gserviceaccount.com`), give it `roles/cloudsql.instanceUser`, and connect with that user name; with the proxy's `--auto-iam-authn`, a built-in database user cannot log in.".to_owned(), None);
        }
        Topic::RdsIam => {
            add("db.rds-iam-token", Stage::Fix, "Generate the token for exactly this host, port, user and Region (`aws rds generate-db-auth-token`), use it within 15 minutes over SSL, and check that the database user was granted `rds_iam` and that the caller's IAM policy allows `rds-db:connect` on `arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`.".to_owned(), None);
        }
        Topic::TooManyConnections => {
            add("db.connections", Stage::Fix, "Close idle connections or lower the application's pool size, or raise the limit (`max_connections`; PostgreSQL's per-role `ALTER ROLE ... CONNECTION LIMIT`). No grant or password change helps.".to_owned(), None);
        }
        Topic::NoDatabase => {
            add("db.no-database", Stage::Fix, "Connect to a database that exists (psql connects to the one named like the user unless told otherwise: `psql -d postgres`), or create it (`createdb`).".to_owned(), None);
        }
        Topic::ReadOnly => {
            add("db.read-only", Stage::Fix, "Send writes to the primary (the replica or read-only endpoint refuses them), or turn off read-only mode where that is intended. No grant changes this.".to_owned(), None);
        }
        Topic::HostBlocked => {
            add("db.host-blocked", Stage::Fix, "Unblock the host (`FLUSH HOSTS`, or `TRUNCATE performance_schema.host_cache` in MySQL 8) and fix what made its connections fail; raise `max_connect_errors` if health checks cause them.".to_owned(), None);
        }
        Topic::Locked => {
            add("db.locked", Stage::Fix, "An exclusive queue belongs to the connection that declared it: use another queue name, declare it non-exclusive, or wait for that connection to close.".to_owned(), None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    fn none(t: &str) {
        let (f, _) = super::super::find(t);
        assert!(
            f.iter().all(|x| fact(x, "dbError").is_none()),
            "{t}: {f:#?}"
        );
    }

    #[test]
    fn bare_permission_and_access_words_are_not_database_refusals() {
        none("bash: /var/lib/postgresql/data: permission denied for user");
        none("open /etc/x: permission denied for writing");
        none("Access denied for user administration page");
        none("the doc says: not authorized on Tuesdays");
        none("NOPERMISSION granted");
        none("Too many connections were opened by the pool");
        none("warning: database \"x\" does not exist, skipping");
        none("The permission was denied on the object");
    }

    #[test]
    fn mysql_account_and_anonymous_account() {
        let f = one(
            "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.5' (using password: YES)",
        );
        assert_eq!(
            (f.provider, f.gate),
            (Provider::Unknown, Gate::Authentication)
        );
        assert_eq!(f.principal.as_deref(), Some("'app'@'10.0.0.5'"));
        assert_eq!(f.error_code.as_deref(), Some("1045"));
        let f = one("ERROR 1044 (42000): Access denied for user ''@'localhost' to database 'shop'");
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.resource.as_deref(), Some("shop"));
    }

    #[test]
    fn postgres_object_kinds_only() {
        let f = one("ERROR:  permission denied for schema public");
        assert_eq!(f.resource.as_deref(), Some("public"));
        none("ERROR: permission denied for this operation");
    }

    #[test]
    fn sql_server_token_login_is_left_to_azure() {
        let (f, _) = super::super::find("Login failed for user '<token-identified principal>'.");
        assert!(f.iter().all(|x| fact(x, "dbError").is_none()), "{f:#?}");
    }

    #[test]
    fn rows_that_share_an_error_share_their_advice() {
        for a in super::MESSAGES {
            for b in super::MESSAGES {
                if a.error == b.error && a.product == b.product {
                    assert_eq!(a.topic, b.topic, "{}", a.error);
                }
            }
        }
    }

    #[test]
    fn redis_and_rabbit() {
        let f = one("NOPERM User alice has no permissions to run the 'config|get' command");
        assert_eq!(f.principal.as_deref(), Some("alice"));
        assert_eq!(f.action.as_deref(), Some("config|get"));
        let f = one("ACCESS_REFUSED - configure access to exchange 'ex' in vhost 'v1' refused for user 'bob'");
        assert_eq!(f.action.as_deref(), Some("configure"));
        assert_eq!(f.resource.as_deref(), Some("ex"));
        assert_eq!(fact(&f, "vhost"), Some("v1"));
    }
}
