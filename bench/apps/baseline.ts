// Baseline: the same two environments hand-rolled with plain ecs-patterns and an RDS instance,
// no hardening and no compliance packs.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as patterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as cxapi from 'aws-cdk-lib/cx-api';

const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'bench-baseline-')), context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
for (const environment of ['staging', 'production']) {
  const stack = new Stack(app, `baseline-${environment}`, { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const service = new patterns.ApplicationLoadBalancedFargateService(stack, 'Service', {
    vpc,
    cpu: 512,
    memoryLimitMiB: 1024,
    desiredCount: environment === 'production' ? 2 : 1,
    certificate: acm.Certificate.fromCertificateArn(
      stack,
      'Certificate',
      'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab',
    ),
    redirectHTTP: true,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('example/hedis-optimizer:1.0.0'), containerPort: 8000 },
  });
  const db = new rds.DatabaseInstance(stack, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_8 }),
    vpc,
    instanceType: new ec2.InstanceType(environment === 'production' ? 't3.medium' : 't3.small'),
  });
  db.connections.allowDefaultPortFrom(service.service);
  // CDK's bundled instance-class data rejects db.t3.small for PostgreSQL 16; cfn-lint accepts it.
  Validations.of(db).acknowledge({ id: 'CloudFormation-Validate::E3062', reason: 'stale CDK data' });
}
app.synth();
