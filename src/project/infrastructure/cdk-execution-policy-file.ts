import { Component, JsonFile, Project } from 'projen';
import { ServiceModel } from '../service-model';
import { inspectServiceStacks } from './stack-facts';
import { cdkExecutionPolicy } from '../../core/cdk-execution-policy';

/** Where the generated repo keeps the policy. */
export const CDK_EXECUTION_POLICY_PATH = 'infrastructure/bootstrap/cdk-execution-policy.json';

/**
 * `infrastructure/bootstrap/cdk-execution-policy.json`: the IAM policy that `cdk bootstrap
 * --cloudformation-execution-policies` gives CloudFormation instead of AdministratorAccess,
 * made from the resource types of both environments' stacks (so a kit upgrade that adds a
 * kind of resource updates it). Written without projen's "//" marker, which IAM would reject
 * as an unknown policy element; projen still owns the file (read-only, in `.projen/files.json`).
 */
export class CdkExecutionPolicyFile extends Component {
  /** The JSON file. */
  public readonly file: JsonFile;

  constructor(project: Project, model: ServiceModel) {
    super(project);
    this.file = new JsonFile(project, CDK_EXECUTION_POLICY_PATH, {
      marker: false,
      obj: () => cdkExecutionPolicyFor(model),
    });
  }
}

/** The execution policy of the service's stacks, from the resource types of both environments. */
export function cdkExecutionPolicyFor(model: ServiceModel): Record<string, unknown> {
  return cdkExecutionPolicy({
    serviceName: model.serviceName,
    region: model.region,
    resourceTypes: [...new Set(inspectServiceStacks(model).flatMap((f) => f.resourceTypes))].sort(),
    platformName: model.platform?.name,
  });
}
