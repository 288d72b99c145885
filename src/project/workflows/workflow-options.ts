import { github } from 'projen';

/**
 * Options of the GitHub Actions workflows that `HardenedServiceProject` generates
 * (`test.yml`, `build.yml`, `deploy-staging.yml`, `deploy-production.yml`). projen's own
 * `workflowRunsOn` (runner labels) and `workflowNodeVersion` (Node.js of the infrastructure
 * jobs, default "24", the Node.js LTS line) apply to them too; a runner needs bash, git, the AWS CLI v2, jq and
 * Docker with Buildx, as GitHub's hosted Ubuntu runners have.
 */
export interface ServiceWorkflowsOptions {
  /**
   * Generate the four workflows. Without them the repository has no CI/CD; the scripts still
   * deploy by hand (`scripts/aws-deploy.sh`). Needs `github` (on by default).
   * @default true
   */
  readonly workflows?: boolean;

  /**
   * Steps appended to the app's test job in `test.yml`, after the app's own lint and tests and
   * before the coverage upload. They run in `app/` with PostgreSQL and Redis reachable through
   * the same `DB_*` and `REDIS_*` variables as the tests. Actions they use must be pinned to a
   * full commit SHA.
   * @default - none
   */
  readonly workflowExtraTestSteps?: github.workflows.JobStep[];

  /**
   * Steps appended to both deploy jobs (staging and production) after the image is rolled out
   * and verified, for example smoke tests or a notification. They see `DEPLOY_ENVIRONMENT`,
   * `IMAGE_TAG`, `IMAGE_DIGEST` and `SERVICE_URL` in their environment, and the environment's
   * AWS credentials. Actions they use must be pinned to a full commit SHA.
   * @default - none
   */
  readonly workflowExtraDeploySteps?: github.workflows.JobStep[];
}
