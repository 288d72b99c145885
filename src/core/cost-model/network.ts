import { CostContext } from './context';
import { millions, num } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** NAT gateways, interface endpoints and data transfer out. */
export function networkItems({ u, counts, hours, appLogsGb, joined }: CostContext): CostLineItem[] {
  // What the tasks send through the endpoints: their logs and about a GB of image pulls and secrets.
  const endpointGb = appLogsGb + 1;
  const endpointAzHours = counts.interfaceEndpoints * counts.availabilityZones * hours;
  const dataOutGb = (u.requestsPerMonth * u.responseKb) / 1e6;
  if (joined) return joinedNetworkItems(u.natProcessedGb, endpointGb, dataOutGb, u.requestsPerMonth, u.responseKb);
  return [
    {
      id: 'nat-gateway',
      category: 'Network',
      item: 'NAT gateways',
      quantity: `${counts.natGateways} x ${hours} h + ${num(u.natProcessedGb)} GB processed`,
      unitPrice: `$${P.natGateway.hour}/h + $${P.natGateway.gbProcessed}/GB`,
      monthlyUsd: counts.natGateways * hours * P.natGateway.hour + u.natProcessedGb * P.natGateway.gbProcessed,
    },
    {
      id: 'interface-endpoints',
      category: 'Network',
      item: 'Interface VPC endpoints (ECR API, ECR Docker, Logs, Secrets Manager)',
      quantity: `${counts.interfaceEndpoints} endpoints x ${counts.availabilityZones} AZs x ${hours} h + ${num(endpointGb)} GB`,
      unitPrice: `$${P.interfaceEndpoint.azHour}/AZ-h + $${P.interfaceEndpoint.gbProcessed}/GB`,
      monthlyUsd: endpointAzHours * P.interfaceEndpoint.azHour + endpointGb * P.interfaceEndpoint.gbProcessed,
    },
    {
      id: 'data-transfer-out',
      category: 'Network',
      item: 'Data transfer out to the internet',
      quantity: `${num(dataOutGb)} GB (${millions(u.requestsPerMonth)} requests x ${u.responseKb} KB)`,
      unitPrice: `$${P.dataTransferOutGb}/GB`,
      monthlyUsd: dataOutGb * P.dataTransferOutGb,
    },
  ];
}

/**
 * A joined service's share of the platform's network: the bytes its tasks send through the
 * platform's NAT gateways and endpoints (their hours are the platform's), and its data out.
 */
function joinedNetworkItems(natGb: number, endpointGb: number, dataOutGb: number, requests: number, responseKb: number): CostLineItem[] {
  return [
    {
      id: 'nat-gateway',
      category: 'Network',
      item: "The platform's NAT gateways: this service's bytes",
      quantity: `${num(natGb)} GB processed (the gateways' hours are the platform's)`,
      unitPrice: `$${P.natGateway.gbProcessed}/GB`,
      monthlyUsd: natGb * P.natGateway.gbProcessed,
    },
    {
      id: 'interface-endpoints',
      category: 'Network',
      item: "The platform's interface endpoints: this service's bytes",
      quantity: `${num(endpointGb)} GB (the endpoints' hours are the platform's)`,
      unitPrice: `$${P.interfaceEndpoint.gbProcessed}/GB`,
      monthlyUsd: endpointGb * P.interfaceEndpoint.gbProcessed,
    },
    {
      id: 'data-transfer-out',
      category: 'Network',
      item: 'Data transfer out to the internet',
      quantity: `${num(dataOutGb)} GB (${millions(requests)} requests x ${responseKb} KB)`,
      unitPrice: `$${P.dataTransferOutGb}/GB`,
      monthlyUsd: dataOutGb * P.dataTransferOutGb,
    },
  ];
}
