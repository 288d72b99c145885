import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ExpressionSpec, MetricSpec } from '../../core/monitoring-definitions';

/** A CloudWatch metric or math expression from its data definition. */
export function toMetric(spec: MetricSpec | ExpressionSpec, period: Duration): cloudwatch.IMetric {
  if ('expression' in spec) {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    for (const [name, metric] of Object.entries(spec.usingMetrics)) usingMetrics[name] = toMetric(metric, period);
    return new cloudwatch.MathExpression({ expression: spec.expression, usingMetrics, label: spec.label, period });
  }
  return new cloudwatch.Metric({
    namespace: spec.namespace,
    metricName: spec.metricName,
    statistic: spec.statistic,
    dimensionsMap: spec.dimensions,
    region: spec.region,
    period,
  });
}

/** A query string already rendered by `logs.QueryString` in the definitions. */
export class PreparedQuery extends logs.QueryString {
  constructor(private readonly text: string) {
    super({});
  }
  public toString(): string {
    return this.text;
  }
}
