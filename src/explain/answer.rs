//! The one-line answer: what refused the request and who can change that, in a
//! sentence a support engineer can paste into a chat as it is.
//!
//! Built last, from the finished finding (its fields, facts and, when policies
//! were pasted, their evaluation), so that the command line, the page and the
//! widget say the same thing. Identifiers are in backticks, as in the rest of
//! the core's prose.

use super::checklist::{fact, policy_type_phrase, provider_name};
use crate::model::{DenyKind, Finding, Gate, PolicyType, Provider, Verdict};

/// Who can change a policy of this type, as the end of the answer.
fn owner(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Scp | PolicyType::Rcp => {
            "only the organization\u{2019}s administrators (in its management account) can change it"
        }
        PolicyType::PermissionsBoundary => {
            "whoever set the permissions boundary on this principal (an IAM administrator of its account) can change it"
        }
        PolicyType::Identity => {
            "an IAM administrator of the principal\u{2019}s account can change its policies"
        }
        PolicyType::Resource => {
            "the owner of the resource can change its resource-based policy"
        }
        PolicyType::Session => {
            "the session policy was passed when the role was assumed; assume it again without it or with a wider one"
        }
        PolicyType::VpcEndpoint => {
            "whoever manages the VPC endpoint (usually the network team) can change its policy"
        }
        PolicyType::Trust => "an IAM administrator of the role\u{2019}s account can change its trust policy",
        PolicyType::KmsKey => "the key\u{2019}s administrators can change its key policy",
        PolicyType::GcpIamAllow => "a project or organization IAM administrator can grant the role",
        PolicyType::GcpIamDeny => "an organization administrator can change the deny policy",
        PolicyType::GcpVpcServiceControls => {
            "the organization\u{2019}s access-policy administrators can change the perimeter"
        }
        PolicyType::GcpOrgPolicy => {
            "an organization policy administrator can change the constraint"
        }
        PolicyType::AzureRbac => {
            "an Owner or User Access Administrator at that scope can assign the role"
        }
        PolicyType::AzureDenyAssignment => {
            "deny assignments come from managed applications or blueprints; their owner must change it"
        }
        PolicyType::AzurePolicy => {
            "a Resource Policy Contributor at that scope can change the policy assignment or grant an exemption"
        }
        PolicyType::K8sRbac => "a cluster administrator can add a Role or ClusterRole binding",
    }
}

/// Where the grant goes when the message names no policy type.
fn grant_tail(p: Provider) -> &'static str {
    match p {
        Provider::Aws => {
            ": add an Allow in the principal\u{2019}s identity policy or the resource\u{2019}s policy, or remove the Deny that refuses it."
        }
        Provider::Gcp => {
            ": grant the caller a role that contains the permission on the resource or a parent of it, unless a deny policy or VPC Service Controls refuses it there."
        }
        Provider::Azure => ": assign the caller a role that includes this action at that scope or above it.",
        Provider::Kubernetes => {
            ": bind the caller to a Role or ClusterRole that allows this verb on this resource."
        }
        _ => ": the caller lacks the permission; grant it to the identity that made the request.",
    }
}

/// A value as inline code, with any backtick in it dropped so that it cannot
/// end the span early.
fn code(v: &str) -> String {
    let mut s = String::with_capacity(v.len().saturating_add(2));
    s.push('`');
    s.extend(v.chars().filter(|&c| c != '`'));
    s.push('`');
    s
}

/// The sentence the evaluation of pasted policies adds, if it settles who denied.
fn from_pasted(f: &Finding) -> String {
    let Some(ev) = &f.evaluation else {
        return String::new();
    };
    match ev.verdict {
        Verdict::Allows => {
            " The pasted policies allow it, so the deny is in a policy that was not pasted."
                .to_owned()
        }
        Verdict::Reproduces => {
            let Some(result) = &ev.result else {
                return String::new();
            };
            let Some(d) = result
                .denied_by
                .iter()
                .find(|d| d.kind == DenyKind::Explicit)
            else {
                return String::new();
            };
            let statement = match (&d.sid, d.statement_number) {
                (Some(sid), _) if !sid.is_empty() => format!("statement {}", code(sid)),
                (_, Some(n)) => format!("statement {n}"),
                _ => "a statement".to_owned(),
            };
            let info = d.policy_index.and_then(|i| result.policies.get(i));
            let name = info
                .map(|p| p.name.to_string())
                .or_else(|| d.policy_name.clone());
            let policy = match name {
                Some(n) if !n.is_empty() => code(&n),
                _ => format!(
                    "the {}",
                    policy_type_phrase(info.map_or(d.policy_type, |p| p.policy_type))
                ),
            };
            format!(" In the pasted policies, {statement} of {policy} denies it.")
        }
        _ => String::new(),
    }
}

