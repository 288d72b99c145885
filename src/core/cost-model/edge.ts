import { CostContext } from './context';
import { millions, num } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** The load balancer and the web ACL in front of it. */
export function edgeItems({ u, counts, hours, joined }: CostContext): CostLineItem[] {
  const requestsPerSecond = u.requestsPerMonth / (hours * 3600);
  const processedGbPerHour = (u.requestsPerMonth * (u.requestKb + u.responseKb)) / 1e6 / hours;
  // An LCU is the largest of: 25 new connections/s (one per request, no reuse assumed), 1 GB/h processed.
  const lcu = Math.max(requestsPerSecond / 25, processedGbPerHour);
  return [
    {
      id: 'load-balancer',
      category: 'Edge',
      item: 'Application Load Balancer',
      quantity: `${hours} h + ${num(lcu)} LCU average`,
      unitPrice: `$${P.loadBalancer.hour}/h + $${P.loadBalancer.lcuHour}/LCU-h`,
      monthlyUsd: hours * P.loadBalancer.hour + lcu * hours * P.loadBalancer.lcuHour,
    },
    joined
      ? {
        // The platform pays for its web ACL and rules (estimatePlatformCost); each service, for its requests.
        id: 'waf',
        category: 'Edge',
        item: "The platform's WAFv2 web ACL: this service's requests",
        quantity: `${millions(u.requestsPerMonth)} requests`,
        unitPrice: `$${P.waf.perMillionRequests}/million`,
        monthlyUsd: (u.requestsPerMonth / 1e6) * P.waf.perMillionRequests,
      }
      : {
        id: 'waf',
        category: 'Edge',
        item: 'WAFv2 web ACL',
        quantity: `${counts.webAcls} web ACL + ${counts.webAclRules} rules + ${millions(u.requestsPerMonth)} requests`,
        unitPrice: `$${P.waf.webAclMonth}/ACL + $${P.waf.ruleMonth}/rule + $${P.waf.perMillionRequests}/million`,
        monthlyUsd:
          counts.webAcls * (P.waf.webAclMonth + counts.webAclRules * P.waf.ruleMonth) + (u.requestsPerMonth / 1e6) * P.waf.perMillionRequests,
      },
  ];
}
