export * from './hookflow-metrics';
export * from './ops-server';
