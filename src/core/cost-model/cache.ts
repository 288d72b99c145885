import { CostContext } from './context';
import { num, priceOf } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** The ElastiCache nodes and their paid snapshots; none without a cache. */
export function cacheItems({ s, u, counts, hours }: CostContext): CostLineItem[] {
  if (!s.cache) return [];
  const nodeHour = priceOf(P.elasticache.nodeHour, s.cacheNodeType, 'PRICES.elasticache.nodeHour');
  const memory = priceOf(P.elasticache.nodeMemoryGiB, s.cacheNodeType, 'PRICES.elasticache.nodeMemoryGiB');
  // One snapshot per cluster is free; the others are full copies of the used memory.
  const snapshotGb = memory * u.cacheFill * Math.max(0, s.cacheSnapshotRetentionDays - 1);
  return [
    {
      id: 'elasticache',
      category: 'Cache',
      item: 'ElastiCache Redis nodes',
      quantity: `${counts.cacheNodes} x ${s.cacheNodeType} x ${hours} h`,
      unitPrice: `$${nodeHour}/h`,
      monthlyUsd: counts.cacheNodes * hours * nodeHour,
    },
    {
      id: 'elasticache-snapshots',
      category: 'Cache',
      item: 'ElastiCache snapshots',
      quantity: `${num(snapshotGb)} GB (${num(u.cacheFill * 100)}% of ${memory} GiB x ${s.cacheSnapshotRetentionDays - 1} paid snapshots, kept ${s.cacheSnapshotRetentionDays} days)`,
      unitPrice: `$${P.elasticache.snapshotGbMonth}/GB-month`,
      monthlyUsd: snapshotGb * P.elasticache.snapshotGbMonth,
    },
  ];
}
