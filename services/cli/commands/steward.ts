// `yibiao steward <review|merge|decide|split|retract>`: a data steward's decisions from the
// command line, the same actions as the API (services/reconciler/stream/steward-*.ts). Every
// action names the master revision(s) it was decided on (`M…@revision`, as `review` and
// `explain` show them); a master changed since is refused, and so is a merge the rules forbid.
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { configOrExit } from '../config-or-exit.ts';
import { createLogger } from '../../logger.ts';
import { openHub, type Hub } from '../../hub/hub.ts';
import { listReviewItems } from '../../reconciler/stream/master-view.ts';
import { splitRecord } from '../../reconciler/stream/steward.ts';
import { StewardActionError } from '../../reconciler/stream/steward-common.ts';
import { mergeMastersAsserted } from '../../reconciler/stream/steward-merge.ts';
import { retractNeverLink } from '../../reconciler/stream/steward-retract.ts';
import { decideReviewItem } from '../../reconciler/stream/steward-review.ts';

export const USAGE = `usage: yibiao steward <action> …

  review  [--status open|resolved] [--page N] [--page-size N]
          list review items: each record with its master@revision
  merge   <masterA@rev> <masterB@rev> --steward NAME --reason TEXT
          merge two masters (the older id survives)
  decide  <recordA> <recordB> <same|different> --master M@rev [--master M@rev] --steward NAME --reason TEXT
          decide a review item; name the master (or both masters) of the two records
  split   <record> <master@rev> --steward NAME --reason TEXT
          move the record out of the master into a master of its own
  retract <recordA> <recordB> --master M@rev [--master M@rev] --steward NAME --reason TEXT
          withdraw an earlier "different people" decision between the two records

  A record is system/instance/recordId. Exit codes: 0 done, 1 unexpected failure, 2 usage,
  3 not found, 4 the master changed since (refresh and decide again), 5 refused by a rule.
`;

export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, stale: 4, refused: 5 } as const;

class UsageError extends Error {}

/** `M…@12` → [M…, 12]. */
export function parseMasterAt(s: string): [string, number] {
  const m = /^(M[0-9A-Z]{20})@(\d+)$/u.exec(s);
  if (!m) throw new UsageError(`"${s}" is not master@revision (e.g. M0123456789ABCDEFGHJK@3)`);
  return [m[1]!, Number(m[2])];
}

function signature(values: Record<string, unknown>): { steward: string; reason: string } {
  const steward = typeof values.steward === 'string' ? values.steward.trim() : '';
  const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
  if (!steward) throw new UsageError('--steward NAME is required (who decides)');
  if (!reason) throw new UsageError('--reason TEXT is required (why)');
  return { steward, reason };
}

function expectedOf(masters: readonly string[] | undefined): Record<string, number> {
  if (!masters || masters.length === 0 || masters.length > 2) throw new UsageError('name the master of each record: --master M@rev (once or twice)');
  return Object.fromEntries(masters.map(parseMasterAt));
}

