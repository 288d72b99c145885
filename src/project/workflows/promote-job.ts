import { github } from 'projen';
import { READ, WORKFLOW_TIMEOUTS, WorkflowContext, WRITE } from './workflow-context';
import { awsCredentialsStep, expr, publishRoleVariable, scanCheckStep, shellScript } from './workflow-steps';
import { EnvironmentModel } from '../service-model';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;

/**
 * After a verified staging deploy, copies exactly that image (by digest, `skopeo copy
 * --preserve-digests`) from staging's repository to production's, which is all
 * deploy-production.yml accepts. No GitHub environment: its OIDC subject is the main
 * branch's ref, which the publish roles trust. Skipped while the production publish role's
 * variable is unset, so staging runs on its own until production exists.
 */
export function promoteJob(ctx: WorkflowContext, from: EnvironmentModel, to: EnvironmentModel): Job {
  const model = ctx.model;
  const sourceVariable = publishRoleVariable(from.environment);
  const targetVariable = publishRoleVariable(to.environment);
  const login = (name: string, id: string, authfile: string, repository: string, findExisting?: string): JobStep => ({
    name,
    id,
    env: { REPOSITORY: repository },
    run: shellScript('registry-login', { authfile, findExisting }),
  });
  return {
    name: `Promote the verified image to ${to.environment}'s repository`,
    needs: ['deploy'],
    if: `vars.${targetVariable} != ''`,
    runsOn: ctx.runsOn,
    permissions: { contents: READ, idToken: WRITE },
    timeoutMinutes: WORKFLOW_TIMEOUTS.promote,
    env: {
      AWS_REGION: model.region,
      IMAGE_TAG: expr('needs.deploy.outputs.image-tag'),
      IMAGE_DIGEST: expr('needs.deploy.outputs.image-digest'),
    },
    steps: [
      awsCredentialsStep(model, sourceVariable, `${model.serviceName}-promote`, `Assume the ${from.environment} publish role`),
      login(`Log in to the ${from.environment} registry`, 'source', 'source-auth.json', from.settings.names.repositoryName),
      awsCredentialsStep(model, targetVariable, `${model.serviceName}-promote`, `Assume the ${to.environment} publish role`),
      login(`Log in to the ${to.environment} registry`, 'target', 'target-auth.json', to.settings.names.repositoryName, 'copied'),
      {
        name: 'Copy the image by digest',
        id: 'copy',
        env: {
          SOURCE: `${expr('steps.source.outputs.registry')}/${from.settings.names.repositoryName}`,
          TARGET: `${expr('steps.target.outputs.registry')}/${to.settings.names.repositoryName}`,
          EXISTING: expr('steps.target.outputs.existing'),
        },
        run: shellScript('copy-image', {}),
      },
      scanCheckStep(`Wait for the ${to.environment} scan and fail on CRITICAL findings`, 'scan', {
        REPOSITORY: to.settings.names.repositoryName,
        EXPECTED_DIGEST: expr('env.IMAGE_DIGEST'),
      }),
      {
        name: 'Summarize the promotion',
        run: shellScript('summarize-promotion', { environment: to.environment, repository: to.settings.names.repositoryName }),
      },
      {
        name: 'Remove the registry logins',
        if: 'always()',
        run: 'rm -f "$RUNNER_TEMP/source-auth.json" "$RUNNER_TEMP/target-auth.json"',
      },
    ],
  };
}
