import fp from 'fastify-plugin';

/** Prometheus exposition of the hub's registry; open like health, for the scraper (counts, no personal data). */
export const metricsPlugin = fp(
  async (app) => {
    app.get('/metrics', { config: { public: true } }, async (_req, reply) => {
      const { registry } = app.hub.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    });
    await Promise.resolve();
  },
  { name: 'yibiao-metrics', dependencies: ['yibiao-hub'], fastify: '5.x' },
);
