//! What the providers' error codes mean: one table, one row a code.
//!
//! Each row reads like a row of the provider's own error reference (AWS "Common
//! errors" and each service's API reference, Azure Resource Manager, Storage and
//! Key Vault error codes, Microsoft Entra `AADSTS` codes, `google.rpc.Code` and
//! Google's `ErrorInfo` reasons, the OAuth 2.0 token endpoint, Kubernetes Status
//! reasons) plus what this tool needs: the gate the code reports, the deny kind
//! and policy type when the code alone settles them, and the page it comes from.
//! Adding a code is adding a row; the recognisers look codes up here and the
//! command line prints a row (`denial-explainer code AccessDeniedException`).
//!
//! A status is implied only where the code always has it for that service:
//! `AccessDeniedException` is 400 from KMS, DynamoDB, Secrets Manager and Systems
//! Manager (their API references) but 403 from others, so its row for "any
//! service" implies none, and a status the text prints always wins.

use crate::model::{DenyKind, Gate, PolicyType, Provider};

/// A row's words for people (its meaning and its page). The command line prints
/// them; the wasm, which never shows a row, is built without them, so that the
/// catalogue costs the page only what reading needs.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! doc {
    ($s:expr) => {
        $s
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! doc {
    ($s:expr) => {
        ""
    };
}

/// One error code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The code exactly as the provider sends it.
    pub code: &'static str,
    /// Who sends it.
    pub provider: Provider,
    /// The service the row is limited to, by its IAM prefix for AWS (`kms`); empty
    /// for every service of the provider.
    pub service: &'static str,
    /// The HTTP status the code always comes with (for that service), if it does.
    pub status: Option<u16>,
    /// The gate a request with this code failed at.
    pub gate: Gate,
    /// The deny kind, when the code alone settles it.
    pub deny: Option<DenyKind>,
    /// The policy type, when the code alone settles it.
    pub policy: Option<PolicyType>,
    /// What it means, in a sentence.
    pub meaning: &'static str,
    /// The documentation page the row comes from.
    pub source: &'static str,
}

const AWS_COMMON: &str = doc!("https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html and each service's API reference, \"Common errors\"");
const S3_ERRORS: &str = doc!("https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html");
const EC2_ERRORS: &str =
    doc!("https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html");
const STS_API: &str =
    doc!("https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html");
const ARM_ERRORS: &str =
    doc!("https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors");
const STORAGE_ERRORS: &str =
    doc!("https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes");
const ENTRA_ERRORS: &str =
    doc!("https://learn.microsoft.com/entra/identity-platform/reference-error-codes");
const KEY_VAULT_ERRORS: &str =
    doc!("https://learn.microsoft.com/azure/key-vault/general/rest-error-codes");
const GRAPH_ERRORS: &str = doc!("https://learn.microsoft.com/graph/errors");
const RPC_CODE: &str = doc!("https://cloud.google.com/apis/design/errors");
const GOOGLE_REASONS: &str = doc!("https://cloud.google.com/apis/design/errors#error_info");
const GOOGLE_V1: &str = doc!("https://cloud.google.com/storage/docs/json_api/v1/status-codes");
const GCS_XML: &str = doc!("https://cloud.google.com/storage/docs/xml-api/reference-status");
const OAUTH: &str = doc!("https://www.rfc-editor.org/rfc/rfc6749#section-5.2");
const K8S_STATUS: &str =
    doc!("https://kubernetes.io/docs/reference/access-authn-authz/authorization/ (Status reasons: k8s.io/apimachinery metav1.StatusReason)");

use DenyKind::{Explicit, Implicit};
use Gate::{Authentication as AuthN, Authorization as AuthZ, NotAuth};
use Provider::{Aws, Azure, Gcp, Kubernetes};

/// A row with every optional part left out.
const fn row(
    code: &'static str,
    provider: Provider,
    service: &'static str,
    status: Option<u16>,
    gate: Gate,
    meaning: &'static str,
    source: &'static str,
) -> Entry {
    Entry {
        code,
        provider,
        service,
        status,
        gate,
        deny: None,
        policy: None,
        meaning,
        source,
    }
}

/// The same row with the deny kind and policy type the code settles.
const fn decided(mut e: Entry, deny: DenyKind, policy: Option<PolicyType>) -> Entry {
    e.deny = Some(deny);
    e.policy = policy;
    e
}

