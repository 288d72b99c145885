import { Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NagPackProps, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ComplianceFramework, resolveComplianceFrameworks, validateComplianceFrameworks } from '../core/compliance-frameworks';

/** Options for `ComplianceChecks.enable`. */
export interface ComplianceChecksOptions {
  /**
   * Also write the acknowledged findings into the template metadata (cdk-nag's
   * `writeSuppressionsToCloudFormation`), for tools that read them there.
   * @default true
   */
  readonly writeSuppressionsToCloudFormation?: boolean;

  /**
   * The frameworks whose packs to register, some of `ComplianceFramework.ALL`. The packs check
   * every stack of the app, so every stack of one app must select the same frameworks.
   * @default ["AwsSolutions", "HIPAA.Security"]
   */
  readonly frameworks?: string[];
}

/** The cdk-nag pack of each framework. */
const PACKS: Record<string, new (scope: IConstruct, props: NagPackProps) => NagPack> = {
  [ComplianceFramework.AWS_SOLUTIONS]: AwsSolutionsChecks,
  [ComplianceFramework.HIPAA_SECURITY]: HIPAASecurityChecks,
  [ComplianceFramework.NIST_800_53_R5]: NIST80053R5Checks,
  [ComplianceFramework.PCI_DSS_321]: PCIDSS321Checks,
};

/**
 * Registers cdk-nag packs (by default AwsSolutions and HIPAA.Security; see
 * `ComplianceFramework`) as validation plugins on the app (or stage) that holds a construct. Synthesis then fails on any finding that is not
 * acknowledged, and writes every finding and acknowledgement to the cloud assembly's
 * `policy-validation-report.json`.
 */
export class ComplianceChecks {
  /** Pack names of the default frameworks as they appear in the validation report. */
  public static readonly PACK_NAMES = ['AwsSolutions', 'HIPAA.Security'];

  /** The pack names (as in the validation report and rule ids) of some frameworks. */
  public static packNames(frameworks: string[]): string[] {
    return resolveComplianceFrameworks(frameworks).map((f) => ComplianceFramework.ruleIdPrefix(f));
  }

  /**
   * Registers the frameworks' packs on the stage that holds `scope`. Calling it again for the
   * same stage (two stacks in one app) with the same frameworks registers nothing more; with
   * other frameworks it throws, since each pack checks every stack of the stage.
   */
  public static enable(scope: IConstruct, options: ComplianceChecksOptions = {}): void {
    const stage = Stage.of(scope);
    if (!stage) {
      throw new Error('ComplianceChecks.enable needs a construct inside an App or Stage');
    }
    const problems = validateComplianceFrameworks(options.frameworks, 'frameworks');
    if (problems.length > 0) throw new Error(`ComplianceChecks.enable: ${problems.join('; ')}`);
    const frameworks = resolveComplianceFrameworks(options.frameworks);
    const enabled = ENABLED_STAGES.get(stage);
    if (enabled) {
      if (enabled.join() !== frameworks.join()) {
        throw new Error(
          `complianceFrameworks ${JSON.stringify(frameworks)} of ${scope.node.path} differ from ${JSON.stringify(enabled)}, which another stack registered on this app: cdk-nag packs check every stack of an app, so give every stack of one app the same complianceFrameworks`,
        );
      }
      return;
    }
    const write = options.writeSuppressionsToCloudFormation ?? true;
    Validations.of(stage).addPlugins(...frameworks.map((f) => new PACKS[f](stage, { writeSuppressionsToCloudFormation: write })));
    ENABLED_STAGES.set(stage, frameworks);
  }

  /** The frameworks registered on the stage that holds `scope` (empty when none are). */
  public static frameworksOf(scope: IConstruct): string[] {
    const stage = Stage.of(scope);
    return stage ? [...(ENABLED_STAGES.get(stage) ?? [])] : [];
  }

  private constructor() {}
}

/** Stages that already carry packs, and the frameworks they carry. */
const ENABLED_STAGES = new WeakMap<Stage, string[]>();
