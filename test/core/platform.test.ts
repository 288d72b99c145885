import { DeploymentEnvironment } from '../../src/core/deployment-environment';
import {
  HIPAA_CONFIG_RULES,
  securityHubStandards,
  VAULT_LOCK_LIMITS,
  VAULT_LOCK_PRESETS,
} from '../../src/core/platform-baseline';
import {
  platformParameterList,
  platformParameterNames,
  platformParameterPrefix,
  platformZoneCount,
  SSM_PARAMETER_LIMITS,
  validateGithubOrganization,
  validatePlatformName,
} from '../../src/core/platform-parameters';
import { ENVIRONMENT_PRESETS } from '../../src/core/presets';

const ENVIRONMENTS = [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION];

describe('platform parameter names', () => {
  test('live under /hardened-platform/<platformName>/<environment>/, one per value, no two alike', () => {
    const names = platformParameterList('acme', DeploymentEnvironment.PRODUCTION);
    expect(platformParameterPrefix('acme', DeploymentEnvironment.PRODUCTION)).toBe('/hardened-platform/acme/production');
    expect(names.every((n) => n.startsWith('/hardened-platform/acme/production/'))).toBe(true);
    expect(new Set(names).size).toBe(Object.keys(platformParameterNames('acme', DeploymentEnvironment.PRODUCTION)).length);
  });

  test('two environments or two platforms never share a name', () => {
    const all = [
      ...platformParameterList('acme', DeploymentEnvironment.STAGING),
      ...platformParameterList('acme', DeploymentEnvironment.PRODUCTION),
      ...platformParameterList('other', DeploymentEnvironment.STAGING),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  test.each(ENVIRONMENTS)('fit what SSM accepts for a name (%s, longest platform name)', (environment) => {
    // AWS: at most 1011 characters (with the leading /), 15 levels, letters, digits and _.-/ only.
    for (const name of platformParameterList('a'.repeat(20), environment)) {
      expect(name).toMatch(SSM_PARAMETER_LIMITS.namePattern);
      expect(name.length).toBeLessThanOrEqual(SSM_PARAMETER_LIMITS.maxNameLength);
      expect(name.split('/').length - 1).toBeLessThanOrEqual(SSM_PARAMETER_LIMITS.maxHierarchyLevels);
    }
  });

  test.each(ENVIRONMENTS)('the longest list value (%s) fits a standard-tier parameter', (environment) => {
    // Subnet and route table ids are `subnet-`/`rtb-` plus 17 hex digits; one per AZ, comma-separated.
    const zones = platformZoneCount(environment);
    const longest = Array.from({ length: zones }, () => `subnet-${'f'.repeat(17)}`).join(',');
    expect(Buffer.byteLength(longest)).toBeLessThanOrEqual(SSM_PARAMETER_LIMITS.maxValueBytes);
  });

  test('a service splits each list into the number of AZs the platform\'s VPC has', () => {
    expect(ENVIRONMENTS.map(platformZoneCount)).toEqual(ENVIRONMENTS.map((e) => ENVIRONMENT_PRESETS[e].maxAzs));
  });
});

describe('platform validation', () => {
  test('fails when platformName is not a lowercase name', () => {
    expect(validatePlatformName('Acme_Platform')).toEqual([
      'platformName "Acme_Platform" must be 1-20 lowercase letters, digits or single hyphens, starting with a letter (try "acme-platform")',
    ]);
    expect(validatePlatformName('acme')).toEqual([]);
  });

  test('fails when githubOrganization names a repository', () => {
    expect(validateGithubOrganization('example-org/repo')).toEqual([
      'githubOrganization "example-org/repo" must be a GitHub user or organization name (letters, digits, single hyphens, at most 39), without a repository (for example "example-org")',
    ]);
    expect(validateGithubOrganization('example-org')).toEqual([]);
  });


});

describe('account baseline data', () => {
  test('each framework enables its Security Hub standard, HIPAA through Foundational Security Best Practices', () => {
    expect(securityHubStandards(['AwsSolutions', 'HIPAA.Security'])).toEqual(['standards/aws-foundational-security-best-practices/v/1.0.0']);
    expect(securityHubStandards(['HIPAA.Security', 'NIST.800-53.R5', 'PCI.DSS.321'])).toEqual([
      'standards/aws-foundational-security-best-practices/v/1.0.0',
      'standards/nist-800-53/v/5.0.0',
      'standards/pci-dss/v/3.2.1',
    ]);
  });

  test('the Config rules are distinct managed-rule identifiers with string parameters', () => {
    const ids = HIPAA_CONFIG_RULES.map((r) => r.identifier);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of HIPAA_CONFIG_RULES) {
      expect(rule.identifier).toMatch(/^[A-Z0-9_]+$/);
      for (const value of Object.values(rule.inputParameters ?? {})) expect(typeof value).toBe('string');
    }
    // The log-retention rule asks for no more than the kit's shortest retention, or every
    // staging log group would be non-compliant by construction.
    const retention = HIPAA_CONFIG_RULES.find((r) => r.identifier === 'CW_LOGGROUP_RETENTION_PERIOD_CHECK')!;
    expect(Number(retention.inputParameters!.MinRetentionTime)).toBeLessThanOrEqual(ENVIRONMENT_PRESETS.staging.logRetentionDays);
  });

  test.each(ENVIRONMENTS)('the %s vault lock is one AWS Backup accepts, and admits the services\' backup retention', (environment) => {
    const lock = VAULT_LOCK_PRESETS[environment];
    expect(lock.minRetentionDays).toBeGreaterThanOrEqual(VAULT_LOCK_LIMITS.minRetentionDays);
    expect(lock.maxRetentionDays).toBeLessThanOrEqual(VAULT_LOCK_LIMITS.maxRetentionDays);
    expect(lock.minRetentionDays).toBeLessThan(lock.maxRetentionDays);
    if (lock.changeableForDays !== undefined) expect(lock.changeableForDays).toBeGreaterThanOrEqual(VAULT_LOCK_LIMITS.minChangeableForDays);
    // A backup job whose retention is outside the lock's range fails at run time.
    const retention = ENVIRONMENT_PRESETS[environment].awsBackupRetentionDays;
    expect(retention).toBeGreaterThanOrEqual(lock.minRetentionDays);
    expect(retention).toBeLessThanOrEqual(lock.maxRetentionDays);
  });

  test('production locks in compliance mode, staging in governance mode', () => {
    expect(VAULT_LOCK_PRESETS.production.changeableForDays).toBeDefined();
    expect(VAULT_LOCK_PRESETS.staging.changeableForDays).toBeUndefined();
  });
});