/// Every code this tool knows. Rows for one code are looked up most specific
/// first: the row for the request's service, then the row for any service.
pub const ENTRIES: &[Entry] = &[
    // AWS, authorization.
    row("AccessDenied", Aws, "", Some(403), AuthZ, doc!("the caller is known but no policy allowed the request, or one denied it"), S3_ERRORS),
    row("AccessDeniedException", Aws, "", None, AuthZ, doc!("the caller is known but no policy allowed the request, or one denied it; the status depends on the service"), AWS_COMMON),
    row("AccessDeniedException", Aws, "kms", Some(400), AuthZ, doc!("the caller is known but neither the key policy nor IAM allowed the request, or one denied it"), doc!("https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html")),
    row("AccessDeniedException", Aws, "dynamodb", Some(400), AuthZ, doc!("the caller is known but no policy allowed the request, or one denied it"), doc!("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html")),
    row("AccessDeniedException", Aws, "secretsmanager", Some(400), AuthZ, doc!("the caller is known but no policy allowed the request, or one denied it"), doc!("https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html")),
    row("AccessDeniedException", Aws, "ssm", Some(400), AuthZ, doc!("the caller is known but no policy allowed the request, or one denied it"), doc!("https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html")),
    row("UnauthorizedOperation", Aws, "", Some(403), AuthZ, doc!("the caller is not allowed to perform this EC2 operation; an encoded message may say why"), EC2_ERRORS),
    row("AuthorizationError", Aws, "", Some(403), AuthZ, doc!("the caller is not allowed to perform this SNS action"), doc!("https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html")),
    row("NotAuthorized", Aws, "", None, AuthZ, doc!("the caller does not have permission to perform this action"), AWS_COMMON),
    row("AllAccessDisabled", Aws, "s3", Some(403), AuthZ, doc!("all access to this Amazon S3 resource has been disabled"), S3_ERRORS),
    // AWS, authentication.
    row("SignatureDoesNotMatch", Aws, "", Some(403), AuthN, doc!("the signature AWS computed differs from the one sent: a wrong secret key, or the request changed after signing"), S3_ERRORS),
    row("InvalidSignatureException", Aws, "", None, AuthN, doc!("the signature AWS computed differs from the one sent: a wrong secret key, or the request changed after signing"), AWS_COMMON),
    row("IncompleteSignature", Aws, "", Some(400), AuthN, doc!("the request signature does not conform to AWS standards"), AWS_COMMON),
    row("InvalidClientTokenId", Aws, "", Some(403), AuthN, doc!("the access key id (or the session token with it) does not exist in AWS's records"), AWS_COMMON),
    row("InvalidAccessKeyId", Aws, "", Some(403), AuthN, doc!("the access key id does not exist in AWS's records"), S3_ERRORS),
    row("MissingAuthenticationToken", Aws, "", Some(403), AuthN, doc!("the request carries no valid access key id or signature"), AWS_COMMON),
    row("MissingAuthenticationTokenException", Aws, "", Some(403), AuthN, doc!("the request carries no valid access key id or signature"), AWS_COMMON),
    row("RequestTimeTooSkewed", Aws, "", Some(403), AuthN, doc!("the request's time differs from AWS's by more than 15 minutes"), S3_ERRORS),
    row("AuthorizationQueryParametersError", Aws, "s3", Some(400), AuthN, doc!("the presigned URL's signing parameters are malformed or out of range (X-Amz-Expires over a week, a bad X-Amz-Credential)"), S3_ERRORS),
    row("RequestExpired", Aws, "", Some(400), AuthN, doc!("the request (or presigned URL) reached AWS after its signature's validity"), AWS_COMMON),
    row("ExpiredToken", Aws, "", None, AuthN, doc!("the temporary credentials' session token has expired"), AWS_COMMON),
    row("ExpiredToken", Aws, "s3", Some(400), AuthN, doc!("the temporary credentials' session token has expired"), S3_ERRORS),
    row("ExpiredToken", Aws, "iam", Some(403), AuthN, doc!("the temporary credentials' session token has expired"), doc!("https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html")),
    row("ExpiredTokenException", Aws, "", None, AuthN, doc!("the temporary credentials' session token (or, for STS web identity, the identity token) has expired"), AWS_COMMON),
    row("UnrecognizedClientException", Aws, "", Some(400), AuthN, doc!("the security token included in the request is invalid"), doc!("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html")),
    row("InvalidToken", Aws, "", Some(400), AuthN, doc!("the session token is malformed or otherwise invalid"), S3_ERRORS),
    row("AuthFailure", Aws, "", Some(401), AuthN, doc!("the credentials could not be validated (EC2's code for a wrong or unknown key)"), EC2_ERRORS),
    row("InvalidIdentityToken", Aws, "sts", Some(400), AuthN, doc!("the web identity token is not valid for this role's identity provider"), STS_API),
    row("IDPRejectedClaim", Aws, "sts", Some(403), AuthN, doc!("the identity provider rejected the claim, or the token's issuer is not trusted"), STS_API),
    row("IDPCommunicationError", Aws, "sts", Some(400), AuthN, doc!("the identity provider could not be reached to validate the token"), STS_API),
    row("NotAuthorizedException", Aws, "cognito-idp", Some(400), AuthN, doc!("the user's credentials were not accepted by Amazon Cognito (wrong password, disabled user or expired refresh token)"), doc!("https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html")),
    row("UnauthorizedException", Aws, "", Some(401), AuthN, doc!("the token the request carried was not accepted: an expired or revoked IAM Identity Center session (GetRoleCredentials), or a missing or unreadable AppSync authorization header or JWT"), doc!("https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html and https://docs.aws.amazon.com/appsync/latest/devguide/troubleshooting-and-common-mistakes.html")),
    // AWS, not an access decision.
    row("OptInRequired", Aws, "", Some(403), NotAuth, doc!("the account is not subscribed to the service or has not enabled the Region"), AWS_COMMON),
    row("SubscriptionRequiredException", Aws, "", Some(400), NotAuth, doc!("the account is not subscribed to the service"), AWS_COMMON),
    row("NotSignedUp", Aws, "s3", Some(403), NotAuth, doc!("the account is not signed up for Amazon S3"), S3_ERRORS),
    // AWS: rate limits (the request was refused for its rate, not its caller).
    row("ThrottlingException", Aws, "", Some(400), NotAuth, doc!("the request was denied due to request throttling"), AWS_COMMON),
    row("InvalidParameterValueException", Aws, "lambda", Some(400), NotAuth, doc!("a parameter of the request is not valid (Lambda also sends it when the function's role cannot be assumed by Lambda)"), doc!("https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html")),
    row("Throttling", Aws, "", Some(400), NotAuth, doc!("the request was denied due to request throttling (the query APIs' spelling of `ThrottlingException`)"), AWS_COMMON),
    row("RequestLimitExceeded", Aws, "", None, NotAuth, doc!("the account exceeded the EC2 API request rate for this category of calls"), EC2_ERRORS),
    row("SlowDown", Aws, "s3", Some(503), NotAuth, doc!("the request rate to this prefix is too high: reduce it"), S3_ERRORS),
    row("TooManyRequestsException", Aws, "", Some(429), NotAuth, doc!("the request rate is over the service's limit"), doc!("https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html")),
    // Some SDKs (Haskell's amazonka) print the code without its `Exception`.
    row("ProvisionedThroughputExceeded", Aws, "dynamodb", Some(400), NotAuth, doc!("the table's provisioned throughput was exceeded"), doc!("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html")),
    row("ProvisionedThroughputExceededException", Aws, "dynamodb", Some(400), NotAuth, doc!("the table's provisioned throughput was exceeded"), doc!("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html")),
    // AWS: the resource does not exist (the caller was allowed to learn that).
    row("ResourceNotFoundException", Aws, "", None, NotAuth, doc!("the resource named in the request does not exist (in this account and Region)"), AWS_COMMON),
    row("NotFoundException", Aws, "", None, NotAuth, doc!("the resource named in the request (a KMS key, an API Gateway resource) does not exist in this account and Region"), doc!("https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html")),
    row("NoSuchBucket", Aws, "", Some(404), NotAuth, doc!("the bucket does not exist"), S3_ERRORS),
    row("NoSuchKey", Aws, "", Some(404), NotAuth, doc!("the key does not exist; S3 says so only to callers allowed s3:ListBucket (others get 403 AccessDenied)"), S3_ERRORS),
    row("ParameterNotFound", Aws, "ssm", Some(400), NotAuth, doc!("the Parameter Store parameter does not exist in this account and Region (or the name lacks its leading slash or path)"), doc!("https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html")),
    row("DisabledException", Aws, "kms", Some(400), NotAuth, doc!("the KMS key is disabled: enable it, or use another key"), doc!("https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html")),
    row("KMSInvalidStateException", Aws, "kms", Some(400), NotAuth, doc!("the KMS key's state does not allow the operation (pending deletion, pending import, or unavailable)"), doc!("https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html")),
    row("NoSuchEntity", Aws, "", Some(404), NotAuth, doc!("the IAM entity (user, role, policy) does not exist"), doc!("https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html")),
    // Azure Resource Manager and data planes.
    decided(row("AuthorizationFailed", Azure, "", Some(403), AuthZ, doc!("no Azure role assignment at this scope or above grants the action"), ARM_ERRORS), Implicit, Some(PolicyType::AzureRbac)),
    row("LinkedAuthorizationFailed", Azure, "", Some(403), AuthZ, doc!("the caller may perform the action but not on a resource it links to (often in another subscription or tenant)"), ARM_ERRORS),
    decided(row("AuthorizationPermissionMismatch", Azure, "", Some(403), AuthZ, doc!("no Azure role assignment grants this Storage data action (control-plane roles do not)"), STORAGE_ERRORS), Implicit, Some(PolicyType::AzureRbac)),
    decided(row("DenyAssignmentAuthorizationFailed", Azure, "", Some(403), AuthZ, doc!("a deny assignment blocks the action whatever the role assignments"), ARM_ERRORS), Explicit, Some(PolicyType::AzureDenyAssignment)),
    decided(row("RequestDisallowedByPolicy", Azure, "", Some(403), AuthZ, doc!("an Azure Policy assignment with the deny effect refused the request"), ARM_ERRORS), Explicit, Some(PolicyType::AzurePolicy)),
    row("AuthorizationFailure", Azure, "", Some(403), AuthZ, doc!("the storage account refused the request: a network rule, a firewall or the account's settings, not only roles"), STORAGE_ERRORS),
    decided(row("ScopeLocked", Azure, "", Some(409), AuthZ, doc!("a management lock (CanNotDelete or ReadOnly) on the resource or a parent scope blocks the operation for every caller, whatever their roles"), doc!("https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources")), Explicit, None),
    row("SubscriptionNotFound", Azure, "", Some(404), NotAuth, doc!("no subscription with this id exists in the tenant the caller signed in to, or the caller cannot see it"), ARM_ERRORS),
    row("ResourceGroupNotFound", Azure, "", Some(404), NotAuth, doc!("no resource group with this name exists in the subscription"), ARM_ERRORS),
    row("MissingSubscriptionRegistration", Azure, "", Some(409), NotAuth, doc!("the subscription is not registered with the resource provider the request needs"), ARM_ERRORS),
    row("SubscriptionRequestsThrottled", Azure, "", Some(429), NotAuth, doc!("the subscription sent too many requests to Resource Manager; retry after the time it says"), ARM_ERRORS),
    row("SecretDisabled", Azure, "", Some(403), NotAuth, doc!("the Key Vault secret (that version) is disabled: enable it, or read an enabled version"), KEY_VAULT_ERRORS),
    row("KeyBasedAuthenticationNotPermitted", Azure, "", Some(403), AuthN, doc!("the storage account does not accept its shared key: use Microsoft Entra ID"), STORAGE_ERRORS),
    decided(row("Authorization_RequestDenied", Azure, "", Some(403), AuthZ, doc!("the caller lacks the directory role or Microsoft Graph permission the request needs"), GRAPH_ERRORS), Implicit, None),
    decided(row("ErrorAccessDenied", Azure, "", Some(403), AuthZ, doc!("access to the mailbox or item refused by Exchange Online (through Microsoft Graph or EWS): the application lacks the mail permission or an application access policy excludes the mailbox"), GRAPH_ERRORS), Implicit, None),
    row("InvalidAuthenticationToken", Azure, "", Some(401), AuthN, doc!("the access token is missing, malformed or for another audience"), ARM_ERRORS),
    row("InvalidAuthenticationTokenTenant", Azure, "", Some(401), AuthN, doc!("the access token was issued by a tenant other than the subscription's"), ARM_ERRORS),
    row("InvalidAuthenticationTokenAudience", Azure, "", Some(401), AuthN, doc!("the access token was issued for another resource (audience)"), ARM_ERRORS),
    row("ExpiredAuthenticationToken", Azure, "", Some(401), AuthN, doc!("the access token has expired"), ARM_ERRORS),
    row("AuthenticationFailed", Azure, "", Some(401), AuthN, doc!("the server could not authenticate the request: a wrong or expired key, signature or token (Azure Storage sends it with 403 and prints that status)"), ARM_ERRORS),
    row("InvalidAuthenticationInfo", Azure, "", Some(401), AuthN, doc!("the authentication information is not in the correct format"), STORAGE_ERRORS),
    row("NoAuthenticationInformation", Azure, "", Some(401), AuthN, doc!("the request carries no authentication information"), STORAGE_ERRORS),
    // Microsoft Entra sign-in (AADSTS) codes.
    row("AADSTS50020", Azure, "", None, AuthN, doc!("the account is not in the tenant the application signs in to"), ENTRA_ERRORS),
    row("AADSTS50034", Azure, "", None, AuthN, doc!("the user account does not exist in this directory"), ENTRA_ERRORS),
    row("AADSTS50076", Azure, "", None, AuthN, doc!("multi-factor authentication is required"), ENTRA_ERRORS),
    row("AADSTS50079", Azure, "", None, AuthN, doc!("the user must register for multi-factor authentication"), ENTRA_ERRORS),
    row("AADSTS50126", Azure, "", None, AuthN, doc!("the user name or password is wrong"), ENTRA_ERRORS),
    row("AADSTS53003", Azure, "", None, AuthZ, doc!("a Conditional Access policy blocked the sign-in"), ENTRA_ERRORS),
    row("AADSTS65001", Azure, "", None, AuthZ, doc!("the user or an administrator has not consented to the application's permissions"), ENTRA_ERRORS),
    row("AADSTS700016", Azure, "", None, AuthN, doc!("no application with this id exists in the tenant"), ENTRA_ERRORS),
    row("AADSTS7000215", Azure, "", Some(401), AuthN, doc!("the client secret is wrong (often the secret's id was sent instead of its value)"), ENTRA_ERRORS),
    row("AADSTS7000222", Azure, "", Some(401), AuthN, doc!("the client secret has expired"), ENTRA_ERRORS),
    row("AADSTS50011", Azure, "", None, AuthN, doc!("the redirect URI in the sign-in request is not one registered for the application"), ENTRA_ERRORS),
    row("AADSTS500011", Azure, "", None, AuthN, doc!("the resource (API) the token is requested for is not found in the tenant: a mistyped resource URI or an application not installed there"), ENTRA_ERRORS),
    row("AADSTS50058", Azure, "", None, AuthN, doc!("a silent sign-in found no signed-in user session"), ENTRA_ERRORS),
    row("AADSTS53000", Azure, "", None, AuthZ, doc!("a Conditional Access policy requires a compliant device"), ENTRA_ERRORS),
    row("AADSTS70011", Azure, "", None, AuthN, doc!("the requested scope is invalid"), ENTRA_ERRORS),
    row("AADSTS90094", Azure, "", None, AuthZ, doc!("the application needs permissions only an administrator can consent to"), ENTRA_ERRORS),
    row("AADSTS70021", Azure, "", None, AuthN, doc!("no federated identity credential matches the presented token's issuer, subject and audience"), ENTRA_ERRORS),
    row("AADSTS700024", Azure, "", None, AuthN, doc!("the client assertion is outside its valid time range"), ENTRA_ERRORS),
    row("AADSTS700211", Azure, "", None, AuthN, doc!("no federated identity credential matches the presented token's issuer"), ENTRA_ERRORS),
    row("AADSTS700213", Azure, "", None, AuthN, doc!("no federated identity credential matches the presented token's subject"), ENTRA_ERRORS),
    row("AADSTS7000218", Azure, "", Some(401), AuthN, doc!("the request carries neither a client secret nor a client assertion"), ENTRA_ERRORS),
    row("AADSTS50173", Azure, "", None, AuthN, doc!("the grant has expired because it was revoked (a password change or a revoked session)"), ENTRA_ERRORS),
    row("AADSTS700082", Azure, "", None, AuthN, doc!("the refresh token has expired from inactivity"), ENTRA_ERRORS),
    row("AADSTS70043", Azure, "", None, AuthN, doc!("the refresh token has expired under a Conditional Access sign-in frequency"), ENTRA_ERRORS),
    row("AADSTS50053", Azure, "", None, AuthN, doc!("the account is locked after too many failed sign-ins"), ENTRA_ERRORS),
    row("AADSTS50055", Azure, "", None, AuthN, doc!("the user's password has expired"), ENTRA_ERRORS),
    row("AADSTS50057", Azure, "", None, AuthN, doc!("the user account is disabled"), ENTRA_ERRORS),
    row("AADSTS50158", Azure, "", None, AuthN, doc!("an external security challenge (such as a third-party MFA) was not satisfied"), ENTRA_ERRORS),
    row("AADSTS90002", Azure, "", None, AuthN, doc!("no tenant with this name or id exists in this cloud"), ENTRA_ERRORS),
    decided(row("AADSTS50105", Azure, "", None, AuthZ, doc!("the signed-in user is not assigned to a role for the application, which requires assignment"), ENTRA_ERRORS), DenyKind::Implicit, None),
    row("AADSTS65004", Azure, "", None, AuthZ, doc!("the user declined to consent to the application's permissions"), ENTRA_ERRORS),
    row("AADSTS530003", Azure, "", None, AuthZ, doc!("a Conditional Access policy requires a managed or compliant device"), ENTRA_ERRORS),
    // Google Cloud: google.rpc.Code, ErrorInfo reasons, API v1 reasons.
    row("PERMISSION_DENIED", Gcp, "", Some(403), AuthZ, doc!("the caller is known but an IAM allow policy lacks the permission, or a deny policy, boundary or other control refused it"), RPC_CODE),
    row("UNAUTHENTICATED", Gcp, "", Some(401), AuthN, doc!("the request carries no valid credentials"), RPC_CODE),
    row("IAM_PERMISSION_DENIED", Gcp, "", Some(403), AuthZ, doc!("the caller lacks the named IAM permission on the resource"), GOOGLE_REASONS),
    row("ACCESS_TOKEN_SCOPE_INSUFFICIENT", Gcp, "", Some(403), AuthZ, doc!("the access token was issued without an OAuth scope this API needs"), GOOGLE_REASONS),
    row("CREDENTIALS_MISSING", Gcp, "", Some(401), AuthN, doc!("the request carries no credentials"), GOOGLE_REASONS),
    row("ACCESS_TOKEN_EXPIRED", Gcp, "", Some(401), AuthN, doc!("the access token has expired"), GOOGLE_REASONS),
    row("ACCESS_TOKEN_TYPE_UNSUPPORTED", Gcp, "", Some(401), AuthN, doc!("the API does not accept this kind of token"), GOOGLE_REASONS),
    row("API_KEY_INVALID", Gcp, "", Some(400), AuthN, doc!("the API key is not valid"), GOOGLE_REASONS),
    row("USER_PROJECT_DENIED", Gcp, "", Some(403), AuthZ, doc!("the caller may not use the quota project (serviceusage.services.use)"), GOOGLE_REASONS),
    decided(row("SECURITY_POLICY_VIOLATED", Gcp, "", Some(403), AuthZ, doc!("a VPC Service Controls perimeter refused the request"), GOOGLE_REASONS), Explicit, Some(PolicyType::GcpVpcServiceControls)),
    row("SERVICE_DISABLED", Gcp, "", Some(403), NotAuth, doc!("the API is not enabled in the project"), GOOGLE_REASONS),
    row("BILLING_DISABLED", Gcp, "", Some(403), NotAuth, doc!("billing is not enabled for the project"), GOOGLE_REASONS),
    row("RESOURCE_EXHAUSTED", Gcp, "", Some(429), NotAuth, doc!("a quota or rate limit was used up"), RPC_CODE),
    row("RATE_LIMIT_EXCEEDED", Gcp, "", Some(429), NotAuth, doc!("a rate limit was exceeded"), GOOGLE_REASONS),
    row("insufficientPermissions", Gcp, "", Some(403), AuthZ, doc!("the caller lacks a permission (or the token a scope) this call needs"), GOOGLE_V1),
    row("forbidden", Gcp, "", Some(403), AuthZ, doc!("the caller is not allowed to perform this operation"), GOOGLE_V1),
    row("authError", Gcp, "", Some(401), AuthN, doc!("the credentials are invalid"), GOOGLE_V1),
    row("accessNotConfigured", Gcp, "", Some(403), NotAuth, doc!("the API is not enabled for the project"), GOOGLE_V1),
    row("rateLimitExceeded", Gcp, "", None, NotAuth, doc!("too many requests in a short time (403 or 429, by API)"), GOOGLE_V1),
    row("userRateLimitExceeded", Gcp, "", Some(403), NotAuth, doc!("one user's requests went over the per-user rate limit set for the project"), GOOGLE_V1),
    row("dailyLimitExceeded", Gcp, "", Some(403), NotAuth, doc!("the project's daily quota for the API is used up"), GOOGLE_V1),
    row("quotaExceeded", Gcp, "", None, NotAuth, doc!("a quota of the project was used up"), GOOGLE_V1),
    row("accountDisabled", Gcp, "", Some(403), NotAuth, doc!("the account of the project that owns the bucket or object is disabled, most often for a billing problem"), GOOGLE_V1),
    row("UserProjectAccountProblem", Gcp, "storage", Some(403), NotAuth, doc!("the project to be billed has no open billing account"), GCS_XML),
    // OAuth 2.0 token endpoint errors (RFC 6749, section 5.2): any provider.
    row("invalid_grant", Provider::Http, "", Some(400), AuthN, doc!("the refresh token or assertion is expired, revoked or needs reauthentication (rapt)"), OAUTH),
    row("invalid_rapt", Gcp, "", Some(400), AuthN, doc!("the session must reauthenticate (reauth policy)"), OAUTH),
    row("invalid_scope", Provider::Http, "", Some(400), AuthN, doc!("the requested scope is invalid, unknown, malformed, or more than the grant allows (for Google, also a wrong ID token audience)"), OAUTH),
    row("invalid_target", Provider::Http, "", Some(400), AuthN, doc!("the token exchange's audience names no usable target (for Google workload identity federation: a pool or provider that is disabled, deleted or misspelt)"), doc!("https://www.rfc-editor.org/rfc/rfc8693#section-2.2.2")),
    row("invalid_client", Provider::Http, "", Some(401), AuthN, doc!("the OAuth client is unknown or its secret is wrong"), OAUTH),
    row("unauthorized_client", Provider::Http, "", Some(400), AuthN, doc!("the client may not use this grant type (for domain-wide delegation: not authorized in the Admin console)"), OAUTH),
    row("access_denied", Provider::Http, "", None, AuthZ, doc!("the resource owner or the authorization server refused the request (for a client credentials grant, often an application never granted access to the API it asks a token for)"), doc!("https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1")),
    // OAuth 2.0 bearer token errors at the resource server (RFC 6750, section 3.1).
    decided(row("insufficient_scope", Provider::Http, "", Some(403), AuthZ, doc!("the access token is valid but lacks a scope the resource requires: get a token with that scope"), doc!("https://www.rfc-editor.org/rfc/rfc6750#section-3.1")), Implicit, None),
    // Kubernetes Status reasons.
    row("Forbidden", Kubernetes, "", Some(403), AuthZ, doc!("the authenticated user may not perform this verb on this resource"), K8S_STATUS),
    row("Unauthorized", Kubernetes, "", Some(401), AuthN, doc!("the API server could not authenticate the request"), K8S_STATUS),
];

