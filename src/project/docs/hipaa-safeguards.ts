import { accountTrailFacts, frameworkList } from './compliance-docs';
import { AuthenticationMode } from '../../core/authentication';
import { SERVICE_DEFAULTS } from '../../core/defaults';
import { ResolvedSettings } from '../../core/settings';
import { StackFacts } from '../infrastructure/stack-facts';
import { ServiceModel } from '../service-model';

/**
 * The HIPAA Security Rule safeguards (45 CFR 164.308, 164.310, 164.312) the generated
 * HIPAA_COMPLIANCE_CHECKLIST.md walks through: for each, what in this service's stacks
 * implements it (resource and setting, read from the settings and the built stacks), the
 * cdk-nag rules that check it, and what remains the organisation's job. Internal module.
 *
 * A HIPAA.Security rule is listed under a safeguard only if cdk-nag's HIPAA pack itself maps
 * the rule to that control id (test/project/docs/service-docs.test.ts reads the pack to check).
 */

/** One environment's settings and the facts read from its stack. */
export interface SafeguardEnvironment {
  readonly settings: ResolvedSettings;
  readonly facts: StackFacts;
}

/** What a safeguard's text is written from. */
export interface SafeguardInput {
  readonly model: ServiceModel;
  readonly staging: SafeguardEnvironment;
  readonly production: SafeguardEnvironment;
}

/** One safeguard of the Security Rule. */
export interface Safeguard {
  /** Control id, e.g. `164.312(a)(2)(iv)`. */
  readonly section: string;
  readonly title: string;
  readonly kind: 'Administrative' | 'Physical' | 'Technical';
  /** `required` or `addressable`, as the Security Rule classifies the specification. */
  readonly specification: 'standard' | 'required' | 'addressable';
  /** What the stacks do, each item naming a resource and its setting. */
  readonly implementedBy: (input: SafeguardInput) => string[];
  /** cdk-nag rule ids that check the implementation. */
  readonly rules: string[];
  /** What the stack cannot do and the organisation must. */
  readonly organisation?: string;
  /** A gap the options leave open, listed first in the checklist; undefined when none. */
  readonly gap?: (input: SafeguardInput) => string | undefined;
}

const code = (value: string | number) => `\`${value}\``;
const both = (i: SafeguardInput, f: (e: SafeguardEnvironment) => string | number | undefined) =>
  `${f(i.staging) ?? 'n/a'} (staging), ${f(i.production) ?? 'n/a'} (production)`;

