import { renderProjenInitOptions } from 'projen/lib/javascript/render-options';
import { synthSnapshot } from 'projen/lib/util/synth';
import { projectOptions } from './helpers';
import { kitDependencyRange, minimumVersion } from '../../src/project/files/kit-package';
import { HardenedServiceProject } from '../../src/project/hardened-service-project';

describe('.projenrc.ts written by projen new', () => {
  test('shows the cdkVersion the project really uses, not the lower default it was raised from', () => {
    // GIVEN the options as `projen new` passes them, with projen's default cdkVersion
    const options = projectOptions({ cdkVersion: '2.189.1' });
    const project = new HardenedServiceProject(renderProjenInitOptions('hardened-service-kit.HardenedServiceProject', options) as typeof options);
    // WHEN projen new synthesizes it
    const files = synthSnapshot(project);
    // THEN .projenrc.ts names the kit's minimum, which package.json pins
    const projenrc = String(files['.projenrc.ts']);
    const kitCdk = minimumVersion(kitDependencyRange('aws-cdk-lib'));
    expect(projenrc).toMatch(new RegExp(`cdkVersion: ["']${kitCdk.replace(/\./g, '\\.')}["']`));
    expect(projenrc).not.toContain('2.189.1');
    expect(project.deps.getDependency('aws-cdk-lib').version).toContain(kitCdk);
  });
});
