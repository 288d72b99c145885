import { synth } from './helpers';
import { findBlueprint } from '../../src/blueprints/index';

describe('the kit blueprints', () => {
  test.each(['python-api', 'node-api'])('%s: the image, compose, scripts and app/ come from the blueprint', (id) => {
    // GIVEN
    const blueprint = findBlueprint(id)!;
    // WHEN
    const files = synth({ blueprint: id });
    // THEN
    expect(files.Dockerfile).toContain(`ARG BASE_IMAGE=${blueprint.baseImage}\n`);
    expect(files.Dockerfile).toContain(`CMD ${JSON.stringify(blueprint.startCommand)}\n`);
    for (const file of blueprint.dependencyFiles) expect(files.Dockerfile).toContain(`app/${file}`);
    for (const p of blueprint.runtimePaths) expect(files.Dockerfile).toContain(`COPY --from=builder /app/${p} ./${p}\n`);
    expect(files.Dockerfile).toContain(`EXPOSE ${blueprint.containerPort}\n`);
    expect(files['scripts/db-migrate.sh']).toContain(blueprint.migrateCommand);
    const app = Object.keys(files).filter((f) => f.startsWith('app/'));
    expect(app.length).toBeGreaterThan(3);
    expect(app.filter((f) => f.endsWith('.hbs'))).toEqual([]);
    for (const file of blueprint.dependencyFiles) expect(app).toContain(`app/${file}`);
  });
});