/// The row for `code`, preferring the one for `service` (an IAM prefix such as
/// `kms`, compared without case) over the row for any service. `Client.` and
/// `Server.` prefixes (EC2's) are ignored.
#[must_use]
pub fn lookup(code: &str, service: Option<&str>) -> Option<&'static Entry> {
    let bare = code
        .strip_prefix("Client.")
        .or_else(|| code.strip_prefix("Server."))
        .unwrap_or(code);
    let mut general = None;
    for e in ENTRIES.iter().filter(|e| e.code == bare) {
        if e.service.is_empty() {
            general = general.or(Some(e));
        } else if service.is_some_and(|s| s.eq_ignore_ascii_case(e.service)) {
            return Some(e);
        }
    }
    general.or_else(|| ENTRIES.iter().find(|e| e.code == bare))
}

/// Every row for `code`, for people: the command line's `code` command.
#[must_use]
pub fn rows(code: &str) -> Vec<&'static Entry> {
    ENTRIES
        .iter()
        .filter(|e| e.code.eq_ignore_ascii_case(code))
        .collect()
}

/// Codes that differ from `code` only in case or by one edit, for a "did you
/// mean" hint; at most five, each once.
#[must_use]
pub fn near(code: &str) -> Vec<&'static str> {
    let want = code.to_ascii_lowercase();
    let mut out: Vec<&'static str> = Vec::new();
    for e in ENTRIES {
        let have = e.code.to_ascii_lowercase();
        let close = have == want
            || (have.len().abs_diff(want.len()) <= 1 && edit_distance_at_most_one(&have, &want))
            || (want.len() >= 6 && have.contains(&want));
        if close && !out.contains(&e.code) && out.len() < 5 {
            out.push(e.code);
        }
    }
    out
}

