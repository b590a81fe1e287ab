// Connector operations for the IT department: status and schedules, a manual sync (a steward's,
// recorded in the run history under the token's person), recent runs.
import fp from 'fastify-plugin';
import { z } from 'zod';
import { AlreadyRunningError, type IngestScheduler } from '../../ingest/scheduler.ts';
import { RunRepository } from '../../ingest/run-repository.ts';
import { actorOf } from './auth.ts';
import { recentRunsQuery } from './recent-query.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: IngestScheduler;
  }
}

const nameParam = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, '连接器名称只能包含小写字母、数字和 -') });
/** `fromStart`: read every stream whole again, not from its cursor (WeChat followers after a QR scene table is set). */
const syncBody = z.object({ fromStart: z.boolean({ error: '只能是 true 或 false' }).optional() }).nullish();

export const connectorsPlugin = fp<{ ingest: IngestScheduler }>(
  async (app, opts) => {
    app.decorate('ingest', opts.ingest);
    const runs = new RunRepository(app.hub.database.db);

    app.get('/api/connectors', (_req, reply) => reply.send({ connectors: app.ingest.status() }));

    app.post('/api/connectors/:name/sync', { config: { role: 'steward' } }, async (req, reply) => {
      const { name } = nameParam.parse(req.params);
      const fromStart = syncBody.parse(req.body)?.fromStart === true;
      if (!app.ingest.names().includes(name)) return reply.code(404).send({ error: 'not_found', message: `没有名为 ${name} 的连接器` });
      if (app.ingest.isRunning(name)) return reply.code(409).send({ error: 'already_running', message: `${name} 正在同步，请等待本次同步结束` });
      // The sync runs on; its outcome lands in the run history and the log.
      app.ingest.trigger(name, actorOf(req), { fromStart }).catch((err: unknown) => {
        if (!(err instanceof AlreadyRunningError)) req.log.error({ err, connector: name }, 'manual sync failed');
      });
      return reply.code(202).send({ status: 'started', message: fromStart ? `已开始从头同步 ${name}` : `已开始同步 ${name}`, runs: `/api/connectors/${name}/runs` });
    });

    app.get('/api/connectors/:name/runs', async (req) => {
      const { name } = nameParam.parse(req.params);
      const { limit } = recentRunsQuery.parse(req.query);
      return { runs: await runs.recent(name, limit) };
    });
    await Promise.resolve();
  },
  { name: 'yibiao-connectors', dependencies: ['yibiao-hub'], fastify: '5.x' },
);
