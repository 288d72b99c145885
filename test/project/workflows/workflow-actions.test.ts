import { ACTION_PINS, withVersionComments } from '../../../src/project/workflows/workflow-actions';
import { isPinnedOrLocal } from '../../../src/project/workflows/workflow-validation';

describe('action pins', () => {
  test('every pin is a full commit with a release tag', () => {
    for (const pin of Object.values(ACTION_PINS)) {
      expect(pin.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(pin.action).toMatch(/^[\w.-]+\/[\w.-]+$/);
    }
  });

  test('the release is written beside each pinned commit, and nowhere else', () => {
    const pinned = `${ACTION_PINS.checkout.action}@${ACTION_PINS.checkout.commit}`;
    const text = `steps:\n  - uses: ${pinned}\n    with:\n      uses: ${pinned}x\n  - uses: ./local\n`;
    expect(withVersionComments(text)).toBe(
      `steps:\n  - uses: ${pinned} # ${ACTION_PINS.checkout.version}\n    with:\n      uses: ${pinned}x\n  - uses: ./local\n`,
    );
  });

  test.each([
    ['./.github/actions/x', true],
    [`actions/cache@${'a'.repeat(40)}`, true],
    [`github/codeql-action/upload-sarif@${'0'.repeat(40)}`, true],
    [`docker://alpine@sha256:${'b'.repeat(64)}`, true],
    ['actions/cache@v4', false],
    [`actions/cache@${'a'.repeat(39)}`, false],
    [`actions/cache@${'A'.repeat(40)}`, false],
    ['docker://alpine:3.20', false],
  ])('isPinnedOrLocal(%s) is %s', (ref, expected) => {
    expect(isPinnedOrLocal(ref)).toBe(expected);
  });
});
