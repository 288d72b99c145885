import { CostContext } from './context';
import { num } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** S3 (load balancer access logs, CloudTrail files) and ECR images. */
export function storageItems({ s, u, joined }: CostContext): CostLineItem[] {
  const months = s.logRetentionDays / 30;
  const albLogsGb = ((u.requestsPerMonth * u.albLogKbPerRequest) / 1e6) * months;
  // A joined service writes no trail files: the platform's account trail does.
  const trailGb = joined ? 0 : u.trailGbPerMonth * Math.min(months, 3);
  return [
    {
      id: 's3',
      category: 'Storage',
      item: 'S3: load balancer access logs and CloudTrail files',
      quantity: `${num(albLogsGb + trailGb)} GB at steady state`,
      unitPrice: `$${P.s3.standardGbMonth}/GB-month`,
      monthlyUsd: (albLogsGb + trailGb) * P.s3.standardGbMonth,
    },
    {
      id: 'ecr',
      category: 'Storage',
      item: 'ECR image storage',
      quantity: `${num(u.ecrGb)} GB`,
      unitPrice: `$${P.ecr.storageGbMonth}/GB-month`,
      monthlyUsd: u.ecrGb * P.ecr.storageGbMonth,
    },
  ];
}
