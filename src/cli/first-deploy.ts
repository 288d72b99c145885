import { FirstDeployArgs } from './args';
import { CommandContext } from './context';
import { pickContainer, ServiceRef, shortRevision } from './ecs';
import { OperationFailedError, UsageError } from './errors';
import { ImageRegistry, runExternal, StackReader, StackState } from './first-deploy-aws';
import { runMigration } from './migration';
import { OutputStream } from './output';
import { followRollout } from './rollout';
import { Deadline } from './timing';
import { FIRST_DEPLOY_CONTEXT, FIRST_DEPLOY_OUTPUT, FirstDeployStep } from '../core/first-deploy';

/** What `first-deploy` runs with besides the ECS and SSM operations. */
export interface FirstDeployContext extends CommandContext {
  readonly stacks: StackReader;
  readonly images: ImageRegistry;
  /** Where the output of the deploy and push commands goes (stderr). */
  readonly commandOutput: OutputStream;
  /** The environment the commands run in. */
  readonly env: Record<string, string | undefined>;
}

/** One step of the plan, as `--dry-run` prints it and `--json` reports it. */
export interface PlannedStep {
  readonly step: FirstDeployStep;
  /** What the step does (the command it runs, or the AWS call). */
  readonly action: string;
  /** True when the account already has what the step makes. */
  readonly done: boolean;
  readonly detail?: string;
}

/** What exists before the command changes anything. */
interface AccountState {
  readonly parameter?: string;
  readonly stack?: StackState;
  readonly imageDigest?: string;
}

const BUSY = /_IN_PROGRESS$/;
const USABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

/**
 * `hardened-service first-deploy`: from an empty account (after `cdk bootstrap`), in this order,
 * each step skipped when its result exists already:
 *
 * 1. create the image-tag parameter with `--tag` (the stack resolves it when it is created);
 * 2. deploy the stack without tasks (`--deploy-command` with `--context
 *    hardened-service:first-deploy=true`): repository, database, cluster, a service of 0 tasks;
 * 3. push the image (`--push-command`) and check that the repository has the tag;
 * 4. run the migration as a one-off task of the service's task definition (`--migrate-command`);
 * 5. deploy the stack again, with its tasks: CloudFormation waits until they are healthy;
 * 6. follow the service until its deployment is complete.
 *
 * Nobody races `cdk deploy`: the image exists before any task needs it. A stack without the
 * `FirstDeployPhase` output is fully deployed: then nothing is done ("nothing to do"). A run
 * that failed halfway resumes at the first step not done.
 */
export async function firstDeploy(ctx: FirstDeployContext, args: FirstDeployArgs): Promise<void> {
  const { reporter } = ctx;
  const deadline = Deadline.after(args.timeoutSeconds);
  const ref: ServiceRef = { cluster: args.cluster, service: args.service };
  const state = await readState(ctx, args, deadline);
  const base = { stackName: args.stackName, cluster: args.cluster, service: args.service, tag: args.tag, dryRun: args.dryRun };

  if (state.stack && !state.stack.outputs[FIRST_DEPLOY_OUTPUT]) {
    const service = await ctx.ecs.describeService(ref, deadline);
    reporter.result(
      [`nothing to do: stack ${args.stackName} is deployed (${state.stack.status}) and service ${args.service} runs ${shortRevision(service.taskDefinition)} ` +
        `(${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks); deploy new images with scripts/aws-deploy.sh`],
      { ...base, nothingToDo: true, stackStatus: state.stack.status, taskDefinition: service.taskDefinition },
    );
    return;
  }

  const plan = planSteps(args, state);
  if (args.dryRun) {
    reporter.result(
      [
        `first deploy of ${args.stackName} (cluster ${args.cluster}, service ${args.service}), image tag ${args.tag}:`,
        ...plan.map((p, i) => `  ${i + 1}. ${p.done ? '[done] ' : ''}${p.step}: ${p.action}${p.detail ? ` (${p.detail})` : ''}`),
        'dry run: nothing was changed',
      ],
      { ...base, nothingToDo: false, plan },
    );
    return;
  }

  const run = (argv: string[]) => runExternal(argv, ctx.env, ctx.commandOutput, deadline);
  for (const [i, p] of plan.entries()) {
    const label = `${i + 1}/${plan.length} ${p.step}`;
    if (p.done) {
      reporter.step('first-deploy-skipped', `${label}: done already${p.detail ? ` (${p.detail})` : ''}`, { step: p.step });
      continue;
    }
    reporter.step('first-deploy-step', `${label}: ${p.action}`, { step: p.step, action: p.action });
    try {
      await runStep(ctx, args, p.step, ref, deadline, run);
    } catch (err) {
      if (err instanceof OperationFailedError) {
        throw new OperationFailedError(`step ${label} failed: ${err.message}; the steps before it stay done, so run first-deploy again once fixed: it resumes here`);
      }
      throw err;
    }
  }
  const service = await ctx.ecs.describeService(ref, deadline);
  reporter.result(
    [`first deploy of ${args.stackName} done: service ${args.service} runs ${shortRevision(service.taskDefinition)} with ${args.repository}:${args.tag}; a second run has nothing to do`],
    { ...base, nothingToDo: false, plan, taskDefinition: service.taskDefinition },
  );
}

