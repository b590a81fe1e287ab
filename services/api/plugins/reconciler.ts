// The reconciler for data stewards: masters (paged, by name or ID number), one master with
// provenance, conflicts, records and history (a merged id says where it went), explanations, the
// review queue, and the steward actions (decide a review item, split, merge, retract a never-link),
// each recorded under the person whose bearer token made the request and open to stewards only
// (plugins/auth.ts); reader tokens see everything else.
// Every body and query is checked with zod (400 with the field and the rule, through the errors
// plugin); an action names the master revisions it was decided on: unknown ids answer 404, a
// changed master 409, a merge the rules forbid (two valid ID numbers, a never-link) 422. Messages
// are zh-CN for the steward; `error`, `field` and `rule` stay English for programs.
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { actorOf, stewardNotInBody as steward } from './auth.ts';
import type { ApiErrorBody } from './errors.ts';
import { explainMaster, explainPair, findRecord } from '../../reconciler/stream/explain.ts';
import { listMasters, listReviewItems, masterDetail, masterExists } from '../../reconciler/stream/master-view.ts';
import { loadModel } from '../../reconciler/stream/model-store.ts';
import { splitRecord } from '../../reconciler/stream/steward.ts';
import { StewardActionError } from '../../reconciler/stream/steward-common.ts';
import { mergeMastersAsserted } from '../../reconciler/stream/steward-merge.ts';
import { retractNeverLink } from '../../reconciler/stream/steward-retract.ts';
import { decideReviewItem } from '../../reconciler/stream/steward-review.ts';

const required = (what: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? `必须提供${what}` : `${what}必须是文本`) });
const masterId = z.string(required('主记录编号')).regex(/^M[0-9A-Z]{20}$/u, '主记录编号为 M 加 20 位大写字母或数字');
const recordKey = z.string(required('源记录')).max(500, '最长 500 个字符').regex(/^[^/\s]+\/[^/\s]+\/.+$/u, '源记录写作 系统/实例/记录号');
const revision = z.number({ error: (iss) => (iss.input === undefined ? '必须提供操作所依据的版本号' : '版本号必须是数字') }).int('版本号必须是整数').min(0, '版本号不能为负');
const reason = z.string(required('理由')).trim().min(1, '必须填写理由').max(1000, '最长 1000 个字符');
const expectedRevisions = z.record(masterId, revision, { error: '必须是 { 主记录编号: 版本号 }' })
  .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 2, '须列出两条记录所在的主记录（一个或两个）及其版本号');
const page = z.coerce.number().int('必须是整数').min(1, '至少为 1').max(100_000, '太大').default(1);
const pageSize = z.coerce.number().int('必须是整数').min(1, '至少为 1').max(200, '最多 200').default(50);

const idParam = z.object({ id: masterId });
const mastersQuery = z.object({
  name: z.string().trim().min(1, '不能为空').max(50, '最长 50 个字符').optional(),
  idNumber: z.string().trim().regex(/^\d{17}[\dXx]$/u, '身份证号为 18 位，最后一位可以是 X').optional(),
  page, pageSize,
});
const reviewQuery = z.object({ status: z.enum(['open', 'resolved'], '只能是 open 或 resolved').default('open'), page, pageSize });
const explainQuery = z.object({ a: z.string(required('记录 a')).min(1, '必须提供记录 a'), b: z.string(required('记录 b')).min(1, '必须提供记录 b') });
const splitBody = z.object({ recordKey, expectedRevision: revision, steward, reason });
const mergeBody = z.object({
  masters: z.array(z.object({ masterId, expectedRevision: revision }), '必须是两个主记录的列表').length(2, '须正好两个主记录')
    .refine((ms) => ms[0]?.masterId !== ms[1]?.masterId, '两个主记录不能相同'),
  steward, reason,
});
const decisionBody = z.object({ recordA: recordKey, recordB: recordKey, decision: z.enum(['same', 'different'], '只能是 same（同一人）或 different（不同人）'), expectedRevisions, steward, reason })
  .refine((d) => d.recordA !== d.recordB, { message: '两条记录不能相同', path: ['recordB'] });
const retractBody = z.object({ recordA: recordKey, recordB: recordKey, expectedRevisions, steward, reason })
  .refine((d) => d.recordA !== d.recordB, { message: '两条记录不能相同', path: ['recordB'] });

