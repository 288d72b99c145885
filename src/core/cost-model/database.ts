import { CostContext } from './context';
import { num, priceOf } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** The RDS instance, its storage and its AWS Backup snapshots; none without a database. */
export function databaseItems({ s, u, hours }: CostContext): CostLineItem[] {
  if (!s.database) return [];
  const instanceClass = `db.${s.databaseInstanceClass}`;
  const instanceHour = priceOf(P.rds.instanceHour, instanceClass, 'PRICES.rds.instanceHour');
  const az = s.multiAz ? P.rds.multiAzFactor : 1;
  // RDS keeps automated backups up to the database's size free; AWS Backup's daily
  // snapshots are incremental and billed for what changes over their retention.
  const backupGb = s.databaseAllocatedStorageGiB * (1 + u.backupDailyChangeRate * s.awsBackupRetentionDays);
  return [
    {
      id: 'rds-instance',
      category: 'Database',
      item: 'RDS PostgreSQL instance',
      quantity: `${instanceClass}${s.multiAz ? ' Multi-AZ' : ' single-AZ'}: ${hours} h${s.multiAz ? ` x ${P.rds.multiAzFactor} (primary + standby)` : ''}`,
      unitPrice: `$${instanceHour}/h`,
      monthlyUsd: hours * instanceHour * az,
    },
    {
      id: 'rds-storage',
      category: 'Database',
      item: 'RDS gp3 storage',
      quantity: `${s.databaseAllocatedStorageGiB} GB${s.multiAz ? ` x ${P.rds.multiAzFactor}` : ''}`,
      unitPrice: `$${P.rds.gp3GbMonth}/GB-month`,
      monthlyUsd: s.databaseAllocatedStorageGiB * P.rds.gp3GbMonth * az,
    },
    {
      id: 'rds-backup',
      category: 'Database',
      item: 'AWS Backup snapshots of the database',
      quantity: `${num(backupGb)} GB (${s.databaseAllocatedStorageGiB} GB + ${num(u.backupDailyChangeRate * 100)}%/day changed, kept ${s.awsBackupRetentionDays} days)`,
      unitPrice: `$${P.rds.backupGbMonth}/GB-month`,
      monthlyUsd: backupGb * P.rds.backupGbMonth,
    },
  ];
}
