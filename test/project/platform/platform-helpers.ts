import { synthSnapshot } from 'projen/lib/util/synth';
import { HardenedPlatformProject, HardenedPlatformProjectOptions } from '../../../src/project/platform/hardened-platform-project';
import { tempOutdir } from '../helpers';

/** The smallest valid options, as `projen new --platform-name acme` would pass them, plus overrides. */
export function platformOptions(overrides: Partial<HardenedPlatformProjectOptions> = {}): HardenedPlatformProjectOptions {
  return {
    name: 'acme-platform',
    defaultReleaseBranch: 'main',
    cdkVersion: '2.1.0',
    projenrcTs: true,
    platformName: 'acme',
    alarmEmail: 'platform@example.com',
    githubRepository: 'example-org/acme-platform',
    outdir: tempOutdir(),
    ...overrides,
  };
}

/** Synthesizes a platform project in a temp dir and returns its files by path. */
export function synthPlatform(overrides: Partial<HardenedPlatformProjectOptions> = {}): Record<string, any> {
  return synthSnapshot(new HardenedPlatformProject(platformOptions(overrides)));
}
