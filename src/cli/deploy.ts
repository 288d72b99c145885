import { Service } from '@aws-sdk/client-ecs';
import { DeployArgs } from './args';
import { CommandContext } from './context';
import { pickContainer, ServiceRef, shortRevision } from './ecs';
import { CliError, DeadlineExceededError, describeError, OperationFailedError, RollbackFailedError, UsageError } from './errors';
import { verifyHealth } from './health';
import { ImageRef, imageVersion, repositoryOf } from './image';
import { MigrationResult, runMigration } from './migration';
import { restoreRevision } from './rollback';
import { followRollout } from './rollout';
import { awaitEcsRollback, DeploymentSummary, EcsRollbackError, followNativeDeployment, NativeWatch, prepareNativeFollow } from './service-deployment';
import { Deadline } from './timing';

/**
 * `hardened-service deploy`:
 *
 * 1. validate everything first (service idle, container, image, parameter), change nothing;
 * 2. register a new task definition revision that differs only in the image;
 * 3. run the migration from that revision, if asked (a failure deregisters it and stops here);
 * 4. point the service at it and follow the rollout to COMPLETED (a canary, linear or blue/green
 *    service: its service deployment, through traffic steps and bakes, to SUCCESSFUL);
 * 5. check the health URL until it succeeds several times in a row, if given;
 * 6. write the tag to the stack's image-tag parameter, if given.
 *
 * A failure or timeout in steps 4-6 restores the previous revision (and parameter value),
 * waits until it is stable and deregisters the failed revision.
 */
