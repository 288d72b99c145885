import { RollbackArgs } from './args';
import { CommandContext } from './context';
import { familyOf, pickContainer, revisionOf, ServiceRef, shortRevision } from './ecs';
import { RollbackFailedError, UsageError } from './errors';
import { repositoryOf, versionOf } from './image';
import { followRollout, RolloutOutcome } from './rollout';
import { Deadline } from './timing';

/**
 * Points the service at `targetArn` and waits until that deployment is complete. Used by the
 * `rollback` command and by `deploy` when a rollout or verification fails.
 */
export async function restoreRevision(
  ctx: CommandContext,
  ref: ServiceRef,
  targetArn: string,
  options: { deadline: Deadline; pollIntervalMs: number },
): Promise<RolloutOutcome> {
  await ctx.ecs.updateService(ref, targetArn, options.deadline);
  ctx.reporter.step('service-updated', `updated service ${ref.service} to ${shortRevision(targetArn)}`, { taskDefinition: targetArn });
  return followRollout(ctx.ecs, ref, targetArn, { ...options, reporter: ctx.reporter, label: 'rollback' });
}

/** `hardened-service rollback`: back to `--to`, or to the newest ACTIVE revision older than the current one. */
export async function rollback(ctx: CommandContext, args: RollbackArgs): Promise<void> {
  const { ecs, reporter } = ctx;
  const ref: ServiceRef = { cluster: args.cluster, service: args.service };
  const deadline = Deadline.after(args.timeoutSeconds);

  const service = await ecs.describeService(ref, deadline);
  const currentArn = service.taskDefinition!;
  const family = familyOf(currentArn);
  const targetArn = args.to !== undefined
    ? (await ecs.describeTaskDefinition(qualify(args.to, family), deadline, '--to')).taskDefinition.taskDefinitionArn!
    : await previousRevision(ctx, family, currentArn, deadline);
  if (familyOf(targetArn) !== family) {
    throw new UsageError(`--to "${args.to}" is in family ${familyOf(targetArn)}, but the service runs family ${family}; pass a revision of ${family}`);
  }

  let tag: string | undefined;
  let previousTag: string | undefined;
  if (args.imageTagParameter) {
    const [target, current] = await Promise.all([
      ecs.describeTaskDefinition(targetArn, deadline),
      ecs.describeTaskDefinition(currentArn, deadline),
    ]);
    const targetImage = pickContainer(target.taskDefinition, args.container).image ?? '';
    const currentImage = pickContainer(current.taskDefinition, args.container).image ?? '';
    tag = versionOf(targetImage);
    if (!tag) {
      throw new UsageError(`${shortRevision(targetArn)} runs ${targetImage}, which has no tag to write to --image-tag-parameter; roll back without the parameter or pick another revision with --to`);
    }
    if (repositoryOf(targetImage) !== repositoryOf(currentImage)) {
      throw new UsageError(`${shortRevision(targetArn)} runs an image from ${repositoryOf(targetImage)}, not ${repositoryOf(currentImage)}; the stack's image-tag parameter only holds a tag, so roll back without --image-tag-parameter`);
    }
    previousTag = await ctx.parameters.read(args.imageTagParameter, deadline);
  }

  reporter.step('start', `rolling back ${args.service} (cluster ${args.cluster}) from ${shortRevision(currentArn)} to ${shortRevision(targetArn)}`, {
    cluster: args.cluster,
    service: args.service,
    from: currentArn,
    to: targetArn,
  });
  const outcome = await restoreRevision(ctx, ref, targetArn, { deadline, pollIntervalMs: args.pollIntervalMs });
  if (!outcome.completed) {
    throw new RollbackFailedError(
      `${outcome.reason}; the service needs attention: see hardened-service status --cluster ${args.cluster} --service ${args.service}`,
    );
  }
  if (args.imageTagParameter && tag !== undefined) {
    await ctx.parameters.write(args.imageTagParameter, tag, deadline);
    reporter.step('parameter-updated', `${args.imageTagParameter}: ${previousTag} -> ${tag}`, { name: args.imageTagParameter, previous: previousTag, value: tag });
  }
  reporter.result([`rolled back ${args.service} to ${shortRevision(targetArn)}; it is stable`], {
    cluster: args.cluster,
    service: args.service,
    taskDefinition: targetArn,
    previousTaskDefinition: currentArn,
    imageTagParameter: args.imageTagParameter ? { name: args.imageTagParameter, previous: previousTag, value: tag } : undefined,
  });
}

/** `7` -> `family:7`; `family:7` and ARNs as they are. */
function qualify(to: string, family: string): string {
  return /^[0-9]+$/.test(to) ? `${family}:${to}` : to;
}

async function previousRevision(ctx: CommandContext, family: string, currentArn: string, deadline: Deadline): Promise<string> {
  const current = revisionOf(currentArn);
  const older = (await ctx.ecs.listActiveRevisions(family, deadline)).filter((arn) => revisionOf(arn) < current);
  const target = older.pop();
  if (!target) {
    throw new UsageError(`the service runs ${shortRevision(currentArn)} and family ${family} has no older ACTIVE revision; pass --to REVISION (hardened-service revisions lists them)`);
  }
  return target;
}
