import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEPLOYED_IMAGE_TAG_PREFIX } from '../../../src/core/defaults';
import { synth } from '../helpers';

const SHA = 'c0ffee'.padEnd(40, '0');
const DIGEST = `sha256:${'d'.repeat(64)}`;
const LB = 'hedis-stg-alb-1234567890.us-east-1.elb.amazonaws.com';
// Exactly as ECR returns it: no trailing newline, which re-tagging must not add.
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}';

/**
 * A stub `aws` for the calls scripts/aws-deploy.sh makes, answering from STUB_* variables and
 * logging each call; `put-image` also keeps the manifest file it was given.
 */
const AWS_STUB = `#!/usr/bin/env bash
echo "aws $*" >> "$STUB_LOG"
case "$*" in
  *"sts get-caller-identity"*) echo 111111111111 ;;
  *"ecr get-login-password"*) echo stub-password ;;
  *"cloudformation describe-stacks"*LoadBalancerDnsName*) echo "$STUB_LB" ;;
  *"describe-images"*"imageTag=${DEPLOYED_IMAGE_TAG_PREFIX}"*) [[ -n "$STUB_DEPLOYED" ]] || { echo "ImageNotFoundException" >&2; exit 254; }; echo "$STUB_DEPLOYED" ;;
  *"describe-images"*) [[ -n "$STUB_DIGEST" ]] || { echo "ImageNotFoundException" >&2; exit 254; }; echo "$STUB_DIGEST" ;;
  *"batch-get-image"*) jq -n --arg m "$STUB_MANIFEST" '{images: [{imageManifest: $m, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json"}]}' ;;
  *"put-image"*)
    for arg in "$@"; do [[ "$arg" == file://* ]] && cp "\${arg#file://}" "$STUB_DIR/put-manifest"; done
    echo '{}' ;;
  *) echo "unexpected: aws $*" >&2; exit 99 ;;
esac
`;

