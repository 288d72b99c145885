import { github } from 'projen';
import { promoteJob } from './promote-job';
import { ACTION_PINS, uses } from './workflow-actions';
import { IMAGE_RECORD, MAIN_BRANCH, newWorkflow, READ, WORKFLOW_TIMEOUTS, WorkflowContext, WRITE } from './workflow-context';
import {
  awsCredentialsStep,
  checkoutStep,
  defaultHealthUrl,
  DEPLOY_ROLE_VARIABLE,
  expr,
  HEALTH_URL_VARIABLE,
  nodeSetupSteps,
  requireVariableStep,
  scanCheckStep,
  script,
  shellScript,
} from './workflow-steps';
import { DEPLOY_TOOL } from '../files/kit-package';
import { EnvironmentModel } from '../service-model';

type JobStep = github.workflows.JobStep;

/**
 * `deploy-<environment>.yml`: staging's after a successful build of `main` (then its `promote`
 * job), production's by hand with a promoted image, each in its GitHub environment. Both
 * deploy the stack only when its template differs from the deployed one, then call
 * `scripts/aws-deploy.sh` (tag the image as deployed, migrate, roll out, verify health
 * through the load balancer, roll back on failure).
 */
export function deployWorkflow(
  gh: github.GitHub,
  ctx: WorkflowContext,
  env: EnvironmentModel,
  build: github.GithubWorkflow,
): github.GithubWorkflow {
  const model = ctx.model;
  const names = env.settings.names;
  const environment = env.environment;
  const automatic = !env.settings.isProduction;
  const workflow = newWorkflow(gh, `deploy-${environment}`, `deploy-${environment}`);

  // First, before anything is downloaded or deployed: a deploy whose verification cannot pass
  // would only roll back after every rollout.
  const steps: JobStep[] = [healthUrlStep(env), branchPolicyStep(env)];
  if (automatic) {
    workflow.on({ workflowRun: { workflows: [build.name], types: ['completed'], branches: [MAIN_BRANCH] } });
    steps.push(
      {
        name: 'Download the image record of the build',
        uses: uses(ACTION_PINS.downloadArtifact),
        with: {
          'name': IMAGE_RECORD,
          'path': `${expr('runner.temp')}/${IMAGE_RECORD}`,
          'run-id': expr('github.event.workflow_run.id'),
          'github-token': expr('github.token'),
        },
      },
      {
        name: 'Read the image record',
        id: 'image',
        env: { HEAD_SHA: expr('github.event.workflow_run.head_sha') },
        run: shellScript('read-image-record', { record: IMAGE_RECORD }),
      },
      requireVariableStep(DEPLOY_ROLE_VARIABLE, `in the GitHub environment ${environment}`, `Set it to the DeployRoleArn output of the stack ${names.stackName}.`),
      awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, `${model.serviceName}-deploy-${environment}`, `Assume the ${environment} deploy role`),
    );
  } else {
    workflow.on({
      workflowDispatch: {
        inputs: {
          image: {
            description: 'Image to deploy, as verified in staging and promoted: the commit SHA it is tagged with, or its digest (sha256:...)',
            required: true,
            type: 'string',
          },
        },
      },
    });
    steps.push(
      requireVariableStep(DEPLOY_ROLE_VARIABLE, `in the GitHub environment ${environment}`, `Set it to the DeployRoleArn output of the stack ${names.stackName}.`),
      awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, `${model.serviceName}-deploy-${environment}`, `Assume the ${environment} deploy role`),
      {
        name: 'Find the image',
        id: 'image',
        env: { IMAGE: expr('inputs.image'), REPOSITORY: names.repositoryName },
        run: shellScript('find-image', {}),
      },
    );
  }

  steps.push(
    scanCheckStep('Check the image scan', 'scan', {
      REPOSITORY: names.repositoryName,
      IMAGE_TAG: expr('steps.image.outputs.tag'),
      EXPECTED_DIGEST: expr('steps.image.outputs.digest'),
    }),
    {
      name: 'Share the image with later steps',
      env: { TAG: expr('steps.image.outputs.tag'), DIGEST: expr('steps.image.outputs.digest') },
      run: script('echo "IMAGE_TAG=$TAG" >> "$GITHUB_ENV"', 'echo "IMAGE_DIGEST=$DIGEST" >> "$GITHUB_ENV"'),
    },
    // The infrastructure and the scripts of the image's own commit.
    checkoutStep(expr('steps.image.outputs.tag')),
    ...nodeSetupSteps(ctx.nodeVersion, ctx.installCommand),
    infrastructureStep(),
    // Role sessions last an hour: a fresh one covers the deploy tool's 30 minutes and its
    // 15-minute rollback, however long CloudFormation took.
    awsCredentialsStep(model, DEPLOY_ROLE_VARIABLE, `${model.serviceName}-deploy-${environment}`, `Renew the ${environment} deploy role session`),
    {
      // The same script a person runs by hand: tag the image as deployed, migrate, roll out,
      // verify, roll back on failure. The health checks connect to the load balancer and
      // verify the certificate against the health URL's host, so they pass before DNS does.
      name: 'Migrate, roll out, verify (rolls back on failure)',
      run: script('scripts/aws-deploy.sh -e "$DEPLOY_ENVIRONMENT" -t "$IMAGE_TAG" -u "$HEALTH_CHECK_URL" -c "$LOAD_BALANCER_DNS_NAME"'),
    },
    ...ctx.extraDeploySteps,
    {
      name: 'Show the service after a failure',
      if: "failure() && steps.install.outcome == 'success'",
      run: `${DEPLOY_TOOL} status --region "$AWS_REGION" --cluster "$CLUSTER" --service "$SERVICE" --image-tag-parameter "$IMAGE_TAG_PARAMETER"`,
    },
    {
      name: 'Summarize the deployment',
      if: 'success()',
      run: shellScript('summarize-deployment', {}),
    },
  );

  workflow.addJobs({
    deploy: {
      name: `Deploy to ${environment}`,
      runsOn: ctx.runsOn,
      // Only successful builds of pushes to main deploy, and production only from main.
      if: automatic
        ? "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'"
        : `github.ref == 'refs/heads/${MAIN_BRANCH}'`,
      environment: { name: environment, url: expr('steps.infrastructure.outputs.service-url') },
      // actions: read also lets the job read its GitHub environment's deployment branch policy.
      permissions: { contents: READ, idToken: WRITE, actions: READ },
      timeoutMinutes: WORKFLOW_TIMEOUTS.deploy,
      outputs: {
        'image-tag': { stepId: 'image', outputName: 'tag' },
        'image-digest': { stepId: 'image', outputName: 'digest' },
      },
      env: {
        AWS_REGION: model.region,
        DEPLOY_ENVIRONMENT: environment,
        STACK: names.stackName,
        CLUSTER: names.clusterName,
        SERVICE: names.serviceName,
        REPOSITORY: names.repositoryName,
        IMAGE_TAG_PARAMETER: names.imageTagParameter,
      },
      steps,
    },
  });
  if (automatic && model.environments.some((e) => e.settings.isProduction)) {
    workflow.addJobs({ promote: promoteJob(ctx, env, model.production) });
  }
  return workflow;
}

