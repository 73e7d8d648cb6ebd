//! Kubernetes: RBAC `Forbidden` messages and `Unauthorized`.

use super::{Hit, P_CODE, P_DETAIL, P_GENERIC, P_STRONG};
use crate::diag::Span;
use crate::model::{DenyKind, Gate, PolicyType, Provider};
use crate::scan::{
    at, byte, find_all, find_in, line_end, line_start_within, quoted, skip_blank, slice, token,
};

pub(super) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    forbidden(text, hits);
    wrappers(text, hits);
    admission(text, hits);
    plugins(text, hits);
    exec_credentials(text, hits);
    client_exceptions(text, hits);
    forbidden_because(text, hits);
    escalation(text, hits);
    kubelet(text, hits);
    unquoted_sentence(text, hits);
    azure_auth_provider(text, hits);
}

/// kubectl's legacy `azure` auth provider (AKS with Azure AD before
/// kubelogin) failing to get a token: `azure.go:126] Failed to acquire a
/// token: acquiring a new fresh token: ... autorest/adal/devicetoken: ...`.
/// No request reached the API server with a credential: authentication.
fn azure_auth_provider(text: &str, hits: &mut Vec<Hit>) {
    const FAILED: &str = "] Failed to acquire a token: ";
    for pos in find_all(text, FAILED) {
        let ls = crate::scan::line_start_within(text, pos, 200);
        if !text.get(ls..pos).is_some_and(|h| h.contains("azure.go:")) {
            continue;
        }
        let phrase = Span::new(pos + 2, pos + FAILED.len() - 2);
        let mut h = Hit::phrase(text, phrase, Provider::Kubernetes, Gate::Authentication);
        h.fact_value(
            "credentialPlugin",
            "azure (kubectl's legacy auth provider)".to_owned(),
            phrase,
        );
        let le = line_end(text, pos);
        h.fact("reason", text, Span::new(pos + FAILED.len(), le));
        hits.push(h);
    }
}

/// The RBAC authorizer's sentence as Kubernetes 1.7 and earlier wrote it,
/// nothing quoted and no `is forbidden:` before it: `User
/// system:serviceaccount:kube-system:cluster-autoscaler cannot get
/// statefulsets.apps in the namespace xxx. (get statefulsets.apps yyy)`. Only
/// `system:` users (service accounts, nodes, components) are read this way,
/// so that prose saying "User bob cannot ..." is not taken for a refusal.
fn unquoted_sentence(text: &str, hits: &mut Vec<Hit>) {
    const USER: &str = "User system:";
    for pos in find_all(text, USER) {
        let user = token(text, pos + "User ".len());
        if !at(text, user.end, " cannot ") {
            continue;
        }
        let verb = token(text, user.end + " cannot ".len());
        let res = token(text, skip_blank(text, verb.end));
        let mut i = skip_blank(text, res.end);
        let (ns, cluster) = if at(text, i, "in the namespace ") {
            let n = token(text, i + "in the namespace ".len());
            let v = slice(text, n).trim_end_matches(['.', ',', ':']);
            i = n.end;
            (Some(Span::new(n.start, n.start + v.len())), false)
        } else if at(text, i, "at the cluster scope") {
            i += "at the cluster scope".len();
            (None, true)
        } else {
            continue;
        };
        if verb.is_empty() || res.is_empty() {
            continue;
        }
        let cannot = Span::new(user.end + 1, user.end + 7);
        let mut h = Hit::phrase(text, cannot, Provider::Kubernetes, Gate::Authorization);
        h.span = Span::new(pos, line_end(text, pos));
        h.http_status = Some(((403, false), Some(cannot), P_GENERIC));
        Hit::set_str(&mut h.principal, text, user, P_DETAIL);
        Hit::set_str(&mut h.action, text, verb, P_DETAIL);
        h.fact("verb", text, verb);
        Hit::set_str(&mut h.resource, text, res, P_DETAIL);
        if let Some(n) = ns.filter(|n| !n.is_empty()) {
            h.fact("namespace", text, n);
        }
        if cluster {
            h.fact_value("scope", "cluster".to_owned(), cannot);
        }
        // `. (get statefulsets.apps yyy)`: the object's name.
        let p = skip_blank(text, i);
        let p = if byte(text, p) == b'.' {
            skip_blank(text, p + 1)
        } else {
            p
        };
        if byte(text, p) == b'(' {
            let v = token(text, p + 1);
            let r = token(text, skip_blank(text, v.end));
            let n = token(text, skip_blank(text, r.end));
            let name = slice(text, n).trim_end_matches(')');
            if slice(text, v) == slice(text, verb)
                && slice(text, r) == slice(text, res)
                && !name.is_empty()
            {
                h.resource = Some((
                    format!("{}/{name}", slice(text, res)),
                    Some(Span::new(r.start, n.start + name.len())),
                    P_DETAIL,
                ));
            }
        }
        hits.push(h);
    }
}

