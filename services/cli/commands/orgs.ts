// `yibiao orgs`: the org registry from the command line — the orgs, the open suggestions, a
// steward's acceptance, and importing a declared alias file (checked whole before anything is stored).
import { parseArgs } from 'node:util';
import { readAliasFile } from '../../../schemas/org-alias-file.ts';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub, type Hub } from '../../hub/hub.ts';
import { loadDeclaredAliases } from '../../orgs/declared-aliases.ts';
import { listOrgs, listSuggestions, type SuggestionStatus } from '../../orgs/repository.ts';
import { decideSuggestion, refreshSuggestions } from '../../orgs/suggestions.ts';

const USAGE = `usage: yibiao orgs list
       yibiao orgs suggestions [--status open|accepted|rejected] [--limit N]
       yibiao orgs accept NAME CODE [--steward WHO]
       yibiao orgs import-aliases FILE        (CSV with the header alias,org_code)
`;

const STATUSES: readonly SuggestionStatus[] = ['open', 'accepted', 'rejected'];

async function withHub<T>(run: (hub: Hub) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
  try {
    return await run(hub);
  } finally {
    await hub.close();
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);

export const orgsCommand: Command = {
  name: 'orgs',
  summary: 'the org registry: list, suggestions, accept NAME CODE, import-aliases FILE',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { status: { type: 'string' }, limit: { type: 'string' }, steward: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
    } catch (err) {
      process.stderr.write(`yibiao orgs: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const { values, positionals } = parsed;
    const [sub, ...args] = positionals;
    if (values.help || sub === undefined) {
      (values.help ? process.stdout : process.stderr).write(USAGE);
      return values.help ? 0 : 2;
    }
    try {
      switch (sub) {
        case 'list':
          return await withHub(async (hub) => {
            const list = await listOrgs(hub.database.db);
            for (const o of list) out(`${o.code}\t${o.kind ?? ''}\t${o.parentCode ?? ''}\t${o.name}`);
            process.stderr.write(`${list.length} orgs\n`);
            return 0;
          });
        case 'suggestions': {
          const status = (values.status ?? 'open') as SuggestionStatus;
          const limit = values.limit === undefined ? 200 : Number(values.limit);
          if (!STATUSES.includes(status) || !Number.isInteger(limit) || limit < 1) {
            process.stderr.write(`yibiao orgs suggestions: --status is one of ${STATUSES.join('|')}, --limit a positive integer\n`);
            return 2;
          }
          return await withHub(async (hub) => {
            const list = await listSuggestions(hub.database.db, status, limit);
            for (const s of list) {
              const cands = s.candidates.map((c, i) => `${i + 1}. ${c.code} ${c.name} (${c.score})`).join('  ');
              out(`${s.name}\t[${s.systems.join(',')}]\t${s.status === 'open' ? cands || '(no candidate)' : `${s.status} ${s.decidedCode ?? ''} by ${s.decidedBy ?? ''}`}`);
            }
            process.stderr.write(`${list.length} ${status} suggestions\n`);
            return 0;
          });
        }
        case 'accept': {
          if (args.length !== 2) {
            process.stderr.write(USAGE);
            return 2;
          }
          const [name, code] = args as [string, string];
          const steward = values.steward ?? `cli:${process.env.USER ?? 'unknown'}`;
          return await withHub(async (hub) => {
            const d = await decideSuggestion(hub.database.db, { name, code, steward });
            out(`accepted: "${name}" → ${d.code} (steward alias by ${steward})`);
            return 0;
          });
        }
        case 'import-aliases': {
          if (args.length !== 1) {
            process.stderr.write(USAGE);
            return 2;
          }
          // Checked whole before the database is touched: a bad row stores nothing.
          const rows = readAliasFile(args[0]!);
          return await withHub(async (hub) => {
            const n = await loadDeclaredAliases(hub.database.db, args[0]!, rows);
            const r = await refreshSuggestions(hub.database.db);
            out(`imported ${n} declared aliases from ${args[0]}; ${r.names} seen names judged again, ${r.open} open suggestions`);
            return 0;
          });
        }
        default:
          process.stderr.write(`yibiao orgs: unknown subcommand "${sub}"\n\n${USAGE}`);
          return 2;
      }
    } catch (err) {
      process.stderr.write(`yibiao orgs ${sub}: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
