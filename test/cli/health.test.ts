import * as fs from 'node:fs';
import * as https from 'node:https';
import { HttpsHealthEndpoint, makeTestPki, TestPki } from './support/tls';
import { verifyHealth } from '../../src/cli/health';
import { Reporter } from '../../src/cli/output';
import { Deadline } from '../../src/cli/timing';

// The certificate names the service's domain, never the load balancer or 127.0.0.1.
const DOMAIN = 'api.hedis.test';

let pki: TestPki;
let endpoint: HttpsHealthEndpoint;
let previousCa: unknown;

beforeAll(async () => {
  pki = makeTestPki(DOMAIN);
  endpoint = await HttpsHealthEndpoint.start(pki);
  // The CA this test made is the only one trusted, as NODE_EXTRA_CA_CERTS would add it.
  previousCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = pki.ca;
});

afterAll(async () => {
  https.globalAgent.options.ca = previousCa as string | undefined;
  await endpoint?.stop();
  if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
});

beforeEach(() => endpoint.requests.splice(0));

function check(url: string, connectTo?: string) {
  const output: string[] = [];
  const reporter = new Reporter({ stdout: { write: (t: string) => output.push(t) }, stderr: { write: () => undefined }, env: {} } as never, false, 'deploy');
  return verifyHealth(url, { successes: 2, failures: 1, intervalMs: 1, deadline: Deadline.after(30), reporter, connectTo });
}

describe('the health check with --connect-to (health URL vs the certificate name)', () => {
  test('passes against the load balancer address while verifying the certificate for the domain', async () => {
    // WHEN the URL names the domain (not resolvable yet: DNS still points elsewhere) and the
    // connection goes to the load balancer's address
    const outcome = await check(`https://${DOMAIN}:${endpoint.port}/health`, '127.0.0.1');

    // THEN TLS verification passed for the domain, which the server saw in SNI and Host
    expect(outcome).toMatchObject({ healthy: true, checks: 2 });
    expect(endpoint.requests).toEqual([
      { host: `${DOMAIN}:${endpoint.port}`, servername: DOMAIN },
      { host: `${DOMAIN}:${endpoint.port}`, servername: DOMAIN },
    ]);
  });

  test('fails when the URL names a host the certificate does not cover, even through the right address', async () => {
    // WHEN the health URL names another host (as the load balancer's own DNS name would be)
    const outcome = await check(`https://wrong.hedis.test:${endpoint.port}/health`, '127.0.0.1');

    // THEN the name check rejects it: verification is never turned off
    expect(outcome.healthy).toBe(false);
    expect(outcome.reason).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(outcome.reason).toContain("Host: wrong.hedis.test. is not in the cert's altnames: DNS:api.hedis.test");
  });

  test('fails when the load balancer is addressed by its own name or address, as the old default health URL did', async () => {
    // WHEN the URL is the load balancer's address itself
    const outcome = await check(`https://127.0.0.1:${endpoint.port}/health`);

    // THEN the certificate, issued for the domain, does not match
    expect(outcome.healthy).toBe(false);
    expect(outcome.reason).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  test('fails when the server certificate comes from an untrusted CA', async () => {
    // GIVEN only the default CAs are trusted
    https.globalAgent.options.ca = undefined;
    try {
      const outcome = await check(`https://${DOMAIN}:${endpoint.port}/health`, '127.0.0.1');
      expect(outcome.healthy).toBe(false);
      expect(outcome.reason).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/);
    } finally {
      https.globalAgent.options.ca = pki.ca;
    }
  });
});
