// 远程教育 (xAPI LRS) connector: public API.
export { createXapiConnector, XAPI_STREAMS } from './connector.ts';
export type { XapiConnectorOptions } from './connector.ts';
export { createXapiClient, XAPI_VERSION } from './client.ts';
export type { LearnersPage, StatementsPage, StatementsQuery, XapiClient, XapiClientOptions } from './client.ts';
export { XapiError, DEFAULT_RETRY } from './http.ts';
export type { RetryPolicy } from './http.ts';
export { accountKey, mapLearner, mapStatement } from './mapping.ts';
export { durationMinutes, durationSeconds } from './duration.ts';
export { parseXapiExport } from './import-file.ts';
export type { ExportKind, ParsedExport } from './import-file.ts';
export { statementCursor } from './read-statements.ts';
export type { StatementCursor } from './read-statements.ts';
export { createXapiSimulator } from './simulator/index.ts';
export type { XapiSimulator, XapiSimulatorOptions, XapiWrite, QuotaOptions } from './simulator/index.ts';
