import { MigrateArgs } from './args';
import { CommandContext } from './context';
import { pickContainer, ServiceRef, shortRevision } from './ecs';
import { describeError, OperationFailedError } from './errors';
import { runMigration } from './migration';
import { Deadline } from './timing';

/**
 * `hardened-service migrate`: one task from the service's task definition with `--image` and
 * `--command`, in the service's network. When the image differs from the running one, a
 * revision is registered for the run and deregistered after it: it never serves traffic.
 */
export async function migrate(ctx: CommandContext, args: MigrateArgs): Promise<void> {
  const { ecs, reporter } = ctx;
  const ref: ServiceRef = { cluster: args.cluster, service: args.service };
  const deadline = Deadline.after(args.timeoutSeconds);
  // Stopping a timed-out task gets its own short budget.
  const cleanupDeadline = () => Deadline.after(120, { interruptible: false });

  const service = await ecs.describeService(ref, deadline);
  const current = await ecs.describeTaskDefinition(service.taskDefinition!, deadline);
  const container = pickContainer(current.taskDefinition, args.container);
  const containerName = container.name!;

  let revision = current.taskDefinition;
  let temporary: string | undefined;
  if (container.image !== args.image.raw) {
    revision = await ecs.registerWithImage(current, containerName, args.image.raw, deadline);
    temporary = revision.taskDefinitionArn!;
    reporter.step('registered', `registered ${shortRevision(temporary)} with ${args.image.raw} for the migration only`, { taskDefinition: temporary });
  }

  let result;
  try {
    result = await runMigration(ecs, {
      ref,
      service,
      revision,
      container: containerName,
      command: args.migrateCommand,
      deadline,
      cleanupDeadline,
      pollIntervalMs: args.pollIntervalMs,
      reporter,
    });
  } finally {
    if (temporary) {
      const cleanup = cleanupDeadline();
      await ecs.deregister(temporary, cleanup).then(
        () => reporter.step('deregistered', `deregistered ${shortRevision(temporary)}`, { taskDefinition: temporary }),
        (err) => reporter.warn(`could not deregister ${shortRevision(temporary)} (${describeError(err)}); deregister it by hand so that rollback does not pick it`),
      );
    }
  }
  if (!result.succeeded) {
    throw new OperationFailedError(result.reason);
  }
  reporter.result([`migration succeeded: ${result.reason}${result.logs ? ` (logs: ${result.logs.tail})` : ''}`], {
    cluster: args.cluster,
    service: args.service,
    container: containerName,
    image: args.image.raw,
    taskArn: result.taskArn,
    exitCode: result.exitCode,
    logs: result.logs,
  });
}
