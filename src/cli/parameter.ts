import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AwsCaller } from './aws';
import { UsageError } from './errors';
import { Deadline } from './timing';

/**
 * The SSM String parameter the stack reads its image tag from
 * (`AWS::SSM::Parameter::Value<String>`, resolved at every `cdk deploy`). Writing the deployed
 * tag here is what keeps CloudFormation the source of truth: the next `cdk deploy` renders
 * the image the tool rolled out instead of reverting it.
 */
export class ImageTagParameter {
  constructor(private readonly client: SSMClient, private readonly caller: AwsCaller) {}

  /** The current value. A missing or non-String parameter is bad input. */
  public async read(name: string, deadline: Deadline): Promise<string> {
    try {
      const out = await this.caller.call('GetParameter', deadline, (abortSignal) =>
        this.client.send(new GetParameterCommand({ Name: name }), { abortSignal }));
      const parameter = out.Parameter;
      if (parameter?.Type !== 'String' || parameter.Value === undefined) {
        throw new UsageError(`--image-tag-parameter "${name}" is a ${parameter?.Type ?? 'valueless'} parameter; the stack reads a String parameter`);
      }
      return parameter.Value;
    } catch (err) {
      if (err instanceof Error && err.name === 'ParameterNotFound') {
        throw new UsageError(
          `--image-tag-parameter "${name}" does not exist; the stack's first deploy needs it, create it with: aws ssm put-parameter --type String --name ${name} --value TAG`,
        );
      }
      throw err;
    }
  }

  /** The current value, or undefined when the parameter does not exist (a first deploy). */
  public async find(name: string, deadline: Deadline): Promise<string | undefined> {
    try {
      return await this.read(name, deadline);
    } catch (err) {
      if (err instanceof UsageError && /does not exist/.test(err.message)) {
        return undefined;
      }
      throw err;
    }
  }

  /** Creates the parameter; fails if it exists (never overwrites a deployed tag). */
  public async create(name: string, value: string, deadline: Deadline): Promise<void> {
    await this.caller.call('PutParameter', deadline, (abortSignal) =>
      this.client.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: false }), { abortSignal }));
  }

  public async write(name: string, value: string, deadline: Deadline): Promise<void> {
    await this.caller.call('PutParameter', deadline, (abortSignal) =>
      this.client.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }), { abortSignal }));
  }
}