/// The one-line answer for a finished finding.
#[must_use]
pub fn line(f: &Finding) -> String {
    let pasted = from_pasted(f);
    let trimmed_summary = f.summary.trim_end_matches('.');
    // Admission control refuses the object, not the caller: the summary says so,
    // and no Deny or Allow wording fits it.
    // Likewise RBAC's escalation prevention, which refuses what the role
    // grants, not the caller's right to create roles.
    let escalation = f.provider == Provider::Kubernetes
        && fact(f, "reason").is_some_and(|r| r.contains("grant"));
    // Likewise an AMI's launch permissions, which no IAM policy changes.
    let ami = f.provider == Provider::Aws && fact(f, "launchPermission").is_some();
    // Likewise a service that could not assume the role it was given, and
    // Bedrock's model access: the summary names what decides.
    let ami = ami
        || (f.provider == Provider::Aws
            && (fact(f, "servicePrincipal").is_some() || fact(f, "modelAccess").is_some()));
    // Services whose own permission model decides (Vault's policies, Azure
    // SQL's database users, a pipeline's service connections): their summary
    // says what to do; no role or policy wording fits them.
    let own_model = fact(f, "service").is_some_and(|s| {
        [
            super::vault::VAULT,
            "Azure SQL Database",
            "Azure Pipelines",
            super::azure::DEVOPS,
            super::firebase::FIRESTORE,
            super::firebase::STORAGE,
            super::firebase::RTDB,
            super::consul::CONSUL,
            super::consul::NOMAD,
            super::consul::EITHER,
            super::servers::JENKINS,
            super::servers::CLOUDFRONT,
            super::git_hosts::GITLAB,
            super::git_hosts::GITEA,
            super::git_hosts::BITBUCKET,
            super::git_hosts::AZURE_REPOS,
        ]
        .contains(&s)
    }) || (super::databases::applies(f) && f.gate != Gate::NotAuth);
    if fact(f, "podSecurity").is_some()
        || fact(f, "admissionWebhook").is_some()
        || escalation
        || ami
        || own_model
    {
        return format!("{trimmed_summary}.{pasted}");
    }
    // A management lock refuses every caller: roles and their owners are not
    // the answer, the lock is.
    if f.provider == Provider::Azure && f.error_code.as_deref() == Some("ScopeLocked") {
        let on = fact(f, "lockedScope")
            .map_or_else(|| "the resource or a scope above it".to_owned(), code);
        let op = f.action.as_deref().map_or_else(
            || "this operation".to_owned(),
            |a| format!("the {} operation", code(a)),
        );
        return format!(
            "A management lock on {on} blocks {op} for every caller, whatever their roles: someone allowed to manage locks (Owner or User Access Administrator) must remove it first, with the agreement of whoever set it.{pasted}"
        );
    }
    // Microsoft Graph decides by the token's permissions (scopes or app
    // roles), which an app registration requests and an administrator
    // consents to; Azure role assignments play no part.
    if fact(f, "service") == Some(super::azure::GRAPH) && f.gate == Gate::Authorization {
        let kind = fact(f, "permissionModel").unwrap_or("Microsoft Graph permissions");
        let what = f.action.as_deref().map_or_else(
            || "the permission this API needs".to_owned(),
            |a| format!("the permission {}", code(a)),
        );
        let application = kind.contains("application");
        return format!(
            "Microsoft Graph refused the call because the token lacks {what}: add it to the app registration's API permissions as {}, have an administrator grant consent, then get a new token; Azure role assignments do not change this.{pasted}",
            if application { "an application permission (an app role)" } else { "a delegated permission (a scope)" },
        );
    }
    // Google's refusal of the project a call is billed to (CONSUMER_INVALID):
    // most often a wrong or placeholder project id, not a missing role.
    if let Some(project) = fact(f, "projectRefused").filter(|_| f.gate == Gate::Authorization) {
        return format!(
            "Google Cloud refused the project the call is made for, {}: check that it is the project id (not a display name or a placeholder), that it exists, and that the caller may use it (`serviceusage.services.use`).{pasted}",
            code(project)
        );
    }
    // Services without policy documents (GitHub, registries, a bare HTTP
    // status): their grammar's own sentence says what was refused and why more
    // precisely than a policy-shaped one could.
    if f.gate == Gate::Authorization
        && f.policy_type.is_none()
        && !matches!(
            f.provider,
            Provider::Aws | Provider::Gcp | Provider::Azure | Provider::Kubernetes
        )
        && !trimmed_summary.is_empty()
    {
        return format!("{trimmed_summary}.{pasted}");
    }
    // Kubernetes admission control refuses after authorization, on what the
    // object is or on the namespace's state: no role or policy owner is the
    // answer, and the summary already says what is.
    if f.provider == Provider::Kubernetes
        && ["podSecurity", "admissionWebhook", "admissionPlugin"]
            .iter()
            .any(|k| fact(f, k).is_some())
        && !trimmed_summary.is_empty()
    {
        return format!("{trimmed_summary}.{pasted}");
    }
    // A Google token without the scope: the roles are not the answer.
    if super::checklist::gcp_token_scope(f) && !trimmed_summary.is_empty() {
        return format!("{trimmed_summary}.{pasted}");
    }
    // Azure names the principal by object id; the client's name, when the
    // message gives one, is what people recognise.
    let who = match (f.principal.as_deref(), fact(f, "client")) {
        (Some(p), Some(name)) if name != p => format!("{} (object id {})", code(name), code(p)),
        (Some(p), _) => code(p),
        (None, _) => "the caller".to_owned(),
    };
    let on = f
        .resource
        .as_deref()
        .map_or_else(String::new, |r| format!(" on {}", code(r)));
    let doing = f.action.as_deref().map_or_else(
        || "making this request".to_owned(),
        |a| format!("performing {}", code(a)),
    );
    let to_do = f.action.as_deref().map_or_else(
        || "make this request".to_owned(),
        |a| format!("perform {}", code(a)),
    );
    let type_phrase = f.policy_type.map(policy_type_phrase);
    let named = type_phrase.map(|t| match fact(f, "policyArn") {
        Some(arn) => format!("{t} {}", code(arn)),
        None => t.to_owned(),
    });
    let owner = f.policy_type.map(owner);
    let provider = provider_name(f.provider);
    let with_code = f
        .error_code
        .as_deref()
        .map_or_else(String::new, |c| format!(" ({})", code(c)));
    let mfa = f.provider == Provider::Aws
        && fact(f, "reason").is_some_and(|r| r.starts_with("MultiFactorAuthentication failed"));
    let line = match f.gate {
        Gate::Authentication if mfa => format!(
            "AWS did not accept the MFA code{with_code}: use a fresh code from the MFA device assigned to this user, and check the serial number (ARN) the request sends; permissions are not the problem."
        ),
        Gate::Authentication => format!(
            "{provider} did not accept the credentials{with_code}, so no permission was checked yet: fix the credentials (expired, wrong account or key, clock skew) before changing any policy."
        ),
        Gate::Replay => format!(
            "{provider} refused the request as a possible replay{with_code}: send it again with a fresh signature and timestamp; permissions are not the problem."
        ),
        Gate::Authorization => match f.deny {
            Some(DenyKind::Explicit) => {
                let head = named.as_ref().map_or_else(
                    || "An explicit Deny".to_owned(),
                    |n| format!("An explicit Deny in the {n}"),
                );
                let tail = match owner {
                    Some(o) => format!("; {o}."),
                    None if type_phrase.is_some() => {
                        "; no Allow anywhere can override it, so find the Deny.".to_owned()
                    }
                    None => "; no Allow anywhere can override it, so find the Deny (the message does not say which policy holds it).".to_owned(),
                };
                format!("{head} stops {who} from {doing}{on}{tail}")
            }
            Some(DenyKind::Implicit) if type_phrase.is_some() || f.provider == Provider::Aws => {
                let tail = owner.map_or_else(
                    || "; add an Allow in the principal\u{2019}s identity policy or the resource\u{2019}s policy.".to_owned(),
                    |o| format!("; {o}."),
                );
                format!(
                    "No {} allows {who} to {to_do}{on} (implicit deny){tail}",
                    type_phrase.unwrap_or("policy")
                )
            }
            _ => {
                let what = f.action.as_deref().map_or_else(|| "this request".to_owned(), code);
                let by = named.map_or_else(String::new, |n| format!(" ({n})"));
                let tail = match owner {
                    Some(o) => format!("; {o}."),
                    None if f
                        .facts
                        .iter()
                        .any(|x| x.key == "permissionModel" && x.value == super::checklist::COSMOS_ROLES) =>
                    {
                        ": assign the caller a Cosmos DB data-plane role (`az cosmosdb sql role assignment create`); Azure role assignments do not grant data access.".to_owned()
                    }
                    None if f.facts.iter().any(|x| {
                        x.key == "permissionModel"
                            && x.value == super::checklist::MESSAGING_CLAIMS
                    }) =>
                    {
                        ": use a shared access policy with this right, or give the identity a data role (Data Sender, Data Receiver or Data Owner) on the namespace or entity.".to_owned()
                    }
                    None => grant_tail(f.provider).to_owned(),
                };
                format!("{provider} refused {who} permission for {what}{on}{by}{tail}")
            }
        },
        Gate::NotAuth => format!("Not an access-control denial: {trimmed_summary}."),
        _ => format!("{trimmed_summary}."),
    };
    format!("{line}{pasted}")
}

