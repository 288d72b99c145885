import { projectOptions, synth } from './helpers';
import { blueprintIds } from '../../src/blueprints/index';
import { HardenedServiceProject } from '../../src/project/hardened-service-project';

/** The problems listed in the error that the options raise, in order. */
function problems(overrides: Parameters<typeof projectOptions>[0]): string[] {
  try {
    new HardenedServiceProject(projectOptions(overrides));
  } catch (e) {
    const message = (e as Error).message;
    expect(message).toMatch(/^Invalid HardenedServiceProject options \(\d+ problems?\):\n/);
    return message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('expected the options to be refused');
}

describe('HardenedServiceProject option validation', () => {
  const known = blueprintIds().map((id) => `"${id}"`).join(', ');

  test('fails when the blueprint is unknown, listing the known ones', () => {
    expect(problems({ blueprint: 'ruby-api' })).toEqual([`blueprint "ruby-api" is not a known blueprint; use one of ${known}`]);
  });

  test('fails when the region is not a region code', () => {
    expect(problems({ awsRegion: 'US-East-1' })).toEqual([
      'awsRegion "US-East-1" must be an AWS region code such as "us-east-1" (lowercase, no availability-zone letter)',
    ]);
    expect(problems({ awsRegion: 'us-east-1a' })).toHaveLength(1);
  });

  test('fails when an account id is not 12 digits', () => {
    expect(problems({ stagingAccount: '1234', productionAccount: '12345678901x' })).toEqual([
      'stagingAccount "1234" must be a 12-digit AWS account id such as "123456789012" (as a string, keeping leading zeros)',
      'productionAccount "12345678901x" must be a 12-digit AWS account id such as "123456789012" (as a string, keeping leading zeros)',
    ]);
  });

  test('fails when a certificate is in another region or account', () => {
    expect(
      problems({
        awsRegion: 'eu-west-1',
        stagingCertificateArn: 'arn:aws:acm:eu-west-1:333333333333:certificate/00000000-0000-0000-0000-000000000000',
        stagingAccount: '111111111111',
        productionAccount: '222222222222',
      }),
    ).toEqual([
      'stagingCertificateArn "arn:aws:acm:eu-west-1:333333333333:certificate/00000000-0000-0000-0000-000000000000" belongs to account 333333333333 but stagingAccount is "111111111111"; use a certificate of that account',
      'productionCertificateArn "arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000" is in us-east-1 but awsRegion is "eu-west-1"; a load balancer needs a certificate from its own region (request one in eu-west-1)',
    ]);
  });

  test('fails when neither a certificate nor a domain is given, naming the option of each environment', () => {
    expect(problems({ stagingCertificateArn: undefined, productionCertificateArn: undefined })).toEqual([
      'stagingCertificateArn is required for the staging HTTPS listener: pass an ACM certificate ARN, or domainName with hostedZoneId and hostedZoneName',
      'productionCertificateArn is required for the production HTTPS listener: pass an ACM certificate ARN, or domainName with hostedZoneId and hostedZoneName',
    ]);
  });

  test('fails when the stack checks find problems: once per problem, with the option names of .projenrc.ts', () => {
    expect(
      problems({ serviceName: 'HEDIS_Optimizer', cpu: 512, memoryLimitMiB: 512, stagingMinCapacity: 3, stagingMaxCapacity: 2, minCapacity: 1 }),
    ).toEqual([
      'serviceName "HEDIS_Optimizer" must be lowercase letters, digits or single hyphens, start with a letter and not end with a hyphen (try "hedis-optimizer")',
      'memoryLimitMiB 512 is not valid with cpu 512; Fargate accepts 1024 to 4096 in steps of 1024 MiB for that cpu',
      'stagingMinCapacity 3 is greater than stagingMaxCapacity 2; raise stagingMaxCapacity to at least 3 or lower stagingMinCapacity',
      'minCapacity 1 leaves production in one Availability Zone; use at least 2',
    ]);
  });

  test('fails when the base image is not pinned or the digest is malformed', () => {
    expect(problems({ baseImage: 'python:latest', baseImageDigest: 'sha256:abc' })).toEqual([
      'baseImage "python:latest" must be pinned to a version tag such as "python:3.11.11-slim-bookworm", never "latest" or no tag',
      'baseImageDigest "sha256:abc" must be an image digest: "sha256:" followed by 64 lowercase hex digits',
    ]);
    expect(problems({ baseImage: 'registry.example.com:5000/python' })).toHaveLength(1);
  });

  test('fails when many options are wrong, with every problem in one error', () => {
    expect(problems({ blueprint: 'nope', awsRegion: 'mars', containerPort: 80, latencyP95Ms: 0 })).toHaveLength(4);
  });

  test('fails when workflow options are wrong too, in the same single error as the others', () => {
    expect(problems({ awsRegion: 'mars', buildWorkflow: true, workflowExtraTestSteps: [{ uses: 'actions/cache@v4' }] })).toEqual([
      'awsRegion "mars" must be an AWS region code such as "us-east-1" (lowercase, no availability-zone letter)',
      "buildWorkflow is true but the kit's build.yml replaces projen's build workflow: remove buildWorkflow, or set workflows to false",
      'workflowExtraTestSteps[0].uses "actions/cache@v4" must be pinned to a full commit SHA (owner/repo@<40 hex digits>, the release in a comment) or be a local action (./path)',
    ]);
  });

  test('accepts a pinned digest and renders it into the Dockerfile default', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const files = synth({ baseImageDigest: digest });
    expect(files.Dockerfile).toContain(`ARG BASE_IMAGE=python:3.11.11-slim-bookworm@${digest}\n`);
  });
});