/// Whether `a` becomes `b` with at most one insertion, deletion or change.
fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    let rest_short = short.get(prefix..).unwrap_or(&[]);
    let skip = usize::from(short.len() == long.len());
    let rest_long = long.get(prefix + 1..).unwrap_or(&[]);
    let rest_short = if skip == 1 {
        rest_short.get(1..).unwrap_or(&[])
    } else {
        rest_short
    };
    rest_short == rest_long
}

/// AWS operations whose name alone says the service: the operation, the IAM
/// prefix and the action that authorizes it, so that a message naming only the
/// operation (`when calling the HeadObject operation`) still names the action
/// (`s3:GetObject`: Amazon S3 API Reference, HeadObject, "you must have the
/// s3:GetObject permission"). Only operation names that no other commonly used
/// service shares are listed.
pub const AWS_OPERATIONS: &[(&str, &str, &str)] = &[
    ("AbortMultipartUpload", "s3", "AbortMultipartUpload"),
    ("CompleteMultipartUpload", "s3", "PutObject"),
    ("CopyObject", "s3", "PutObject"),
    ("CreateBucket", "s3", "CreateBucket"),
    ("CreateMultipartUpload", "s3", "PutObject"),
    ("DeleteBucket", "s3", "DeleteBucket"),
    ("DeleteObject", "s3", "DeleteObject"),
    ("DeleteObjects", "s3", "DeleteObject"),
    ("GetBucketAcl", "s3", "GetBucketAcl"),
    ("GetBucketLocation", "s3", "GetBucketLocation"),
    // Lake Formation's credential vending for Glue tables (Lake Formation API
    // reference, GetTemporaryGlueTableCredentials).
    (
        "GetTemporaryGlueTableCredentials",
        "lakeformation",
        "GetTemporaryGlueTableCredentials",
    ),
    ("GetBucketPolicy", "s3", "GetBucketPolicy"),
    ("GetObject", "s3", "GetObject"),
    ("GetObjectAcl", "s3", "GetObjectAcl"),
    ("HeadBucket", "s3", "ListBucket"),
    ("HeadObject", "s3", "GetObject"),
    ("ListBuckets", "s3", "ListAllMyBuckets"),
    ("ListObjects", "s3", "ListBucket"),
    ("ListObjectsV2", "s3", "ListBucket"),
    ("PutBucketPolicy", "s3", "PutBucketPolicy"),
    ("PutObject", "s3", "PutObject"),
    ("PutObjectAcl", "s3", "PutObjectAcl"),
    ("UploadPart", "s3", "PutObject"),
    ("AssumeRole", "sts", "AssumeRole"),
    ("AssumeRoleWithSAML", "sts", "AssumeRoleWithSAML"),
    (
        "AssumeRoleWithWebIdentity",
        "sts",
        "AssumeRoleWithWebIdentity",
    ),
    (
        "DecodeAuthorizationMessage",
        "sts",
        "DecodeAuthorizationMessage",
    ),
    ("GetCallerIdentity", "sts", "GetCallerIdentity"),
    ("GetFederationToken", "sts", "GetFederationToken"),
    ("GetSessionToken", "sts", "GetSessionToken"),
    ("AttachRolePolicy", "iam", "AttachRolePolicy"),
    ("CreateAccessKey", "iam", "CreateAccessKey"),
    ("CreatePolicy", "iam", "CreatePolicy"),
    ("CreateRole", "iam", "CreateRole"),
    ("CreateServiceLinkedRole", "iam", "CreateServiceLinkedRole"),
    ("CreateUser", "iam", "CreateUser"),
    ("GetRole", "iam", "GetRole"),
    ("GetUser", "iam", "GetUser"),
    (
        "ListAttachedRolePolicies",
        "iam",
        "ListAttachedRolePolicies",
    ),
    ("ListRoles", "iam", "ListRoles"),
    ("ListUsers", "iam", "ListUsers"),
    ("PassRole", "iam", "PassRole"),
    ("PutRolePolicy", "iam", "PutRolePolicy"),
    (
        "AuthorizeSecurityGroupIngress",
        "ec2",
        "AuthorizeSecurityGroupIngress",
    ),
    ("CreateSecurityGroup", "ec2", "CreateSecurityGroup"),
    (
        "DescribeAvailabilityZones",
        "ec2",
        "DescribeAvailabilityZones",
    ),
    ("DescribeImages", "ec2", "DescribeImages"),
    ("DescribeInstances", "ec2", "DescribeInstances"),
    ("DescribeRegions", "ec2", "DescribeRegions"),
    ("DescribeSecurityGroups", "ec2", "DescribeSecurityGroups"),
    ("DescribeSnapshots", "ec2", "DescribeSnapshots"),
    ("DescribeSubnets", "ec2", "DescribeSubnets"),
    ("DescribeVolumes", "ec2", "DescribeVolumes"),
    ("DescribeVpcs", "ec2", "DescribeVpcs"),
    ("RunInstances", "ec2", "RunInstances"),
    ("StartInstances", "ec2", "StartInstances"),
    ("StopInstances", "ec2", "StopInstances"),
    ("TerminateInstances", "ec2", "TerminateInstances"),
    ("CreateSecret", "secretsmanager", "CreateSecret"),
    ("DescribeSecret", "secretsmanager", "DescribeSecret"),
    ("GetSecretValue", "secretsmanager", "GetSecretValue"),
    ("PutSecretValue", "secretsmanager", "PutSecretValue"),
    (
        "BatchGetSecretValue",
        "secretsmanager",
        "BatchGetSecretValue",
    ),
    ("GetParameter", "ssm", "GetParameter"),
    ("GetParameters", "ssm", "GetParameters"),
    ("GetParametersByPath", "ssm", "GetParametersByPath"),
    ("PutParameter", "ssm", "PutParameter"),
    ("StartSession", "ssm", "StartSession"),
    ("Decrypt", "kms", "Decrypt"),
    ("DescribeKey", "kms", "DescribeKey"),
    ("Encrypt", "kms", "Encrypt"),
    ("GenerateDataKey", "kms", "GenerateDataKey"),
    ("ReEncrypt", "kms", "ReEncrypt"),
    ("BatchGetItem", "dynamodb", "BatchGetItem"),
    ("BatchWriteItem", "dynamodb", "BatchWriteItem"),
    ("DeleteItem", "dynamodb", "DeleteItem"),
    ("DescribeTable", "dynamodb", "DescribeTable"),
    ("GetItem", "dynamodb", "GetItem"),
    ("PutItem", "dynamodb", "PutItem"),
    ("UpdateItem", "dynamodb", "UpdateItem"),
    ("Invoke", "lambda", "InvokeFunction"),
    ("GetFunction", "lambda", "GetFunction"),
    ("CreateFunction", "lambda", "CreateFunction"),
    ("UpdateFunctionCode", "lambda", "UpdateFunctionCode"),
    ("ReceiveMessage", "sqs", "ReceiveMessage"),
    ("SendMessage", "sqs", "SendMessage"),
    ("GetQueueUrl", "sqs", "GetQueueUrl"),
    ("GetAuthorizationToken", "ecr", "GetAuthorizationToken"),
    ("DescribeStacks", "cloudformation", "DescribeStacks"),
    ("CreateChangeSet", "cloudformation", "CreateChangeSet"),
    ("PutLogEvents", "logs", "PutLogEvents"),
    ("CreateLogGroup", "logs", "CreateLogGroup"),
    ("PutMetricData", "cloudwatch", "PutMetricData"),
    ("DescribeClusters", "ecs", "DescribeClusters"),
    ("DescribeCluster", "eks", "DescribeCluster"),
];

