import { ECR_STUB, generate, job, runStep } from './workflow-test-support';

describe('the image scripts, run with bash against a stub aws', () => {
  const SHA = 'c0ffee'.padEnd(40, '0');
  const DIGEST = `sha256:${'d'.repeat(64)}`;
  const workflows = generate();
  const stepOf = (file: string, jobId: string, id: string) => job(workflows, file, jobId).steps.find((st: any) => st.id === id);

  test.each([
    ['the repository has no image', { EXISTING_STAGING: '' }, 0, { push: 'true' }],
    ['the repository has the image', { EXISTING_STAGING: DIGEST }, 0, { push: 'false', digest: DIGEST }],
    ['the lookup answered something else', { EXISTING_STAGING: 'None' }, 1, {}],
  ])('build: a re-run when %s', (_label, env, status, outputs) => {
    const result = runStep(stepOf('build.yml', 'image', 'pushed'), env, 'exit 99');
    expect({ status: result.status, outputs: result.outputs }).toEqual({ status, outputs });
  });

  test('fails when deploy-production gets an image input that is neither a commit SHA nor a digest, before any AWS call', () => {
    const result = runStep(stepOf('deploy-production.yml', 'deploy', 'image'), { IMAGE: 'main; echo pwned', REPOSITORY: 'r' }, 'exit 99');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      '::error::image "main; echo pwned" must be a full commit SHA (40 hex digits) or an image digest (sha256: and 64 hex digits)\n',
    );
  });

  test.each([
    ['a commit SHA', SHA],
    ['a digest', DIGEST],
  ])('deploy-production: finds the commit tag and digest from %s', (_label, image) => {
    const result = runStep(
      stepOf('deploy-production.yml', 'deploy', 'image'),
      { IMAGE: image, REPOSITORY: 'r', STUB_TAG: SHA, STUB_OTHER_TAG: 'release-1', STUB_DIGEST: DIGEST },
      ECR_STUB,
    );
    expect({ status: result.status, outputs: result.outputs }).toEqual({ status: 0, outputs: { tag: SHA, digest: DIGEST } });
  });

  test.each([
    ['passes without CRITICAL findings', 'None', DIGEST, 0, { digest: DIGEST }],
    ['passes with zero CRITICAL findings', '0', DIGEST, 0, { digest: DIGEST }],
    ['fails on CRITICAL findings', '2', DIGEST, 1, {}],
    ['fails when the tag names another image', 'None', `sha256:${'e'.repeat(64)}`, 1, {}],
  ])('the scan check %s', (_label, critical, expected, status, outputs) => {
    const result = runStep(
      stepOf('deploy-staging.yml', 'deploy', 'scan'),
      { REPOSITORY: 'r', IMAGE_TAG: SHA, EXPECTED_DIGEST: expected, STUB_DIGEST: DIGEST, STUB_CRITICAL: critical },
      ECR_STUB,
    );
    expect({ status: result.status, outputs: result.outputs }).toEqual({ status, outputs });
    if (critical === '2') expect(result.stdout).toContain('CVE-2026-0001');
  });
});
