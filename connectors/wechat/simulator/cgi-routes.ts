// The /cgi-bin/* routes. Every error is HTTP 200 with { errcode, errmsg } and a request id in
// the message, as WeChat answers; data calls check the token first, then the quota.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Population, WechatUserInfo } from '../../population/index.ts';
import { BATCHGET_LIMIT, ERR, ERRMSG } from '../protocol.ts';
import type { Quota } from './faults.ts';
import type { WechatRemarkWrite } from './server.ts';
import type { TokenStore } from './tokens.ts';

interface CgiDeps {
  readonly appid: string;
  readonly secret: string;
  readonly tokens: TokenStore;
  readonly quota: Quota;
  readonly population: Population;
  readonly pageSize: number;
  readonly writes: WechatRemarkWrite[];
  readonly stats: { quotaRefusals: number };
}

type Query = Record<string, string | undefined>;

export function registerCgiRoutes(app: FastifyInstance, deps: CgiDeps): void {
  const followers = deps.population.systems.wechat.followers;
  const byOpenid = new Map<string, { index: number; user: WechatUserInfo }>(followers.map((user, index) => [user.openid, { index, user }]));
  const tags = deps.population.systems.wechat.tags;
  let rid = 0;
  const fail = (reply: FastifyReply, errcode: number) =>
    reply.send({ errcode, errmsg: `${ERRMSG[errcode] ?? 'unknown error'} rid: ${(rid++).toString(16).padStart(8, '0')}-sim` });

  const credentials = (appid: unknown, secret: unknown): number | null => {
    if (appid !== deps.appid) return ERR.invalidAppid;
    if (secret !== deps.secret) return ERR.invalidAppsecret;
    return null;
  };
  /** The errcode refusing a data call, or null to serve it. */
  const guard = (req: FastifyRequest): number | null => {
    const token = (req.query as Query).access_token;
    if (token === undefined || token === '') return ERR.tokenMissing;
    const state = deps.tokens.check(token);
    if (state !== 'ok') return state === 'expired' ? ERR.tokenExpired : ERR.invalidCredential;
    const over = deps.quota.take();
    if (over !== null) deps.stats.quotaRefusals++;
    return over;
  };
  const jsonBody = (req: FastifyRequest): unknown => {
    if (typeof req.body !== 'string' || req.body.trim() === '') return undefined;
    try {
      return JSON.parse(req.body) as unknown;
    } catch {
      return null;
    }
  };

  app.get('/cgi-bin/token', async (req, reply) => {
    const q = req.query as Query;
    if (q.grant_type !== 'client_credential') return fail(reply, ERR.invalidGrantType);
    const bad = credentials(q.appid, q.secret);
    if (bad !== null) return fail(reply, bad);
    const t = deps.tokens.issueOrdinary();
    return { access_token: t.token, expires_in: deps.tokens.remainingS(t) };
  });

  app.post('/cgi-bin/stable_token', async (req, reply) => {
    const body = jsonBody(req);
    if (body === undefined) return fail(reply, ERR.emptyPostData);
    if (body === null || typeof body !== 'object') return fail(reply, ERR.dataFormat);
    const b = body as { grant_type?: unknown; appid?: unknown; secret?: unknown; force_refresh?: unknown };
    if (b.grant_type !== 'client_credential') return fail(reply, ERR.invalidGrantType);
    const bad = credentials(b.appid, b.secret);
    if (bad !== null) return fail(reply, bad);
    const t = deps.tokens.issueStable(b.force_refresh === true);
    return { access_token: t.token, expires_in: deps.tokens.remainingS(t) };
  });

  app.get('/cgi-bin/user/get', async (req, reply) => {
    const refused = guard(req);
    if (refused !== null) return fail(reply, refused);
    const next = (req.query as Query).next_openid ?? '';
    let start = 0;
    if (next !== '') {
      const at = byOpenid.get(next);
      if (at === undefined) return fail(reply, ERR.invalidOpenid);
      start = at.index + 1;
    }
    const page = followers.slice(start, start + deps.pageSize).map((f) => f.openid);
    if (page.length === 0) return { total: followers.length, count: 0, next_openid: '' };
    return { total: followers.length, count: page.length, data: { openid: page }, next_openid: page[page.length - 1] };
  });

  app.post('/cgi-bin/user/info/batchget', async (req, reply) => {
    const refused = guard(req);
    if (refused !== null) return fail(reply, refused);
    const body = jsonBody(req);
    if (body === undefined) return fail(reply, ERR.emptyPostData);
    const list = typeof body === 'object' && body !== null && 'user_list' in body ? body.user_list : undefined;
    if (!Array.isArray(list)) return fail(reply, ERR.dataFormat);
    if (list.length === 0 || list.length > BATCHGET_LIMIT) return fail(reply, ERR.invalidArgs);
    const users: WechatUserInfo[] = [];
    for (const item of list as unknown[]) {
      const openid = (item as { openid?: unknown } | null)?.openid;
      const found = typeof openid === 'string' ? byOpenid.get(openid) : undefined;
      if (found === undefined) return fail(reply, ERR.invalidOpenid);
      users.push(found.user);
    }
    return { user_info_list: users };
  });

  app.get('/cgi-bin/tags/get', async (req, reply) => {
    const refused = guard(req);
    if (refused !== null) return fail(reply, refused);
    return { tags };
  });

  // The one write the hub may do on WeChat: put the reconciled name into the admin's remark.
  app.post('/cgi-bin/user/info/updateremark', async (req, reply) => {
    const refused = guard(req);
    if (refused !== null) return fail(reply, refused);
    const body = jsonBody(req) as { openid?: unknown; remark?: unknown } | null | undefined;
    if (body === undefined) return fail(reply, ERR.emptyPostData);
    if (body === null || typeof body.openid !== 'string' || typeof body.remark !== 'string') return fail(reply, ERR.dataFormat);
    if (!byOpenid.has(body.openid)) return fail(reply, ERR.invalidOpenid);
    deps.writes.push({ openid: body.openid, remark: body.remark });
    return { errcode: 0, errmsg: 'ok' };
  });
}
