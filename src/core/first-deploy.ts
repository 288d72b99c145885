/**
 * The first deploy of a service stack, in one command (`hardened-service first-deploy`, which
 * `scripts/aws-deploy.sh -i` calls). A stack cannot become stable before its image exists, and
 * its image repository is one of the stack's own resources; so the stack is deployed twice:
 * first without tasks (the service's desired count and its scaling bounds 0), which creates the
 * repository, then, once the image is pushed, with them.
 */

/** CDK context key: `true` deploys the stack without tasks (the first deploy's first phase). */
export const FIRST_DEPLOY_CONTEXT = 'hardened-service:first-deploy';

/**
 * Stack output present only while a stack runs without tasks: `first-deploy` reads it to know
 * that the second phase is still to do; a stack without it is fully deployed.
 */
export const FIRST_DEPLOY_OUTPUT = 'FirstDeployPhase';

/** The value of `FIRST_DEPLOY_OUTPUT`. */
export const WITHOUT_TASKS = 'without-tasks';

/** The steps of a first deploy, in the order they run. */
export const FIRST_DEPLOY_STEPS = ['image-tag-parameter', 'stack-without-tasks', 'image', 'migration', 'stack-with-tasks', 'service-stable'] as const;

/** One of `FIRST_DEPLOY_STEPS`. */
export type FirstDeployStep = (typeof FIRST_DEPLOY_STEPS)[number];

/** True when the CDK context value asks for the first phase ("true" on the command line, or `true` in cdk.json). */
export function isFirstDeployPhase(contextValue: unknown): boolean {
  return contextValue === true || contextValue === 'true';
}
