export * from './constructs/deployment-environment';
export * from './constructs/service-options';
export * from './constructs/hardened-service-stack';