/// The IAM prefix of the service whose operation is named `op` and the action
/// that authorizes it, when the name alone says them.
#[must_use]
pub fn aws_operation(op: &str) -> Option<(&'static str, &'static str)> {
    AWS_OPERATIONS
        .iter()
        .find(|(name, _, _)| *name == op)
        .map(|(_, s, a)| (*s, *a))
}

/// The action that authorizes operation `op` of service `service`: the table's
/// where it lists the operation for that service, otherwise the operation's
/// own name (most actions are named after their operation).
#[must_use]
pub fn aws_action_for(service: &str, op: &str) -> String {
    match aws_operation(op) {
        Some((s, a)) if s == service => format!("{s}:{a}"),
        _ => format!("{service}:{op}"),
    }
}

/// How SDKs and endpoints name AWS services, lowercase, with the IAM prefix each
/// stands for: `Amazon S3` and `S3` in a Java SDK tail, `S3:` in a Go SDK
/// error, `sqs` in `https://sqs.eu-west-1.amazonaws.com/`.
pub const AWS_SERVICE_NAMES: &[(&str, &str)] = &[
    ("amazon s3", "s3"),
    ("amazons3", "s3"),
    ("s3", "s3"),
    ("sts", "sts"),
    ("awssecuritytokenservice", "sts"),
    ("iam", "iam"),
    ("amazonidentitymanagement", "iam"),
    ("ec2", "ec2"),
    ("amazonec2", "ec2"),
    ("kms", "kms"),
    ("awskms", "kms"),
    ("dynamodb", "dynamodb"),
    ("amazondynamodbv2", "dynamodb"),
    ("secretsmanager", "secretsmanager"),
    ("secrets manager", "secretsmanager"),
    ("awssecretsmanager", "secretsmanager"),
    ("ssm", "ssm"),
    ("awssimplesystemsmanagement", "ssm"),
    ("sns", "sns"),
    ("amazonsns", "sns"),
    ("sqs", "sqs"),
    ("amazonsqs", "sqs"),
    ("ses", "ses"),
    ("email", "ses"),
    ("lambda", "lambda"),
    ("awslambda", "lambda"),
    ("ecr", "ecr"),
    ("api.ecr", "ecr"),
    ("logs", "logs"),
    ("monitoring", "cloudwatch"),
    ("cognito-idp", "cognito-idp"),
    ("execute-api", "execute-api"),
    ("apigateway", "execute-api"),
    ("glue", "glue"),
    ("awsglue", "glue"),
    ("lakeformation", "lakeformation"),
    ("awslakeformation", "lakeformation"),
];

