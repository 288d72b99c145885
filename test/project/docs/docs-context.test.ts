import { DOCUMENT_SECTIONS, DocsContext, SERVICE_DOCS } from '../../../src/project/docs/docs-context';
import * as stackFacts from '../../../src/project/infrastructure/stack-facts';
import { resolveServiceModel } from '../../../src/project/service-model';
import { projectOptions } from '../helpers';

describe('the docs context', () => {
  afterEach(() => jest.restoreAllMocks());

  test('every document has its sections, the service section first', () => {
    expect(Object.keys(DOCUMENT_SECTIONS)).toEqual([...SERVICE_DOCS]);
    for (const sections of Object.values(DOCUMENT_SECTIONS)) expect(sections[0]).toEqual('service');
  });

  test('a document gets only the values of its sections', () => {
    const docs = new DocsContext(resolveServiceModel(projectOptions()));
    const recovery = docs.forDocument('DISASTER_RECOVERY.md') as Record<string, unknown>;
    expect(recovery).toHaveProperty('serviceName', 'hedis-optimizer');
    expect(recovery).toHaveProperty('environments');
    for (const key of ['cost', 'ci', 'safeguards', 'acknowledgements', 'bootstrap', 'auth']) expect(recovery).not.toHaveProperty(key);
    const checklist = docs.forDocument('HIPAA_COMPLIANCE_CHECKLIST.md') as Record<string, unknown>;
    expect(checklist).toHaveProperty('safeguards');
    expect(checklist).not.toHaveProperty('cost');
  });

  test('the stacks are built only for a section that needs them, and each section once', () => {
    const inspect = jest.spyOn(stackFacts, 'inspectServiceStacks');
    const docs = new DocsContext(resolveServiceModel(projectOptions()));
    docs.section('service');
    docs.section('scaling');
    docs.section('auth');
    expect(inspect).not.toHaveBeenCalled();
    const environments = docs.section('environments');
    docs.section('compliance');
    expect(docs.section('environments')).toBe(environments);
    expect(inspect).toHaveBeenCalledTimes(1);
  });
});
