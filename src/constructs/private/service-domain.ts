import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ResolvedSettings } from '../../core/settings';

/**
 * The service's certificate and DNS name: the certificate ARN given, or a DNS-validated
 * certificate of `domainName` in its hosted zone, and then an alias record to the load balancer.
 * The constructs are the stack's children with the ids they always had (`Certificate`,
 * `HostedZone`, `AliasRecord`).
 */

/** The certificate of the HTTPS listener. */
export function serviceCertificate(stack: Construct, s: ResolvedSettings): acm.ICertificate {
  if (s.certificateArn) {
    return acm.Certificate.fromCertificateArn(stack, 'Certificate', s.certificateArn);
  }
  return new acm.Certificate(stack, 'Certificate', {
    domainName: s.domainName!,
    validation: acm.CertificateValidation.fromDns(hostedZone(stack, s)),
  });
}

/** The alias record of `domainName`, when the stack manages its hosted zone. */
export function serviceAliasRecord(stack: Construct, s: ResolvedSettings, loadBalancer: elbv2.IApplicationLoadBalancer): void {
  if (!s.domainName || !s.hostedZoneId || !s.hostedZoneName) return;
  new route53.ARecord(stack, 'AliasRecord', {
    zone: hostedZone(stack, s),
    recordName: s.domainName,
    target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
  });
}

function hostedZone(stack: Construct, s: ResolvedSettings): route53.IHostedZone {
  const existing = stack.node.tryFindChild('HostedZone') as route53.IHostedZone | undefined;
  return (
    existing ??
    route53.HostedZone.fromHostedZoneAttributes(stack, 'HostedZone', {
      hostedZoneId: s.hostedZoneId!,
      zoneName: s.hostedZoneName!,
    })
  );
}
