#!/usr/bin/env node
// Prints, as shell assignments for run.sh to eval, what the packed kit says about a blueprint:
// its migrate and start commands, health path, port and base image, the kit's default p95
// latency threshold (the value the stack's alarm uses), its database pool size per worker, the
// default task size and its worker count (the values the task definition sets), and the
// autoscaling request target per task with the headroom it must leave below the capacity.
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
const { SERVICE_DEFAULTS } = require(path.join(path.resolve(kitDir), 'lib', 'core', 'defaults'));
const { workerCount } = require(path.join(path.resolve(kitDir), 'lib', 'core', 'settings'));

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
  KIT_TARGET_REQUESTS_PER_TASK: SERVICE_DEFAULTS.targetRequestsPerTask,
  KIT_SCALING_HEADROOM: SERVICE_DEFAULTS.scalingHeadroom,
};
const missing = Object.entries(facts).filter(([, value]) => value === undefined).map(([name]) => name);
if (missing.length > 0) {
  process.stderr.write(`facts.js: the kit in ${kitDir} does not define ${missing.join(', ')} (a kit older than this check?)\n`);
  process.exit(1);
}
for (const [name, value] of Object.entries(facts)) process.stdout.write(`${name}=${quote(value)}\n`);
process.stdout.write(`BP_START_COMMAND=(${blueprint.startCommand.map(quote).join(' ')})\n`);