function positiveInt(s: string | undefined, flag: string, fallback: number): number {
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be an integer ≥ 1, got "${s}"`);
  return n;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function act(hub: Hub, action: string, args: string[], values: Record<string, string | string[] | boolean | undefined>): Promise<void> {
  const db = hub.database.db;
  const bus = hub.bus;
  const str = (k: string) => values[k] as string | undefined;
  const want = (n: number) => {
    if (args.length !== n) throw new UsageError(`${action} takes ${n} arguments, got ${args.length}`);
  };
  switch (action) {
    case 'review': {
      want(0);
      const status = str('status') ?? 'open';
      if (status !== 'open' && status !== 'resolved') throw new UsageError('--status is open or resolved');
      const p = await listReviewItems(db, { status, page: positiveInt(str('page'), '--page', 1), pageSize: positiveInt(str('page-size'), '--page-size', 50) });
      out(`${p.total} review items (${status}), page ${p.page}:`);
      for (const i of p.items) {
        const side = (s: typeof i.recordA) => `${s.recordKey} ${s.name ?? '?'} ${s.idNumber ?? ''} → ${s.masterId ?? '(unlinked)'}@${s.masterRevision ?? '?'}`;
        out(`  ${i.score.toFixed(2).padStart(7)}  ${side(i.recordA)}\n           ${side(i.recordB)}${i.reason === null ? '' : `\n           ${i.reason}`}`);
      }
      return;
    }
    case 'merge': {
      want(2);
      const [a, b] = args.map(parseMasterAt) as [[string, number], [string, number]];
      const r = await mergeMastersAsserted(db, bus, { masters: [{ masterId: a[0], expectedRevision: a[1] }, { masterId: b[0], expectedRevision: b[1] }], ...signature(values) });
      const survivor = r.changes.find((c) => c.masterId === r.survivorId);
      out(`已合并：${r.retiredId} → ${r.survivorId}@${survivor?.revision ?? '?'}`);
      return;
    }
    case 'decide': {
      want(3);
      const [recordA, recordB, decision] = args as [string, string, string];
      if (decision !== 'same' && decision !== 'different') throw new UsageError('the decision is same or different');
      const r = await decideReviewItem(db, bus, { recordA, recordB, decision, expectedRevisions: expectedOf(values.master as string[] | undefined), ...signature(values) });
      if (r.decision === 'different') out(`已判定为不同人：${recordA} 与 ${recordB}（以后的证据不会再把二者合并）`);
      else out(r.merged ? `已判定为同一人并合并：${r.merged.retiredId} → ${r.merged.survivorId}` : `已确认为同一人：二者同在 ${Object.values(r.masters)[0] ?? ''}`);
      return;
    }
    case 'split': {
      want(2);
      const [recordKey, at] = args as [string, string];
      const [masterId, expectedRevision] = parseMasterAt(at);
      const r = await splitRecord(db, bus, { recordKey, masterId, expectedRevision, ...signature(values) });
      out(`已拆分：${recordKey} → 新主记录 ${r.newMasterId}`);
      return;
    }
    case 'retract': {
      want(2);
      const [recordA, recordB] = args as [string, string];
      const r = await retractNeverLink(db, { recordA, recordB, expectedRevisions: expectedOf(values.master as string[] | undefined), ...signature(values) });
      out(`已撤销 ${r.retracted.assertedBy} 的“不是同一人”判定：${r.retracted.recordA} 与 ${r.retracted.recordB}${r.reviewReopened ? '（待审项已重新打开）' : ''}`);
      return;
    }
    default:
      throw new UsageError(`unknown action "${action}"`);
  }
}

export const steward: Command = {
  name: 'steward',
  summary: 'data steward decisions: review items, merge, decide (same/different), split, retract',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv, allowPositionals: true, strict: true,
        options: {
          steward: { type: 'string' }, reason: { type: 'string' }, master: { type: 'string', multiple: true },
          status: { type: 'string' }, page: { type: 'string' }, 'page-size': { type: 'string' }, help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (err) {
      process.stderr.write(`yibiao steward: ${(err as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const [action, ...args] = parsed.positionals;
    if (parsed.values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (!action || !['review', 'merge', 'decide', 'split', 'retract'].includes(action)) {
      process.stderr.write(`${action ? `yibiao steward: unknown action "${action}"\n\n` : ''}${USAGE}`);
      return EXIT.usage;
    }
    const config = configOrExit();
    const hub = await openHub(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL), { ensureTopics: false });
    try {
      await act(hub, action, args, parsed.values);
      return EXIT.ok;
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(`yibiao steward ${action}: ${err.message}\n\n${USAGE}`);
        return EXIT.usage;
      }
      if (err instanceof StewardActionError) {
        process.stderr.write(`yibiao steward ${action}: ${err.message} [${err.field}: ${err.rule}]\n`);
        return err.statusCode === 404 ? EXIT.notFound : err.statusCode === 409 ? EXIT.stale : EXIT.refused;
      }
      throw err;
    } finally {
      await hub.close();
    }
  },
};
