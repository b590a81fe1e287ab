// 党员管理信息系统 (party-member management system): connector, client, mapping and simulator.
export { createMemberSystemConnector } from './connector.ts';
export type { MemberSystemConnectorOptions, MemberSystemCursor } from './connector.ts';
export { MemberSystemApiError, MemberSystemClient } from './client.ts';
export type { ChangesPage, ChangesQuery, MemberSystemClientOptions, OrgsPage } from './client.ts';
export { mapOrgRow } from './org-mapping.ts';
export type { OrgMapContext } from './org-mapping.ts';
export { ORG_HEADERS, ORGS_STREAM, orgRowsOf } from './org-fields.ts';
export type { OrgHeader, OrgRow } from './org-fields.ts';
export { mapMemberRow } from './mapping.ts';
export type { MapContext } from './mapping.ts';
export { parseDate, fromExcelSerial } from './dates.ts';
export { CONNECTOR_NAME, HEADERS, MEMBERS_STREAM, REQUIRED_HEADERS, SYSTEM } from './fields.ts';
export type { ChangeItem, NativeRow, Operation } from './fields.ts';
export {
  createMemberSystemSimulator, DEFAULT_APP_KEY, DEFAULT_APP_SECRET, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
} from './simulator/server.ts';
export type { MemberSystemSimulator, MemberSystemSimulatorOptions } from './simulator/server.ts';
export type { Quota } from './simulator/faults.ts';