export async function deploy(ctx: CommandContext, args: DeployArgs): Promise<void> {
  const { ecs, reporter } = ctx;
  const ref: ServiceRef = { cluster: args.cluster, service: args.service };
  const deadline = Deadline.after(args.timeoutSeconds);
  // Undoing must run to the end even when the command was interrupted.
  const cleanupDeadline = () => Deadline.after(args.rollbackTimeoutSeconds, { interruptible: false });

  const service = await ecs.describeService(ref, deadline);
  const previousArn = service.taskDefinition!;
  checkNotBusy(args, service);
  const previous = await ecs.describeTaskDefinition(previousArn, deadline);
  const container = pickContainer(previous.taskDefinition, args.container);
  const containerName = container.name!;
  const previousImage = container.image ?? '';
  let previousTag: string | undefined;
  if (args.imageTagParameter) {
    checkSameRepository(args.image, previousImage);
    previousTag = await ctx.parameters.read(args.imageTagParameter, deadline);
  }
  reporter.step('start', `deploying ${args.image.raw} to ${args.service} (cluster ${args.cluster}, container ${containerName}); it runs ${shortRevision(previousArn)} (${previousImage})`, {
    cluster: args.cluster,
    service: args.service,
    container: containerName,
    image: args.image.raw,
    previousTaskDefinition: previousArn,
    previousImage,
  });

  const next = await ecs.registerWithImage(previous, containerName, args.image.raw, deadline);
  const nextArn = next.taskDefinitionArn!;
  reporter.step('registered', `registered ${shortRevision(nextArn)} with ${args.image.raw}`, { taskDefinition: nextArn });

  let migration: MigrationResult | undefined;
  if (args.migrateCommand) {
    try {
      migration = await runMigration(ecs, {
        ref,
        service,
        revision: next,
        container: containerName,
        command: args.migrateCommand,
        deadline,
        cleanupDeadline,
        pollIntervalMs: args.pollIntervalMs,
        reporter,
      });
    } catch (err) {
      await discardRevision(ctx, nextArn, cleanupDeadline());
      throw err;
    }
    if (!migration.succeeded) {
      await discardRevision(ctx, nextArn, cleanupDeadline());
      throw new OperationFailedError(`${migration.reason}; the service still runs ${shortRevision(previousArn)}, unchanged`);
    }
  }

  // Read before the update (nothing to undo yet if it fails): the service deployments there are.
  let native: NativeWatch | undefined;
  try {
    native = await prepareNativeFollow(ecs, ref, service, deadline, reporter);
  } catch (err) {
    await discardRevision(ctx, nextArn, cleanupDeadline());
    throw err;
  }

  const version = imageVersion(args.image);
  let parameterWritten = false;
  let health: string | undefined;
  let deployment: DeploymentSummary | undefined;
  try {
    await ecs.updateService(ref, nextArn, deadline);
    reporter.step('service-updated', `updated service ${args.service} to ${shortRevision(nextArn)}${native ? ` (${native.strategy} deployment)` : ''}`, { taskDefinition: nextArn, strategy: native?.strategy ?? 'ROLLING' });
    const rollout = native
      ? await followNativeDeployment(ecs, ref, nextArn, native, { deadline, pollIntervalMs: args.pollIntervalMs, reporter })
      : await followRollout(ecs, ref, nextArn, { deadline, pollIntervalMs: args.pollIntervalMs, reporter, label: 'rollout' });
    deployment = 'summary' in rollout ? rollout.summary : undefined;
    if (!rollout.completed) {
      throw new OperationFailedError(rollout.reason);
    }
    reporter.step('rollout-completed', `rollout of ${shortRevision(nextArn)} completed${deployment ? ` (${deployment.strategy}: ${deployment.stages.map((s) => s.stage).filter((st, i, all) => all.indexOf(st) === i).join(' > ')})` : ''}`, { taskDefinition: nextArn, deployment });
    if (args.healthUrl) {
      const outcome = await verifyHealth(args.healthUrl, {
        successes: args.healthChecks,
        failures: args.healthFailures,
        intervalMs: args.pollIntervalMs,
        deadline,
        reporter,
        connectTo: args.connectTo,
      });
      if (!outcome.healthy) {
        throw new OperationFailedError(outcome.reason);
      }
      health = outcome.reason;
    }
    if (args.imageTagParameter) {
      parameterWritten = true;
      await ctx.parameters.write(args.imageTagParameter, version, deadline);
      reporter.step('parameter-updated', `${args.imageTagParameter}: ${previousTag} -> ${version}`, { name: args.imageTagParameter, previous: previousTag, value: version });
    }
  } catch (err) {
    throw await rollBack(ctx, args, err, {
      ref,
      previousArn,
      failedArn: nextArn,
      parameter: parameterWritten && args.imageTagParameter ? { name: args.imageTagParameter, value: previousTag! } : undefined,
      deadline: cleanupDeadline(),
    });
  }

  reporter.result(
    [
      `deployed ${args.image.raw} to ${args.service}: ${shortRevision(nextArn)} is stable (was ${shortRevision(previousArn)})`,
      ...(migration ? [`migration: ${migration.reason}${migration.logs ? ` (logs: ${migration.logs.tail})` : ''}`] : []),
      ...(health ? [`health: ${health}`] : []),
      ...(args.imageTagParameter ? [`${args.imageTagParameter} = ${version}: the next cdk deploy keeps this image`] : []),
    ],
    {
      cluster: args.cluster,
      service: args.service,
      container: containerName,
      image: args.image.raw,
      taskDefinition: nextArn,
      previousTaskDefinition: previousArn,
      deployment,
      migration,
      health,
      imageTagParameter: args.imageTagParameter ? { name: args.imageTagParameter, previous: previousTag, value: version } : undefined,
    },
  );
}

/**
 * A deploy on top of an unfinished one (someone else's, or ECS's own circuit-breaker
 * rollback) would take a revision that never became stable as the one to roll back to.
 */
function checkNotBusy(args: DeployArgs, service: Service): void {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const others = deployments.filter((d) => d !== primary && d.status !== 'INACTIVE');
  if (primary?.rolloutState === 'IN_PROGRESS' || others.length > 0) {
    throw new OperationFailedError(
      `service ${args.service} is busy: the deployment of ${shortRevision(primary?.taskDefinition)} is ${primary?.rolloutState ?? 'not finished'}` +
        `${others.length > 0 ? ` and ${others.map((d) => shortRevision(d.taskDefinition)).join(', ')} still has tasks` : ''}; ` +
        'nothing was changed: wait for it (hardened-service status) or roll it back (hardened-service rollback), then deploy again',
    );
  }
}

/**
 * With `--image-tag-parameter` only the tag is recorded, and the stack combines it with its own
 * repository: a different repository would make the stack and the service disagree.
 */
