import { github } from 'projen';
import { ACTION_PINS, uses } from './workflow-actions';
import { IMAGE_RECORD, MAIN_BRANCH, newWorkflow, READ, WORKFLOW_TIMEOUTS, WorkflowContext, WRITE } from './workflow-context';
import { awsCredentialsStep, checkoutStep, expr, publishRoleVariable, requireVariableStep, scanCheckStep, shellScript } from './workflow-steps';
import { TASK_PLATFORM } from '../../core/defaults';
import { EnvironmentModel } from '../service-model';

type JobStep = github.workflows.JobStep;

/**
 * `build.yml`, on pushes to `main`: the tests, then the image, built once with a layer cache,
 * tagged with the commit SHA, pushed to staging's ECR repository only, scanned (fails on
 * CRITICAL findings), its digest recorded as a job output and an artifact.
 */
export function buildWorkflow(gh: github.GitHub, ctx: WorkflowContext, test: github.GithubWorkflow): github.GithubWorkflow {
  const model = ctx.model;
  const workflow = newWorkflow(gh, 'build', `build-${expr('github.ref')}`);
  workflow.on({ push: { branches: [MAIN_BRANCH] } });

  // Only staging's repository: production receives an image once staging verified it
  // (deploy-staging.yml's promote job), so staging never waits for production to exist.
  const published = [model.staging];
  const registryStep = (e: EnvironmentModel) => `registry-${e.environment}`;
  const scanStep = (e: EnvironmentModel) => `scan-${e.environment}`;
  const imageName = (e: EnvironmentModel) =>
    `${expr(`steps.${registryStep(e)}.outputs.registry`)}/${e.settings.names.repositoryName}:${expr('github.sha')}`;
  const publishCredentials = (e: EnvironmentModel): JobStep =>
    awsCredentialsStep(model, publishRoleVariable(e.environment), `${model.serviceName}-build`, `Assume the ${e.environment} publish role`);

  const steps: JobStep[] = [
    checkoutStep(),
    { name: 'Name the image after the commit', id: 'tag', env: { IMAGE_TAG: expr('github.sha') }, run: 'echo "tag=$IMAGE_TAG" >> "$GITHUB_OUTPUT"' },
    { name: 'Set up Docker Buildx', uses: uses(ACTION_PINS.setupBuildx) },
  ];
  for (const e of published) {
    steps.push(
      requireVariableStep(
        publishRoleVariable(e.environment),
        'in the repository (Settings > Secrets and variables > Actions > Variables)',
        `Set it to the PublishRoleArn output of the stack ${e.settings.names.stackName}.`,
      ),
      publishCredentials(e),
      {
        name: `Log in to the ${e.environment} registry`,
        id: registryStep(e),
        env: { REPOSITORY: e.settings.names.repositoryName, IMAGE_TAG: expr('github.sha') },
        run: shellScript('registry-login', { authfile: undefined, findExisting: 'pushed' }),
      },
    );
  }
  // A re-run of a build whose image is already in every repository (say, after a scan timed
  // out) scans that image again instead of failing to overwrite an immutable tag.
  steps.push({
    name: 'Check for an image pushed by an earlier run',
    id: 'pushed',
    env: Object.fromEntries(
      published.map((e) => [`EXISTING_${e.environment.toUpperCase()}`, expr(`steps.${registryStep(e)}.outputs.existing`)]),
    ),
    run: shellScript('pushed-check', {
      existingDigests: published.map((e) => `"$EXISTING_${e.environment.toUpperCase()}"`).join(' '),
    }),
  });
  steps.push({
    name: 'Build and push the image',
    id: 'build',
    if: "steps.pushed.outputs.push == 'true'",
    uses: uses(ACTION_PINS.buildPush),
    with: {
      'context': '.',
      'file': 'Dockerfile',
      'platforms': TASK_PLATFORM.imagePlatform,
      'push': true,
      'tags': published.map(imageName).join('\n'),
      'build-args': `REVISION=${expr('github.sha')}`,
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max',
      // One image manifest per tag: ECR scans image manifests, and an attestation index
      // would leave the tag without a scan result to wait for.
      'provenance': false,
      'sbom': false,
    },
  });
  steps.push({
    name: 'Name the image digest',
    id: 'digest',
    env: { BUILT: expr('steps.build.outputs.digest'), PUSHED_BEFORE: expr('steps.pushed.outputs.digest') },
    run: 'echo "digest=${BUILT:-$PUSHED_BEFORE}" >> "$GITHUB_OUTPUT"',
  });
  // The credentials of the last publish role are still set: scan that repository first.
  for (const [index, e] of [...published].reverse().entries()) {
    if (index > 0) steps.push(publishCredentials(e));
    steps.push(
      scanCheckStep(`Wait for the ${e.environment} scan and fail on CRITICAL findings`, scanStep(e), {
        REPOSITORY: e.settings.names.repositoryName,
        IMAGE_TAG: expr('github.sha'),
        EXPECTED_DIGEST: expr('steps.digest.outputs.digest'),
      }),
    );
  }
  steps.push(
    {
      name: 'Record the image',
      env: {
        IMAGE_TAG: expr('github.sha'),
        IMAGE_DIGEST: expr('steps.digest.outputs.digest'),
        IMAGES: published.map(imageName).join(' '),
      },
      run: shellScript('record-image', { record: IMAGE_RECORD }),
    },
    {
      name: 'Upload the image record',
      uses: uses(ACTION_PINS.uploadArtifact),
      with: {
        'name': IMAGE_RECORD,
        'path': `${expr('runner.temp')}/${IMAGE_RECORD}/${IMAGE_RECORD}.json`,
        'if-no-files-found': 'error',
        'retention-days': 90,
      },
    },
  );

  workflow.addJobs({
    test: {
      name: 'Test',
      uses: `./${test.file?.path ?? '.github/workflows/test.yml'}`,
      permissions: { contents: READ },
    },
    image: {
      name: 'Build, push and scan the image',
      needs: ['test'],
      runsOn: ctx.runsOn,
      permissions: { contents: READ, idToken: WRITE },
      timeoutMinutes: WORKFLOW_TIMEOUTS.build,
      env: { AWS_REGION: model.region },
      outputs: {
        'image-tag': { stepId: 'tag', outputName: 'tag' },
        'image-digest': { stepId: 'digest', outputName: 'digest' },
      },
      steps,
    },
  });
  return workflow;
}
