import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ACK, acknowledge } from './private/acknowledgements';
import { newDataKey } from './private/encryption-keys';

/** Properties of `ServiceApiKeys`. */
export interface ServiceApiKeysProps {
  /** Name of the secret, for example `hedis-optimizer-production/api-keys`. */
  readonly secretName: string;

  /**
   * Retain the secret (the digests of the issued keys) when it leaves the stack or is replaced.
   * @default false
   */
  readonly deletionProtection?: boolean;

  /**
   * KMS key that encrypts the secret.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The Secrets Manager secret of the API's keys for machine clients. It holds a JSON document
 * `{"keys": [{"id", "client", "sha256", "scopes", "created", "expires"}]}`: the SHA-256 digest
 * of each key, never a key itself. The service reads it as the `API_KEYS` variable, accepts at
 * most two unexpired keys per client (old and new during a rotation) and compares digests in
 * constant time. It starts with no key: the rotation runbook issues the first.
 */
export class ServiceApiKeys extends Construct {
  /** The secret, KMS-encrypted. */
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ServiceApiKeysProps) {
    super(scope, id);
    const key = props.encryptionKey ?? newDataKey(this, 'Key', `API keys ${props.secretName}`);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'SHA-256 digests of the API keys of machine clients (no key itself); see the API key rotation runbook',
      encryptionKey: key,
      // Not secret: an empty list of digests. The runbook puts the first digest in.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ keys: [] })),
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.secret, ACK.apiKeysRotatedByRunbook);
  }
}
