#!/usr/bin/env node
// Prints, as shell assignments for run.sh to eval, what the packed kit says about a blueprint:
// its migrate and start commands, health path, port and base image, the kit's default p95
// latency threshold (the value the stack's alarm uses), its database pool size per worker and
// the worker count of the default task size (the values the task definition sets).
//
//   node test/container/facts.js KIT_PACKAGE_DIR BLUEPRINT_ID
'use strict';

const path = require('path');

const [kitDir, id] = process.argv.slice(2);
if (!kitDir || !id) {
  process.stderr.write('usage: facts.js KIT_PACKAGE_DIR BLUEPRINT_ID\n');
  process.exit(2);
}

const { findBlueprint, blueprintIds } = require(path.join(path.resolve(kitDir), 'lib', 'blueprints'));
const blueprint = findBlueprint(id);
if (!blueprint) {
  process.stderr.write(`facts.js: blueprint "${id}" is not in the kit; it has ${blueprintIds().join(', ')}\n`);
  process.exit(1);
}
const { SERVICE_DEFAULTS, workerCount } = require(path.join(path.resolve(kitDir), 'lib', 'constructs', 'settings'));

const quote = (value) => `'${String(value).replace(/'/g, "'\\''")}'`;
const facts = {
  BP_MIGRATE_COMMAND: blueprint.migrateCommand,
  BP_HEALTH_PATH: blueprint.healthCheckPath,
  BP_PORT: blueprint.containerPort,
  BP_BASE_IMAGE: blueprint.baseImage,
  BP_RUNTIME: blueprint.runtime,
  KIT_P95_MS: SERVICE_DEFAULTS.latencyP95Ms,
  KIT_DB_POOL_SIZE: SERVICE_DEFAULTS.dbPoolSizePerWorker,
  KIT_WEB_CONCURRENCY: workerCount(SERVICE_DEFAULTS.cpu),
  KIT_CPU: SERVICE_DEFAULTS.cpu,
};
for (const [name, value] of Object.entries(facts)) process.stdout.write(`${name}=${quote(value)}\n`);
process.stdout.write(`BP_START_COMMAND=(${blueprint.startCommand.map(quote).join(' ')})\n`);
