export * from './import-report';
export { convertN8nWorkflow } from './n8n/convert-n8n-workflow';
export { convertNodeRedFlow, convertNodeRedFlows } from './node-red/convert-node-red-flow';
