// The two-environment HEDIS optimizer app with both compliance packs: what the kit synthesizes.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { DeploymentEnvironment, HardenedServiceStack } from '../../src';

const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'bench-ours-')), context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } });
for (const environment of [DeploymentEnvironment.STAGING, DeploymentEnvironment.PRODUCTION]) {
  new HardenedServiceStack(app, `hedis-optimizer-${environment}`, {
    serviceName: 'hedis-optimizer',
    environment,
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab',
    alarmEmail: 'oncall@example.com',
    githubRepository: 'example-org/hedis-optimizer',
    env: { account: '123456789012', region: 'us-east-1' },
  });
}
app.synth();