/// The kubelet's own refusal of a call to its API (logs, exec, metrics):
/// `Forbidden (user=NAME, verb=get, resource=nodes, subresource=proxy)`. The
/// kubelet asks the API server whether the caller may do the verb on the
/// `nodes` subresource its path maps to (Kubernetes, "Kubelet authentication/
/// authorization": `/stats` is `nodes/stats`, `/logs` `nodes/log`, `/exec`
/// and the rest `nodes/proxy`), so the check to run is the same as for any
/// other request, with `--subresource`.
fn kubelet(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "Forbidden (user=";
    for pos in find_all(text, ANCHOR) {
        let fs = pos + "Forbidden (".len();
        let le = line_end(text, pos);
        let Some(close) = find_in(text, ")", fs, le) else {
            continue;
        };
        let mut h = Hit::new(Span::new(pos, close + 1), Provider::Kubernetes, P_DETAIL);
        let phrase = Span::new(pos, pos + "Forbidden".len());
        h.provider = Some((Provider::Kubernetes, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.http_status = Some(((403, false), Some(phrase), P_GENERIC));
        let mut i = fs;
        while i < close {
            let end = find_in(text, ",", i, close).unwrap_or(close);
            let field = crate::scan::trim_trailing(text, Span::new(skip_blank(text, i), end), b" ");
            let f = slice(text, field);
            if let Some((key, value)) = f.split_once('=') {
                let v = Span::new(field.start + key.len() + 1, field.end);
                if !value.is_empty() {
                    match key {
                        "user" => Hit::set_str(&mut h.principal, text, v, P_DETAIL),
                        "verb" => {
                            Hit::set_str(&mut h.action, text, v, P_DETAIL);
                            h.fact("verb", text, v);
                        }
                        "resource" => Hit::set_str(&mut h.resource, text, v, P_DETAIL),
                        "subresource" => h.fact("subresource", text, v),
                        _ => {}
                    }
                }
            }
            i = end + 1;
        }
        if h.principal.is_some() && h.action.is_some() {
            hits.push(h);
        }
    }
}

/// RBAC's privilege-escalation prevention (Kubernetes, "Using RBAC
/// Authorization": "You can only create/update a role if at least one of the
/// following things is true: 1. You already have all the permissions contained
/// in the role [...] 2. You are granted explicit permission to perform the
/// escalate verb"). Two wordings:
/// `clusterroles.rbac.authorization.k8s.io "x" is forbidden: attempt to grant
/// extra privileges: [...] user=&{NAME  [groups] map[]} ownerrules=[...]` (1.6
/// to 1.11) and `... is forbidden: user "NAME" (groups=[...]) is attempting to
/// grant RBAC permissions not currently held:` (later).
fn escalation(text: &str, hits: &mut Vec<Hit>) {
    for anchor in [
        "is forbidden: attempt to grant extra privileges",
        "is attempting to grant RBAC permissions not currently held",
        // OpenShift 3's own authorizer: `rolebinding "x" is forbidden: user
        // "bob" cannot grant extra privileges:` and the rules on the lines below.
        "cannot grant extra privileges",
    ] {
        for pos in find_all(text, anchor) {
            let ls = crate::scan::line_start(text, pos);
            let le = line_end(text, pos);
            let phrase = Span::new(pos, pos + anchor.len());
            let mut h = Hit::new(Span::new(ls, le), Provider::Kubernetes, P_DETAIL);
            h.provider = Some((Provider::Kubernetes, Some(phrase), P_DETAIL));
            h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
            // RBAC has no deny rules: the roles held lack what is granted.
            h.deny = Some((DenyKind::Implicit, Some(phrase), P_DETAIL));
            h.policy_type = Some((PolicyType::K8sRbac, Some(phrase), P_DETAIL));
            h.fact("reason", text, phrase);
            if let Some(u) = find_in(text, "user=&{", pos, le) {
                let us = u + "user=&{".len();
                let end = find_in(text, " [", us, le).or_else(|| find_in(text, "}", us, le));
                if let Some(e) = end {
                    let name = Span::new(us, e);
                    let trimmed = slice(text, name).trim_end();
                    Hit::set_str(
                        &mut h.principal,
                        text,
                        Span::new(us, us + trimmed.len()),
                        P_DETAIL,
                    );
                }
            } else if let Some(u) = find_in(text, "forbidden: user ", ls, pos) {
                if let Some((user, _)) = q(text, u + "forbidden: user ".len()) {
                    Hit::set_str(&mut h.principal, text, user, P_DETAIL);
                }
            }
            // `<resource>.<group> "<name>" is forbidden` names the role.
            let head = text
                .get(ls..(pos + "is forbidden".len()).min(le))
                .unwrap_or("");
            if let Some(f) = head.rfind(" is forbidden") {
                let before = head.get(..f).unwrap_or("");
                if let Some(close) = before.strip_suffix('"') {
                    if let Some(open) = close.rfind('"') {
                        h.fact("name", text, Span::new(ls + open + 1, ls + close.len()));
                        let kind_end = ls + open.saturating_sub(1);
                        let kind_start = text
                            .get(ls..kind_end)
                            .and_then(|k| k.rfind(|c: char| c.is_whitespace() || c == ':'))
                            .map_or(ls, |i| ls + i + 1);
                        let kind = Span::new(kind_start, kind_end);
                        let res = slice(text, kind).split('.').next().unwrap_or("");
                        let name = before.get(open + 1..close.len()).unwrap_or("");
                        if !res.is_empty() && !name.is_empty() {
                            // The role or binding refused, as kubectl names
                            // one: `clusterroles/NAME`.
                            h.resource = Some((
                                format!("{res}/{name}"),
                                Some(Span::new(kind_start, ls + before.len())),
                                P_DETAIL,
                            ));
                        }
                    }
                }
                // kubectl says what it was doing: `error when creating "file":`.
                for (w, verb) in [
                    ("error when creating ", "create"),
                    ("error when replacing ", "update"),
                    ("error when patching ", "patch"),
                ] {
                    if head.contains(w) {
                        h.action = Some((verb.to_owned(), None, P_DETAIL));
                        h.fact_value("verb", verb.to_owned(), phrase);
                    }
                }
            }
            // The rules the caller lacks follow, one `{...}` a line.
            let mut end = le;
            while let Some(n) = crate::scan::next_line(text, end) {
                let ne = line_end(text, n);
                if !slice(text, Span::new(n, ne)).trim_start().starts_with('{') {
                    break;
                }
                end = ne;
            }
            h.span.end = end;
            hits.push(h);
        }
    }
}

/// The older API server (and OpenShift 3) wording: `"/api/v1/namespaces/x/" is
/// forbidden because system:anonymous cannot get on namespaces with name "x"
/// in x`.
fn forbidden_because(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = " is forbidden because ";
    for pos in find_all(text, ANCHOR) {
        let us = pos + ANCHOR.len();
        let user = token(text, us);
        if user.is_empty() || !at(text, user.end, " cannot ") {
            continue;
        }
        let verb = token(text, user.end + " cannot ".len());
        let le = line_end(text, pos);
        let phrase = Span::new(pos + 1, us - 1);
        let mut h = Hit::new(Span::new(pos, le), Provider::Kubernetes, P_DETAIL);
        h.provider = Some((Provider::Kubernetes, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        Hit::set_str(&mut h.principal, text, user, P_DETAIL);
        Hit::set_str(&mut h.action, text, verb, P_DETAIL);
        h.fact("verb", text, verb);
        let mut i = skip_blank(text, verb.end);
        if at(text, i, "on ") {
            let r = token(text, i + 3);
            Hit::set_str(&mut h.resource, text, r, P_DETAIL);
            i = skip_blank(text, r.end);
            if at(text, i, "with name ") {
                if let Some((n, a)) = q(text, i + 10) {
                    h.fact("name", text, n);
                    i = skip_blank(text, a);
                }
            }
            if at(text, i, "in ") {
                let ns = crate::scan::trim_trailing(text, token(text, i + 3), b"\",.");
                if !ns.is_empty() {
                    h.fact("namespace", text, ns);
                }
            }
        }
        hits.push(h);
    }
}

/// The .NET Kubernetes client's exception for a refused call, which prints the
/// status but not the Status object: `k8s.Autorest.HttpOperationException:
/// Operation returned an invalid status code 'Forbidden'`.
fn client_exceptions(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str =
        "k8s.Autorest.HttpOperationException: Operation returned an invalid status code '";
    for pos in find_all(text, ANCHOR) {
        let cs = pos + ANCHOR.len();
        let (code, gate, status) = if at(text, cs, "Forbidden'") {
            ("Forbidden", Gate::Authorization, 403)
        } else if at(text, cs, "Unauthorized'") {
            ("Unauthorized", Gate::Authentication, 401)
        } else {
            continue;
        };
        let cspan = Span::new(cs, cs + code.len());
        let mut h = Hit::new(Span::new(pos, cspan.end + 1), Provider::Kubernetes, P_CODE);
        h.provider = Some((Provider::Kubernetes, Some(Span::new(pos, pos + 3)), P_CODE));
        h.error_code = Some((code.to_owned(), Some(cspan), P_CODE));
        h.gate = Some((gate, Some(cspan), P_CODE));
        h.http_status = Some(((status, false), Some(cspan), P_CODE));
        hits.push(h);
    }
}

/// Refusals by admission control rather than by an authorizer: a validating
/// webhook (`admission webhook "NAME" denied the request: ...`, Kubernetes,
/// "Dynamic Admission Control") and Pod Security Admission (`violates
/// PodSecurity "restricted:latest": ...`, Kubernetes, "Pod Security
/// Admission"). The request was authenticated and authorized; what it asked to
/// create broke a policy on its content, so no role or binding changes it.
fn admission(text: &str, hits: &mut Vec<Hit>) {
    const WEBHOOK: &str = "admission webhook ";
    for pos in find_all(text, WEBHOOK) {
        let Some((name, after)) = q(text, pos + WEBHOOK.len()) else {
            continue;
        };
        let Some(end) = crate::scan::at_phrase(text, skip_blank(text, after), "denied the request")
        else {
            continue;
        };
        let phrase = Span::new(pos, end);
        let mut h = Hit::new(
            Span::new(pos, line_end(text, end)),
            Provider::Kubernetes,
            P_DETAIL,
        );
        h.provider = Some((Provider::Kubernetes, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        h.fact("admissionWebhook", text, name);
        object_before(text, pos, &mut h);
        // Kyverno names the object it blocked, as `Kind/namespace/name`:
        // `denied the request: ... resource Deployment/default/nginx was
        // blocked due to the following policies` (on the lines after, in
        // kubectl's output).
        let reach = crate::scan::floor_boundary(text, (end + 1024).min(text.len()));
        if let Some(b) = find_in(text, " was blocked due to the following polic", end, reach) {
            if let Some(r) = text.get(end..b).and_then(|t| t.rfind("resource ")) {
                let obj = token(text, end + r + "resource ".len());
                if obj.end == b {
                    Hit::set_str(&mut h.resource, text, obj, P_STRONG);
                    h.span.end = h.span.end.max(line_end(text, b));
                }
            }
        }
        hits.push(h);
    }
    const PSA: &str = "violates PodSecurity ";
    for pos in find_all(text, PSA) {
        let Some((level, after)) = q(text, pos + PSA.len()) else {
            continue;
        };
        let phrase = Span::new(pos, after);
        let mut h = Hit::new(
            Span::new(pos, line_end(text, after)),
            Provider::Kubernetes,
            P_DETAIL,
        );
        h.provider = Some((Provider::Kubernetes, Some(phrase), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(phrase), P_DETAIL));
        h.deny = Some((DenyKind::Explicit, Some(phrase), P_DETAIL));
        // Pod Security Admission answers 403 Forbidden (`... is forbidden: violates ...`).
        h.http_status = Some(((403, false), Some(phrase), P_DETAIL));
        h.fact("podSecurity", text, level);
        object_before(text, pos, &mut h);
        // `pods "web-1" is forbidden: violates PodSecurity ...`.
        let named = pos
            .checked_sub("forbidden: ".len())
            .filter(|&p| at(text, p, "forbidden: "))
            .and_then(|p| named_object(text, p));
        if let Some((obj, value)) = named {
            h.resource = Some((value, Some(obj), P_STRONG));
            h.span.start = h.span.start.min(obj.start);
        }
        hits.push(h);
    }
    // Pod Security Admission's `warn` and `audit` modes let the request
    // through and only report what `enforce` would refuse: `Warning: would
    // violate PodSecurity "restricted:latest": ...` as kubectl prints the
    // response's warning, or in the audit annotation. Nothing was refused.
    const WOULD: &str = "would violate PodSecurity ";
    for pos in find_all(text, WOULD) {
        let Some((level, after)) = q(text, pos + WOULD.len()) else {
            continue;
        };
        let phrase = Span::new(pos, after);
        let mut h = Hit::new(
            Span::new(pos, line_end(text, after)),
            Provider::Kubernetes,
            P_STRONG,
        );
        h.provider = Some((Provider::Kubernetes, Some(phrase), P_STRONG));
        h.gate = Some((Gate::NotAuth, Some(phrase), P_STRONG));
        h.no_deny_kind = true;
        h.fact("podSecurityWarning", text, level);
        h.fact_value("admissionPlugin", "PodSecurityWarning".to_owned(), phrase);
        hits.push(h);
    }
}

/// kubectl's exec credential plugin failed, so no credential was sent:
/// `Unable to connect to the server: getting credentials: exec: executable aws
/// failed with exit code 255` (Kubernetes, "client-go credential plugins"). The
/// plugin's own error, printed before it, says why (an expired SSO session, a
/// missing profile, a CLI not logged in).
fn exec_credentials(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "getting credentials: exec: ";
    for pos in find_all(text, ANCHOR) {
        let phrase = Span::new(pos, pos + ANCHOR.len() - 2);
        let ls = line_start_within(text, pos, 512);
        // Generic priority: when the plugin's own error stands on the same
        // line (an STS AccessDenied for the role it assumes), that error is
        // the cause and its grammar decides.
        let mut h = Hit::new(
            Span::new(ls, line_end(text, pos)),
            Provider::Kubernetes,
            P_GENERIC,
        );
        h.provider = Some((Provider::Kubernetes, Some(phrase), P_GENERIC));
        h.gate = Some((Gate::Authentication, Some(phrase), P_GENERIC));
        let rest = pos + ANCHOR.len();
        if at(text, rest, "executable ") {
            let name = token(text, rest + "executable ".len());
            if !name.is_empty() {
                h.fact("credentialPlugin", text, name);
            }
        }
        hits.push(h);
    }
}

/// A built-in admission plugin that refuses with `... is forbidden: <reason>`
/// after the request was authenticated and authorized (Kubernetes, "Admission
/// Control in Kubernetes"; OpenShift, "Managing security context constraints"
/// and "Configuring project creation"). The advice is the row's, so a plugin is
/// added by adding a row.
pub(super) struct Plugin {
    /// How the reason after `forbidden: ` starts.
    pub phrases: &'static [&'static str],
    /// The plugin's name, kept as the `admissionPlugin` fact.
    pub name: &'static str,
    /// `Authorization` for a policy on what the object may do (refused on
    /// purpose, as Pod Security Admission is); `NotAuth` for capacity and state.
    pub gate: Gate,
    /// What happened, in one sentence.
    pub summary: &'static str,
    /// What to do, and the command that shows the relevant object.
    pub fix: &'static str,
    pub command: &'static str,
    /// The verb the reason itself names, when it names one (`unable to
    /// create new content`).
    pub verb: Option<&'static str>,
}

pub(super) const PLUGINS: &[Plugin] = &[
    Plugin {
        phrases: &["exceeded quota: ", "failed quota: "],
        name: "ResourceQuota",
        gate: Gate::NotAuth,
        summary: "A ResourceQuota in the namespace refused the object: creating it would go over the quota, or it does not set the requests or limits the quota requires. The caller is allowed to create it; this is not a permissions problem",
        fix: "Compare the quota's used and hard values with what the message says was requested. Then lower the object's requests or limits, set the ones the quota requires, free capacity in the namespace, or ask its owners to raise the quota. No Role or binding changes a quota.",
        command: "kubectl describe resourcequota --namespace <namespace>",
        verb: None,
    },
    Plugin {
        phrases: &[
            "maximum cpu usage per ",
            "maximum memory usage per ",
            "maximum storage usage per ",
            "minimum cpu usage per ",
            "minimum memory usage per ",
            "minimum storage usage per ",
            "cpu max limit to request ratio per ",
            "memory max limit to request ratio per ",
        ],
        name: "LimitRanger",
        gate: Gate::NotAuth,
        summary: "A LimitRange in the namespace refused the object: a container's or pod's CPU, memory or storage request or limit is outside the range the namespace allows. This is not a permissions problem",
        fix: "Set the requests and limits the message names within the LimitRange's minimum and maximum, then apply the object again. No Role or binding changes a LimitRange.",
        command: "kubectl describe limitrange --namespace <namespace>",
        verb: None,
    },
    Plugin {
        phrases: &["unable to create new content in namespace "],
        name: "NamespaceLifecycle",
        gate: Gate::NotAuth,
        summary: "The namespace is being deleted, so the API server accepts no new objects in it. This is not a permissions problem",
        fix: "Wait until the namespace is gone and create it again, or put the object in another namespace. A namespace that stays `Terminating` is waiting on a finalizer: its status conditions say which.",
        command: "kubectl get namespace <namespace> --output yaml",
        verb: Some("create"),
    },
    Plugin {
        phrases: &["error looking up service account "],
        name: "ServiceAccount",
        gate: Gate::NotAuth,
        summary: "The pod names a service account that does not exist in its namespace, so the API server refused to create it. This is not a permissions problem",
        fix: "Create the service account in the pod's namespace, or correct `serviceAccountName` in the pod spec (for a Deployment, Job or StatefulSet, in its pod template).",
        command: "kubectl get serviceaccounts --namespace <namespace>",
        verb: None,
    },
    Plugin {
        phrases: &["unable to validate against any security context constraint"],
        name: "SecurityContextConstraint",
        gate: Gate::Authorization,
        summary: "OpenShift's security context constraints refused the pod: no SCC that the pod's service account or the requesting user may use allows its security settings. The request itself was authorized; this is not RBAC",
        fix: "Change the pod's `securityContext` to fit an SCC its service account may use (the message says why each SCC refused it), or have a cluster administrator let the service account use a wider SCC with `oc adm policy add-scc-to-user <scc> -z <serviceaccount>`. Check the result against the manifest first.",
        command: "oc policy scc-subject-review -f <manifest>",
        verb: None,
    },
    Plugin {
        phrases: &["unable to validate against any pod security policy"],
        name: "PodSecurityPolicy",
        gate: Gate::Authorization,
        summary: "PodSecurityPolicy admission refused the pod: no pod security policy that the pod's service account or the requesting user may `use` allows its security settings. The request itself was authorized; PodSecurityPolicy was removed in Kubernetes 1.25",
        fix: "Change the pod's security settings to fit a policy its service account may use (the message lists what each policy refused), or grant the service account `use` on a policy that allows them. On Kubernetes 1.25 and later, Pod Security Admission replaces it.",
        command: "kubectl get podsecuritypolicies",
        verb: None,
    },
    // Matched on `would violate PodSecurity` in `admission`, not after `forbidden:`.
    Plugin {
        phrases: &[],
        name: "PodSecurityWarning",
        gate: Gate::NotAuth,
        summary: "Pod Security Admission only warned: the pod (or the pod template of this workload) would violate the named level, which the namespace sets to warn or audit, not to enforce. The object was accepted; nothing was refused",
        fix: "Nothing blocks the request now. Where the namespace enforces this level, or will, the same pod would be refused: change its `securityContext` as the warning lists each setting.",
        command: "kubectl get namespace <namespace> --show-labels",
        verb: None,
    },
    // Matched on `forbidden: user NAME cannot create more than`, not a phrase.
    Plugin {
        phrases: &[],
        name: "ProjectRequestLimit",
        gate: Gate::NotAuth,
        summary: "OpenShift's project request limit refused a new project: the user already has as many projects as the cluster allows them. The user may create projects; this is not a permissions problem",
        fix: "Delete a project that is no longer needed, or ask a cluster administrator to raise the user's limit (the project request limit in the cluster's project configuration).",
        command: "oc get projects",
        verb: None,
    },
];

/// The row for a finding's `admissionPlugin` fact.
pub(super) fn plugin(name: &str) -> Option<&'static Plugin> {
    PLUGINS.iter().find(|p| p.name == name)
}

/// Refusals by the built-in admission plugins in [`PLUGINS`], and OpenShift's
/// project request limit (`projectrequests.project.openshift.io "p" is
/// forbidden: user u cannot create more than 1 project(s).`), which reads like
/// RBAC but counts projects.
fn plugins(text: &str, hits: &mut Vec<Hit>) {
    const ANCHOR: &str = "forbidden:";
    for pos in find_all(text, ANCHOR) {
        // Terminals and YAML wrap these long messages anywhere, so the reason
        // may start on the next line and its words run over lines.
        let rs = crate::scan::skip_ws(text, pos + ANCHOR.len()).min(pos + ANCHOR.len() + 16);
        if rs == pos + ANCHOR.len() {
            continue;
        }
        let row = PLUGINS.iter().find(|p| {
            p.phrases
                .iter()
                .any(|ph| crate::scan::at_phrase(text, rs, ph.trim_end()).is_some())
        });
        // OpenShift's project request limit reads like RBAC but counts projects.
        let limit = (row.is_none() && at(text, rs, "user "))
            .then(|| token(text, rs + 5))
            .filter(|u| at(text, u.end, " cannot create more than "));
        let le = line_end(text, rs);
        let (name, gate, reason) = match (row, limit) {
            (Some(p), _) => (p.name, p.gate, Span::new(rs, le)),
            (None, Some(_)) => ("ProjectRequestLimit", Gate::NotAuth, Span::new(rs, le)),
            _ => continue,
        };
        let mut h = Hit::new(Span::new(pos, le), Provider::Kubernetes, P_STRONG);
        h.provider = Some((Provider::Kubernetes, Some(reason), P_STRONG));
        h.gate = Some((gate, Some(reason), P_STRONG));
        // The API server answers an admission refusal with 403 Forbidden.
        h.http_status = Some(((403, false), Some(Span::new(pos, pos + 9)), P_DETAIL));
        if gate == Gate::Authorization {
            h.deny = Some((DenyKind::Explicit, Some(reason), P_STRONG));
        } else {
            h.no_deny_kind = true;
        }
        h.fact_value("admissionPlugin", name.to_owned(), reason);
        h.fact("reason", text, reason);
        if let Some(u) = limit {
            Hit::set_str(&mut h.principal, text, u, P_DETAIL);
            h.action = Some(("create projectrequests".to_owned(), Some(reason), P_DETAIL));
        }
        if let Some(v) = row.and_then(|p| p.verb) {
            h.action = Some((v.to_owned(), Some(reason), P_DETAIL));
            h.fact_value("verb", v.to_owned(), reason);
        }
        // `unable to create new content in namespace NAME because ...`.
        let namespace = find_in(text, "in namespace ", rs, le)
            .map(|n| crate::scan::trim_trailing(text, token(text, n + 13), b",.:"))
            .filter(|ns| !ns.is_empty());
        if let Some(ns) = namespace {
            h.fact("namespace", text, ns);
        }
        object_before(text, pos, &mut h);
        // The object itself, right before: `pods "web-1" is forbidden:`.
        if let Some((obj, value)) = named_object(text, pos) {
            let value = match value.split_once('/') {
                Some((kind, name)) => in_namespace(kind, name, text, namespace),
                None => value,
            };
            let ev = Span::new(obj.start, namespace.map_or(obj.end, |n| n.end));
            h.resource = Some((value, Some(ev), P_STRONG));
            h.span.start = h.span.start.min(obj.start);
        }
        hits.push(h);
    }
}

/// Whether `name` can be an object's name, not words around one (Markdown's
/// `**` in a pasted message, a wrapped line).
fn object_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(|c: char| c.is_whitespace() || matches!(c, '*' | '"' | '`'))
}

/// A named object as `TYPE/NAME`, and ` in namespace NS` when namespaced: the
/// object as a reader would look it up.
fn in_namespace(kind: &str, name: &str, text: &str, namespace: Option<Span>) -> String {
    match namespace.map(|n| slice(text, n)).filter(|n| !n.is_empty()) {
        Some(ns) => format!("{kind}/{name} in namespace {ns}"),
        None => format!("{kind}/{name}"),
    }
}

/// `<resource> "<name>" is ` ending at `pos`, as `<resource>/<name>`. The
/// quotes may be escaped, once or more, when the message sits in a JSON
/// string (`functions.x.io \\"nodejs12\\" is forbidden`).
fn named_object(text: &str, pos: usize) -> Option<(Span, String)> {
    let is = pos.checked_sub(3).filter(|&p| at(text, p, "is "))?;
    let close = is.checked_sub(2).filter(|&p| at(text, p, "\" "))?;
    let ls = line_start_within(text, close, 512);
    let open = text.get(ls..close)?.rfind('"')? + ls;
    let slashes = |end: usize| {
        let b = text.get(ls..end).unwrap_or("");
        b.len() - b.trim_end_matches('\\').len()
    };
    let name = Span::new(open + 1, close - slashes(close));
    let open = open - slashes(open);
    let kind_end = open.checked_sub(1).filter(|&p| byte(text, p) == b' ')?;
    let kind_start = text
        .get(ls..kind_end)?
        .rfind(' ')
        .map_or(ls, |i| ls + i + 1);
    let kind = Span::new(kind_start, kind_end);
    let kind_s = slice(text, kind);
    let ok = !kind_s.is_empty()
        && name.start < name.end
        && kind_s.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'/')
        });
    ok.then(|| {
        (
            Span::new(kind.start, close + 1),
            format!("{kind_s}/{}", slice(text, name)),
        )
    })
}

