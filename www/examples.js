// Example denials for the page's menu and the widget's `example` attribute.
// Written for this project in the shapes the providers document; every account id,
// key and token is a documentation placeholder (AWS's own EXAMPLE keys, 111122223333).
// Bundled into denial-explainer-core.js by tools/build-page.mjs.
/* exported DENIAL_EXAMPLES */
var DENIAL_EXAMPLES = [
  {
    id: 'aws-implicit-identity',
    group: 'AWS',
    label: 'S3 GetObject, no identity-based policy allows it',
    text:
      'An error occurred (AccessDenied) when calling the GetObject operation: User: ' +
      'arn:aws:sts::111122223333:assumed-role/DataReader/alice is not authorized to perform: ' +
      's3:GetObject on resource: "arn:aws:s3:::example-reports/2024/q3.csv" because no ' +
      'identity-based policy allows the s3:GetObject action\n',
  },
  {
    id: 'aws-explicit-scp',
    group: 'AWS',
    label: 'EC2 RunInstances, explicit deny in an SCP',
    text:
      'Error: creating EC2 Instance: operation error EC2: RunInstances, https response error ' +
      'StatusCode: 403, RequestID: 6d4e1c0a-2b7f-4a53-9b52-3c1f8e0d9a11, api error ' +
      'UnauthorizedOperation: User: arn:aws:iam::111122223333:user/deploy is not authorized to ' +
      'perform: ec2:RunInstances on resource: arn:aws:ec2:eu-west-1:111122223333:instance/* with ' +
      'an explicit deny in a service control policy\n',
  },
  {
    id: 'aws-boundary',
    group: 'AWS',
    label: 'DynamoDB PutItem, permissions boundary',
    text:
      'AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/OrdersWriter/lambda-7 ' +
      'is not authorized to perform: dynamodb:PutItem on resource: ' +
      'arn:aws:dynamodb:us-east-1:111122223333:table/Orders because no permissions boundary ' +
      'allows the dynamodb:PutItem action\n',
  },
  {
    id: 'aws-trust',
    group: 'AWS',
    label: 'AssumeRole across accounts, trust policy',
    text:
      'An error occurred (AccessDenied) when calling the AssumeRole operation: User: ' +
      'arn:aws:sts::111122223333:assumed-role/ci-runner/i-0abc12de34f567890 is not authorized ' +
      'to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/deploy-prod\n',
  },
  {
    id: 'aws-s3-xml',
    group: 'AWS',
    label: 'S3 bare Access Denied (XML body)',
    text:
      'HTTP/1.1 403 Forbidden\n' +
      'x-amz-request-id: 4442587FB7D0A2F9\n' +
      'Content-Type: application/xml\n\n' +
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<Error><Code>AccessDenied</Code><Message>Access Denied</Message>' +
      '<RequestId>4442587FB7D0A2F9</RequestId>' +
      '<HostId>w8CZ3zY0yQ2xJ+L1eKp0Qm5gVq8J3f6T1Yb9aHc2dRk=</HostId></Error>\n',
  },
  {
    id: 'aws-encoded',
    group: 'AWS',
    label: 'Encoded authorization failure message',
    text:
      'An error occurred (UnauthorizedOperation) when calling the StartInstances operation: ' +
      'You are not authorized to perform this operation. User: ' +
      'arn:aws:iam::111122223333:user/ops is not authorized to perform: ec2:StartInstances on ' +
      'resource: arn:aws:ec2:us-west-2:111122223333:instance/i-0123456789abcdef0 because no ' +
      'identity-based policy allows the ec2:StartInstances action. Encoded authorization ' +
      'failure message: zL6y3Jb9cWgQ1pXcV0kS2nRr8TfYh5MdE4oA7uBwNi3KqGjHx9PlZaC6vDe1sUt2\n',
  },
  {
    id: 'aws-signature',
    group: 'AWS',
    label: 'SignatureDoesNotMatch (authentication)',
    text:
      'botocore.exceptions.ClientError: An error occurred (SignatureDoesNotMatch) when calling ' +
      'the ListBuckets operation: The request signature we calculated does not match the ' +
      'signature you provided. Check your key and signing method.\n',
  },
  {
    id: 'aws-expired-token',
    group: 'AWS',
    label: 'ExpiredToken from the Java SDK (authentication)',
    text:
      'com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: The security ' +
      'token included in the request is expired (Service: AWSSecurityTokenService; Status Code: ' +
      '403; Error Code: ExpiredToken; Request ID: 9e2b7a11-54cf-4e0b-8d9f-1a2b3c4d5e6f; Proxy: null)\n',
  },
  {
    id: 'aws-presigned-secret',
    group: 'AWS',
    label: 'Expired presigned URL, with credentials in it',
    text:
      '$ curl -i "https://example-reports.s3.amazonaws.com/2024/q3.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240301%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20240301T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=9f3c1e0b6a2d4c8e7f5a3b1d9e0c2f4a6b8d0e2c4a6f8b0d2e4c6a8f0b2d4e6a"\n' +
      'HTTP/1.1 403 Forbidden\n\n' +
      '<Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
      '<X-Amz-Expires>900</X-Amz-Expires><Expires>2024-03-01T12:15:00Z</Expires>' +
      '<ServerTime>2024-03-02T09:41:07Z</ServerTime></Error>\n' +
      '# ~/.aws/credentials used to sign it:\n' +
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n' +
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
  },
  {
    id: 'gcp-permission-denied',
    group: 'Google Cloud',
    label: 'PERMISSION_DENIED with ErrorInfo (JSON)',
    text:
      '{\n' +
      '  "error": {\n' +
      '    "code": 403,\n' +
      '    "message": "Permission \'storage.objects.get\' denied on resource (or it may not exist).",\n' +
      '    "status": "PERMISSION_DENIED",\n' +
      '    "details": [\n' +
      '      {\n' +
      '        "@type": "type.googleapis.com/google.rpc.ErrorInfo",\n' +
      '        "reason": "IAM_PERMISSION_DENIED",\n' +
      '        "domain": "iam.googleapis.com",\n' +
      '        "metadata": {\n' +
      '          "permission": "storage.objects.get",\n' +
      '          "resource": "projects/_/buckets/example-exports/objects/daily.parquet"\n' +
      '        }\n' +
      '      }\n' +
      '    ]\n' +
      '  }\n' +
      '}\n',
  },
  {
    id: 'gcp-terraform',
    group: 'Google Cloud',
    label: 'Terraform Error 403 from gcloud provider',
    text:
      '│ Error: Error creating Topic: googleapi: Error 403: Permission \'pubsub.topics.create\' ' +
      'denied on resource \'projects/example-prod-4711\' (or it may not exist)., forbidden\n' +
      '│\n' +
      '│   with google_pubsub_topic.events,\n' +
      '│   on main.tf line 12, in resource "google_pubsub_topic" "events":\n' +
      '│   12: resource "google_pubsub_topic" "events" {\n',
  },
  {
    id: 'gcp-vpc-sc',
    group: 'Google Cloud',
    label: 'VPC Service Controls violation',
    text:
      'ERROR: (gcloud.storage.cp) HTTPError 403: Request is prohibited by organization\'s policy. ' +
      'vpcServiceControlsUniqueIdentifier: 2Xb7kQ9mZp4rT1vN8sWc\n' +
      'details: [{"@type": "type.googleapis.com/google.rpc.PreconditionFailure", "violations": ' +
      '[{"type": "VPC_SERVICE_CONTROLS", "subject": "2Xb7kQ9mZp4rT1vN8sWc", "description": ' +
      '"Request is prohibited by organization\'s policy."}]}]\n',
  },
  {
    id: 'gcp-unauthenticated',
    group: 'Google Cloud',
    label: 'UNAUTHENTICATED (expired access token)',
    text:
      '{\n' +
      '  "error": {\n' +
      '    "code": 401,\n' +
      '    "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",\n' +
      '    "status": "UNAUTHENTICATED",\n' +
      '    "details": [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_EXPIRED", "domain": "googleapis.com" }]\n' +
      '  }\n' +
      '}\n',
  },
  {
    id: 'azure-authorization-failed',
    group: 'Azure',
    label: 'AuthorizationFailed from az CLI',
    text:
      '(AuthorizationFailed) The client \'deploy-bot@example.onmicrosoft.com\' with object id ' +
      '\'3f2b9c1e-7a4d-4e8b-9c0f-1d2e3f4a5b6c\' does not have authorization to perform action ' +
      '\'Microsoft.Storage/storageAccounts/listKeys/action\' over scope ' +
      '\'/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-data/providers/' +
      'Microsoft.Storage/storageAccounts/exampledata\' or the scope is invalid. If access was ' +
      'recently granted, please refresh your credentials.\n' +
      'Code: AuthorizationFailed\n',
  },
  {
    id: 'azure-policy',
    group: 'Azure',
    label: 'RequestDisallowedByPolicy (ARM JSON)',
    text:
      '{"error":{"code":"RequestDisallowedByPolicy","target":"vm-build-01","message":"Resource ' +
      '\'vm-build-01\' was disallowed by policy. Policy identifiers: \'[{\\"policyAssignment\\":' +
      '{\\"name\\":\\"Allowed locations\\",\\"id\\":\\"/subscriptions/00000000-1111-2222-3333-' +
      '444444444444/providers/Microsoft.Authorization/policyAssignments/allowed-locations\\"},' +
      '\\"policyDefinition\\":{\\"name\\":\\"Allowed locations\\"}}]\'."}}\n',
  },
  {
    id: 'azure-expired-token',
    group: 'Azure',
    label: 'ExpiredAuthenticationToken (authentication)',
    text:
      'HTTP/1.1 401 Unauthorized\n' +
      'WWW-Authenticate: Bearer authorization_uri="https://login.microsoftonline.com/' +
      '72f988bf-0000-0000-0000-2d7cd011db47", error="invalid_token", error_description="The ' +
      'access token expiry UTC time \'3/1/2024 9:12:44 AM\' is earlier than current UTC time ' +
      '\'3/1/2024 10:02:13 AM\'."\n\n' +
      '{"error":{"code":"ExpiredAuthenticationToken","message":"The access token expiry UTC time ' +
      '\'3/1/2024 9:12:44 AM\' is earlier than current UTC time \'3/1/2024 10:02:13 AM\'."}}\n',
  },
  {
    id: 'k8s-forbidden',
    group: 'Kubernetes',
    label: 'RBAC forbidden (kubectl)',
    text:
      'Error from server (Forbidden): pods is forbidden: User ' +
      '"system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the ' +
      'namespace "payments"\n',
  },
  {
    id: 'k8s-unauthorized',
    group: 'Kubernetes',
    label: 'Unauthorized (expired kubeconfig credentials)',
    text:
      'E0301 10:02:13.441207   48213 memcache.go:265] couldn\'t get current server API group list: ' +
      'the server has asked for the client to provide credentials\n' +
      'error: You must be logged in to the server (Unauthorized)\n',
  },
  {
    id: 'http-401',
    group: 'HTTP',
    label: '401 with WWW-Authenticate',
    text:
      'HTTP/2 401\n' +
      'www-authenticate: Bearer realm="api", error="invalid_token", error_description="The access token expired"\n' +
      'content-type: application/json\n\n' +
      '{"message":"Unauthorized"}\n',
  },
  {
    id: 'http-425',
    group: 'HTTP',
    label: '425 Too Early (replay protection)',
    text:
      'HTTP/1.1 425 Too Early\n' +
      'Content-Type: text/plain\n' +
      'Connection: close\n\n' +
      'The request was sent in TLS early data and the server will not process it until the ' +
      'handshake completes.\n',
  },
  {
    id: 'http-cors',
    group: 'HTTP',
    label: 'Browser CORS failure (not an auth error)',
    text:
      'Access to fetch at \'https://api.example.com/v1/reports\' from origin ' +
      '\'https://app.example.com\' has been blocked by CORS policy: Response to preflight request ' +
      'doesn\'t pass access control check: No \'Access-Control-Allow-Origin\' header is present on ' +
      'the requested resource.\n',
  },
  {
    id: 'mixed-ci-log',
    group: 'Several at once',
    label: 'CI log with three different denials',
    text:
      '2024-03-01T10:02:11.204Z [deploy] aws s3 sync ./build s3://example-site-assets\n' +
      '2024-03-01T10:02:12.871Z [deploy] upload failed: build/index.html to ' +
      's3://example-site-assets/index.html An error occurred (AccessDenied) when calling the ' +
      'PutObject operation: User: arn:aws:sts::111122223333:assumed-role/gh-actions-deploy/run-8812 ' +
      'is not authorized to perform: s3:PutObject on resource: ' +
      '"arn:aws:s3:::example-site-assets/index.html" with an explicit deny in a resource-based policy\n' +
      '2024-03-01T10:02:14.009Z [k8s] Error from server (Forbidden): deployments.apps "web" is ' +
      'forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "deployments" in ' +
      'API group "apps" in the namespace "prod"\n' +
      '2024-03-01T10:02:15.552Z [notify] POST https://hooks.example.com/deploy -> HTTP/1.1 403 Forbidden\n',
  },
];
