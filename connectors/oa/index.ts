// The OA (泛微 e-cology) connector's public API.
export { createOaConnector, STREAMS } from './connector.ts';
export type { OaConnector, OaConnectorOptions } from './connector.ts';
export { OaApiError, OaClient } from './client.ts';
export type { OaClientOptions } from './client.ts';
export { mapEmployee, mapTodo } from './mapping.ts';
export { DIRECTORY_HEADERS, parseDirectoryCsv } from './directory-csv.ts';
export { createOaSimulator } from './simulator/index.ts';
export type { OaSimulator, OaSimulatorOptions, ProcessDoneWrite, Quota } from './simulator/index.ts';
export { PATHS, MAX_PAGE_SIZE } from './protocol.ts';
