/**
 * The compliance frameworks whose cdk-nag packs can gate synthesis. The values are plain
 * strings so that they work as `projen new` flags, in `.projenrc.ts` and in every jsii
 * language; `ComplianceFramework` names them. The platform maps the same strings to the
 * Security Hub standards it enables.
 */
export class ComplianceFramework {
  /** cdk-nag's AWS Solutions pack (the AWS Well-Architected security checks). Default. */
  public static readonly AWS_SOLUTIONS = 'AwsSolutions';
  /** cdk-nag's HIPAA Security pack (45 CFR Part 164, Subpart C). Default. */
  public static readonly HIPAA_SECURITY = 'HIPAA.Security';
  /** cdk-nag's NIST 800-53 revision 5 pack. */
  public static readonly NIST_800_53_R5 = 'NIST.800-53.R5';
  /** cdk-nag's PCI DSS 3.2.1 pack. */
  public static readonly PCI_DSS_321 = 'PCI.DSS.321';

  /** Every framework, in the order packs are registered and docs list them. */
  public static readonly ALL: string[] = [
    ComplianceFramework.AWS_SOLUTIONS,
    ComplianceFramework.HIPAA_SECURITY,
    ComplianceFramework.NIST_800_53_R5,
    ComplianceFramework.PCI_DSS_321,
  ];

  /** The frameworks checked when none are chosen: AwsSolutions and HIPAA.Security. */
  public static readonly DEFAULTS: string[] = [ComplianceFramework.AWS_SOLUTIONS, ComplianceFramework.HIPAA_SECURITY];

  /**
   * The prefix of the rule ids the framework's cdk-nag pack reports (`<prefix>-<Rule>`), which
   * is also the pack's name in the validation report. The same as the framework's value except
   * for NIST, whose pack writes `NIST.800.53.R5`.
   */
  public static ruleIdPrefix(framework: string): string {
    return framework === ComplianceFramework.NIST_800_53_R5 ? 'NIST.800.53.R5' : framework;
  }

  /** The framework whose pack reports a rule id, if any (`NIST.800.53.R5-S3BucketLoggingEnabled` -> `NIST.800-53.R5`). */
  public static ofRuleId(ruleId: string): string | undefined {
    return ComplianceFramework.ALL.find((f) => ruleId.startsWith(`${ComplianceFramework.ruleIdPrefix(f)}-`));
  }

  private constructor() {}
}

/**
 * The frameworks `complianceFrameworks` selects, in `ComplianceFramework.ALL` order (so that the
 * same selection always registers and acknowledges in the same order); the defaults when unset.
 */
export function resolveComplianceFrameworks(frameworks?: string[]): string[] {
  if (frameworks === undefined) return [...ComplianceFramework.DEFAULTS];
  return ComplianceFramework.ALL.filter((f) => frameworks.includes(f));
}

/** Problems with a `complianceFrameworks` value, each naming the option, the value and the fix. */
export function validateComplianceFrameworks(frameworks: unknown, option = 'complianceFrameworks'): string[] {
  if (frameworks === undefined) return [];
  const allowed = ComplianceFramework.ALL.map((f) => `"${f}"`).join(', ');
  if (!Array.isArray(frameworks)) {
    return [`${option} ${JSON.stringify(frameworks)} must be a list of frameworks, some of ${allowed}`];
  }
  if (frameworks.length === 0) {
    return [
      `${option} [] selects no cdk-nag pack; list at least one of ${allowed} (to run no pack at all, set complianceChecks to false on the stack)`,
    ];
  }
  const problems: string[] = [];
  const seen = new Set<unknown>();
  for (const framework of frameworks) {
    if (typeof framework !== 'string' || !ComplianceFramework.ALL.includes(framework)) {
      problems.push(`${option} entry ${JSON.stringify(framework)} is not a known compliance framework; use some of ${allowed}`);
    } else if (seen.has(framework)) {
      problems.push(`${option} lists "${framework}" twice; list each framework once`);
    }
    seen.add(framework);
  }
  return problems;
}
