// The reconciler's repair scan for the IT department: its schedule, whether it runs, how far it
// got and what it joined; and a scan on demand (after a steward retracted never-links, say)
// instead of waiting for the schedule, a steward's, shown in the status as `triggeredBy`.
// The history of every scan, of every process and across restarts: /api/reconciler/repair-scans.
import fp from 'fastify-plugin';
import { NoModelError, ScanAlreadyRunningError, type RepairScan } from '../../reconciler/repair-schedule.ts';
import { actorOf } from './auth.ts';
import { recentRunsQuery } from './recent-query.ts';
import type { ApiErrorBody } from './errors.ts';

const PATH = '/api/reconciler/repair-scan';

export const repairScanPlugin = fp<{ repair: RepairScan }>(
  async (app, { repair }) => {
    app.get(PATH, () => repair.status());

    app.get('/api/reconciler/repair-scans', async (req) => {
      const { limit } = recentRunsQuery.parse(req.query);
      return { scans: await repair.history(limit) };
    });

    app.post(PATH, { config: { role: 'steward' } }, async (req, reply) => {
      try {
        // Resolves once the scan has started; it runs on, its outcome shows in GET and in the log.
        await repair.begin('manual', actorOf(req));
      } catch (err) {
        if (err instanceof ScanAlreadyRunningError) {
          return reply.code(409).send({ error: 'already_running', message: '修复扫描正在进行，请等待本次扫描结束', issues: [{ field: 'scan', rule: 'one-at-a-time' }] } satisfies ApiErrorBody);
        }
        if (err instanceof NoModelError) {
          return reply.code(409).send({ error: 'no_model', message: '尚未对账任何观测记录，没有可扫描的主记录', issues: [{ field: 'scan', rule: 'model-required' }] } satisfies ApiErrorBody);
        }
        throw err;
      }
      return reply.code(202).send({ status: 'started', message: '已开始修复扫描', progress: PATH });
    });
    await Promise.resolve();
  },
  { name: 'yibiao-repair-scan', dependencies: ['yibiao-hub'], fastify: '5.x' },
);
