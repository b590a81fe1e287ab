// Where a long run's memory peaked, not only how high: the kernel's maxRSS gives the height, and
// a sample of process.memoryUsage() every half second, labelled with the phase the run was in,
// says whether the JavaScript heap, Buffers (Kafka fetches) or native memory made it. The 1M
// reconcile peaks within a few percent of its 1.5 GiB target, and a figure without its cause
// cannot be acted on.
import { getHeapStatistics } from 'node:v8';

const MIB = 1024 * 1024;

export interface MemoryPeak {
  /** Labels the samples taken from now on. */
  phase(name: string): void;
  /** Stops sampling; the report line ("peak RSS N MiB …"). */
  stop(): string;
  /** The highest RSS sampled in each phase, in MiB, in the order the phases came. */
  byPhase(): ReadonlyMap<string, number>;
}

export function sampleMemoryPeak(everyMs = 500): MemoryPeak {
  let phase = 'start';
  // V8's own malloc (compiler zones, parser) is in neither heap nor external.
  const usage = () => ({ ...process.memoryUsage(), malloced: getHeapStatistics().malloced_memory });
  let peak = { ...usage(), phase };
  const phases = new Map<string, number>();
  const sample = () => {
    const m = usage();
    if (m.rss > peak.rss) peak = { ...m, phase };
    phases.set(phase, Math.max(phases.get(phase) ?? 0, Math.round(m.rss / MIB)));
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    phase(name) {
      // Called once per batch with a label that changes every tenth of the events.
      if (name === phase) return;
      sample();
      phase = name;
    },
    stop() {
      sample();
      clearInterval(timer);
      const mib = (n: number) => (n / MIB).toFixed(0);
      return `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (sampled ${mib(peak.rss)} MiB during ${peak.phase}: ` +
        `heap used ${mib(peak.heapUsed)}, heap total ${mib(peak.heapTotal)}, external ${mib(peak.external)} of which buffers ${mib(peak.arrayBuffers)}, V8 malloc ${mib(peak.malloced)})`;
    },
    byPhase: () => phases,
  };
}
