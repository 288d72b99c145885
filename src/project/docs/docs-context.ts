import { complianceDocsContext } from './compliance-docs';
import { ServiceModel } from '../service-model';
import { bootstrapDocs, ciDocs, PullRequestChecks } from './context/ci-context';
import { complianceDocs, firewallDocs } from './context/compliance-context';
import { costDocs } from './context/cost-context';
import { EnvironmentDocs, environmentsDocs } from './context/environment-context';
import { firstDeployDocs } from './context/first-deploy-context';
import { platformDocs } from './context/platform-context';
import { authenticationContext, runtimesDocs, scaling, serviceDocs } from './context/service-context';
import { inspectServiceStacks, StackFacts } from '../infrastructure/stack-facts';

/**
 * The values the docs templates (`src/templates/docs/*.hbs`) render, by section: each document
 * gets the sections it prints (`DOCUMENT_SECTIONS`), each section is computed once per
 * project, and the stacks are built in memory only when a section needs what only they know.
 * Templates only print and loop.
 */

/** The generated documents, in the order a reader meets them. */
export const SERVICE_DOCS = [
  'ARCHITECTURE.md',
  'AWS_SETUP_GUIDE.md',
  'CI_CD_GUIDE.md',
  'DEPLOYMENT_GUIDE.md',
  'MONITORING_GUIDE.md',
  'SECURITY_GUIDE.md',
  'HIPAA_COMPLIANCE_CHECKLIST.md',
  'OPERATIONS_RUNBOOK.md',
  'DISASTER_RECOVERY.md',
] as const;

/** One of the generated documents. */
export type ServiceDocName = (typeof SERVICE_DOCS)[number];

/** What each document is for, in the order a newcomer reads them (the README lists them). */
export const DOC_PURPOSES: Record<ServiceDocName, string> = {
  'ARCHITECTURE.md': 'what runs where: network, services, data, the request path, the cost per environment',
  'AWS_SETUP_GUIDE.md': 'the accounts, the CDK bootstrap and the first deploy of each environment',
  'CI_CD_GUIDE.md': 'the workflows, the GitHub environments, variables, secrets and required checks',
  'DEPLOYMENT_GUIDE.md': 'deploying and rolling back by hand, migrations, promoting to production',
  'MONITORING_GUIDE.md': 'alarms and where they notify, dashboards, log groups, saved queries, capacity',
  'SECURITY_GUIDE.md': 'encryption, network rules, authentication, secrets, the incident procedure',
  'HIPAA_COMPLIANCE_CHECKLIST.md': 'the safeguards, each cdk-nag acknowledgement with its reason, what stays yours',
  'OPERATIONS_RUNBOOK.md': 'what to run when each alarm fires, restores, scaling, rotation, rollback',
  'DISASTER_RECOVERY.md': 'RPO and RTO per component, restores and rebuilding a deleted stack',
};

/** A part of the documents' values, computed on its own. */
export type DocsSection =
  | 'service' | 'environments' | 'runtimes' | 'firewall' | 'compliance' | 'accounts' | 'auth' | 'cost' | 'scaling' | 'ci' | 'bootstrap' | 'platform' | 'firstDeploy';

/** The sections each document renders ("service", the service's identity, goes to every one). */
export const DOCUMENT_SECTIONS: Record<ServiceDocName, DocsSection[]> = {
  'ARCHITECTURE.md': ['service', 'environments', 'accounts', 'firewall', 'auth', 'cost', 'platform'],
  'AWS_SETUP_GUIDE.md': ['service', 'environments', 'accounts', 'bootstrap', 'cost', 'platform', 'firstDeploy'],
  'CI_CD_GUIDE.md': ['service', 'environments', 'accounts', 'ci', 'platform'],
  'DEPLOYMENT_GUIDE.md': ['service', 'environments', 'ci'],
  'MONITORING_GUIDE.md': ['service', 'environments', 'cost', 'scaling', 'ci'],
  'SECURITY_GUIDE.md': ['service', 'environments', 'accounts', 'runtimes', 'firewall', 'auth'],
  'HIPAA_COMPLIANCE_CHECKLIST.md': ['service', 'environments', 'accounts', 'compliance'],
  'OPERATIONS_RUNBOOK.md': ['service', 'environments', 'auth', 'scaling', 'platform'],
  'DISASTER_RECOVERY.md': ['service', 'environments', 'accounts', 'platform'],
};

/** What the docs need from the project besides the model. */
export interface DocsProjectFacts {
  /** Secrets projen's own workflows read (`upgrade.yml`'s pull request token). */
  readonly projenSecrets?: string[];
  /** The checks GitHub shows for a pull request (job names), and the PR-title rule. */
  readonly checks?: PullRequestChecks;
}


/** The documents' values of one project, each section built at its first use. */
export class DocsContext {
  private stackFacts?: StackFacts[];
  private readonly sections = new Map<DocsSection, object>();

  constructor(private readonly model: ServiceModel, private readonly project: DocsProjectFacts = {}) {}

  /** The values `docs/<doc>.hbs` renders. */
  public forDocument(doc: ServiceDocName): object {
    return Object.assign({}, ...DOCUMENT_SECTIONS[doc].map((section) => this.section(section)));
  }

  /** One section's values. */
  public section(name: DocsSection): object {
    let values = this.sections.get(name);
    if (!values) {
      values = this.build(name);
      this.sections.set(name, values);
    }
    return values;
  }

  /** What the stacks built in memory say (staging first); built once, on first use. */
  private get facts(): StackFacts[] {
    return (this.stackFacts ??= inspectServiceStacks(this.model));
  }

  private build(name: DocsSection): object {
    const model = this.model;
    switch (name) {
      case 'service': return serviceDocs(model);
      case 'environments': return environmentsDocs(model, this.facts);
      case 'runtimes': return runtimesDocs(model);
      case 'firewall': return firewallDocs();
      case 'compliance': return complianceDocs(model, this.facts);
      case 'accounts': return complianceDocsContext(model, this.facts);
      case 'auth': return { auth: authenticationContext(model) };
      case 'cost': return costDocs(model, (this.section('environments') as { environments: EnvironmentDocs[] }).environments);
      case 'scaling': return { scaling: scaling(model) };
      case 'ci': return ciDocs(model, this.facts, this.project.projenSecrets ?? [], this.project.checks);
      case 'bootstrap': return bootstrapDocs(model);
      case 'platform': return platformDocs(model);
      case 'firstDeploy': return firstDeployDocs(model);
    }
  }
}
