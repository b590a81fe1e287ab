// Every table of the hub; drizzle-kit generates migrations/ from this module.
export * from './bus.ts';
export * from './connectors.ts';
export * from './reconciler.ts';
export * from './orgs.ts';
