// Progress of long CLI work on stderr: a bar on a terminal, a line every few seconds otherwise
// (CI logs, pipes), so a long import never looks hung.
import cliProgress from 'cli-progress';

/** The running counts of an ingest run, as progress lines show them. */
export function ingestDetail(t: { eventsEmitted: number; deadLettered: number }): string {
  return `emitted ${t.eventsEmitted}, dead-lettered ${t.deadLettered}`;
}

export interface Progress {
  update(done: number, total?: number, detail?: string): void;
  stop(): void;
}

export function progress(label: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {value}/{total} {detail}`, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail = '') {
        if (!started) {
          bar.start(total ?? done, done, { detail });
          started = true;
        }
        if (total !== undefined) bar.setTotal(total);
        bar.update(done, { detail });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, total, detail = '') {
      const now = Date.now();
      if (now - last < 2_000) return;
      last = now;
      process.stderr.write(`${label}: ${done}${total === undefined ? '' : `/${total}`} ${detail}\n`);
    },
    stop: () => undefined,
  };
}
