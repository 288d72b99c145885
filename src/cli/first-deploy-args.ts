import { splitCommandLine } from './image';

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** The flags only `first-deploy` has. */
export function readFirstDeployFlags(problems: string[], str: (flag: string) => string | undefined) {
  const stackName = str('stack-name') ?? '';
  if (stackName && !STACK_NAME.test(stackName)) {
    problems.push(`--stack-name "${stackName}" is not a CloudFormation stack name; it starts with a letter and has up to 128 letters, digits or hyphens`);
  }
  const repository = str('repository') ?? '';
  if (repository && !REPOSITORY.test(repository)) {
    problems.push(`--repository "${repository}" is not an ECR repository name; use lowercase letters, digits and . _ - / (the stack names it <service>-<environment>)`);
  }
  const tag = str('tag') ?? '';
  if (tag && (!TAG.test(tag) || tag === 'latest')) {
    problems.push(`--tag "${tag}" is not an immutable image tag; pass up to 128 letters, digits, . _ - such as the commit SHA (never "latest")`);
  }
  const command = (flag: string): string[] => {
    const raw = str(flag);
    if (raw === undefined) return [];
    const parsed = splitCommandLine(raw, `--${flag}`);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      return [];
    }
    return parsed;
  };
  return { stackName, repository, tag, deployCommand: command('deploy-command'), pushCommand: command('push-command') };
}
