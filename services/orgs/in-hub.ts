// The org registry inside a running hub: the declared alias file (already checked when the
// configuration was parsed) replaces what it declared before, then the consumer keeps the
// registry and judges every org name the observations carry. Stops before the bus and database.
import type { Hub } from '../hub/hub.ts';
import { startOrgConsumer, type RunningOrgConsumer } from './consumer.ts';
import { loadDeclaredAliases } from './declared-aliases.ts';
import { refreshSuggestions } from './suggestions.ts';

export interface HubOrgs {
  close(): Promise<void>;
}

export function startHubOrgs(hub: Hub): HubOrgs {
  const log = hub.logger.child({ component: 'orgs' });
  let running: RunningOrgConsumer | null = null;
  let closed = false;
  const declared = hub.config.YIBIAO_ORG_ALIASES;
  const starting = (async () => {
    if (declared) {
      const n = await loadDeclaredAliases(hub.database.db, declared.file, declared.aliases);
      log.info({ file: declared.file, aliases: n }, `org registry: ${n} declared aliases from ${declared.file}`);
      // The file may answer names that are open suggestions from an earlier run.
      await refreshSuggestions(hub.database.db);
    }
    if (closed) return;
    running = await startOrgConsumer({ db: hub.database.db, bus: hub.bus, logger: log });
    log.info('org registry: consuming org.observed and the org names of member.observed');
  })().catch((err: unknown) => log.error({ err }, 'org registry did not start'));
  return {
    close: async () => {
      closed = true;
      await starting;
      await running?.close();
    },
  };
}
