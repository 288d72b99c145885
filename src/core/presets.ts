import { DeploymentEnvironment } from './deployment-environment';

/** The presets that differ by environment. */
export interface EnvironmentPreset {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly natGateways: 'one' | 'per-az';
  readonly maxAzs: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  readonly databaseInstanceClass: string;
  readonly databaseAllocatedStorageGiB: number;
  readonly databaseMaxAllocatedStorageGiB: number;
  readonly databaseBackupRetentionDays: number;
  readonly awsBackupRetentionDays: number;
  readonly cacheNodeType: string;
  readonly cacheReplicas: number;
  readonly cacheSnapshotRetentionDays: number;
  readonly logRetentionDays: number;
  readonly fargateSpot: boolean;
}

export const ENVIRONMENT_PRESETS: Record<DeploymentEnvironment, EnvironmentPreset> = {
  [DeploymentEnvironment.STAGING]: {
    minCapacity: 1,
    maxCapacity: 2,
    natGateways: 'one',
    maxAzs: 2,
    multiAz: false,
    deletionProtection: false,
    databaseInstanceClass: 't3.small',
    databaseAllocatedStorageGiB: 20,
    databaseMaxAllocatedStorageGiB: 100,
    databaseBackupRetentionDays: 7,
    awsBackupRetentionDays: 35,
    cacheNodeType: 'cache.t3.micro',
    cacheReplicas: 0,
    cacheSnapshotRetentionDays: 15,
    logRetentionDays: 90,
    fargateSpot: true,
  },
  [DeploymentEnvironment.PRODUCTION]: {
    minCapacity: 2,
    maxCapacity: 10,
    natGateways: 'per-az',
    maxAzs: 3,
    multiAz: true,
    deletionProtection: true,
    databaseInstanceClass: 't3.medium',
    databaseAllocatedStorageGiB: 50,
    databaseMaxAllocatedStorageGiB: 500,
    databaseBackupRetentionDays: 35,
    awsBackupRetentionDays: 365,
    cacheNodeType: 'cache.t3.small',
    cacheReplicas: 1,
    cacheSnapshotRetentionDays: 35,
    // HIPAA asks for six years of audit records; application logs keep one year here and
    // CloudTrail keeps its own archive.
    logRetentionDays: 365,
    fargateSpot: false,
  },
};
