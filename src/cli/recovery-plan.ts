import * as fs from 'fs';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  ListStacksCommand,
  StackSummary,
} from '@aws-sdk/client-cloudformation';
import { RecoveryPlanArgs } from './args';
import { AwsCaller } from './aws';
import { ExitCode, UsageError } from './errors';
import { Reporter } from './output';
import { Deadline } from './timing';
import { planRecovery } from '../core/stack-recovery';

/**
 * `hardened-service recovery-plan`: after `--stack-name` was deleted, finds its newest deleted
 * instance, reads the resources it had (CloudFormation keeps a deleted stack's resource list for
 * 90 days, retained ones with their physical ids), and writes the resource mapping that lets
 * `cdk import --resource-mapping` adopt every resource the new template retains. Exits 1 when
 * something stops the import, 2 when the stack still exists or was never deleted.
 */
export async function recoveryPlan(args: RecoveryPlanArgs, client: CloudFormationClient, caller: AwsCaller, reporter: Reporter): Promise<number> {
  const template = readTemplate(args.template);
  const deadline = Deadline.after(args.timeoutSeconds);
  const summaries: StackSummary[] = [];
  let token: string | undefined;
  do {
    const page = await caller.call('ListStacks', deadline, (abortSignal) =>
      client.send(new ListStacksCommand({ NextToken: token }), { abortSignal }));
    summaries.push(...(page.StackSummaries ?? []).filter((s) => s.StackName === args.stackName));
    token = page.NextToken;
  } while (token);
  const live = summaries.find((s) => s.StackStatus !== 'DELETE_COMPLETE');
  if (live) {
    throw new UsageError(`stack ${args.stackName} exists (${live.StackStatus}): nothing to recover; deploy it with cdk deploy`);
  }
  const deleted = summaries
    .filter((s) => s.StackStatus === 'DELETE_COMPLETE' && s.StackId)
    .sort((a, b) => (b.DeletionTime?.getTime() ?? 0) - (a.DeletionTime?.getTime() ?? 0))[0];
  if (!deleted) {
    throw new UsageError(`no deleted stack named ${args.stackName} in the last 90 days: deploy it with cdk deploy, or import retained resources by hand (cdk import)`);
  }
  const resources = await caller.call('DescribeStackResources', deadline, (abortSignal) =>
    client.send(new DescribeStackResourcesCommand({ StackName: deleted.StackId }), { abortSignal }));
  const plan = planRecovery(
    template,
    (resources.StackResources ?? []).map((r) => ({ logicalId: r.LogicalResourceId!, physicalId: r.PhysicalResourceId, type: r.ResourceType! })),
  );
  const mapping = JSON.stringify(plan.mapping, null, 2);
  if (args.out) fs.writeFileSync(args.out, `${mapping}\n`);
  const lines = [
    `deleted stack ${deleted.StackId} (${deleted.DeletionTime?.toISOString() ?? 'deletion time unknown'})`,
    ...Object.entries(plan.mapping).map(([id, key]) => `import ${id}: ${Object.entries(key).map(([k, v]) => `${k}=${v}`).join(' ')}`),
    ...plan.created.map((id) => `create ${id}: the deleted stack did not hold it`),
    ...plan.problems.map((p) => `problem: ${p}`),
    args.out
      ? `wrote the mapping to ${args.out}: npx cdk import ${args.stackName} --resource-mapping ${args.out}, then npx cdk deploy ${args.stackName}`
      : mapping,
  ];
  const data = { deletedStackId: deleted.StackId, mapping: plan.mapping, created: plan.created, problems: plan.problems };
  if (plan.problems.length > 0) {
    if (!reporter.json) reporter.result(lines, {});
    reporter.failure(`${plan.problems.length} retained resource(s) cannot be imported as planned`, ExitCode.FAILED, data);
    return ExitCode.FAILED;
  }
  reporter.result(lines, data);
  return ExitCode.OK;
}

function readTemplate(file: string): Parameters<typeof planRecovery>[0] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (err) {
    throw new UsageError(`--template ${file} cannot be read (${(err as Error).message}); synthesize first: npx cdk synth`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--template ${file} is not a JSON template; pass cdk.out/<stack>.template.json`);
  }
}