#[cfg(test)]
mod tests {
    // A failing lookup in a test should fail it loudly.
    #![allow(clippy::indexing_slicing)]
    use crate::explain;

    fn answer(text: &str) -> String {
        let r = explain(text);
        assert_eq!(r.findings.len(), 1, "{text}");
        r.findings[0].answer.clone()
    }

    #[test]
    fn an_explicit_scp_deny_names_who_can_change_it() {
        // IAM User Guide, "Troubleshoot access denied error messages": the SCP example.
        let a = answer("User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy");
        assert_eq!(
            a,
            "An explicit Deny in the service control policy (SCP) stops `arn:aws:iam::777788889999:user/JohnDoe` from performing `codecommit:ListRepositories`; only the organization\u{2019}s administrators (in its management account) can change it."
        );
    }

    #[test]
    fn an_implicit_deny_says_no_policy_of_that_type_allows_it() {
        // The same page's implicit identity-based example.
        let a = answer("User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: codecommit:ListRespositories on resource: arn:aws:codecommit:us-east-1:123456789012:* because no identity-based policy allows the codecommit:ListRespositories action");
        assert!(
            a.starts_with("No identity-based policy allows `arn:aws:iam::123456789012:user/MaryMajor` to perform `codecommit:ListRespositories` on "),
            "{a}"
        );
        assert!(a.contains("(implicit deny); an IAM administrator"), "{a}");
    }

