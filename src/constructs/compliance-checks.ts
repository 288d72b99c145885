import { Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** Options for `ComplianceChecks.enable`. */
export interface ComplianceChecksOptions {
  /**
   * Also write the acknowledged findings into the template metadata (cdk-nag's
   * `writeSuppressionsToCloudFormation`), for tools that read them there.
   * @default true
   */
  readonly writeSuppressionsToCloudFormation?: boolean;
}

/**
 * Registers the AwsSolutions and HIPAA.Security cdk-nag packs as validation plugins on the
 * app (or stage) that holds a construct. Synthesis then fails on any finding that is not
 * acknowledged, and writes every finding and acknowledgement to the cloud assembly's
 * `policy-validation-report.json`.
 */
export class ComplianceChecks {
  /** Pack names as they appear in the validation report. */
  public static readonly PACK_NAMES = ['AwsSolutions', 'HIPAA.Security'];

  /**
   * Registers both packs on the stage that holds `scope`. Calling it again for the same
   * stage (two stacks in one app) registers nothing more.
   */
  public static enable(scope: IConstruct, options: ComplianceChecksOptions = {}): void {
    const stage = Stage.of(scope);
    if (!stage) {
      throw new Error('ComplianceChecks.enable needs a construct inside an App or Stage');
    }
    if (ENABLED_STAGES.has(stage)) {
      return;
    }
    const write = options.writeSuppressionsToCloudFormation ?? true;
    Validations.of(stage).addPlugins(
      new AwsSolutionsChecks(stage, { writeSuppressionsToCloudFormation: write }),
      new HIPAASecurityChecks(stage, { writeSuppressionsToCloudFormation: write }),
    );
    ENABLED_STAGES.add(stage);
  }

  private constructor() {}
}

/** Stages that already carry the packs. */
const ENABLED_STAGES = new WeakSet<Stage>();
