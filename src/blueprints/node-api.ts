import { Blueprint } from './blueprint';
import { SERVICE_DEFAULTS } from '../core/defaults';
import { defaultDebianCodename, defaultLine, defaultRelease } from '../core/runtime-currency';

/** The Node.js LTS line of the currency table (`24`). */
const NODE_LINE = defaultLine('node').line;

/**
 * TypeScript API on the Node.js LTS line of the currency table (Node 24): fastify with helmet and CORS, PostgreSQL through a bounded `pg`
 * pool, Redis through ioredis, a small SQL migration runner, pino JSON logs, node:test suites.
 * Sample: `src/templates/samples/node-api/`.
 *
 * The builder compiles TypeScript and prunes dev dependencies; the runtime stage gets the
 * compiled `dist/`, production `node_modules`, the SQL migrations and `package.json` only.
 */
export const NODE_API: Blueprint = {
  id: 'node-api',
  description: `TypeScript API on Node ${NODE_LINE} (fastify, pg, ioredis, SQL migrations)`,
  runtime: `Node.js ${NODE_LINE}`,
  baseImage: `node:${defaultRelease('node')}-${defaultDebianCodename()}-slim`,
  containerPort: SERVICE_DEFAULTS.containerPort,
  healthCheckPath: SERVICE_DEFAULTS.healthCheckPath,
  sampleDir: 'node-api',
  dependencyFiles: ['package.json', 'package-lock.json'],
  // npm reads npm_config_registry from the build arguments; the cache stays in the builder.
  installCommands: ['npm ci --no-audit --no-fund'],
  buildCommands: ['npm run build', 'npm prune --omit=dev --no-audit --no-fund'],
  runtimePaths: ['package.json', 'node_modules', 'dist', 'migrations'],
  startCommand: ['node', 'dist/server.js'],
  migrateCommand: 'node dist/migrate.js',
  apiKeyToolCommand: 'npx tsx src/api-keys.ts',
  testCommand: 'npm test',
  lintCommand: 'npm run lint',
  healthCheckCommand: [
    'node',
    '-e',
    "fetch('http://127.0.0.1:{{port}}{{path}}', { signal: AbortSignal.timeout(4000) })" +
      '.then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))',
  ],
};
