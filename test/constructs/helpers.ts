import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { DeploymentEnvironment, HardenedServiceStack, HardenedServiceStackProps } from '../../src';

export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-5678-9abc-0123456789ab';
export const ENV = { account: '123456789012', region: 'us-east-1' };

/** The recommended feature flags, as `cdk init` writes them into a new project's cdk.json. */
export function recommendedContext(): Record<string, unknown> {
  return { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS };
}

/** A new App writing to a fresh temp dir. */
export function newApp(context: Record<string, unknown> = recommendedContext()): App {
  return new App({ outdir: mkdtempSync(join(tmpdir(), 'hsk-cdk-')), context });
}

/** Props of the exact snippet for one environment. */
export function snippetProps(environment: DeploymentEnvironment): HardenedServiceStackProps {
  return {
    serviceName: 'hedis-optimizer',
    environment,
    certificateArn: CERTIFICATE_ARN,
    alarmEmail: 'oncall@example.com',
    githubRepository: 'example-org/hedis-optimizer',
    env: ENV,
  };
}

/** One finding that is open (not acknowledged) in the validation report. */
export interface OpenFinding {
  readonly pack: string;
  readonly rule: string;
  readonly path: string;
}

/** Synthesizes the app; returns the open findings of every plugin (empty when the gate passes). */
export function synthFindings(app: App): { findings: OpenFinding[]; error?: Error } {
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const reportPath = join(app.outdir, 'validation-report.json');
  const findings: OpenFinding[] = [];
  if (existsSync(reportPath)) {
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    for (const plugin of report.pluginReports) {
      for (const violation of plugin.violations) {
        for (const construct of violation.violatingConstructs) {
          findings.push({ pack: plugin.pluginName, rule: violation.ruleName, path: construct.constructPath });
        }
      }
    }
  } else if (error) {
    throw error;
  }
  return { findings, error };
}

/** Rules acknowledged in a template's cdk_nag metadata, as `rule -> reasons`. */
export function acknowledgedRules(template: Record<string, any>): Map<string, { reason: string; logicalId: string }[]> {
  const found = new Map<string, { reason: string; logicalId: string }[]>();
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
      const list = found.get(rule.id) ?? [];
      list.push({ reason: rule.reason, logicalId });
      found.set(rule.id, list);
    }
  }
  return found;
}

/** The template of a stack. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The stacks of the snippet, both environments, in one app. */
export function snippetApp(context?: Record<string, unknown>): { app: App; staging: HardenedServiceStack; production: HardenedServiceStack } {
  const app = newApp(context);
  const staging = new HardenedServiceStack(app, 'hedis-optimizer-staging', snippetProps(DeploymentEnvironment.STAGING));
  const production = new HardenedServiceStack(app, 'hedis-optimizer-production', snippetProps(DeploymentEnvironment.PRODUCTION));
  return { app, staging, production };
}

/** cfn-lint's findings on a template file, as `[{ Rule: { Id }, Level, Message }]`. */
export function cfnLint(templatePath: string): { Rule: { Id: string }; Level: string; Message: string }[] {
  try {
    const out = execFileSync('cfn-lint', ['--format', 'json', templatePath], { encoding: 'utf8' });
    return JSON.parse(out || '[]');
  } catch (e: any) {
    // cfn-lint exits non-zero whenever it finds something; its JSON is still on stdout.
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

/** The snippet's two templates, by environment name. */
export interface SnippetTemplates {
  readonly stg: Template;
  readonly prod: Template;
  readonly both: [string, Template][];
  /** The template of `staging` or `production`. */
  of(environment: string): Template;
  /** The stack of `staging` or `production`. */
  stackOf(environment: string): HardenedServiceStack;
}

let snippetTemplatesMemo: SnippetTemplates | undefined;

/**
 * The templates of the snippet's staging and production stacks, synthesized on the first call
 * (from a test or a `beforeAll`, never at module load) and shared by the tests of one file.
 */
export function snippetTemplates(): SnippetTemplates {
  if (!snippetTemplatesMemo) {
    const { staging, production } = snippetApp();
    const stg = Template.fromStack(staging);
    const prod = Template.fromStack(production);
    snippetTemplatesMemo = {
      stg,
      prod,
      both: [['staging', stg], ['production', prod]],
      of: (environment) => (environment === 'staging' ? stg : prod),
      stackOf: (environment) => (environment === 'staging' ? staging : production),
    };
  }
  return snippetTemplatesMemo;
}

/** The environment names, for `test.each` tables (defined before any template exists). */
export const ENVIRONMENT_NAMES = ['staging', 'production'];

/**
 * cfn-lint's errors and the warnings beyond the known ones (W3010 literal AZs, W3005 CDK's
 * redundant DependsOn, W3691 for the major-only PostgreSQL version; reasons in
 * hardened-service-stack.test.ts), as `Id Message` lines: empty when the template is clean.
 */
export function unexpectedCfnLint(templatePath: string, postgresMajor: number): string[] {
  const majorOnly = `W3691 Engine version '${postgresMajor}' for engine 'postgres' is deprecated and cannot be used to create new RDS DB instances`;
  return cfnLint(templatePath)
    .filter((r) => r.Level === 'Error' || (!['W3010', 'W3005'].includes(r.Rule.Id) && `${r.Rule.Id} ${r.Message}` !== majorOnly))
    .map((r) => `${r.Level} ${r.Rule.Id} ${r.Message}`);
}