/// The object and verb a refusal on this line names before it: `Error creating:
/// pods "web-1" is forbidden:` or `error when creating "pods/x.yaml":`.
fn object_before(text: &str, pos: usize, h: &mut Hit) {
    // This line and the one before it (a wrapped `Error creating: ... is
    // forbidden:` puts the reason on the next line).
    let here = crate::scan::line_start_within(text, pos, crate::scan::BACK_CAP);
    let ls = if here > 0 {
        crate::scan::line_start_within(text, here - 1, crate::scan::BACK_CAP)
    } else {
        here
    };
    let head = text.get(ls..pos).unwrap_or("");
    // The wrappers controllers and clients put around the API server's
    // answer: a ReplicaSet's `Error creating:` event, kubectl's `error when
    // creating "file":`, and the Go idioms `error creating X:`, `failed to
    // create X:`, `while creating X:`.
    for (lead, verb) in [
        ("Error creating: ", "create"),
        ("error when creating ", "create"),
        ("error creating ", "create"),
        ("failed to create ", "create"),
        ("while creating ", "create"),
    ] {
        if let Some(i) = head.find(lead) {
            let vs = ls + i;
            h.fact_value("verb", verb.to_owned(), Span::new(vs, vs + lead.len()));
            h.action = Some((
                verb.to_owned(),
                Some(Span::new(vs, vs + lead.len())),
                P_DETAIL,
            ));
            let rest = ls + i + lead.len();
            if let Some((obj, _)) = q(text, rest) {
                Hit::set_str(&mut h.resource, text, obj, P_DETAIL);
            } else {
                let kind = token(text, rest);
                if let Some((name, _)) = q(text, skip_blank(text, kind.end)) {
                    let kind_s = slice(text, kind);
                    let value = format!("{kind_s}/{}", slice(text, name));
                    h.resource = Some((value, Some(Span::new(kind.start, name.end)), P_DETAIL));
                }
            }
            h.span.start = vs.min(h.span.start);
            return;
        }
    }
}

