// Public API of the WeChat official-account connector.
export { createWechatConnector } from './connector.ts';
export type { WechatConnectorOptions } from './connector.ts';
export { WechatClient, quotaResetMs } from './client.ts';
export type { WechatClientOptions } from './client.ts';
export { WechatApiError } from './errors.ts';
export { mapBinding, mapFollower } from './mapping.ts';
export type { MapContext } from './mapping.ts';
export { parseRemark } from './remark.ts';
export type { ParsedRemark } from './remark.ts';
export { BATCHGET_LIMIT, ERR, TOKEN_LIFETIME_S, USER_GET_LIMIT } from './protocol.ts';
export { createWechatSimulator, SIM_APPID, SIM_BINDINGS_KEY, SIM_SECRET } from './simulator/server.ts';
export type { WechatSimulator, WechatSimulatorOptions } from './simulator/server.ts';