/** Runs the generated scripts/aws-deploy.sh with stub aws and hardened-service on PATH. */
function runDeployScript(files: Record<string, any>, args: string[], stub: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-aws-deploy-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(path.join(dir, 'repo', 'scripts'), { recursive: true });
    fs.mkdirSync(bin);
    const script = path.join(dir, 'repo', 'scripts', 'aws-deploy.sh');
    fs.writeFileSync(script, files['scripts/aws-deploy.sh'], { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'aws'), AWS_STUB, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'hardened-service'), '#!/usr/bin/env bash\necho "hardened-service $*" >> "$STUB_LOG"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'docker'), '#!/usr/bin/env bash\ncat >/dev/null\necho "docker $*" >> "$STUB_LOG"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'repo', 'scripts', 'docker-build.sh'), '#!/usr/bin/env bash\necho "docker-build.sh $*" >> "$STUB_LOG"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'calls'), '');
    const result = spawnSync('bash', [script, ...args], {
      encoding: 'utf-8',
      env: {
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        STUB_LOG: path.join(dir, 'calls'),
        STUB_DIR: dir,
        STUB_LB: LB,
        STUB_DIGEST: DIGEST,
        STUB_DEPLOYED: '',
        STUB_MANIFEST: MANIFEST,
        ...stub,
      },
    });
    const putManifest = path.join(dir, 'put-manifest');
    return {
      status: result.status,
      stderr: result.stderr,
      calls: fs.readFileSync(path.join(dir, 'calls'), 'utf-8').split('\n').filter(Boolean),
      putManifest: fs.existsSync(putManifest) ? fs.readFileSync(putManifest, 'utf-8') : undefined,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/aws-deploy.sh, run with bash against stub commands', () => {
  const defaults = synth();
  const withDomain = synth({ domainName: 'api.hedis.example' });

  test('fails when there is neither a domain nor -u (the health URL must match the certificate), before anything changes, naming the fix', () => {
    const result = runDeployScript(defaults, ['-e', 'staging', '-t', SHA]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: -u HEALTH_URL is required for staging: the stack hedis-optimizer-staging has no domainName, and its ServiceUrl ' +
        "(the load balancer's DNS name) is a name no certificate covers. Pass -u https://<a name the certificate covers>/healthz " +
        '(in CI: the HEALTH_URL variable of the GitHub environment staging), or set domainName in .projenrc.ts\n',
    );
    // only the read-only account lookup ran: no parameter, no cdk deploy, no tag, no rollout
    expect(result.calls).toEqual(['aws sts get-caller-identity --query Account --output text']);
  });

  test('health URL vs certificate name: verifies the domain through the load balancer named by the stack output', () => {
    const result = runDeployScript(withDomain, ['-e', 'staging', '-t', SHA]);
    expect(result.status).toBe(0);
    const deploy = result.calls.find((c) => c.startsWith('hardened-service '))!;
    expect(deploy).toContain('--health-url https://staging.api.hedis.example/healthz --connect-to ' + LB + ' ');
    expect(result.calls.some((c) => c.includes('cloudformation describe-stacks') && c.includes('LoadBalancerDnsName'))).toBe(true);
  });

  test('lifecycle can delete running/rollback images: tags the image deployed-<tag> with the same manifest before the rollout', () => {
    const result = runDeployScript(defaults, ['-e', 'production', '-t', SHA, '-u', 'https://api.hedis.example/healthz', '-c', LB]);
    expect(result.status).toBe(0);
    const put = result.calls.findIndex((c) => c.includes('ecr put-image'));
    const rollout = result.calls.findIndex((c) => c.startsWith('hardened-service deploy'));
    expect(put).toBeGreaterThanOrEqual(0);
    expect(put).toBeLessThan(rollout);
    expect(result.calls[put]).toMatch(
      new RegExp(`ecr put-image --region us-east-1 --repository-name hedis-optimizer-production --image-tag ${DEPLOYED_IMAGE_TAG_PREFIX}${SHA} --image-digest ${DIGEST} --image-manifest file://\\S+ --image-manifest-media-type application/vnd.oci.image.manifest.v1\\+json$`),
    );
    // byte for byte: the new tag names the same digest (ECR checks it against --image-digest)
    expect(result.putManifest).toBe(MANIFEST);
    expect(result.calls[rollout]).toContain(`--image 111111111111.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer-production:${SHA} `);
  });

  test('a re-deploy of an image tagged before adds no tag; a deployed- tag on another image fails before the rollout', () => {
    const again = runDeployScript(defaults, ['-e', 'staging', '-t', SHA, '-u', 'https://x.example/healthz', '-c', LB], { STUB_DEPLOYED: DIGEST });
    expect(again.status).toBe(0);
    expect(again.calls.some((c) => c.includes('put-image'))).toBe(false);

    const other = runDeployScript(defaults, ['-e', 'staging', '-t', SHA, '-u', 'https://x.example/healthz', '-c', LB], { STUB_DEPLOYED: `sha256:${'e'.repeat(64)}` });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain(`hedis-optimizer-staging:${DEPLOYED_IMAGE_TAG_PREFIX}${SHA} is sha256:${'e'.repeat(64)}, not hedis-optimizer-staging:${SHA}`);
    expect(other.calls.some((c) => c.startsWith('hardened-service'))).toBe(false);
  });

  test('-i: the first deploy is one command, hardened-service first-deploy with the stack\'s names, then the image is marked deployed', () => {
    const result = runDeployScript(defaults, ['-e', 'staging', '-t', SHA, '-i']);
    expect(result.status).toBe(0);
    const first = result.calls.findIndex((c) => c.startsWith('hardened-service '));
    expect(result.calls[first]).toBe(
      'hardened-service first-deploy --stack-name hedis-optimizer-staging --cluster hedis-optimizer-staging --service hedis-optimizer --container app ' +
        `--repository hedis-optimizer-staging --image-tag-parameter /hedis-optimizer/staging/image-tag --tag ${SHA} ` +
        '--deploy-command npx cdk deploy hedis-optimizer-staging --require-approval never ' +
        `--push-command scripts/aws-deploy.sh -e staging -t ${SHA} -p --migrate-command /app/.venv/bin/alembic upgrade head`,
    );
    // No health URL is needed, no rollout follows: the stack already runs the tag.
    const put = result.calls.findIndex((c) => c.includes('ecr put-image') && c.includes(`--image-tag ${DEPLOYED_IMAGE_TAG_PREFIX}${SHA}`));
    expect(put).toBeGreaterThan(first);
    expect(result.calls.filter((c) => c.startsWith('hardened-service '))).toHaveLength(1);
  });

  test('-i -n prints the first deploy\'s plan (first-deploy --dry-run) and changes nothing', () => {
    const result = runDeployScript(defaults, ['-e', 'production', '-t', SHA, '-i', '-n']);
    expect(result.status).toBe(0);
    expect(result.calls.filter((c) => !c.startsWith('aws sts'))).toEqual([expect.stringMatching(/^hardened-service first-deploy --stack-name hedis-optimizer-production .* --dry-run$/)]);
  });

  test('-p builds the tag and pushes it to the environment repository, as first-deploy\'s push step', () => {
    const result = runDeployScript(defaults, ['-e', 'staging', '-t', SHA, '-p']);
    expect(result.status).toBe(0);
    const registry = '111111111111.dkr.ecr.us-east-1.amazonaws.com';
    expect(result.calls.filter((c) => !c.startsWith('aws sts'))).toEqual([
      'aws ecr get-login-password --region us-east-1',
      `docker login --username AWS --password-stdin ${registry}`,
      `docker-build.sh -t ${SHA}`,
      `docker tag hedis-optimizer:${SHA} ${registry}/hedis-optimizer-staging:${SHA}`,
      `docker push ${registry}/hedis-optimizer-staging:${SHA}`,
    ]);
  });

  test('fails when the image is not in the environment repository, naming where images come from', () => {
    const result = runDeployScript(defaults, ['-e', 'production', '-t', SHA, '-u', 'https://x.example/healthz', '-c', LB], { STUB_DIGEST: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`hedis-optimizer-production has no image ${SHA}: push it first (build.yml pushes to staging; deploy-staging.yml promotes verified images to production)`);
  });
});
