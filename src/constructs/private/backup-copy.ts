import { CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { PLATFORM_NO_BACKUP_COPY } from '../../core/platform-parameters';

/**
 * Copies every recovery point of a backup plan's first rule to the platform's second-region
 * vault, decided at deploy time: the platform publishes the vault's ARN, or
 * `PLATFORM_NO_BACKUP_COPY` when it has none, and a CloudFormation condition adds the copy
 * action only in the first case. Copies expire with the originals.
 */
export function addPlatformBackupCopy(plan: backup.BackupPlan, copyVaultArn: string, deleteAfterDays: number): void {
  const stack = Stack.of(plan);
  const existing = stack.node.tryFindChild('PlatformBackupCopy') as CfnCondition | undefined;
  const condition =
    existing ?? new CfnCondition(stack, 'PlatformBackupCopy', { expression: Fn.conditionNot(Fn.conditionEquals(copyVaultArn, PLATFORM_NO_BACKUP_COPY)) });
  const cfn = plan.node.defaultChild as backup.CfnBackupPlan;
  cfn.addPropertyOverride(
    'BackupPlan.BackupPlanRule.0.CopyActions',
    Fn.conditionIf(
      condition.logicalId,
      [{ DestinationBackupVaultArn: copyVaultArn, Lifecycle: { DeleteAfterDays: deleteAfterDays } }],
      Fn.ref('AWS::NoValue'),
    ),
  );
}
