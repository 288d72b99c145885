import { findBlueprint } from '../../src/blueprints';

/**
 * Prints a blueprint's commands as bash assignments, for test/samples/run.sh to run them as
 * they are, outside a container: paths under the image's `/app/` folder point at `appDir`, and
 * the health check gets the port and path filled in.
 *
 * usage: blueprint-env.ts <blueprint> <appDir> <port> <healthPath>
 */
const [id, appDir, port, healthPath] = process.argv.slice(2);
const blueprint = id ? findBlueprint(id) : undefined;
if (!blueprint || !appDir || !port || !healthPath) {
  process.stderr.write('usage: blueprint-env.ts <blueprint> <appDir> <port> <healthPath>\n');
  process.exit(2);
}

const local = (text: string): string => text.split('/app/').join(`${appDir}/`);
const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
const words = (list: string[]): string => `(${list.map((word) => quote(local(word))).join(' ')})`;
const health = blueprint.healthCheckCommand.map((word) =>
  word.split('{{port}}').join(port).split('{{path}}').join(healthPath),
);

process.stdout.write(
  [
    `BP_MIGRATE=${quote(local(blueprint.migrateCommand))}`,
    `BP_TEST=${quote(blueprint.testCommand)}`,
    `BP_LINT=${quote(blueprint.lintCommand)}`,
    `BP_API_KEY_TOOL=${quote(blueprint.apiKeyToolCommand)}`,
    `BP_START=${words(blueprint.startCommand)}`,
    `BP_HEALTHCHECK=${words(health)}`,
    '',
  ].join('\n'),
);