/// The IAM prefix for a service name as an SDK or endpoint writes it.
#[must_use]
pub fn aws_service_prefix(name: &str) -> Option<&'static str> {
    let n = name.trim();
    AWS_SERVICE_NAMES
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(n))
        .map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_rows_win_over_the_general_row() {
        // KMS API Reference, "Common errors": AccessDeniedException, HTTP 400.
        assert_eq!(
            lookup("AccessDeniedException", Some("kms")).unwrap().status,
            Some(400)
        );
        // With no service known, the code implies no status: services differ.
        assert_eq!(lookup("AccessDeniedException", None).unwrap().status, None);
        assert_eq!(
            lookup("AccessDeniedException", Some("greengrass"))
                .unwrap()
                .status,
            None
        );
        // Amazon S3 error responses: ExpiredToken, 400 Bad Request.
        assert_eq!(
            lookup("ExpiredToken", Some("s3")).unwrap().status,
            Some(400)
        );
        // EC2 prefixes its codes with `Client.`.
        assert_eq!(
            lookup("Client.UnauthorizedOperation", None).unwrap().status,
            Some(403)
        );
        // A code known only for one service is still found without it.
        assert_eq!(
            lookup("NotAuthorizedException", None).unwrap().gate,
            Gate::Authentication
        );
        assert!(lookup("NoSuchLifecycleConfiguration", None).is_none());
    }

    #[test]
    fn every_row_is_complete_and_codes_are_not_repeated_for_a_service() {
        for (i, e) in ENTRIES.iter().enumerate() {
            assert!(!e.code.is_empty() && !e.meaning.is_empty(), "{e:?}");
            assert!(e.source.contains("https://"), "{} needs its page", e.code);
            assert!(
                !e.meaning.ends_with('.') && e.meaning.starts_with(|c: char| c.is_lowercase()),
                "{}: meanings are lowercase, without a final period",
                e.code
            );
            for f in ENTRIES.iter().skip(i + 1) {
                assert!(
                    !(f.code == e.code && f.service == e.service && f.provider == e.provider),
                    "{} is listed twice for `{}`",
                    e.code,
                    e.service
                );
            }
            // A code that settles the deny kind is an authorization denial.
            if e.deny.is_some() {
                assert_eq!(e.gate, Gate::Authorization, "{}", e.code);
            }
        }
    }

    #[test]
    fn near_codes_for_a_typo() {
        assert_eq!(near("AccesDenied"), vec!["AccessDenied"]);
        assert_eq!(near("accessdeniedexception"), vec!["AccessDeniedException"]);
        assert!(near("Quux").is_empty());
        assert!(rows("AccessDeniedException").len() >= 5);
    }

    #[test]
    fn operations_and_service_names() {
        assert_eq!(aws_operation("GetObject"), Some(("s3", "GetObject")));
        // Amazon S3 API Reference, HeadObject: "you must have the s3:GetObject permission".
        assert_eq!(aws_action_for("s3", "HeadObject"), "s3:GetObject");
        assert_eq!(
            aws_action_for("greengrass", "CreateComponentVersion"),
            "greengrass:CreateComponentVersion"
        );
        assert_eq!(aws_operation("CreateComponentVersion"), None);
        assert_eq!(aws_service_prefix("Amazon S3"), Some("s3"));
        assert_eq!(aws_service_prefix("AmazonSNS"), Some("sns"));
        let mut names: Vec<_> = AWS_OPERATIONS.iter().map(|(n, _, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            AWS_OPERATIONS.len(),
            "an operation is listed twice"
        );
    }
}
