import { main } from '../../src/cli/main';

/** Runs main() with process.env replaced by `env` (the SDK reads its configuration there). */
async function runWithEnvironment(argv: string[], env: Record<string, string>) {
  const saved = process.env;
  process.env = { PATH: saved.PATH, ...env };
  let stdout = '';
  let stderr = '';
  try {
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: process.env };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

const NO_FILES = {
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

describe('AWS configuration', () => {
  test('fails when no region is configured, with exit code 2', async () => {
    const run = await runWithEnvironment(['status', '--cluster', 'c', '--service', 's'], NO_FILES);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'hardened-service status: no AWS region is configured; pass --region, or set AWS_REGION (or a region in the AWS_PROFILE profile)\n' });
  });

  test('--region stands in for AWS_REGION, and reaches the client', async () => {
    const run = await runWithEnvironment(['status', '--cluster', 'c', '--service', 's', '--region', 'us-east-1'], NO_FILES);
    // The region is there: the next thing missing is credentials.
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hardened-service status: no AWS credentials were found/);
  });

  test('fails when no credentials are found, with exit code 2', async () => {
    const run = await runWithEnvironment(['status', '--cluster', 'c', '--service', 's'], { ...NO_FILES, AWS_REGION: 'us-east-1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hardened-service status: no AWS credentials were found \(.+\); set AWS_PROFILE, or run in a role such as the GitHub OIDC deploy role\n$/);
  });
});