/**
 * The deploy role trusts every job of the GitHub environment (the OIDC subject GitHub sends
 * cannot name a branch), so what keeps a branch out is the environment's deployment branch
 * policy. This step reads it and fails unless only `main` may deploy; where the token cannot
 * read it, it warns instead of blocking the deploy.
 */
export function branchPolicyStep(env: { readonly environment: string }): JobStep {
  const fix = `In Settings > Environments > ${env.environment} > Deployment branches and tags, choose 'Selected branches and tags' and add only the branch ${MAIN_BRANCH}`;
  return {
    name: 'Check that only main can deploy to this environment',
    env: { GH_TOKEN: expr('github.token'), ENVIRONMENT: env.environment },
    run: shellScript('branch-policy', { mainBranch: MAIN_BRANCH, fix }),
  };
}

/**
 * The verified health URL: the GitHub environment's HEALTH_URL, else the domain's; without
 * either the job fails here, before any deploy step, naming the fix.
 */
function healthUrlStep(env: EnvironmentModel): JobStep {
  const fallback = defaultHealthUrl(env.settings);
  const names = env.settings.names;
  return {
    name: 'Choose the health URL',
    id: 'health',
    env: { HEALTH_URL: expr(`vars.${HEALTH_URL_VARIABLE}`), DOMAIN_HEALTH_URL: fallback ?? '' },
    run: shellScript('health-url', {
      variable: HEALTH_URL_VARIABLE,
      environment: env.environment,
      stackName: names.stackName,
      healthCheckPath: env.settings.healthCheckPath,
    }),
  };
}

/**
 * `cdk deploy` only when the stack's template differs from the deployed one: the stack reads
 * the image tag from an SSM parameter, so the CDK CLI never skips a deploy on its own, and each
 * one rolls the service out with the previous image before the deploy tool rolls out the new
 * one. The CDK CLI's own differ decides; an error of the diff (no such stack yet, say) deploys.
 * Then the outputs the rest of the job needs, from the stack itself.
 */
function infrastructureStep(): JobStep {
  return {
    name: 'Deploy the infrastructure if it changed',
    id: 'infrastructure',
    run: shellScript('deploy-infrastructure', {}),
  };
}