/** The safeguards, in the order of the regulation. */
export const SAFEGUARDS: Safeguard[] = [
  {
    section: '164.308(a)(1)(ii)(A)',
    title: 'Risk analysis',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: (i) => [
      `cdk-nag's ${frameworkList(i.model.complianceFrameworks)} packs evaluate every resource of ${code(i.staging.facts.stackName)} (${i.staging.facts.resourceCount} resources) and ${code(i.production.facts.stackName)} (${i.production.facts.resourceCount} resources) on every synth`,
      'every accepted risk is an acknowledgement with its reason, listed below',
    ],
    rules: [],
    organisation: 'Perform and document the organisation-wide risk analysis; use this checklist as the technical input for this service.',
  },
  {
    section: '164.308(a)(1)(ii)(B)',
    title: 'Risk management',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: () => [
      '`npx projen build` (and CI on every pull request) fails synthesis on any finding that is not acknowledged',
      'acknowledgements live in the kit, each with a reason, and change only through a reviewed kit release',
    ],
    rules: [],
    organisation: 'Review the acknowledged findings below at least once a year and after every kit upgrade.',
  },
  {
    section: '164.308(a)(1)(ii)(D)',
    title: 'Information system activity review',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: (i) => [
      `CloudTrail ${code(accountTrailFacts(i).trailName!)}, VPC flow logs, load balancer access logs, WAF logs and application logs (see 164.312(b))`,
      `saved Logs Insights queries and the ${code(`${i.production.settings.names.dashboardPrefix}-errors`)} dashboard for review (MONITORING_GUIDE.md)`,
    ],
    rules: [],
    organisation: 'Assign who reviews activity, how often, and keep a record of each review.',
  },
  {
    section: '164.308(a)(3)(ii)(A)',
    title: 'Authorization and/or supervision',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      ...i.production.facts.deployRoles.map(
        (r) => `IAM role ${code(r.roleName)} (${r.purpose}): assumable only by GitHub OIDC tokens for ${r.subjects.map(code).join(', ')}, sessions of at most ${r.maxSessionHours} h`,
      ),
      'customer-managed, resource-scoped policies; no IAM users and no long-lived access keys',
    ],
    rules: [
      'HIPAA.Security-IAMNoInlinePolicy',
      'HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess',
      'HIPAA.Security-IAMPolicyNoStatementsWithFullAccess',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
    ],
    organisation: 'Grant people access through IAM Identity Center groups; require reviewers on the GitHub `production` environment.',
  },
  {
    section: '164.308(a)(4)(ii)(B)',
    title: 'Access authorization',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      ...(i.model.database
        ? [`database credentials in Secrets Manager, rotated every ${i.production.facts.databaseRotationDays} days by a Lambda in the private subnets`]
        : []),
      `the task execution role may read only this service's secrets (${i.production.facts.containerSecrets.map(code).join(', ') || 'none'})`,
    ],
    rules: ['HIPAA.Security-SecretsManagerRotationEnabled', 'HIPAA.Security-IAMNoInlinePolicy', 'AwsSolutions-SMG4'],
    organisation: 'Approve and record who may assume the deploy roles and read production data.',
  },
  {
    section: '164.308(a)(4)(ii)(C)',
    title: 'Access establishment and modification',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      'tasks run in private subnets without public IPs; database and cache in isolated subnets with no route out',
      ...i.production.facts.ingress.map((g) => `${g.to} admits ${g.from} on ${g.port}`),
      'S3 buckets block all public access',
    ],
    rules: [
      'HIPAA.Security-RDSInstancePublicAccess',
      'HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled',
      'HIPAA.Security-EC2RestrictedCommonPorts',
      'HIPAA.Security-EC2RestrictedSSH',
      'HIPAA.Security-LambdaInsideVPC',
      'HIPAA.Security-S3BucketLevelPublicAccessProhibited',
      'AwsSolutions-EC23',
    ],
    organisation: 'Remove access promptly when people change roles or leave; run access reviews at least quarterly.',
  },
  {
    section: '164.308(a)(5)(ii)(A)',
    title: 'Security reminders (and patching)',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      ...(i.model.database ? [`RDS minor version upgrades applied automatically in ${code(i.production.facts.databaseMaintenanceWindow!)} (UTC)`] : []),
      `ECR scans every image on push (${i.production.facts.imageScanOnPush ? 'on' : 'off'}); Fargate runs the latest platform version`,
    ],
    rules: ['HIPAA.Security-RDSAutomaticMinorVersionUpgradeEnabled'],
    organisation: 'Run security awareness training with periodic reminders; act on ECR scan findings.',
  },
  {
    section: '164.308(a)(5)(ii)(B)',
    title: 'Protection from malicious software',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      `WAFv2 web ACL ${code(i.production.settings.names.webAclName)}: ${i.production.facts.webAclRules.map(code).join(', ')}`,
      `containers run as user ${code(i.production.facts.containerUser)} with a read-only root filesystem (${i.production.facts.readonlyRootFilesystem})`,
    ],
    rules: [],
    organisation: 'Enable GuardDuty (with ECS runtime monitoring) and Amazon Inspector at the organisation level.',
  },
  {
    section: '164.308(a)(5)(ii)(C)',
    title: 'Log-in monitoring',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      ...(i.model.database
        ? [`PostgreSQL logs connections and disconnections (${Object.entries(i.production.facts.databaseParameters).filter(([k]) => k.startsWith('log_connections') || k.startsWith('log_disconnections')).map(([k, v]) => code(`${k}=${v}`)).join(', ')}) to CloudWatch Logs`]
        : []),
      'CloudTrail records console sign-ins and role assumptions (global service events included)',
    ],
    rules: ['HIPAA.Security-RDSLoggingEnabled'],
    organisation: 'Alert on failed console sign-ins and root-user use (Security Hub or organisation trail metric filters).',
  },
  {
    section: '164.308(a)(5)(ii)(D)',
    title: 'Password management',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: (i) => [
      ...(i.model.database ? ['the database password is generated by Secrets Manager, never shown to a person, and rotated'] : []),
      ...(i.model.cache ? ['the Redis AUTH token is a generated 64-character secret'] : []),
      'no secret is passed as a plain environment variable or stored in the image',
    ],
    rules: [],
    organisation: 'Enforce the password policy and MFA for every person in IAM Identity Center and GitHub.',
  },
  {
    section: '164.308(a)(6)(ii)',
    title: 'Security incident response and reporting',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: (i) => [
      `alarms notify SNS topic ${code(i.production.settings.names.alarmTopicName)} (email ${code(i.production.settings.alarmEmail)}); each alarm has a response in OPERATIONS_RUNBOOK.md`,
      'CloudTrail, flow logs and WAF logs preserve the evidence for investigation',
    ],
    rules: [],
    organisation: 'Maintain the incident response plan and breach notification procedure (45 CFR 164.400-414).',
  },
  {
    section: '164.308(a)(7)(ii)(A)',
    title: 'Data backup plan',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: (i) => [
      ...(i.model.database
        ? [
          `RDS automated backups with point-in-time restore, kept ${both(i, (e) => e.facts.databaseBackupRetentionDays)} days, window ${code(i.production.facts.databaseBackupWindow!)} UTC`,
          `AWS Backup plan ${code(i.production.facts.awsBackupSchedule!)} into a KMS-encrypted vault, kept ${both(i, (e) => e.facts.awsBackupDeleteAfterDays)} days`,
        ]
        : []),
      ...(i.model.cache ? [`Redis snapshots daily, kept ${both(i, (e) => e.facts.cacheSnapshotRetentionDays)} days`] : []),
      'log and trail buckets are versioned',
    ],
    rules: [
      'HIPAA.Security-RDSInstanceBackupEnabled',
      'HIPAA.Security-RDSInBackupPlan',
      'HIPAA.Security-ElastiCacheRedisClusterAutomaticBackup',
      'HIPAA.Security-S3BucketVersioningEnabled',
      'AwsSolutions-RDS13',
    ],
  },
  {
    section: '164.308(a)(7)(ii)(B)',
    title: 'Disaster recovery plan',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: () => [
      'DISASTER_RECOVERY.md states RPO and RTO per component from these settings, and the restore procedures',
      'backups stay in the stack\'s region: region loss is not covered by the stack (see DISASTER_RECOVERY.md)',
    ],
    rules: ['HIPAA.Security-S3BucketReplicationEnabled', 'HIPAA.Security-RDSInstanceBackupEnabled'],
    organisation: 'Decide whether region loss must be covered; if so, add cross-region backup copies at the organisation level.',
  },
  {
    section: '164.308(a)(7)(ii)(C)',
    title: 'Emergency mode operation plan',
    kind: 'Administrative',
    specification: 'required',
    implementedBy: (i) => [
      `tasks spread over ${both(i, (e) => e.facts.availabilityZones.length)} Availability Zones, at least ${both(i, (e) => e.settings.minCapacity)} tasks`,
      ...(i.model.database
        ? [`RDS Multi-AZ ${both(i, (e) => String(e.facts.databaseMultiAz))}, deletion protection ${both(i, (e) => String(e.facts.databaseDeletionProtection))}`]
        : []),
      ...(i.model.cache ? [`Redis nodes ${both(i, (e) => e.facts.cacheNodes)}, automatic failover ${both(i, (e) => String(e.facts.cacheAutomaticFailover))}`] : []),
      'deployment circuit breaker rolls back a failing deploy',
    ],
    rules: [
      'HIPAA.Security-RDSMultiAZSupport',
      'HIPAA.Security-RDSInstanceDeletionProtectionEnabled',
      'HIPAA.Security-ELBDeletionProtectionEnabled',
      'AwsSolutions-RDS3',
      'AwsSolutions-RDS10',
      'AwsSolutions-AEC4',
    ],
  },
  {
    section: '164.308(a)(7)(ii)(D)',
    title: 'Testing and revision procedures',
    kind: 'Administrative',
    specification: 'addressable',
    implementedBy: () => ['staging runs the same stack and deploy procedure as production; restores can be drilled there'],
    rules: [],
    organisation: 'Run and record a restore drill at least every quarter (DISASTER_RECOVERY.md).',
  },
  {
    section: '164.308(a)(8)',
    title: 'Evaluation',
    kind: 'Administrative',
    specification: 'standard',
    implementedBy: () => ['the compliance gate re-evaluates both stacks on every change; cfn-lint runs on the templates in the kit\'s CI'],
    rules: [],
    organisation: 'Evaluate technical and non-technical safeguards periodically and after significant changes.',
  },
  {
    section: '164.308(b)(1)',
    title: 'Business associate contracts',
    kind: 'Administrative',
    specification: 'standard',
    implementedBy: () => ['every service the stack uses (ECS Fargate, ECR, ELB, WAF, RDS, ElastiCache, KMS, Secrets Manager, CloudWatch, CloudTrail, S3, SNS, AWS Backup) is HIPAA eligible'],
    rules: [],
    organisation: 'Accept the AWS Business Associate Addendum (AWS Artifact) for every account that holds ePHI, and designate those accounts.',
  },
  {
    section: '164.310(a)(1)',
    title: 'Facility access controls',
    kind: 'Physical',
    specification: 'standard',
    implementedBy: () => ['inherited from AWS data centres under the shared responsibility model (SOC 2 and HIPAA reports in AWS Artifact)'],
    rules: [],
    organisation: 'Keep the AWS reports on file; control access to your own offices.',
  },
  {
    section: '164.310(b)',
    title: 'Workstation use and security (164.310(c))',
    kind: 'Physical',
    specification: 'standard',
    implementedBy: () => ['local development runs docker-compose with synthetic data only; no ePHI is needed on workstations'],
    rules: [],
    organisation: 'Workstation policy: disk encryption, screen lock, managed devices, no ePHI downloads.',
  },
  {
    section: '164.310(d)(1)',
    title: 'Device and media controls',
    kind: 'Physical',
    specification: 'standard',
    implementedBy: (i) => [
      'data is encrypted with customer-managed KMS keys (retained on stack deletion, 30-day deletion window), so deleting a key crypto-shreds its data',
      `log buckets expire objects after ${both(i, (e) => e.settings.logRetentionDays)} days; trail files after ${accountTrailFacts(i).trailArchiveDays} days`,
    ],
    rules: [],
    organisation: 'Media disposal in AWS is AWS\'s (inherited); track and wipe any exported copies.',
  },
  {
    section: '164.312(a)(1)',
    title: 'Access control',
    kind: 'Technical',
    specification: 'standard',
    implementedBy: (i) => [
      `VPC ${code(i.production.facts.vpcCidr)}: ${['public', 'private', 'isolated'].map((t) => `${i.production.facts.subnets.filter((s) => s.tier === t).length} ${t}`).join(', ')} subnets (production); security-group paths in ARCHITECTURE.md`,
      ...(i.model.database ? [`database not publicly accessible; IAM database authentication ${i.production.facts.databaseIamAuthentication ? 'enabled' : 'disabled'}`] : []),
    ],
    rules: [
      'HIPAA.Security-RDSInstancePublicAccess',
      'HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled',
      'HIPAA.Security-LambdaInsideVPC',
      'HIPAA.Security-S3BucketLevelPublicAccessProhibited',
      'HIPAA.Security-IAMNoInlinePolicy',
    ],
  },
  {
    section: '164.312(a)(2)(i)',
    title: 'Unique user identification',
    kind: 'Technical',
    specification: 'required',
    implementedBy: () => ['workflows act as distinct roles per environment and purpose; CloudTrail records the GitHub subject of each session'],
    rules: [],
    organisation: 'One identity per person (IAM Identity Center, GitHub); no shared accounts; unique database users for people if they ever query production.',
  },
  {
    section: '164.312(a)(2)(iii)',
    title: 'Automatic logoff',
    kind: 'Technical',
    specification: 'addressable',
    implementedBy: (i) => [`deploy and publish role sessions end after ${i.production.facts.deployRoles[0]?.maxSessionHours ?? 1} h`],
    rules: [],
    organisation: 'Set console and IAM Identity Center session durations; the API itself is stateless.',
  },
  {
    section: '164.312(a)(2)(iv)',
    title: 'Encryption and decryption',
    kind: 'Technical',
    specification: 'addressable',
    implementedBy: (i) => [
      'customer-managed KMS keys with yearly rotation encrypt the database, Performance Insights, secrets, cache, images, alarm topic, trail and every log group',
      `${i.production.facts.logGroups.filter((g) => g.kmsEncrypted).length} of ${i.production.facts.logGroups.length} log groups of production are KMS-encrypted`,
      'the two access-log buckets use SSE-S3, the only encryption their log deliveries support (acknowledged below)',
    ],
    rules: [
      'HIPAA.Security-RDSStorageEncrypted',
      'HIPAA.Security-CloudWatchLogGroupEncrypted',
      'HIPAA.Security-SecretsManagerUsingKMSKey',
      'HIPAA.Security-SNSEncryptedKMS',
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'HIPAA.Security-CloudTrailEncryptionEnabled',
      'AwsSolutions-KMS5',
      'AwsSolutions-RDS2',
      'AwsSolutions-AEC3',
    ],
  },
  {
    section: '164.312(b)',
    title: 'Audit controls',
    kind: 'Technical',
    specification: 'standard',
    implementedBy: (i) => [
      `CloudTrail ${code(accountTrailFacts(i).trailName!)}: multi-region, management events, to CloudWatch Logs and to S3 for ${accountTrailFacts(i).trailArchiveDays} days`,
      `log groups kept ${both(i, (e) => e.settings.logRetentionDays)} days; VPC flow logs of all traffic; ALB access logs; WAF logs`,
      `${i.production.settings.names.alarmPrefix}-* alarms act on the SNS topic; RDS enhanced monitoring and Container Insights`,
      callerAudit(i.production.settings),
    ],
    rules: [
      'HIPAA.Security-CloudTrailCloudWatchLogsEnabled',
      'HIPAA.Security-CloudWatchLogGroupRetentionPeriod',
      'HIPAA.Security-ELBLoggingEnabled',
      'HIPAA.Security-VPCFlowLogsEnabled',
      'HIPAA.Security-WAFv2LoggingEnabled',
      'HIPAA.Security-RDSEnhancedMonitoringEnabled',
      'HIPAA.Security-CloudWatchAlarmAction',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'AwsSolutions-VPC7',
      'AwsSolutions-ELB2',
      'AwsSolutions-ECS4',
      'AwsSolutions-ECS7',
    ],
    organisation: 'HIPAA asks for six years of documentation; keep an organisation trail with that retention too.',
  },
  {
    section: '164.312(c)(1)',
    title: 'Integrity',
    kind: 'Technical',
    specification: 'standard',
    implementedBy: (i) => [
      'CloudTrail log file validation (digest files)',
      'versioned trail and log buckets',
      `ECR tags are ${i.production.facts.imageTagMutability.toLowerCase()}: a deployed tag always means the same image`,
    ],
    rules: ['HIPAA.Security-CloudTrailLogFileValidationEnabled', 'HIPAA.Security-S3BucketVersioningEnabled'],
  },
  {
    section: '164.312(c)(2)',
    title: 'Mechanism to authenticate electronic protected health information',
    kind: 'Technical',
    specification: 'addressable',
    implementedBy: (i) => [
      `TLS from callers to the load balancer${i.model.database ? ' and from the service to PostgreSQL' : ''}${i.model.cache ? ' and Redis' : ''} (see 164.312(e); the load balancer to task hop is plain HTTP inside the VPC)`,
      'S3 refuses requests without TLS; trail digests authenticate audit records',
    ],
    rules: ['HIPAA.Security-S3BucketSSLRequestsOnly', 'HIPAA.Security-CloudTrailLogFileValidationEnabled'],
  },
  {
    section: '164.312(d)',
    title: 'Person or entity authentication',
    kind: 'Technical',
    specification: 'standard',
    implementedBy: (i) => [
      ...callerAuthentication(i.production.settings),
      `GitHub workflows authenticate with OIDC tokens restricted to ${code(i.model.githubRepository)}`,
      ...(i.model.cache ? ['the service authenticates to Redis with the AUTH token over TLS'] : []),
      ...(i.model.database
        ? [`the service authenticates PostgreSQL's server (${code('DB_SSLMODE=verify-full')}: certificate chain to the RDS CAs shipped in the image, and host name) and itself with rotated credentials`]
        : []),
    ],
    rules: [],
    organisation: 'Require MFA for every person (AWS and GitHub), at the identity provider too; approve and record every API client and who holds its key.',
    gap: (i) =>
      i.model.authentication === AuthenticationMode.NONE
        ? `OPEN GAP: \`authentication\` is "none": the API serves ${code('/api/v1/...')} to any caller without identifying them. Set \`authentication\` to "api-keys", "jwt" or "jwt-and-api-keys" in .projenrc.ts.`
        : undefined,
  },
  {
    section: '164.312(e)(1)',
    title: 'Transmission security',
    kind: 'Technical',
    specification: 'standard',
    implementedBy: (i) => [
      `HTTPS listener with ${code(i.production.facts.tlsPolicy)}; port 80 only redirects to HTTPS; invalid headers dropped`,
      `AWS API traffic stays in the VPC through endpoints: ${[...i.production.facts.gatewayEndpoints, ...i.production.facts.interfaceEndpoints].map(code).join(', ')}`,
      'the default security group is closed',
    ],
    rules: [
      'HIPAA.Security-ALBHttpToHttpsRedirection',
      'HIPAA.Security-ALBHttpDropInvalidHeaderEnabled',
      'HIPAA.Security-VPCDefaultSecurityGroupClosed',
      'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'HIPAA.Security-S3BucketSSLRequestsOnly',
    ],
  },
  {
    section: '164.312(e)(2)(ii)',
    title: 'Encryption (in transit)',
    kind: 'Technical',
    specification: 'addressable',
    implementedBy: (i) => [
      'ACM certificate on the HTTPS listener',
      ...(i.model.database
        ? [`PostgreSQL requires TLS: ${Object.entries(i.production.facts.databaseParameters).filter(([k]) => k.includes('ssl')).map(([k, v]) => code(`${k}=${v}`)).join(', ')}`]
        : []),
      ...(i.model.cache ? ['Redis in-transit encryption on'] : []),
      'not encrypted: the hop from the load balancer to the tasks is HTTP on the container port, inside the VPC: the tasks are in private subnets and their security group admits only the load balancer',
    ],
    rules: ['HIPAA.Security-ELBv2ACMCertificateRequired', 'HIPAA.Security-ALBHttpToHttpsRedirection', 'AwsSolutions-AEC3'],
    organisation: 'Decide whether the load balancer to task hop must be encrypted too (an HTTPS target group and a certificate served by the container); record the decision in the risk analysis.',
  },
];