    #[test]
    fn an_authentication_failure_says_fix_the_credentials_first() {
        // AWS's error for an expired token, as the CLI prints it (constructed from
        // the documented `ExpiredToken` code and the CLI's error format).
        let a = answer("An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired");
        assert!(a.starts_with("AWS did not accept the credentials (`ExpiredToken`), so no permission was checked yet"), "{a}");
        assert!(!a.contains("Allow"), "{a}");
    }

    #[test]
    fn services_without_policies_keep_their_grammars_sentence() {
        // A git push refused by GitHub, as published in
        // https://github.com/githubschool/on-demand-github-pages/issues/3864.
        let r = explain("remote: Permission to githubschool/on-demand-github-pages.git denied to mridulgain.\nfatal: unable to access 'https://github.com/githubschool/on-demand-github-pages/': The requested URL returned error: 403");
        let f = &r.findings[0];
        assert_eq!(f.answer, format!("{}.", f.summary.trim_end_matches('.')));
        assert!(f.answer.contains("push"), "{}", f.answer);
        assert!(
            !f.answer.contains("identity policy"),
            "AWS advice for GitHub: {}",
            f.answer
        );
    }

    #[test]
    fn azure_names_the_client_and_gcp_a_refused_project() {
        // The az CLI's AuthorizationFailed, as published in
        // https://github.com/Azure/azure-cli/issues/30789.
        let a = answer("(AuthorizationFailed) The client 'live.com#alonsodm@yahoo.es' with object id 'ebb57515-b4a1-458d-b8cb-28a709d3b551' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write' over scope '/subscriptions/fcfd8558-600b-4e8c-8fc6-61a12221db20/resourcegroups/domingo_dev' or the scope is invalid. If access was recently granted, please refresh your credentials.");
        assert!(a.starts_with("No role assignment allows `live.com#alonsodm@yahoo.es` (object id `ebb57515-b4a1-458d-b8cb-28a709d3b551`) to perform "), "{a}");
        // GoogleCloudPlatform/mlops-with-vertex-ai#5.
        let a = answer("google.api_core.exceptions.PermissionDenied: 403 Permission denied on resource project {PROJECT}.");
        assert!(
            a.starts_with("Google Cloud refused the project the call is made for, `{PROJECT}`"),
            "{a}"
        );
    }

    #[test]
    fn backticks_in_values_cannot_end_the_code_span() {
        assert_eq!(super::code("a`b"), "`ab`");
    }
}
