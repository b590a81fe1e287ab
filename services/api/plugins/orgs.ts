// The org registry for data stewards: the org list or tree, the suggestions for names that did
// not resolve, and the decision on one (accepted → a steward alias, so the name resolves next time),
// recorded under the person whose bearer token made the request, a steward's (plugins/auth.ts).
import fp from 'fastify-plugin';
import { z } from 'zod';
import { listOrgs, listSuggestions } from '../../orgs/repository.ts';
import { AlreadyDecidedError, decideSuggestion, OrgNotFoundError } from '../../orgs/suggestions.ts';
import { orgTree } from '../../orgs/tree.ts';
import { actorOf, stewardNotInBody } from './auth.ts';

const ORG_CODE = /^[0-9A-Za-z-]{1,32}$/u;

const orgsQuery = z.object({
  view: z.enum(['list', 'tree'], { error: 'view 只能是 list 或 tree' }).default('list'),
});

const suggestionsQuery = z.object({
  status: z.enum(['open', 'accepted', 'rejected'], { error: 'status 只能是 open、accepted 或 rejected' }).optional(),
  limit: z.coerce.number({ error: 'limit 必须是数字' }).int('limit 必须是整数').min(1, 'limit 至少为 1').max(1000, 'limit 最多为 1000').default(200),
});

const decisionBody = z
  .object({
    name: z.string({ error: '必须填写名称' }).trim().min(1, '名称不能为空').max(200, '名称最多 200 个字符'),
    // The catalogue's org-code format (schemas/events/envelope.ts), with the rule in Chinese.
    code: z.string({ error: '党组织代码必须是文本' }).trim().regex(ORG_CODE, '党组织代码为 1–32 位字母、数字或 -').optional(),
    reject: z.literal(true, { error: 'reject 只能为 true' }).optional(),
    steward: stewardNotInBody,
  }, { error: '请求体必须是 JSON 对象' })
  .refine((b) => (b.code === undefined) !== (b.reject === undefined), { message: '必须二选一：code（接受为该党组织）或 reject: true（拒绝）', path: ['code'] });

export const orgsPlugin = fp(
  async (app) => {
    const db = app.hub.database.db;

    app.get('/api/orgs', async (req) => {
      const { view } = orgsQuery.parse(req.query);
      const list = await listOrgs(db);
      return view === 'tree' ? { count: list.length, tree: orgTree(list) } : { count: list.length, orgs: list };
    });

    app.get('/api/orgs/suggestions', async (req) => {
      const { status, limit } = suggestionsQuery.parse(req.query);
      return { suggestions: await listSuggestions(db, status, limit) };
    });

    app.post('/api/orgs/suggestions/decision', { config: { role: 'steward' } }, async (req, reply) => {
      const body = decisionBody.parse(req.body ?? undefined);
      try {
        const steward = actorOf(req);
        const d = body.code !== undefined ? { name: body.name, steward, code: body.code } : { name: body.name, steward, reject: true as const };
        const done = await decideSuggestion(db, d);
        return { ...done, message: done.status === 'accepted' ? `已接受：「${body.name}」今后解析为 ${done.code}` : `已拒绝：「${body.name}」不再自动匹配` };
      } catch (err) {
        if (err instanceof OrgNotFoundError) return reply.code(404).send({ error: 'not_found', message: err.message, ...(err.rule ? { issues: [{ field: err.rule.split(':')[0]!, rule: err.rule }] } : {}) });
        if (err instanceof AlreadyDecidedError) return reply.code(409).send({ error: 'already_decided', message: err.message });
        throw err;
      }
    });
    await Promise.resolve();
  },
  { name: 'yibiao-orgs', dependencies: ['yibiao-hub'], fastify: '5.x' },
);
