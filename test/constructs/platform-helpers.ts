import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ENV } from './helpers';
import { DeploymentEnvironment, HardenedPlatformStackProps } from '../../src';

/** Props of a platform stack for one environment. */
export function platformProps(environment: DeploymentEnvironment, overrides: Partial<HardenedPlatformStackProps> = {}): HardenedPlatformStackProps {
  return {
    environment,
    alarmEmail: 'platform@example.com',
    githubOrganization: 'example-org',
    env: ENV,
    ...overrides,
  };
}

/** A synthesized template as JSON. */
export function templateJson(app: App, stack: Stack): Record<string, any> {
  return JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8'));
}

/** Resources of a type in a template. */
export function resourcesOfType(template: Record<string, any>, type: string): Record<string, any>[] {
  return Object.values<any>(template.Resources ?? {}).filter((r) => r.Type === type);
}

/** Names of the SSM parameters a template writes. */
export function writtenParameters(template: Record<string, any>): string[] {
  return resourcesOfType(template, 'AWS::SSM::Parameter').map((r) => r.Properties.Name).sort();
}

/** Names of the SSM parameters a template reads at deploy time (CloudFormation SSM parameter types). */
export function readParameters(template: Record<string, any>): string[] {
  return Object.values<any>(template.Parameters ?? {})
    .filter((p) => String(p.Type).startsWith('AWS::SSM::Parameter::Value<'))
    .map((p) => p.Default as string)
    .sort();
}

/** Resource types that only a standalone service stack creates; a joined stack must have none. */
export const PLATFORM_OWNED_TYPES = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::FlowLog',
  'AWS::ECS::Cluster',
  'AWS::IAM::OIDCProvider',
  'AWS::CloudTrail::Trail',
];

/** Account- and region-level singletons AWS allows once (per account, or per account and region). */
export const ACCOUNT_SINGLETON_TYPES = [
  'AWS::GuardDuty::Detector',
  'AWS::SecurityHub::Hub',
  'AWS::Config::ConfigurationRecorder',
  'AWS::Config::DeliveryChannel',
  'AWS::AccessAnalyzer::Analyzer',
  'AWS::CloudTrail::Trail',
  'AWS::IAM::OIDCProvider',
];
