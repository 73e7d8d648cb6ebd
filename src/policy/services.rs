//! What the engine knows about individual AWS services, as data.
//!
//! # Services that resource control policies apply to
//!
//! AWS Organizations User Guide, "Resource control policies (RCPs)"
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>),
//! lists the services RCPs support; an RCP has no effect on a request to any
//! other service. The list at launch (December 2024) was Amazon S3, AWS STS,
//! AWS KMS, Amazon SQS and AWS Secrets Manager (the same five are listed by the
//! AWS Control Tower control reference, "Controls implemented with resource
//! control policies", and the KMS Developer Guide, "Resource control policies in
//! AWS KMS"); Amazon ECR and Amazon OpenSearch Serverless were added in June
//! 2025, and Amazon Cognito and Amazon CloudWatch Logs later.
//!
//! A service missing from this table when AWS has added it would make the
//! engine ignore an RCP `Deny` that applies: when a service is added to that
//! page, add its prefix here. The KMS Developer Guide adds one exception: "The
//! `kms:RetireGrant` permission is not effective in an RCP, even if you specify
//! an asterisk (*) as a wildcard in the Action element."

/// Service prefixes (as in `service:Action`) that RCPs apply to, with the
/// service's name.
pub const RCP_SERVICES: [(&str, &str); 10] = [
    ("s3", "Amazon S3"),
    ("sts", "AWS Security Token Service"),
    ("kms", "AWS Key Management Service"),
    ("sqs", "Amazon SQS"),
    ("secretsmanager", "AWS Secrets Manager"),
    ("ecr", "Amazon Elastic Container Registry"),
    ("aoss", "Amazon OpenSearch Serverless"),
    ("cognito-idp", "Amazon Cognito user pools"),
    ("cognito-identity", "Amazon Cognito identity pools"),
    ("logs", "Amazon CloudWatch Logs"),
];

/// Actions on which an RCP never has an effect, even on a supported service.
pub const RCP_EXEMPT_ACTIONS: [&str; 1] = ["kms:retiregrant"];

/// Whether RCPs apply to `action` (`service:Action`, any case).
#[must_use]
pub fn rcp_applies(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    let service = lower.split(':').next().unwrap_or("");
    RCP_SERVICES.iter().any(|(s, _)| *s == service) && !RCP_EXEMPT_ACTIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rcps_apply_to_listed_services_only() {
        assert!(rcp_applies("s3:GetObject"));
        assert!(rcp_applies("SQS:SendMessage"));
        assert!(rcp_applies("kms:Decrypt"));
        assert!(!rcp_applies("ec2:RunInstances"));
        assert!(!rcp_applies("dynamodb:GetItem"));
        // KMS Developer Guide, "Resource control policies in AWS KMS": "The
        // kms:RetireGrant permission is not effective in an RCP".
        assert!(!rcp_applies("kms:RetireGrant"));
    }
}
