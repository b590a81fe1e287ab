// Every route needs `Authorization: Bearer <token>` unless it declares `config: { public: true }`
// (health, readiness, metrics): a route added later is protected without anyone remembering to.
// Reads are protected as well as actions, because masters carry ID numbers and phone numbers.
// The token names the person (YIBIAO_API_TOKENS) who acts, `req.actor`, and that person, not
// anything in the body, is who a decision is recorded under. 401 answers follow the errors
// plugin: English `error`, zh-CN `message`, the header named as the field; RFC 6750's
// WWW-Authenticate tells clients how.
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { BEARER_TOKEN } from '../../../schemas/api-token-list.ts';
import type { BearerTokens } from '../bearer-tokens.ts';
import type { ApiErrorBody } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token (liveness, readiness, metrics for the load balancer and Prometheus). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The person whose token authenticated the request; null only on public routes. */
    actor: string | null;
  }
  interface FastifyInstance {
    apiTokens: BearerTokens;
  }
}

const REFUSALS = {
  'bearer-token-required': '需要身份认证：请在请求头中提供 Authorization: Bearer <令牌>',
  'bearer-scheme': 'Authorization 请求头须写作 Bearer <令牌>',
  'unknown-token': '令牌无效或已停用，请向系统管理员确认',
} as const;

/** Answers 401; the request goes no further (its hook does not call done). */
function refuse(reply: FastifyReply, rule: keyof typeof REFUSALS): void {
  // RFC 6750 §3: no error attribute when the request carried no credentials at all.
  const challenge = rule === 'bearer-token-required' ? 'Bearer realm="yibiao"' : 'Bearer realm="yibiao", error="invalid_token"';
  void reply.code(401).header('www-authenticate', challenge).send({ error: 'unauthorized', message: REFUSALS[rule], issues: [{ field: 'authorization', rule }] } satisfies ApiErrorBody);
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
    app.addHook('onRequest', (req, reply, done) => {
      if (req.routeOptions.config.public === true) return done();
      const header = req.headers.authorization;
      if (header === undefined || header.trim() === '') return refuse(reply, 'bearer-token-required');
      const [scheme, token, ...rest] = header.trim().split(/\s+/u);
      if (scheme?.toLowerCase() !== 'bearer' || token === undefined || rest.length > 0 || !BEARER_TOKEN.test(token)) return refuse(reply, 'bearer-scheme');
      const person = tokens.holder(token);
      if (person === null) {
        req.log.warn({ method: req.method, url: req.url, ip: req.ip }, 'API request with an unknown token refused');
        return refuse(reply, 'unknown-token');
      }
      req.actor = person;
      // Who changed what, in the log too (reads would only add noise).
      if (req.method !== 'GET' && req.method !== 'HEAD') req.log.info({ actor: person, method: req.method, url: req.url }, 'API action by an authenticated person');
      done();
    });

    /** Lets a client (or a person with curl) check a token and see whom it acts as. */
    app.get('/api/me', (req) => ({ person: actorOf(req) }));
    await Promise.resolve();
  },
  { name: 'yibiao-auth', dependencies: ['yibiao-errors'], fastify: '5.x' },
);
