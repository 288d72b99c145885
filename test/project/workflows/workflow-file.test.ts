import { orderTopLevelKeys } from '../../../src/project/workflows/workflow-file';

describe('orderTopLevelKeys', () => {
  test('moves permissions above the jobs and keeps everything else in place', () => {
    const text = '# marker\n\nname: x\non:\n  push: {}\njobs:\n  a:\n    steps: []\npermissions:\n  contents: read\n';
    expect(orderTopLevelKeys(text)).toBe('# marker\n\nname: x\non:\n  push: {}\npermissions:\n  contents: read\njobs:\n  a:\n    steps: []\n');
  });
});
