import * as logs from 'aws-cdk-lib/aws-logs';

/** The `logs.RetentionDays` member for a number of days. */
export function retentionDays(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!known.includes(days)) {
    throw new Error(`log retention ${days} days is not one CloudWatch Logs accepts; use one of ${known.join(', ')}`);
  }
  return days as logs.RetentionDays;
}