/// A quoted value at `pos` (plain or JSON-escaped quotes), with the position after it.
fn q(text: &str, pos: usize) -> Option<(Span, usize)> {
    let s = quoted(text, pos)?;
    // The closing quote is escaped as the opening one was.
    Some((s, s.end + (s.start - pos)))
}

/// `<res> "<name>" is forbidden: User "<user>" cannot <verb> resource "<res>" in API
/// group "<group>" in the namespace "<ns>"` (or `at the cluster scope`), as written by
/// the API server's RBAC authorizer.
fn forbidden(text: &str, hits: &mut Vec<Hit>) {
    let mut prev = 0;
    for pos in find_all(text, "User ") {
        // Look back no further than the previous anchor: linear on one huge line.
        let back = (pos - prev).min(crate::scan::BACK_CAP);
        prev = pos;
        // A terminal may wrap the line between `User` and the name, inside
        // a box whose edges (`│`, blanked to three spaces) stand at each end.
        let uq = crate::scan::skip_ws(text, pos + 5).min(pos + 5 + 16);
        let Some((user, after)) = q(text, uq) else {
            continue;
        };
        if !at(text, after, " cannot ") {
            continue;
        }
        let ls = crate::scan::line_start_within(text, pos, back);
        // The API server words every RBAC refusal `... is forbidden: User "x"
        // cannot ...`; without that, `User "x" cannot` is ordinary prose.
        // A non-resource URL is refused as `forbidden: User "x" cannot get path "/"`.
        let head = text.get(ls..pos).unwrap_or("");
        // The fabric8 Java client (and OpenShift tools built on it) put their
        // own sentence first: `Forbidden!Configured service account doesn't
        // have access. ... User "u" cannot list pods in project "p"`.
        // Old API servers (1.x) put the user right after kubectl's prefix:
        // `Error from server (Forbidden): User "sally" cannot list pods in the
        // namespace "default".`
        // OpenShift 3 sent the sentence alone as a Status object's message,
        // its `"reason": "Forbidden"` on a later line.
        let status_message =
            (head.ends_with("\"message\": \"") || head.ends_with("\"message\":\"")) && {
                let to = crate::scan::ceil_boundary(text, (pos + 800).min(text.len()));
                find_in(text, "\"reason\": \"Forbidden\"", pos, to).is_some()
                    || find_in(text, "\"reason\":\"Forbidden\"", pos, to).is_some()
            };
        if !(head.contains(" is forbidden:")
            || head.ends_with("forbidden: ")
            || head.ends_with("(Forbidden): ")
            || head.contains("Forbidden!")
            || status_message)
        {
            continue;
        }
        let le = line_end(text, pos);
        let cannot = Span::new(after + 1, after + 7);
        let mut h = Hit::new(Span::new(pos, le), Provider::Kubernetes, P_DETAIL);
        h.provider = Some((Provider::Kubernetes, Some(cannot), P_DETAIL));
        h.gate = Some((Gate::Authorization, Some(cannot), P_DETAIL));
        // The API server words a refusal this way whichever authorizer made it
        // (Node, ABAC, RBAC, a webhook: Kubernetes, 'Authorization'), so the
        // policy type is RBAC only when the RBAC authorizer's `: RBAC: ...`
        // reason follows. RBAC has no deny rules: its refusal is implicit.
        // OpenShift 3.x's RBAC authorizer words the same refusal
        // `: no RBAC policy matched`.
        let rbac = find_in(text, ": RBAC: ", pos, le)
            .map(|r| Span::new(r + 2, r + 6))
            .or_else(|| {
                find_in(text, ": no RBAC policy matched", pos, le).map(|r| Span::new(r + 5, r + 9))
            });
        if let Some(rbac) = rbac {
            h.deny = Some((DenyKind::Implicit, Some(rbac), P_DETAIL));
            h.policy_type = Some((PolicyType::K8sRbac, Some(rbac), P_DETAIL));
        }
        Hit::set_str(&mut h.principal, text, user, P_DETAIL);
        // OpenShift 3 quoted the verb and the resource: `User "dev" cannot
        // "impersonate" "systemusers" with name "system:admin" in project ""`.
        let vs = after + " cannot ".len();
        let (verb, verb_end) = q(text, vs).unwrap_or_else(|| {
            let t = token(text, vs);
            (t, t.end)
        });
        Hit::set_str(&mut h.action, text, verb, P_DETAIL);
        h.fact("verb", text, verb);
        let mut i = skip_blank(text, verb_end);
        if verb_end > verb.end {
            if let Some((r, a)) = q(text, i) {
                i = skip_blank(text, a);
                let mut res = r;
                if at(text, i, "with name ") {
                    if let Some((n, a)) = q(text, i + 10) {
                        h.resource = Some((
                            format!("{}/{}", slice(text, r), slice(text, n)),
                            Some(Span::new(r.start, n.end)),
                            P_DETAIL,
                        ));
                        res = Span::new(0, 0);
                        i = skip_blank(text, a);
                    }
                }
                if !res.is_empty() {
                    Hit::set_str(&mut h.resource, text, res, P_DETAIL);
                }
            }
        } else if at(text, i, "path ") {
            if let Some((r, a)) = q(text, i + 5) {
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
                i = a;
            }
        } else if at(text, i, "resource ") {
            if let Some((r, a)) = q(text, i + 9) {
                Hit::set_str(&mut h.resource, text, r, P_DETAIL);
                i = a;
            }
        } else if let Some(r) =
            Some(token(text, i)).filter(|r| !r.is_empty() && !at(text, i, "in "))
        {
            // The older form: `cannot list pods in the namespace "x"`.
            Hit::set_str(&mut h.resource, text, r, P_DETAIL);
            i = r.end;
        }
        i = skip_blank(text, i);
        if at(text, i, "in API group ") {
            if let Some((g, a)) = q(text, i + 13) {
                h.fact("apiGroup", text, g);
                i = skip_blank(text, a);
            }
        }
        let mut namespace = None;
        if at(text, i, "in the namespace ") {
            if let Some((n, a)) = q(text, i + 17) {
                h.fact("namespace", text, n);
                namespace = Some(n);
                i = a;
            }
        } else if at(text, i, "in project ") {
            // OpenShift calls a namespace a project.
            if let Some((n, a)) = q(text, i + 11) {
                h.fact("namespace", text, n);
                namespace = Some(n);
                i = a;
            }
        } else if at(text, i, "at the cluster scope") {
            h.fact_value("scope", "cluster".to_owned(), Span::new(i, i + 20));
            i += 20;
        }
        // `pods "web-1" is forbidden: ` before the user names the object.
        let head = text.get(ls..pos).unwrap_or("");
        if let Some(f) = head.rfind(" is forbidden:") {
            let fpos = ls + f;
            let hs = head.get(..f).unwrap_or("");
            if hs.ends_with('"') {
                let close = fpos - usize::from(hs.ends_with("\\\"")) - 1;
                let open_search = text.get(ls..close).unwrap_or("");
                if let Some(o) = open_search.rfind('"') {
                    let name =
                        Span::new(ls + o + 1, close - usize::from(open_search.ends_with('\\')));
                    h.fact("name", text, name);
                }
            }
            // `secrets "camunda" is forbidden: ... cannot get resource
            // "secrets"`: the object refused is `secrets/camunda`, as kubectl
            // names one. A subresource (`pods/exec`) stays as the authorizer
            // wrote it, and the namespace is a fact of its own.
            if let (Some((obj, named)), Some((r, _, _))) =
                (named_object(text, fpos + 4), h.resource.as_ref())
            {
                if let Some((kind, name)) = named.split_once('/') {
                    let same = kind == r
                        || kind
                            .strip_prefix(r.as_str())
                            .is_some_and(|g| g.starts_with('.'));
                    if same && !r.contains('/') && object_name(name) {
                        // The evidence runs from the object to its namespace.
                        let ev = Span::new(obj.start, namespace.map_or(obj.end, |n| n.end));
                        h.resource =
                            Some((in_namespace(r, name, text, namespace), Some(ev), P_DETAIL));
                    }
                }
            }
            h.span.start = hs
                .rfind(|c: char| c.is_ascii_whitespace())
                .map_or(ls, |p| ls + p + 1)
                .min(pos);
        }
        h.span.end = i.max(after).min(le.max(after));
        hits.push(h);
    }
}

