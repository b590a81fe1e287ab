// The WeChat official-account protocol as both the simulator and the client speak it: limits,
// error codes and response shapes. Errors are HTTP 200 with { errcode, errmsg }.
import type { WechatBinding, WechatTag, WechatUserInfo } from '../population/index.ts';

/** `user/get` returns at most this many openids per page. */
export const USER_GET_LIMIT = 10_000;
/** `user/info/batchget` accepts at most this many openids per call. */
export const BATCHGET_LIMIT = 100;
/** Token lifetime WeChat announces in `expires_in`. */
export const TOKEN_LIFETIME_S = 7200;
/** The mini-program binding feed's page size cap (our own backend, not WeChat's). */
export const BINDINGS_LIMIT = 1000;

export const ERR = {
  busy: -1,
  invalidCredential: 40001,
  invalidGrantType: 40002,
  invalidOpenid: 40003,
  invalidAppid: 40013,
  invalidArgs: 40035,
  invalidAppsecret: 40125,
  tokenMissing: 41001,
  tokenExpired: 42001,
  emptyPostData: 44002,
  dailyQuota: 45009,
  minuteQuota: 45011,
  dataFormat: 47001,
} as const;

export const ERRMSG: Record<number, string> = {
  [ERR.busy]: 'system error',
  [ERR.invalidCredential]: 'invalid credential, access_token is invalid or not latest',
  [ERR.invalidGrantType]: 'invalid grant_type',
  [ERR.invalidOpenid]: 'invalid openid',
  [ERR.invalidAppid]: 'invalid appid',
  [ERR.invalidArgs]: 'invalid args',
  [ERR.invalidAppsecret]: 'invalid appsecret',
  [ERR.tokenMissing]: 'access_token missing',
  [ERR.tokenExpired]: 'access_token expired',
  [ERR.emptyPostData]: 'empty post data',
  [ERR.dailyQuota]: 'reach max api daily quota limit',
  [ERR.minuteQuota]: 'api minute-quota reach limit  mustslower  retry next minute',
  [ERR.dataFormat]: 'data format error',
};

export interface WechatError {
  errcode: number;
  errmsg: string;
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
}

export interface UserGetResponse {
  total: number;
  count: number;
  data?: { openid: string[] };
  next_openid: string;
}

export interface BatchGetResponse {
  user_info_list: WechatUserInfo[];
}

export interface TagsResponse {
  tags: WechatTag[];
}

/** `GET /miniprogram/bindings?since=&limit=`: `next_since` is opaque; pass it back as `since`. */
export interface BindingsResponse {
  errcode: 0;
  items: WechatBinding[];
  next_since: string;
  has_more: boolean;
}

export function isWechatError(body: unknown): body is WechatError {
  return typeof body === 'object' && body !== null && typeof (body as { errcode?: unknown }).errcode === 'number' && (body as { errcode: number }).errcode !== 0;
}
