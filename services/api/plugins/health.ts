// /healthz: the process is alive and serving. /readyz: the database and the event bus answer,
// so a load balancer stops sending work while either is down. Both answer without a token.
import fp from 'fastify-plugin';

const CHECK_TIMEOUT_MS = 3_000;

async function check(fn: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

export const healthPlugin = fp(
  async (app) => {
    app.get('/healthz', { config: { public: true } }, (_req, reply) => reply.send({ status: 'ok' }));
    app.get('/readyz', { config: { public: true } }, async (_req, reply) => {
      const { database, bus, metrics } = app.hub;
      const [db, eventBus] = await Promise.all([check(() => database.ping()), check(() => bus.ping())]);
      metrics.ready.set({ dependency: 'database' }, db.ok ? 1 : 0);
      metrics.ready.set({ dependency: 'bus' }, eventBus.ok ? 1 : 0);
      const ready = db.ok && eventBus.ok;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not ready',
        checks: { database: { kind: database.kind, ...db }, bus: { kind: bus.kind, ...eventBus } },
      });
    });
    await Promise.resolve();
  },
  { name: 'yibiao-health', dependencies: ['yibiao-hub'], fastify: '5.x' },
);