/// `Error from server (Forbidden): ...` and `error: You must be logged in to the
/// server (Unauthorized)`.
fn wrappers(text: &str, hits: &mut Vec<Hit>) {
    const SERVER: &str = "Error from server (";
    for pos in find_all(text, SERVER) {
        let cs = pos + SERVER.len();
        let Some(ce) = find_in(text, ")", cs, cs + 40) else {
            continue;
        };
        let code = Span::new(cs, ce);
        let (gate, status) = match slice(text, code) {
            "Forbidden" => (Gate::Authorization, 403),
            "Unauthorized" => (Gate::Authentication, 401),
            _ => continue,
        };
        // `kubectl apply` puts the object between its prefix and the server's
        // sentence: `error when retrieving current configuration of:`, then
        // indented `Resource:` and `Name:` lines, then `from server for:
        // "file": ... is forbidden: ...`. Those lines belong to this error.
        let mut end = line_end(text, pos);
        let first = slice(text, Span::new(pos, end));
        if first.trim_end().ends_with(" of:") {
            let mut cur = end;
            for _ in 0..4 {
                let Some(n) = crate::scan::next_line(text, cur) else {
                    break;
                };
                let le = line_end(text, n);
                let l = slice(text, Span::new(n, le)).trim_start();
                if !(l.starts_with("Resource:")
                    || l.starts_with("Name:")
                    || l.starts_with("from server for:"))
                {
                    break;
                }
                end = le;
                cur = le;
                if l.starts_with("from server for:") {
                    break;
                }
            }
        }
        let mut h = Hit::new(Span::new(pos, end), Provider::Kubernetes, P_CODE);
        h.provider = Some((Provider::Kubernetes, Some(Span::new(pos, pos + 17)), P_CODE));
        h.error_code = Some((slice(text, code).to_owned(), Some(code), P_CODE));
        h.gate = Some((gate, Some(code), P_CODE));
        h.http_status = Some(((status, false), Some(code), P_CODE));
        hits.push(h);
    }
    const LOGIN: &str = "You must be logged in to the server";
    for pos in find_all(text, LOGIN) {
        let span = Span::new(pos, pos + LOGIN.len());
        let mut end = span.end;
        let mut h = Hit::new(span, Provider::Kubernetes, P_CODE);
        h.provider = Some((Provider::Kubernetes, Some(span), P_CODE));
        h.gate = Some((Gate::Authentication, Some(span), P_CODE));
        h.http_status = Some(((401, false), Some(span), P_CODE));
        let p = skip_blank(text, end);
        if at(text, p, "(Unauthorized)") {
            h.error_code = Some((
                "Unauthorized".to_owned(),
                Some(Span::new(p + 1, p + 13)),
                P_CODE,
            ));
            end = p + 14;
        }
        h.span = Span::new(line_start_within(text, pos, 7), end);
        hits.push(h);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::*;

    // kubectl's credential plugin failed, so nothing reached the API server:
    // authentication, no status, and the plugin named. Real:
    // https://github.com/kodermax/kubectl-aws-eks/issues/11.
    #[test]
    fn a_failed_credential_plugin_sent_nothing() {
        let r = crate::explain("Unable to parse config file: /github/home/.aws/credentials\nUnable to connect to the server: getting credentials: exec: executable aws failed with exit code 255");
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        let f = &r.findings[0];
        assert_eq!(
            (f.provider, f.gate, f.http_status),
            (Provider::Kubernetes, Gate::Authentication, None)
        );
        assert_eq!(fact(f, "credentialPlugin"), Some("aws"));
        assert!(f.checklist.iter().any(|c| c.id == "k8s.credential-plugin"));
    }

    /// kubectl forms around the API server's sentence, as published: the
    /// apply prefix with the object on lines between (redpanda-data/helm-charts
    /// #1285), a terminal wrap after `User` (kubernetes/kubernetes#104176), and
    /// the 1.x wording after kubectl's prefix (kubernetes/kubernetes#26909).
    #[test]
    fn kubectl_wrappings_of_the_rbac_sentence() {
        let (found, _) = super::super::find("Error from server (Forbidden): error when retrieving current configuration of:\n  Resource: \"redpanda.vectorized.io/v1alpha1, Resource=clusters\", GroupVersionKind: \"redpanda.vectorized.io/v1alpha1, Kind=Cluster\"\n  Name: \"cluster-tls\", Namespace: \"operator-szjomzu2kt\"\n  from server for: \"STDIN\": clusters.redpanda.vectorized.io \"cluster-tls\" is forbidden: User \"system:serviceaccount:operator-szjomzu2kt:operator-szjomzu2kt\" cannot get resource \"clusters\" in API group \"redpanda.vectorized.io\" in the namespace \"operator-szjomzu2kt\": RBAC: [clusterrole.rbac.authorization.k8s.io \"operator-szjomzu2kt-proxy-role\" not found, clusterrole.rbac.authorization.k8s.io \"operator-szjomzu2kt-manager-role\" not found]");
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(
            f.principal.as_deref(),
            Some("system:serviceaccount:operator-szjomzu2kt:operator-szjomzu2kt")
        );
        assert_eq!(
            (f.action.as_deref(), f.resource.as_deref()),
            (
                Some("get"),
                Some("clusters/cluster-tls in namespace operator-szjomzu2kt")
            )
        );
        assert_eq!(f.error_code.as_deref(), Some("Forbidden"));
        let f = one("ubuntu@anth-mgt-wksadmin:~$ kubectl apply -f cloud-console-reader.yaml --kubeconfig kubeconfig\nError from server (Forbidden): error when retrieving current configuration of:\nResource: \"rbac.authorization.k8s.io/v1, Resource=clusterroles\", GroupVersionKind: \"rbac.authorization.k8s.io/v1, Kind=ClusterRole\"\nName: \"cloud-console-reader\", Namespace: \"\"\nfrom server for: \"cloud-console-reader.yaml\": clusterroles.rbac.authorization.k8s.io \"**cloud-console-reader\" is forbidden: User \n\"system:node:anth-admin-host1\" cannot get resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope**");
        assert_eq!(f.principal.as_deref(), Some("system:node:anth-admin-host1"));
        assert_eq!(fact(&f, "scope"), Some("cluster"));
        let f = one("$ kubectl get pods\nError from server (Forbidden): User \"sally\" cannot list pods in the namespace \"default\". (get pods)");
        assert_eq!(f.principal.as_deref(), Some("sally"));
        assert_eq!(
            (f.action.as_deref(), f.resource.as_deref()),
            (Some("list"), Some("pods"))
        );
        assert_eq!(fact(&f, "namespace"), Some("default"));
    }

    /// RBAC's escalation prevention in its 1.6 wording (vmware-tanzu/sonobuoy#6)
    /// and, constructed from the current API server's format, the later one.
    #[test]
    fn escalation_prevention_is_rbac_refusing_what_the_role_grants() {
        let f = one("Error from server (Forbidden): error when creating \"examples/quickstart/00-rbac.yaml\": clusterroles.rbac.authorization.k8s.io \"sonobuoy-serviceaccount\" is forbidden: attempt to grant extra privileges: [{[*] [*] [*] [] []}] user=&{Kubernetes admin  [system:authenticated] map[]} ownerrules=[] ruleResolutionErrors=[]");
        assert_eq!(f.principal.as_deref(), Some("Kubernetes admin"));
        assert_eq!(
            (f.action.as_deref(), f.resource.as_deref()),
            (Some("create"), Some("clusterroles/sonobuoy-serviceaccount"))
        );
        assert_eq!(
            (f.deny, f.policy_type),
            (Some(DenyKind::Implicit), Some(PolicyType::K8sRbac))
        );
        assert_eq!(fact(&f, "name"), Some("sonobuoy-serviceaccount"));
        let r = crate::explain("Error from server (Forbidden): error when creating \"role.yaml\": roles.rbac.authorization.k8s.io \"pod-reader\" is forbidden: user \"system:serviceaccount:ci:deployer\" (groups=[\"system:serviceaccounts\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}\n");
        let f = &r.findings[0];
        assert_eq!(
            f.principal.as_deref(),
            Some("system:serviceaccount:ci:deployer")
        );
        assert!(
            f.answer.contains("privilege-escalation prevention"),
            "{}",
            f.answer
        );
        assert!(f.checklist.iter().any(|c| c.id == "k8s.escalation"));
    }

    // Real: odo on OpenShift 3.x (tests/fixtures/field/collected.jsonl,
    // k8s-openshift-002, https://github.com/redhat-developer/odo/issues/1597).
    #[test]
    fn openshift_no_rbac_policy_matched_is_rbac() {
        let (f, _) = super::super::find(" ✗  deploymentconfigs.apps.openshift.io is forbidden: User \"developer\" cannot list deploymentconfigs.apps.openshift.io in the namespace \"asdf\": no RBAC policy matched");
        assert_eq!(f.len(), 1, "{f:#?}");
        let f = &f[0];
        assert_eq!(f.policy_type, Some(PolicyType::K8sRbac));
        assert_eq!(f.deny, Some(DenyKind::Implicit));
        assert_eq!(f.principal.as_deref(), Some("developer"));
        assert_eq!(f.action.as_deref(), Some("list"));
        assert_eq!(
            f.resource.as_deref(),
            Some("deploymentconfigs.apps.openshift.io")
        );
    }

    /// One finding for `text`, refused by `plugin`, with advice that does not
    /// send the reader to RBAC.
    fn refused_by(text: &str, plugin: &str) -> Finding {
        let r = crate::explain(text);
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        let f = r.findings.into_iter().next().unwrap();
        assert_eq!(fact(&f, "admissionPlugin"), Some(plugin), "{f:#?}");
        assert_eq!(f.provider, Provider::Kubernetes);
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.policy_type, None);
        for text in std::iter::once(&f.answer).chain(f.checklist.iter().map(|c| &c.text)) {
            assert!(
                !text.contains("RoleBinding")
                    && !text.contains("ClusterRole")
                    && !text.contains("Allow"),
                "RBAC or policy advice for an admission refusal: {text}"
            );
        }
        f
    }

    // Real messages refused by built-in admission plugins, not by an
    // authorizer: the caller may create the object; its content or the
    // namespace's state is refused.
    #[test]
    fn resource_quota_is_not_an_access_decision() {
        // https://github.com/hmcts/cnp-flux-config/pull/2122
        let f = refused_by("Error from server (Forbidden): error when creating \"test.yaml\": pods \"test-pod\" is forbidden: exceeded quota: money-claims-quota, requested: requests.cpu=20,requests.memory=60Gi, used: requests.cpu=32575m,requests.memory=90368Mi, limited: requests.cpu=50,requests.memory=140Gi", "ResourceQuota");
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.deny, None);
        assert_eq!(f.resource.as_deref(), Some("pods/test-pod"));
        assert_eq!(f.action.as_deref(), Some("create"));
        assert!(f.answer.contains("ResourceQuota"), "{}", f.answer);
        assert!(f.checklist.iter().any(|c| c.command.as_deref()
            == Some("kubectl describe resourcequota --namespace <namespace>")));
    }

    #[test]
    fn limit_range_over_a_line_break() {
        // Kubernetes documentation, "Configure Minimum and Maximum Memory
        // Constraints for a Namespace" (kubectl output as printed there).
        let f = refused_by("Error from server (Forbidden): error when creating \"examples/admin/resource/memory-constraints-pod-2.yaml\":\npods \"constraints-mem-demo-2\" is forbidden: maximum memory usage per Container is 1Gi, but limit is 1536Mi.", "LimitRanger");
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.resource.as_deref(), Some("pods/constraints-mem-demo-2"));
    }

    #[test]
    fn missing_service_account_and_terminating_namespace() {
        // https://github.com/kubernetes/kubernetes/issues/75117
        let f = refused_by("Error from server (Forbidden): error when creating \"first_pod.yml\": pods \"myfirst-pod\" is forbidden: error looking up service account default/default: serviceaccount \"default\" not found", "ServiceAccount");
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.resource.as_deref(), Some("pods/myfirst-pod"));
        // https://github.com/kubernetes/kubernetes/issues/98743
        let f = refused_by("Error from server (Forbidden): serviceaccounts \"tt\" is forbidden: unable to create new content in namespace velero because it is being terminated", "NamespaceLifecycle");
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(
            f.resource.as_deref(),
            Some("serviceaccounts/tt in namespace velero")
        );
        assert_eq!(f.action.as_deref(), Some("create"));
    }

    #[test]
    fn openshift_scc_is_a_policy_on_the_pod_not_rbac() {
        // https://github.com/opendatahub-io-contrib/data-mesh-pattern/issues/79,
        // wrapped as published.
        let f = refused_by("        ```pods \"opa-5867777fb9-\" is forbidden: unable to validate against any\n        security context constraint: [provider \"anyuid\": Forbidden: not usable\n        by user or serviceaccount, provider \"pipelines-scc\": Forbidden: not\n        usable by user or serviceaccount,", "SecurityContextConstraint");
        assert_eq!(f.gate, Gate::Authorization);
        assert_eq!(f.deny, Some(DenyKind::Explicit));
        assert!(
            f.answer.contains("security context constraints"),
            "{}",
            f.answer
        );
        assert!(f
            .checklist
            .iter()
            .any(|c| c.text.contains("add-scc-to-user")));
    }

    #[test]
    fn openshift_project_limit_reads_like_rbac_but_counts_projects() {
        // tests/fixtures/field/collected.jsonl, k8s-openshift-006,
        // https://github.com/openshift/origin-web-console/issues/3145
        let f = refused_by("projectrequests.project.openshift.io \"testproject\" is forbidden: user samukkal cannot create more than 1 project(s).", "ProjectRequestLimit");
        assert_eq!(f.gate, Gate::NotAuth);
        assert_eq!(f.principal.as_deref(), Some("samukkal"));
        assert_eq!(
            f.resource.as_deref(),
            Some("projectrequests.project.openshift.io/testproject")
        );
        // An RBAC refusal of the same shape stays RBAC.
        let (f, _) = super::super::find("projectrequests.project.openshift.io \"p\" is forbidden: User \"bob\" cannot create resource \"projectrequests\" in API group \"project.openshift.io\" at the cluster scope");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].gate, Gate::Authorization);
        assert!(fact(&f[0], "admissionPlugin").is_none());
    }

    // Message forms from the Kubernetes documentation ("Using RBAC
    // Authorization", "Authenticating") and kubectl output.

    #[test]
    fn namespaced_forbidden_from_kubectl() {
        let t = "Error from server (Forbidden): pods \"web-1\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot get resource \"pods\" in API group \"\" in the namespace \"prod\"";
        let f = one(t);
        assert_eq!(f.provider, Provider::Kubernetes);
        assert_eq!(f.error_code.as_deref(), Some("Forbidden"));
        assert_eq!(f.http_status, Some(403));
        assert_eq!(f.gate, Gate::Authorization);
        // Any authorizer words its refusal this way; only `: RBAC:` names one.
        assert_eq!(f.deny, Some(DenyKind::Unknown));
        assert_eq!(f.policy_type, None);
        assert_eq!(
            f.principal.as_deref(),
            Some("system:serviceaccount:ci:deployer")
        );
        assert_eq!(f.action.as_deref(), Some("get"));
        // The object refused, as kubectl names it; the role grants on its type.
        assert_eq!(f.resource.as_deref(), Some("pods/web-1 in namespace prod"));
        // Its evidence runs from the object to the namespace.
        assert!(ev(t, &f, "resource").starts_with("pods \"web-1\" is forbidden"));
        assert!(ev(t, &f, "resource").ends_with("in the namespace \"prod"));
        let r = crate::explain(t);
        let cmd = |id: &str| {
            r.findings[0]
                .checklist
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.command.clone())
        };
        assert_eq!(
            cmd("k8s.auth-can-i").as_deref(),
            Some(
                "kubectl auth can-i get pods/web-1 --as system:serviceaccount:ci:deployer -n prod"
            )
        );
        assert_eq!(
            cmd("k8s.create-role").as_deref(),
            Some("kubectl create role <role-name> --verb=get --resource=pods -n prod")
        );
        assert!(
            r.findings[0]
                .summary
                .starts_with("Kubernetes denied `get` on `pods/web-1 in namespace prod` for"),
            "{}",
            r.findings[0].summary
        );
        assert_eq!(fact(&f, "namespace"), Some("prod"));
        assert_eq!(fact(&f, "apiGroup"), Some(""));
        assert_eq!(fact(&f, "name"), Some("web-1"));
        assert_eq!(fact(&f, "verb"), Some("get"));
        assert_eq!(f.span, crate::diag::Span::new(0, t.len()));
    }

    #[test]
    fn cluster_scope() {
        let t = "nodes is forbidden: User \"jane\" cannot list resource \"nodes\" in API group \"\" at the cluster scope";
        let f = one(t);
        assert_eq!(f.resource.as_deref(), Some("nodes"));
        assert_eq!(fact(&f, "scope"), Some("cluster"));
        assert_eq!(f.error_code, None);
        // The API server sends every `... is forbidden` refusal as a 403
        // Status (Kubernetes API concepts), printed or not.
        assert_eq!(f.http_status, Some(403));
    }

    #[test]
    fn unauthorized() {
        let t = "error: You must be logged in to the server (Unauthorized)";
        let f = one(t);
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.http_status, Some(401));
        assert_eq!(f.error_code.as_deref(), Some("Unauthorized"));
        assert_eq!(f.deny, None);
        let t = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#;
        let f = one(t);
        assert_eq!(f.gate, Gate::Authentication);
        assert_eq!(f.http_status, Some(401));
    }
}
