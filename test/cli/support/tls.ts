import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A certificate authority made for one test run, and a server certificate it signed. */
export interface TestPki {
  /** Folder holding the files; remove it after the tests. */
  readonly dir: string;
  /** PEM file of the CA certificate (for NODE_EXTRA_CA_CERTS). */
  readonly caFile: string;
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * Makes a throwaway CA with openssl and a server certificate for `dnsName` only (no IP
 * address), as ACM issues for a domain: a client that connects to 127.0.0.1 passes the name
 * check only when it verifies against `dnsName`.
 */
export function makeTestPki(dnsName: string): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-pki-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=hardened-service test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${dnsName}`, '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('server.ext'), `subjectAltName=DNS:${dnsName}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem'));
  const read = (name: string) => fs.readFileSync(file(name), 'utf-8');
  return { dir, caFile: file('ca.pem'), ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

/** An HTTPS health endpoint on 127.0.0.1 with the test certificate; records each request's Host and SNI. */
export class HttpsHealthEndpoint {
  public static async start(pki: TestPki, status = 200): Promise<HttpsHealthEndpoint> {
    const endpoint = new HttpsHealthEndpoint(pki, status);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  /** `Host` header and TLS server name of each request. */
  public readonly requests: { host?: string; servername?: string }[] = [];
  private readonly server: Server;

  private constructor(pki: TestPki, status: number) {
    this.server = createServer({ key: pki.key, cert: pki.cert }, (req, res) => {
      const servername = (req.socket as unknown as { servername?: string | false }).servername;
      this.requests.push({ host: req.headers.host, servername: servername || undefined });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
  }

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
