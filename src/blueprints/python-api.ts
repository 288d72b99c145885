import { Blueprint } from './blueprint';
import { SERVICE_DEFAULTS } from '../core/defaults';
import { defaultDebianCodename, defaultLine, defaultRelease } from '../core/runtime-currency';

/**
 * Python 3.11 API, the shape of the HEDIS Star Rating Portfolio Optimizer: FastAPI served by
 * gunicorn with uvicorn workers, PostgreSQL through a bounded SQLAlchemy/asyncpg pool, Redis
 * through redis-py, alembic migrations. Sample: `src/templates/samples/python-api/`.
 *
 * The image keeps a virtual environment in `/app/.venv` (builder and runtime stages share the
 * `/app` working directory, so its absolute paths hold) without pip or setuptools, the bytecode
 * compiled at build time (the root filesystem is read-only at run time), and no tests, pip
 * cache or compiler.
 */
export const PYTHON_API: Blueprint = {
  id: 'python-api',
  description: 'Python 3.11 API (FastAPI on gunicorn with uvicorn workers, alembic migrations)',
  runtime: `Python ${defaultLine('python').line}`,
  baseImage: `python:${defaultRelease('python')}-slim-${defaultDebianCodename()}`,
  containerPort: SERVICE_DEFAULTS.containerPort,
  healthCheckPath: SERVICE_DEFAULTS.healthCheckPath,
  sampleDir: 'python-api',
  dependencyFiles: ['requirements.txt'],
  installCommands: [
    // The virtual environment gets no pip or setuptools of its own: the base image's pip
    // installs into it, so the runtime image carries no package installer (26 MB less,
    // and nothing in the running container can install code).
    'python3 -m venv --without-pip /app/.venv',
    // pip reads PIP_INDEX_URL and friends from the build arguments; nothing is cached.
    'python3 -m pip --python /app/.venv/bin/python install --no-cache-dir --disable-pip-version-check --root-user-action=ignore -r requirements.txt',
  ],
  // pip compiled the dependencies; compile the service too, as the runtime cannot write.
  buildCommands: ['/app/.venv/bin/python -m compileall -q service migrations'],
  runtimePaths: ['.venv', 'service', 'migrations', 'alembic.ini', 'gunicorn.conf.py'],
  startCommand: ['/app/.venv/bin/gunicorn', '--config', 'gunicorn.conf.py', 'service.main:app'],
  migrateCommand: '/app/.venv/bin/alembic upgrade head',
  apiKeyToolCommand: 'python -m service.apikeys',
  testCommand: 'python -m pytest',
  lintCommand: 'ruff check . && ruff format --check .',
  healthCheckCommand: [
    'python3',
    '-c',
    "import urllib.request as u; u.urlopen('http://127.0.0.1:{{port}}{{path}}', timeout=4)",
  ],
};
