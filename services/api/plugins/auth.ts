// Every route needs `Authorization: Bearer <token>` unless it declares `config: { public: true }`
// (health, readiness, metrics): a route added later is protected without anyone remembering to.
// Reads are protected as well as actions, because masters carry ID numbers and phone numbers.
// The token names the person (YIBIAO_API_TOKENS) who acts, `req.actor`, and that person, not
// anything in the body, is who a decision is recorded under. It also names a role: a route
// declares the least role it needs (`config: { role: 'steward' }`); one that declares none needs
// `reader` for GET and HEAD and `steward` for anything else, so a state-changing route added
// later is closed to readers without anyone remembering to. Refusals follow the errors plugin:
// English `error`, zh-CN `message`, the header named as the field; 401 (who are you?) carries
// RFC 6750's WWW-Authenticate, 403 (known, but not allowed) the role the route needs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { BEARER_TOKEN, mayActAs, type ApiRole } from '../../../schemas/api-token-list.ts';
import type { BearerTokens } from '../bearer-tokens.ts';
import type { ApiErrorBody } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token (liveness, readiness, metrics for the load balancer and Prometheus). */
    public?: boolean;
    /** The least role that may call the route; undeclared, requiredRole() decides by the method. */
    role?: ApiRole;
  }
  interface FastifyRequest {
    /** The person whose token authenticated the request; null only on public routes. */
    actor: string | null;
    /** The role of that token; null only on public routes. */
    role: ApiRole | null;
  }
  interface FastifyInstance {
    apiTokens: BearerTokens;
  }
}

const REFUSALS = {
  'bearer-token-required': '需要身份认证：请在请求头中提供 Authorization: Bearer <令牌>',
  'bearer-scheme': 'Authorization 请求头须写作 Bearer <令牌>',
  'unknown-token': '令牌无效或已停用，请向系统管理员确认',
  'expired-token': '令牌已到期，请向系统管理员申请新的令牌',
} as const;

/** Methods that only read: a reader may call a route with one of these unless it declares more. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** What a route needs: its declaration, else reader to read and steward for anything else (deny by default). */
export function requiredRole(method: string, declared: ApiRole | undefined): ApiRole {
  return declared ?? (READ_METHODS.has(method) ? 'reader' : 'steward');
}

const ROLE_NAMES: Record<ApiRole, string> = { reader: '只读', steward: '数据管理员' };

/** Answers 403 naming the role the route needs; the request goes no further. */
function forbid(reply: FastifyReply, held: ApiRole, needed: ApiRole): void {
  const message = `当前令牌的角色是 ${held}（${ROLE_NAMES[held]}），此操作需要 ${needed}（${ROLE_NAMES[needed]}）角色，请向系统管理员申请`;
  void reply.code(403).send({ error: 'forbidden', message, issues: [{ field: 'authorization', rule: `${needed}-role-required` }] } satisfies ApiErrorBody);
}

/** Answers 401; the request goes no further (its hook does not call done). */
function refuse(reply: FastifyReply, rule: keyof typeof REFUSALS, message: string = REFUSALS[rule]): void {
  // RFC 6750 §3: no error attribute when the request carried no credentials at all.
  const challenge = rule === 'bearer-token-required' ? 'Bearer realm="yibiao"' : 'Bearer realm="yibiao", error="invalid_token"';
  void reply.code(401).header('www-authenticate', challenge).send({ error: 'unauthorized', message, issues: [{ field: 'authorization', rule }] } satisfies ApiErrorBody);
}

/**
 * The body field `steward` that actions used to take: who acts is the token's person now, and a
 * body naming someone is refused rather than ignored, so no client believes it recorded another name.
 */
export const stewardNotInBody = z.never({ error: '操作人由身份令牌确定，请求体中不要填写 steward' }).optional();

/** The authenticated person; only a route that forgot it is public can get here without one. */
export function actorOf(req: FastifyRequest): string {
  if (req.actor === null) throw new Error(`${req.method} ${req.url} is public and has no acting person`);
  return req.actor;
}

export const authPlugin = fp<{ tokens: BearerTokens }>(
  async (app, { tokens }) => {
    app.decorate('apiTokens', tokens);
    app.decorateRequest('actor', null);
    app.decorateRequest('role', null);
    app.addHook('onRequest', (req, reply, done) => {
      if (req.routeOptions.config.public === true) return done();
      const header = req.headers.authorization;
      if (header === undefined || header.trim() === '') return refuse(reply, 'bearer-token-required');
      const [scheme, token, ...rest] = header.trim().split(/\s+/u);
      if (scheme?.toLowerCase() !== 'bearer' || token === undefined || rest.length > 0 || !BEARER_TOKEN.test(token)) return refuse(reply, 'bearer-scheme');
      const holder = tokens.holder(token);
      if (holder === null) {
        req.log.warn({ method: req.method, url: req.url, ip: req.ip }, 'API request with an unknown token refused');
        return refuse(reply, 'unknown-token');
      }
      if (holder.expiredAfter !== undefined) {
        req.log.warn({ actor: holder.person, until: holder.expiredAfter, method: req.method, url: req.url }, `API request refused: ${holder.person}'s token ended on ${holder.expiredAfter}`);
        return refuse(reply, 'expired-token', `令牌已于 ${holder.expiredAfter}（北京时间）到期，请向系统管理员申请新的令牌`);
      }
      const { person, role } = holder;
      // An address no route serves is not found for any known caller: a role check there would
      // tell a reader "forbidden" for a typo in a POST.
      const needed = req.is404 ? 'reader' : requiredRole(req.method, req.routeOptions.config.role);
      if (!mayActAs(role, needed)) {
        req.log.warn({ actor: person, role, needed, method: req.method, url: req.url }, `API request refused: ${person} holds a ${role} token, the route needs ${needed}`);
        return forbid(reply, role, needed);
      }
      req.actor = person;
      req.role = role;
      // Who changed what, in the log too (reads would only add noise).
      if (!READ_METHODS.has(req.method)) req.log.info({ actor: person, role, method: req.method, url: req.url }, 'API action by an authenticated person');
      done();
    });

    /** Lets a client (or a person with curl) check a token and see whom it acts as, in which role. */
    app.get('/api/me', (req) => ({ person: actorOf(req), role: req.role }));
    await Promise.resolve();
  },
  { name: 'yibiao-auth', dependencies: ['yibiao-errors'], fastify: '5.x' },
);
