import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENT_NAMES, newApp, snippetTemplates } from './helpers';
import { ServiceImageRepository } from '../../src';
import { DEPLOYED_IMAGE_TAG_PREFIX, DEPLOYED_IMAGES_KEPT } from '../../src/core/defaults';

let prod: Template;
beforeAll(() => {
  ({ prod } = snippetTemplates());
});

describe('ServiceImageRepository', () => {
  test('scans on push, keeps tags immutable, encrypts with KMS and expires images', () => {
    prod.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'hedis-optimizer-production',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countType":"sinceImagePushed"') },
    });
  });

  test.each(ENVIRONMENT_NAMES)('the lifecycle can never delete a deployed (running or rollback) image in %s', (environment) => {
    const t = snippetTemplates().of(environment);
    // GIVEN the synthesized lifecycle policy
    const repository = Object.values(t.findResources('AWS::ECR::Repository'))[0];
    const policy = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText);

    // THEN the highest-priority rule takes every image the deploy path tagged, and keeps many
    // of them; ECR evaluates an image only under the first rule whose tag condition it meets
    const rules = [...policy.rules].sort((a: any, b: any) => a.rulePriority - b.rulePriority);
    expect(rules[0]).toEqual({
      rulePriority: 1,
      description: `Keep the ${DEPLOYED_IMAGES_KEPT} most recent deployed images (tag prefix ${DEPLOYED_IMAGE_TAG_PREFIX})`,
      selection: { tagStatus: 'tagged', tagPrefixList: [DEPLOYED_IMAGE_TAG_PREFIX], countType: 'imageCountMoreThan', countNumber: DEPLOYED_IMAGES_KEPT },
      action: { type: 'expire' },
    });
    expect(DEPLOYED_IMAGE_TAG_PREFIX).toBe('deployed-');
    expect(DEPLOYED_IMAGES_KEPT).toBeGreaterThanOrEqual(1000);
    // the count rule for everything else comes after it, so it counts never-deployed images only
    expect(rules.map((r: any) => r.selection.tagStatus)).toEqual(['tagged', 'untagged', 'any']);
    expect(rules[2].selection).toEqual({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 });
  });

  test('works on its own', () => {
    const stack = new Stack(newApp({}), 'ecr');
    new ServiceImageRepository(stack, 'Images', { repositoryName: 'svc', maxImageCount: 10 });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":10') },
    });
  });
});
