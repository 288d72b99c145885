import { RevisionsArgs } from './args';
import { CommandContext } from './context';
import { familyOf, pickContainer, revisionOf, shortRevision } from './ecs';
import { Deadline } from './timing';

/** One line of the list. */
interface ListedRevision {
  readonly taskDefinition: string;
  readonly revision: number;
  readonly image: string;
  readonly registeredAt?: string;
  readonly running: boolean;
  readonly rollbackDefault: boolean;
}

/**
 * `hardened-service revisions`: the ACTIVE revisions of the service's task definition family,
 * newest first, each with the image of its container, which one runs, and which one `rollback`
 * without `--to` would pick. It reads only: this is how to choose `rollback --to`.
 */
export async function revisions(ctx: CommandContext, args: RevisionsArgs): Promise<void> {
  const { ecs, reporter } = ctx;
  const deadline = Deadline.after(args.timeoutSeconds);
  const service = await ecs.describeService({ cluster: args.cluster, service: args.service }, deadline);
  const currentArn = service.taskDefinition!;
  const family = familyOf(currentArn);
  const active = await ecs.listActiveRevisions(family, deadline);
  const current = revisionOf(currentArn);
  const rollbackDefault = active.filter((arn) => revisionOf(arn) < current).pop();
  const newestFirst = [...active].reverse().slice(0, args.limit);

  const listed: ListedRevision[] = [];
  for (const arn of newestFirst) {
    const { taskDefinition } = await ecs.describeTaskDefinition(arn, deadline);
    listed.push({
      taskDefinition: arn,
      revision: revisionOf(arn),
      image: pickContainer(taskDefinition, args.container).image ?? '',
      registeredAt: taskDefinition.registeredAt?.toISOString(),
      running: arn === currentArn,
      rollbackDefault: arn === rollbackDefault,
    });
  }
  const width = Math.max(...listed.map((r) => shortRevision(r.taskDefinition).length), 'revision'.length);
  const mark = (r: ListedRevision) => (r.running ? 'running' : r.rollbackDefault ? 'rollback default' : '');
  const lines = [
    `${'revision'.padEnd(width)}  ${'state'.padEnd(16)}  image`,
    ...listed.map((r) => `${shortRevision(r.taskDefinition).padEnd(width)}  ${mark(r).padEnd(16)}  ${r.image}`),
    active.length > listed.length ? `(${active.length - listed.length} older ACTIVE revisions not shown; --limit N shows more)` : '',
    `roll back to one with: hardened-service rollback --cluster ${args.cluster} --service ${args.service} --to REVISION`,
  ].filter((l) => l !== '');
  reporter.result(lines, {
    cluster: args.cluster,
    service: args.service,
    family,
    taskDefinition: currentArn,
    revisions: listed,
    total: active.length,
  });
}
