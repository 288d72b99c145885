import { github } from 'projen';

/** A third-party action pinned to the commit its release tag points at. */
export interface ActionPin {
  /** `owner/repo` (or `owner/repo/path`). */
  readonly action: string;
  /** The release tag, written beside the pin in each workflow. */
  readonly version: string;
  /** The full 40-hex commit of `version`. */
  readonly commit: string;
}

/**
 * Every third-party action the generated workflows use, in one table: a tag can be moved to
 * other code, a commit cannot. Each commit is the one the release tag points at (lightweight
 * tags: the tag's object; annotated tags: the `^{}` commit). Refresh with
 * `git ls-remote --tags https://github.com/OWNER/REPO 'refs/tags/vX.Y.Z*'` and change the row;
 * `npx projen` in every service then rewrites its workflows.
 *
 * The table also pins the actions of projen's own workflows (`upgrade.yml`,
 * `pull-request-lint.yml`) through projen's actions provider.
 */
export const ACTION_PINS = {
  checkout: { action: 'actions/checkout', version: 'v7.0.1', commit: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  setupNode: { action: 'actions/setup-node', version: 'v7.0.0', commit: '820762786026740c76f36085b0efc47a31fe5020' },
  setupPython: { action: 'actions/setup-python', version: 'v7.0.0', commit: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  uploadArtifact: { action: 'actions/upload-artifact', version: 'v7.0.1', commit: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a' },
  downloadArtifact: { action: 'actions/download-artifact', version: 'v8.0.1', commit: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c' },
  configureAwsCredentials: {
    action: 'aws-actions/configure-aws-credentials',
    version: 'v6.2.3',
    commit: 'e6de054238d6b7531b4efff3b6587d9aade6a06c',
  },
  setupBuildx: { action: 'docker/setup-buildx-action', version: 'v4.4.1', commit: 'f87e5991a6d7451dcb8d9637bfbc97413f497069' },
  buildPush: { action: 'docker/build-push-action', version: 'v7.4.0', commit: 'c3c9e263c25d99ce0380d002d59b67737d91b0dc' },
  // Used by projen's own workflows only.
  createPullRequest: {
    action: 'peter-evans/create-pull-request',
    version: 'v8.1.1',
    commit: '5f6978faf089d4d20b00c7766989d076bb2fc7f1',
  },
  semanticPullRequest: {
    action: 'amannn/action-semantic-pull-request',
    version: 'v6.1.1',
    commit: '48f256284bd46cdaab1048c3721360e808335d50',
  },
} as const satisfies Record<string, ActionPin>;

/** The `uses:` value of a pinned action: `owner/repo@<commit>`. */
export function uses(pin: ActionPin): string {
  return `${pin.action}@${pin.commit}`;
}

/**
 * Makes every workflow of the project use the table's commits, projen's own workflows
 * included, whatever ref they name.
 */
export function pinProjectActions(gh: github.GitHub): void {
  for (const pin of Object.values(ACTION_PINS)) {
    gh.actions.set(pin.action, uses(pin));
  }
}

/** Adds `# <version>` after every `uses:` line that names a commit of the table. */
export function withVersionComments(text: string): string {
  const versions = new Map<string, string>(Object.values(ACTION_PINS).map((pin) => [uses(pin), pin.version]));
  return text.replace(/^([ \t]*(?:-[ \t]+)?uses:[ \t]+)(\S+)[ \t]*$/gm, (line, prefix: string, ref: string) => {
    const version = versions.get(ref);
    return version ? `${prefix}${ref} # ${version}` : line;
  });
}