function checkSameRepository(image: ImageRef, currentImage: string): void {
  const current = repositoryOf(currentImage);
  if (image.repository !== current) {
    throw new UsageError(
      `--image "${image.raw}" is in repository ${image.repository}, but the service runs ${current}; the stack's image-tag parameter only holds a tag, so push the image to ${current} (or deploy without --image-tag-parameter)`,
    );
  }
}

interface RollbackPlan {
  readonly ref: ServiceRef;
  readonly previousArn: string;
  readonly failedArn: string;
  /** The parameter value to restore, when the deploy had written it. */
  readonly parameter?: { readonly name: string; readonly value: string };
  readonly deadline: Deadline;
}

/** Restores the previous revision after `cause`; returns the error the deploy ends with. */
async function rollBack(ctx: CommandContext, args: DeployArgs, cause: unknown, plan: RollbackPlan): Promise<CliError> {
  const reason = describeError(cause);
  const previous = shortRevision(plan.previousArn);
  const byEcs = cause instanceof EcsRollbackError;
  ctx.reporter.step('rolling-back', `${reason}; ${byEcs ? 'ECS is rolling back' : 'rolling back'} to ${previous}`, { reason, taskDefinition: plan.previousArn, byEcs });
  try {
    // ECS's own rollback puts the previous revision back; restoring it again would start
    // another deployment (and another bake). Only if the service does not run it afterwards
    // does the tool restore it itself.
    const restoredByEcs = byEcs && await restoredByEcsRollback(ctx, args, cause, plan);
    if (!restoredByEcs) {
      const outcome = await restoreRevision(ctx, plan.ref, plan.previousArn, { deadline: plan.deadline, pollIntervalMs: args.pollIntervalMs });
      if (!outcome.completed) {
        throw new Error(outcome.reason);
      }
    }
    if (plan.parameter) {
      await ctx.parameters.write(plan.parameter.name, plan.parameter.value, plan.deadline);
      ctx.reporter.step('parameter-restored', `${plan.parameter.name} restored to ${plan.parameter.value}`, { name: plan.parameter.name, value: plan.parameter.value });
    }
  } catch (err) {
    return new RollbackFailedError(
      `${reason}; then the rollback to ${previous} failed: ${describeError(err)}; the service needs attention: ` +
        `hardened-service status --cluster ${args.cluster} --service ${args.service}, then hardened-service rollback --cluster ${args.cluster} --service ${args.service} --to ${previous}`,
    );
  }
  await discardRevision(ctx, plan.failedArn, plan.deadline);
  ctx.reporter.step('rolled-back', `rolled back: ${previous} is stable again`, { taskDefinition: plan.previousArn });
  const message = `${reason}; rolled back to ${previous}, which is stable`;
  const error = cause instanceof DeadlineExceededError ? new DeadlineExceededError(message) : new OperationFailedError(message);
  error.details = cause instanceof CliError ? cause.details : undefined;
  return error;
}

/** Waits for ECS's rollback; true when it succeeded and the service runs the previous revision. */
async function restoredByEcsRollback(ctx: CommandContext, args: DeployArgs, cause: EcsRollbackError, plan: RollbackPlan): Promise<boolean> {
  const options = { deadline: plan.deadline, pollIntervalMs: args.pollIntervalMs, reporter: ctx.reporter };
  const succeeded = await awaitEcsRollback(ctx.ecs, cause.summary, plan.previousArn, options);
  if (!succeeded) {
    throw new Error(`ECS reports ROLLBACK_FAILED for ${cause.summary.serviceDeploymentArn}`);
  }
  const service = await ctx.ecs.describeService(plan.ref, plan.deadline);
  return service.taskDefinition === plan.previousArn;
}

/** Deregisters a revision that never served (or failed); a failure here is only a warning. */
async function discardRevision(ctx: CommandContext, arn: string, deadline: Deadline): Promise<void> {
  try {
    await ctx.ecs.deregister(arn, deadline);
    ctx.reporter.step('deregistered', `deregistered ${shortRevision(arn)}, so that no rollback picks it`, { taskDefinition: arn });
  } catch (err) {
    ctx.reporter.warn(`could not deregister ${shortRevision(arn)} (${describeError(err)}); deregister it by hand so that rollback does not pick it`, { taskDefinition: arn });
  }
}
