import { StatusArgs } from './args';
import { CommandContext } from './context';
import { pickContainer, shortRevision } from './ecs';
import { ExitCode, ExitCodeValue } from './errors';
import { versionOf } from './image';
import { Deadline } from './timing';

/**
 * `hardened-service status`: the service, its deployments and recent events; with
 * `--image-tag-parameter`, whether the stack's parameter names the image that runs (if not,
 * the next `cdk deploy` would change the image). Resolves to `NEEDS_ATTENTION` on that drift
 * or when a deployment's rollout FAILED, so that scripts and CI can act on it; else `OK`.
 */
export async function status(ctx: CommandContext, args: StatusArgs): Promise<ExitCodeValue> {
  const { ecs, reporter } = ctx;
  const deadline = Deadline.after(args.timeoutSeconds);
  const service = await ecs.describeService({ cluster: args.cluster, service: args.service }, deadline);
  const { taskDefinition } = await ecs.describeTaskDefinition(service.taskDefinition!, deadline);
  const container = pickContainer(taskDefinition, args.container);
  const image = container.image ?? '';

  let parameter: { name: string; value: string; inSync: boolean } | undefined;
  if (args.imageTagParameter) {
    const value = await ctx.parameters.read(args.imageTagParameter, deadline);
    parameter = { name: args.imageTagParameter, value, inSync: versionOf(image) === value };
  }

  const deployments = (service.deployments ?? []).map((d) => ({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    desired: d.desiredCount,
    running: d.runningCount,
    pending: d.pendingCount,
    failedTasks: d.failedTasks,
    createdAt: d.createdAt?.toISOString(),
    updatedAt: d.updatedAt?.toISOString(),
  }));
  const events = (service.events ?? []).slice(0, 5).map((e) => ({ createdAt: e.createdAt?.toISOString(), message: e.message }));

  const lines = [
    `service     ${service.serviceName} in cluster ${args.cluster}: ${service.status}`,
    `revision    ${shortRevision(service.taskDefinition)}, container ${container.name}: ${image}`,
    `tasks       running ${service.runningCount ?? 0}/${service.desiredCount ?? 0}, pending ${service.pendingCount ?? 0}`,
    'deployments',
    ...deployments.map((d) =>
      `  ${(d.status ?? '').padEnd(8)} ${shortRevision(d.taskDefinition)}  ${d.rolloutState ?? '-'}  running ${d.running ?? 0}/${d.desired ?? 0}, pending ${d.pending ?? 0}` +
        `${d.failedTasks ? `, failed ${d.failedTasks}` : ''}${d.rolloutStateReason ? `  (${d.rolloutStateReason})` : ''}`),
  ];
  if (parameter) {
    lines.push(parameter.inSync
      ? `parameter   ${parameter.name} = ${parameter.value}: matches the running image`
      : `parameter   ${parameter.name} = ${parameter.value}: DIFFERS from the running image (${versionOf(image) ?? 'untagged'}); the next cdk deploy would change the image`);
  }
  if (events.length > 0) {
    lines.push('events', ...events.map((e) => `  ${e.createdAt ?? ''}  ${e.message ?? ''}`));
  }
  const attention = [
    ...(parameter && !parameter.inSync ? [`${parameter.name} = ${parameter.value} differs from the running image (${versionOf(image) ?? 'untagged'})`] : []),
    ...deployments.filter((d) => d.rolloutState === 'FAILED').map((d) => `the rollout of ${shortRevision(d.taskDefinition)} FAILED${d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''}`),
  ];
  if (attention.length > 0) {
    lines.push(`attention   ${attention.join('; ')} (exit code ${ExitCode.NEEDS_ATTENTION})`);
  }
  reporter.result(lines, {
    ok: attention.length === 0,
    attention,
    cluster: args.cluster,
    service: service.serviceName,
    status: service.status,
    taskDefinition: service.taskDefinition,
    container: container.name,
    image,
    desired: service.desiredCount,
    running: service.runningCount,
    pending: service.pendingCount,
    deployments,
    imageTagParameter: parameter,
    events,
  });
  return attention.length > 0 ? ExitCode.NEEDS_ATTENTION : ExitCode.OK;
}
