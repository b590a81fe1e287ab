// Makes the hub (database, bus, metrics) available to every route as `app.hub`.
import fp from 'fastify-plugin';
import type { Hub } from '../../hub/hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    hub: Hub;
  }
}

export const hubPlugin = fp<{ hub: Hub }>(
  async (app, opts) => {
    app.decorate('hub', opts.hub);
    await Promise.resolve();
  },
  { name: 'yibiao-hub', fastify: '5.x' },
);
