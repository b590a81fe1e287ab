export { createXapiSimulator, XAPI_VERSION } from './server.ts';
export type { XapiSimulator, XapiSimulatorOptions, XapiWrite } from './server.ts';
export type { QuotaOptions } from './faults.ts';