const ERROR_KEYS: Record<number, string> = { 404: 'not_found', 409: 'stale', 422: 'refused' };

/** A steward action's refusal as its HTTP answer; anything else goes on to the errors plugin. */
async function acting<T>(reply: FastifyReply, action: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof StewardActionError)) throw err;
    return reply.code(err.statusCode).send({ error: ERROR_KEYS[err.statusCode] ?? 'refused', message: err.message, issues: [{ field: err.field, rule: err.rule }] } satisfies ApiErrorBody);
  }
}

const notFound = (reply: FastifyReply, message: string, field: string) =>
  reply.code(404).send({ error: 'not_found', message, issues: [{ field, rule: 'not-found' }] } satisfies ApiErrorBody);

export const reconcilerPlugin = fp(
  async (app) => {
    const db = app.hub.database.db;
    const bus = app.hub.bus;

    app.get('/api/masters', async (req) => listMasters(db, mastersQuery.parse(req.query)));

    app.get('/api/masters/:id', async (req, reply) => {
      const { id } = idParam.parse(req.params);
      const m = await masterDetail(db, id);
      if (!m) return notFound(reply, `没有这个主记录：${id}`, 'id');
      if (m.status === 'merged') {
        return { ...m, message: `主记录 ${id} 已合并到 ${m.mergedInto ?? '其他主记录'}`, href: m.mergedInto ? `/api/masters/${m.mergedInto}` : null };
      }
      return m;
    });

    app.get('/api/masters/:id/explain', async (req, reply) => {
      const { id } = idParam.parse(req.params);
      if (!(await masterExists(db, id))) return notFound(reply, `没有这个主记录：${id}`, 'id');
      return { masterId: id, lines: await explainMaster(db, id) };
    });

    app.get('/api/explain', async (req, reply) => {
      const { a, b } = explainQuery.parse(req.query);
      for (const [field, ref] of [['a', a], ['b', b]] as const) {
        if (!(await findRecord(db, ref))) return notFound(reply, `没有这条源记录：${ref}`, field);
      }
      if (!(await loadModel(db))) return reply.code(409).send({ error: 'no_model', message: '尚未建立匹配模型：请先运行对账（yibiao reconcile --drain）' } satisfies ApiErrorBody);
      return { a, b, lines: await explainPair(db, a, b) };
    });

    app.get('/api/review-items', async (req) => listReviewItems(db, reviewQuery.parse(req.query)));

    app.post('/api/review-items/decision', { config: { role: 'steward' } }, async (req, reply) => {
      const body = decisionBody.parse(req.body);
      return acting(reply, async () => {
        const out = await decideReviewItem(db, bus, { ...body, steward: actorOf(req) });
        return { decision: out.decision, masters: out.masters, merged: out.merged, revisions: revisionsOf(out.changes) };
      });
    });

    app.post('/api/masters/:id/split', { config: { role: 'steward' } }, async (req, reply) => {
      const { id } = idParam.parse(req.params);
      const body = splitBody.parse(req.body);
      return acting(reply, async () => {
        const out = await splitRecord(db, bus, { ...body, masterId: id, steward: actorOf(req) });
        return { masterId: id, newMasterId: out.newMasterId, revisions: revisionsOf(out.changes) };
      });
    });

    app.post('/api/masters/merge', { config: { role: 'steward' } }, async (req, reply) => {
      const body = mergeBody.parse(req.body);
      return acting(reply, async () => {
        const out = await mergeMastersAsserted(db, bus, { ...body, masters: [body.masters[0]!, body.masters[1]!], steward: actorOf(req) });
        return { survivorId: out.survivorId, retiredId: out.retiredId, revisions: revisionsOf(out.changes) };
      });
    });

    app.post('/api/never-links/retract', { config: { role: 'steward' } }, async (req, reply) => {
      const body = retractBody.parse(req.body);
      return acting(reply, async () => retractNeverLink(db, { ...body, steward: actorOf(req) }));
    });
    await Promise.resolve();
  },
  { name: 'yibiao-reconciler', dependencies: ['yibiao-hub', 'yibiao-errors'], fastify: '5.x' },
);

/** The new revision of every master the action changed (what the next action names). */
function revisionsOf(changes: ReadonlyArray<{ masterId: string; revision: number }>): Record<string, number> {
  return Object.fromEntries(changes.map((c) => [c.masterId, c.revision]));
}
