/**
 * The environment a `HardenedServiceStack` is deployed to. It selects the presets for
 * availability, cost and data protection (NAT gateways, Multi-AZ, deletion protection,
 * backup retention, Fargate Spot).
 */
export enum DeploymentEnvironment {
  /** Cheaper, single-AZ data tier, Fargate Spot, one NAT gateway, 7-day backups. */
  STAGING = 'staging',
  /** Multi-AZ, deletion protection, one NAT gateway per AZ, 35-day backups. */
  PRODUCTION = 'production',
}
