import { CostContext } from './context';
import { num } from './format';
import { PRICES as P } from './prices';
import { CostLineItem } from './types';

/** Fargate tasks at minimum capacity, on-demand and (in staging) Spot. */
export function computeItems({ s, counts, taskHours, vcpu, memoryGb, taskHour, spotTaskHour }: CostContext): CostLineItem[] {
  const lines: CostLineItem[] = [
    {
      id: 'fargate',
      category: 'Compute',
      item: 'ECS Fargate tasks (on-demand)',
      quantity: `${num(counts.onDemandTasks)} task(s) x ${num(taskHours)} h (${num(vcpu)} vCPU, ${num(memoryGb)} GB)`,
      unitPrice: `$${P.fargate.vcpuHour}/vCPU-h + $${P.fargate.gbHour}/GB-h`,
      monthlyUsd: counts.onDemandTasks * taskHours * taskHour,
    },
  ];
  if (s.fargateSpot) {
    lines.push({
      id: 'fargate-spot',
      category: 'Compute',
      item: 'ECS Fargate Spot tasks',
      quantity: `${num(counts.spotTasks)} task(s) x ${num(taskHours)} h at minimum capacity`,
      unitPrice: `on-demand less ${num(P.fargate.spotDiscount * 100)}%`,
      monthlyUsd: counts.spotTasks * taskHours * spotTaskHour,
    });
  }
  return lines;
}
