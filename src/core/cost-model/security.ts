import { CostContext } from './context';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** KMS keys, Secrets Manager secrets and the trail. */
export function securityItems({ counts, joined }: CostContext): CostLineItem[] {
  const lines: CostLineItem[] = [
    {
      id: 'kms',
      category: 'Security',
      item: 'KMS customer-managed keys',
      quantity: `${counts.kmsKeys} keys`,
      unitPrice: `$${P.kms.keyMonth}/key-month`,
      monthlyUsd: counts.kmsKeys * P.kms.keyMonth,
    },
  ];
  if (counts.secrets > 0) {
    lines.push({
      id: 'secrets-manager',
      category: 'Security',
      item: 'Secrets Manager secrets',
      quantity: `${counts.secrets} secret(s)`,
      unitPrice: `$${P.secretsManager.secretMonth}/secret-month`,
      monthlyUsd: counts.secrets * P.secretsManager.secretMonth,
    });
  }
  // A joined service's trail is the platform's account trail.
  if (joined) return lines;
  lines.push({
    id: 'cloudtrail',
    category: 'Security',
    item: 'CloudTrail trail (first copy of management events)',
    quantity: '1 trail',
    unitPrice: 'free; its files are billed as S3 storage',
    monthlyUsd: P.cloudTrail.firstTrailMonth,
  });
  return lines;
}
