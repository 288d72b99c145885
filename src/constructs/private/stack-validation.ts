import { StackProps } from 'aws-cdk-lib';
import { DeploymentEnvironment } from '../../core/deployment-environment';
import { HardenedServiceOptions } from '../../core/service-options';
import { validateDeploymentEnvironment, validateServiceOptions, validateStackRegion } from '../../core/validation';
import { ServicePlatform } from '../service-platform';

/** What `HardenedServiceStack` checks of its props (its props type, named here without importing the stack). */
export interface StackPropsToValidate extends StackProps, HardenedServiceOptions {
  readonly environment: DeploymentEnvironment;
  readonly platform?: ServicePlatform;
}

/** Problems with the props, the shared service options' and the stack's own. */
export function validateStackProps(props: StackPropsToValidate): string[] {
  const problems = [
    ...validateDeploymentEnvironment(props.environment),
    ...validateServiceOptions(props, props.environment),
    ...validateStackRegion(props.env?.region, "load balancer access logs and the VPC's Availability Zones"),
  ];
  if (props.platform) problems.push(...validatePlatformJoin(props, props.platform));
  return problems;
}

/** Problems with joining a platform: its environment must be the stack's, and it brings the OIDC provider. */
function validatePlatformJoin(props: StackPropsToValidate, platform: ServicePlatform): string[] {
  const problems: string[] = [];
  if (platform.environment !== props.environment) {
    problems.push(
      `platform is the "${platform.environment}" environment of platform "${platform.platformName}", but environment is "${props.environment}"; join the platform of the same environment (ServicePlatform.fromParameters({ environment: "${props.environment}", platformName: "${platform.platformName}" }))`,
    );
  }
  if (props.githubOidcProviderArn !== undefined) {
    problems.push(
      `githubOidcProviderArn "${props.githubOidcProviderArn}" is set, but the platform publishes the account's GitHub OIDC provider; remove githubOidcProviderArn when platform is set`,
    );
  }
  return problems;
}
