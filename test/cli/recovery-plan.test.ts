import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { Template } from 'aws-cdk-lib/assertions';
import { runCli } from './support/cli';
import { REGION, setAwsTestEnvironment } from './support/fixture';
import { Moto, startMoto } from './support/moto';
import { IMPORT_IDENTIFIERS, planRecovery, retainedResources } from '../../src/core/stack-recovery';
import { snippetApp } from '../constructs/helpers';

/**
 * The recovery guide promised a redeploy that would fail: after a stack is deleted, the
 * resources it retained keep their names, so `cdk deploy` of the same stack collides. The real
 * path is `cdk import` of the retained resources; `recovery-plan` writes its resource mapping
 * from the deleted stack, tested here against the AWS emulator.
 */
const { production } = snippetApp();
const productionTemplate = Template.fromStack(production).toJSON();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-recovery-'));

describe('the recovery guide promises a redeploy that would fail', () => {
  test('every resource production retains is of a type the plan knows how to import', () => {
    const retained = [...retainedResources(productionTemplate).values()];
    expect(retained.length).toBeGreaterThan(10);
    for (const type of retained) expect({ type, known: type in IMPORT_IDENTIFIERS }).toEqual({ type, known: true });
  });

  test('each import identifier is the primary identifier of its CloudFormation resource schema', () => {
    // cfn-lint ships CloudFormation's resource schemas: the source of truth for what import takes.
    const script = [
      'import json, sys',
      'from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m',
      'types = json.loads(sys.argv[1])',
      'print(json.dumps({t: m.get_resource_schema("us-east-1", t).schema.get("primaryIdentifier") for t in types}))',
    ].join('\n');
    const primary = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(Object.keys(IMPORT_IDENTIFIERS))], { encoding: 'utf-8' }));
    for (const [type, key] of Object.entries(IMPORT_IDENTIFIERS)) {
      expect({ type, primary: primary[type] }).toEqual({ type, primary: [`/properties/${key}`] });
    }
  });

  test('fails when a retained resource changed type under the same id, naming it', () => {
    const plan = planRecovery(
      { Resources: { Images: { Type: 'AWS::ECR::Repository', DeletionPolicy: 'Retain' } } },
      [{ logicalId: 'Images', physicalId: 'x', type: 'AWS::S3::Bucket' }],
    );
    expect(plan.problems).toEqual(['Images was AWS::S3::Bucket in the deleted stack and is AWS::ECR::Repository now: a different resource under the same id cannot be imported']);
  });

  test('fails when a retained type has no known import identifier', () => {
    const plan = planRecovery(
      { Resources: { Queue: { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Retain' } } },
      [{ logicalId: 'Queue', physicalId: 'q', type: 'AWS::SQS::Queue' }],
    );
    expect(plan.problems[0]).toContain('Queue (AWS::SQS::Queue) is retained but the kit does not know how CloudFormation imports it');
  });
});

describe('hardened-service recovery-plan, against the emulator', () => {
  let moto: Moto;
  let cloudformation: CloudFormationClient;
  // A stack of the retained resources the emulator can make, with the names the kit gives them.
  const deployed = {
    Resources: {
      ImagesRepository2D0F5B9C: { Type: 'AWS::ECR::Repository', DeletionPolicy: 'Retain', Properties: { RepositoryName: 'hedis-optimizer-production' } },
      ApiLogGroup1717FE17: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: '/ecs/hedis-optimizer-production/app' } },
      DataKey17AFBB84: {
        Type: 'AWS::KMS::Key',
        DeletionPolicy: 'Retain',
        Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] } },
      },
      Scratch: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/scratch' } },
    },
  };

  beforeAll(async () => {
    setAwsTestEnvironment();
    moto = await startMoto();
    cloudformation = new CloudFormationClient({ region: REGION, endpoint: moto.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    cloudformation.destroy();
    await moto.stop();
  });

  test('maps the deleted stack\'s retained resources onto the new template for cdk import', async () => {
    // GIVEN production's stack, deployed and then deleted
    await cloudformation.send(new CreateStackCommand({ StackName: 'hedis-optimizer-production', TemplateBody: JSON.stringify(deployed) }));
    await cloudformation.send(new DeleteStackCommand({ StackName: 'hedis-optimizer-production' }));
    const dir = tmp();
    const templateFile = path.join(dir, 'hedis-optimizer-production.template.json');
    fs.writeFileSync(templateFile, JSON.stringify(productionTemplate));
    const out = path.join(dir, 'mapping.json');
    // WHEN the plan is made from the new template
    const run = await runCli(['recovery-plan', '--stack-name', 'hedis-optimizer-production', '--template', templateFile, '--out', out, '--json'], moto.endpoint);
    // THEN each retained resource the deleted stack held is imported under its old id
    expect(run.code).toBe(0);
    const mapping = JSON.parse(fs.readFileSync(out, 'utf-8'));
    expect(mapping.ImagesRepository2D0F5B9C).toEqual({ RepositoryName: 'hedis-optimizer-production' });
    expect(mapping.ApiLogGroup1717FE17).toEqual({ LogGroupName: '/ecs/hedis-optimizer-production/app' });
    expect(Object.keys(mapping.DataKey17AFBB84)).toEqual(['KeyId']);
    // AND a resource the template does not retain is not imported; retained ones the stack lacked are created
    expect(mapping.Scratch).toBeUndefined();
    const result = JSON.parse(run.stdout);
    expect(result.created).toContain('AuditBucket7486E833');
  });

  /** Plans `stackName` against production's template; expects bad input (exit 2), returns the output. */
  const refusal = async (stackName: string) => {
    const templateFile = path.join(tmp(), 't.json');
    fs.writeFileSync(templateFile, JSON.stringify(productionTemplate));
    const run = await runCli(['recovery-plan', '--stack-name', stackName, '--template', templateFile], moto.endpoint);
    expect(run.code).toBe(2);
    return run.stdout + run.stderr;
  };

  test('fails when the stack still exists: nothing to recover', async () => {
    await cloudformation.send(new CreateStackCommand({ StackName: 'hedis-optimizer-staging', TemplateBody: JSON.stringify({ Resources: { Live: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/live' } } } }) }));
    expect(await refusal('hedis-optimizer-staging')).toContain('stack hedis-optimizer-staging exists (CREATE_COMPLETE): nothing to recover; deploy it with cdk deploy');
  });

  test('fails when the stack was never deleted, naming the fix', async () => {
    expect(await refusal('never-there')).toContain('no deleted stack named never-there in the last 90 days');
  });
});