/** How the API's callers authenticate (164.312(d)), from the `authentication` option. */
function callerAuthentication(s: ResolvedSettings): string[] {
  const mode = s.authentication;
  if (mode === AuthenticationMode.NONE) return ['the API itself authenticates no caller (`authentication` is "none"; see the open gap above)'];
  const items: string[] = [];
  if (AuthenticationMode.usesJwt(mode)) {
    items.push(
      `the API requires a JWT access token from ${code(s.jwtIssuerUrl ?? '')} for audience ${code(s.jwtAudience ?? '')} on every route but the health path: signature by the issuer's JWKS, issuer, audience, expiry and not-before checked; ${code(s.jwtReadScope)} allows reading, ${code(s.jwtWriteScope)} writing`,
    );
  }
  if (AuthenticationMode.usesApiKeys(mode)) {
    items.push(
      `the API requires an API key (\`X-API-Key\`) on every route but the health path: only SHA-256 digests in the KMS-encrypted secret ${code(s.names.apiKeysSecretName)}, compared in constant time, keys refused after ${s.apiKeyMaxAgeDays} days, at most two per client (${SERVICE_DEFAULTS.apiKeyOverlapDays}-day rotation overlap)`,
    );
  }
  return items;
}

/** What the access log records about callers (164.312(b)). */
function callerAudit(s: ResolvedSettings): string {
  return s.authentication === AuthenticationMode.NONE
    ? 'application access logs record no caller identity (`authentication` is "none")'
    : 'every application access log line names the caller (`caller`: the token subject or the API key id, never the token or key); authentication failures are logged with their reason and request id';
}

/** What the organisation must do that no stack can, as a checklist. */
export const ORGANISATION_TASKS: string[] = [
  'Accept the AWS Business Associate Addendum (BAA) in AWS Artifact for every account that stores or processes ePHI, and sign BAAs with any other vendor that touches ePHI (GitHub only if ePHI could ever reach it: keep it out of repositories, issues and logs).',
  'Require MFA for every person in AWS (IAM Identity Center) and GitHub; no root-user use outside break-glass.',
  'Review who can assume the deploy roles and read production data at least quarterly; remove leavers the same day.',
  'Train the workforce on security awareness, with reminders, and record attendance.',
  'Enable AWS Config (with the HIPAA conformance pack), GuardDuty, Security Hub and an organisation CloudTrail with six years of retention in every account.',
  'Maintain the risk analysis, incident response and breach notification procedures, and the sanctions policy.',
  'Run a restore drill of the database every quarter and record the measured RTO.',
  'Decide whether region loss must be covered and, if so, add cross-region backup copies.',
  'Act on ECR scan findings and on the alarms; keep the on-call rota behind the alarm email current.',
];
