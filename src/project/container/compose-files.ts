import { Component, Project, YamlFile } from 'projen';
import { healthCheckCommand } from './docker-files';
import { LOCAL_API_KEY, LOCAL_ISSUER_PORT, localAuthenticationEnvironment } from './local-auth';
import { AuthenticationMode } from '../../core/authentication';
import { SERVICE_DEFAULTS } from '../../core/defaults';
import { serviceEnvironment } from '../../core/runtime-contract';
import { TemplateFile } from '../files/template-file';
import { ServiceModel } from '../service-model';

/**
 * Local and production-like runs with Docker Compose: `docker-compose.yml` (the api, PostgreSQL
 * of the same major version as RDS, Redis, a named network and volumes, healthchecks, start
 * order on health), `docker-compose.prod.yml` (the built image only: no bind mounts, read-only
 * root filesystem, tmpfs, resource limits from the task size, restart policy) and the
 * committed `.env.example` for the git-ignored `.env` that both read.
 */
export class ComposeFiles extends Component {
  /** `docker-compose.yml`. */
  public readonly compose: YamlFile;
  /** `docker-compose.prod.yml`. */
  public readonly productionCompose: YamlFile;
  /** `.env.example`. */
  public readonly envExample: TemplateFile;

  constructor(project: Project, model: ServiceModel) {
    super(project);
    this.compose = new YamlFile(project, 'docker-compose.yml', { obj: () => composeDocument(model, false) });
    this.productionCompose = new YamlFile(project, 'docker-compose.prod.yml', { obj: () => composeDocument(model, true) });
    this.envExample = new TemplateFile(project, '.env.example', {
      template: 'env-example.hbs',
      context: () => ({
        serviceName: model.serviceName,
        variables: localEnvironment(model),
        authentication: model.authentication,
        localApiKey: AuthenticationMode.usesApiKeys(model.authentication) ? LOCAL_API_KEY : undefined,
        localIssuerPort: AuthenticationMode.usesJwt(model.authentication) ? LOCAL_ISSUER_PORT : undefined,
      }),
    });
    project.gitignore.exclude('/.env');
    project.gitignore.include('/.env.example');
  }
}

/**
 * Image tag of the local PostgreSQL: the RDS major version, as RDS runs it (the minor moves in
 * both places: RDS upgrades minors itself, and the tag follows the major's newest release).
 */
export function localPostgresImage(): string {
  return `postgres:${SERVICE_DEFAULTS.postgresMajorVersion}-bookworm`;
}

/**
 * Image tag of the local Redis. ElastiCache's 7.1 engine has no Redis OSS release of the same
 * number; 7.2 is the OSS release it is compatible with.
 */
export function localRedisImage(): string {
  const ossRelease: Record<string, string> = { 7.1: '7.2' };
  const version = SERVICE_DEFAULTS.redisVersion;
  return `redis:${ossRelease[version] ?? version}-bookworm`;
}

/** The variables of `.env.example`, in the order of the runtime contract (`core/runtime-contract.ts`). */
export function localEnvironment(model: ServiceModel): { name: string; value: string }[] {
  return serviceEnvironment(model, {
    appEnv: 'local',
    logLevel: 'debug',
    webConcurrency: 2,
    authentication: localAuthenticationEnvironment(model),
    database: { host: 'localhost', port: SERVICE_DEFAULTS.databasePort, password: 'local-only-change-me', sslMode: 'disable' },
    cache: { host: 'localhost', port: SERVICE_DEFAULTS.cachePort, password: 'local-only-change-me', tls: false },
  }).map(([name, value]) => ({ name, value }));
}

const NETWORK = 'backend';

function composeDocument(model: ServiceModel, production: boolean): object {
  const port = model.containerPort;
  const dependsOn: Record<string, { condition: string }> = {};
  if (model.database) dependsOn.postgres = { condition: 'service_healthy' };
  if (model.cache) dependsOn.redis = { condition: 'service_healthy' };
  const healthcheck = (test: string[]) => ({ test, interval: '10s', timeout: '5s', retries: 5, start_period: '30s' });
  const restart = production ? { restart: 'unless-stopped' } : {};
  const localIssuer = !production && AuthenticationMode.usesJwt(model.authentication);

  const api: Record<string, unknown> = production
    ? {
      image: `\${IMAGE:-${model.serviceName}:local}`,
      read_only: true,
      tmpfs: ['/tmp'],
      security_opt: ['no-new-privileges:true'],
      cap_drop: ['ALL'],
      deploy: {
        resources: {
          limits: { cpus: String(model.cpu / 1024), memory: `${model.memoryLimitMiB}M` },
        },
      },
    }
    : {
      build: { context: '.', dockerfile: 'Dockerfile' },
      image: `${model.serviceName}:local`,
    };
  Object.assign(api, {
    env_file: ['.env'],
    // Inside the network the dependencies are reached by service name, not localhost.
    environment: {
      ...(production ? { APP_ENV: 'production', LOG_LEVEL: 'info' } : {}),
      ...(model.database ? { DB_HOST: 'postgres', DB_PORT: String(SERVICE_DEFAULTS.databasePort) } : {}),
      ...(model.cache ? { REDIS_HOST: 'redis', REDIS_PORT: String(SERVICE_DEFAULTS.cachePort) } : {}),
      // The local issuer runs on the host (the sample's issuer script); a production-like
      // run takes a real https issuer from .env instead.
      ...(localIssuer ? { AUTH_JWT_ISSUER: `http://host.docker.internal:${LOCAL_ISSUER_PORT}` } : {}),
    },
    ...(localIssuer ? { extra_hosts: ['host.docker.internal:host-gateway'] } : {}),
    ports: [`127.0.0.1:${port}:${port}`],
    ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}),
    healthcheck: healthcheck(['CMD', ...healthCheckCommand(model)]),
    networks: [NETWORK],
    ...restart,
  });

  const services: Record<string, unknown> = { api };
  const volumes: Record<string, object> = {};
  if (model.database) {
    services.postgres = {
      image: localPostgresImage(),
      environment: {
        POSTGRES_DB: '${DB_NAME}',
        POSTGRES_USER: '${DB_USER}',
        POSTGRES_PASSWORD: '${DB_PASSWORD}',
      },
      ...(production ? {} : { ports: [`127.0.0.1:${SERVICE_DEFAULTS.databasePort}:5432`] }),
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      healthcheck: healthcheck(['CMD-SHELL', 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}"']),
      networks: [NETWORK],
      ...restart,
    };
    volumes['postgres-data'] = {};
  }
  if (model.cache) {
    services.redis = {
      image: localRedisImage(),
      command: ['sh', '-c', 'exec redis-server --appendonly yes --requirepass "$${REDIS_PASSWORD}"'],
      environment: {
        REDIS_PASSWORD: '${REDIS_PASSWORD}',
        // redis-cli reads the password from here, so it never appears in a process list.
        REDISCLI_AUTH: '${REDIS_PASSWORD}',
      },
      ...(production ? {} : { ports: [`127.0.0.1:${SERVICE_DEFAULTS.cachePort}:6379`] }),
      volumes: ['redis-data:/data'],
      healthcheck: healthcheck(['CMD-SHELL', 'redis-cli ping | grep -q PONG']),
      networks: [NETWORK],
      ...restart,
    };
    volumes['redis-data'] = {};
  }
  return {
    services,
    networks: { [NETWORK]: { name: `${model.serviceName}-${NETWORK}` } },
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
}