async function readState(ctx: FirstDeployContext, args: FirstDeployArgs, deadline: Deadline): Promise<AccountState> {
  const parameter = await ctx.parameters.find(args.imageTagParameter, deadline);
  if (parameter !== undefined && parameter !== args.tag) {
    throw new UsageError(
      `--tag "${args.tag}" differs from ${args.imageTagParameter}, which holds "${parameter}" already (the stack runs what the parameter says); pass --tag ${parameter}, or deploy ${args.tag} afterwards with scripts/aws-deploy.sh`,
    );
  }
  const stack = await ctx.stacks.find(args.stackName, deadline);
  if (stack && BUSY.test(stack.status)) {
    throw new OperationFailedError(`stack ${args.stackName} is ${stack.status}; nothing was changed: wait until CloudFormation has finished, then run first-deploy again`);
  }
  if (stack && !USABLE.has(stack.status)) {
    throw new OperationFailedError(
      `stack ${args.stackName} is ${stack.status} and cannot be updated; nothing was changed: read why with aws cloudformation describe-stack-events --stack-name ${args.stackName}, ` +
        `delete it (aws cloudformation delete-stack --stack-name ${args.stackName}), then run first-deploy again`,
    );
  }
  const imageDigest = stack ? await ctx.images.digest(args.repository, args.tag, deadline) : undefined;
  return { parameter, stack, imageDigest };
}

/** The six steps in order, each marked done when the account has its result already. */
export function planSteps(args: FirstDeployArgs, state: AccountState): PlannedStep[] {
  const deploy = args.deployCommand.join(' ');
  const steps: PlannedStep[] = [
    {
      step: 'image-tag-parameter',
      action: `create the SSM parameter ${args.imageTagParameter} = ${args.tag}`,
      done: state.parameter !== undefined,
      detail: state.parameter !== undefined ? `it holds ${state.parameter}` : 'the stack resolves it when it is created',
    },
    {
      step: 'stack-without-tasks',
      action: `${deploy} --context ${FIRST_DEPLOY_CONTEXT}=true`,
      done: state.stack !== undefined,
      detail: state.stack ? `stack ${args.stackName} is ${state.stack.status}` : `creates the repository ${args.repository} and a service of 0 tasks`,
    },
    {
      step: 'image',
      action: args.pushCommand.join(' '),
      done: state.imageDigest !== undefined,
      detail: state.imageDigest ? `${args.repository}:${args.tag} is ${state.imageDigest}` : `pushes ${args.repository}:${args.tag}`,
    },
  ];
  if (args.migrateCommand) {
    steps.push({ step: 'migration', action: `run "${args.migrateCommand.join(' ')}" as a one-off task of ${args.service}'s task definition`, done: false, detail: 'before any task serves' });
  }
  steps.push(
    { step: 'stack-with-tasks', action: deploy, done: false, detail: 'CloudFormation starts the tasks and waits until they are healthy' },
    { step: 'service-stable', action: `follow ${args.service} until its deployment is complete`, done: false },
  );
  return steps;
}

async function runStep(
  ctx: FirstDeployContext,
  args: FirstDeployArgs,
  step: FirstDeployStep,
  ref: ServiceRef,
  deadline: Deadline,
  run: (argv: string[]) => Promise<void>,
): Promise<void> {
  switch (step) {
    case 'image-tag-parameter':
      await ctx.parameters.create(args.imageTagParameter, args.tag, deadline);
      return;
    case 'stack-without-tasks':
      await run([...args.deployCommand, '--context', `${FIRST_DEPLOY_CONTEXT}=true`]);
      return;
    case 'image': {
      // The repository is the stack's: it exists only now, and may have the tag from a run cut short.
      if (!await ctx.images.digest(args.repository, args.tag, deadline)) {
        await run(args.pushCommand);
      }
      const digest = await ctx.images.digest(args.repository, args.tag, deadline);
      if (!digest) {
        throw new OperationFailedError(`${args.pushCommand.join(' ')} exited 0 but ${args.repository} has no image ${args.tag}; push that tag to that repository`);
      }
      ctx.reporter.step('first-deploy-image', `${args.repository}:${args.tag} is ${digest}`, { repository: args.repository, tag: args.tag, digest });
      return;
    }
    case 'migration':
      await migrateFirst(ctx, args, ref, deadline);
      return;
    case 'stack-with-tasks':
      await run(args.deployCommand);
      return;
    case 'service-stable': {
      const service = await ctx.ecs.describeService(ref, deadline);
      const outcome = await followRollout(ctx.ecs, ref, service.taskDefinition!, { deadline, pollIntervalMs: args.pollIntervalMs, reporter: ctx.reporter, label: 'rollout' });
      if (!outcome.completed) throw new OperationFailedError(outcome.reason);
      return;
    }
  }
}

/** The migration, on the task definition the stack made (it runs the pushed tag). */
async function migrateFirst(ctx: FirstDeployContext, args: FirstDeployArgs, ref: ServiceRef, deadline: Deadline): Promise<void> {
  const service = await ctx.ecs.describeService(ref, deadline);
  const revision = await ctx.ecs.describeTaskDefinition(service.taskDefinition!, deadline);
  const container = pickContainer(revision.taskDefinition, args.container).name!;
  const result = await runMigration(ctx.ecs, {
    ref,
    service,
    revision: revision.taskDefinition,
    container,
    command: args.migrateCommand!,
    deadline,
    cleanupDeadline: () => Deadline.after(120, { interruptible: false }),
    pollIntervalMs: args.pollIntervalMs,
    reporter: ctx.reporter,
  });
  if (!result.succeeded) {
    throw new OperationFailedError(`${result.reason}; the service still runs no task`);
  }
}
