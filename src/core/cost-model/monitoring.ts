import { CostContext } from './context';
import { num } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** Container Insights and the error metric: custom metrics of the cluster (listed after compute). */
export function containerInsightsItems({ u }: CostContext): CostLineItem[] {
  return [
    {
      id: 'container-insights',
      category: 'Monitoring',
      item: 'Container Insights and the error metric (custom metrics)',
      quantity: `${u.containerInsightsMetrics + 1} metrics`,
      unitPrice: `$${P.cloudWatch.customMetricMonth}/metric-month`,
      monthlyUsd: (u.containerInsightsMetrics + 1) * P.cloudWatch.customMetricMonth,
    },
  ];
}

/** CloudWatch Logs ingestion and storage, alarms and dashboards. */
export function monitoringItems({ s, u, counts, appLogsGb, joined }: CostContext): CostLineItem[] {
  const wafLogsGb = (u.requestsPerMonth * u.wafLogKbPerRequest) / 1e6;
  // The flow logs of a joined service's VPC are the platform's.
  const flowLogsGb = joined ? 0 : u.flowLogsGb;
  const ingestGb = appLogsGb + wafLogsGb + flowLogsGb + u.otherLogsGb;
  const storedGb = ingestGb * (s.logRetentionDays / 30) * u.logsCompressionRatio;
  return [
    {
      id: 'logs-ingest',
      category: 'Monitoring',
      item: 'CloudWatch Logs ingestion',
      quantity: `${num(ingestGb)} GB (app ${num(appLogsGb)}, WAF ${num(wafLogsGb)}, flow ${num(flowLogsGb)}, other ${num(u.otherLogsGb)})`,
      unitPrice: `$${P.cloudWatch.logsIngestGb}/GB`,
      monthlyUsd: ingestGb * P.cloudWatch.logsIngestGb,
    },
    {
      id: 'logs-storage',
      category: 'Monitoring',
      item: 'CloudWatch Logs storage',
      quantity: `${num(storedGb)} GB compressed at steady state (kept ${s.logRetentionDays} days)`,
      unitPrice: `$${P.cloudWatch.logsStorageGbMonth}/GB-month`,
      monthlyUsd: storedGb * P.cloudWatch.logsStorageGbMonth,
    },
    {
      id: 'alarms',
      category: 'Monitoring',
      item: 'CloudWatch alarms',
      quantity: `${counts.alarms} alarms, ${counts.alarmMetrics} metrics`,
      unitPrice: `$${P.cloudWatch.alarmMetricMonth}/alarm metric-month`,
      monthlyUsd: counts.alarmMetrics * P.cloudWatch.alarmMetricMonth,
    },
    {
      id: 'dashboards',
      category: 'Monitoring',
      item: 'CloudWatch dashboards',
      quantity: `${counts.dashboards} dashboards`,
      unitPrice: `$${P.cloudWatch.dashboardMonth}/dashboard-month`,
      monthlyUsd: counts.dashboards * P.cloudWatch.dashboardMonth,
    },
  ];
}
