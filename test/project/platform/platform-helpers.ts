import { synthSnapshot } from 'projen/lib/util/synth';
import * as YAML from 'yaml';
import { HardenedPlatformProject, HardenedPlatformProjectOptions } from '../../../src/project/platform/hardened-platform-project';
import { tempOutdir } from '../helpers';
import { WORKFLOW_DIR, Workflows } from '../workflows/workflow-test-support';

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

/** The workflows of a platform project: text and parsed document, by file name. */
export function platformWorkflows(files: Record<string, any>): Workflows {
  const text: Record<string, string> = {};
  const doc: Record<string, any> = {};
  for (const [file, content] of Object.entries(files)) {
    if (!file.startsWith(WORKFLOW_DIR)) continue;
    const name = file.slice(WORKFLOW_DIR.length);
    text[name] = String(content);
    doc[name] = YAML.parse(String(content));
  }
  return { text, doc };
}
