// The hub's Prometheus metrics, in one registry per hub so tests can build several side by side.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface HubMetrics {
  readonly registry: Registry;
  readonly deadLetters: Counter<'topic'>;
  readonly ready: Gauge<'dependency'>;
  readonly ingested: Counter<'connector' | 'outcome'>;
}

export function createMetrics(): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'yibiao_' });
  return {
    registry,
    deadLetters: new Counter({ name: 'yibiao_dead_letters_total', help: 'Messages sent to a dead-letter topic, by source topic', labelNames: ['topic'], registers: [registry] }),
    ingested: new Counter({ name: 'yibiao_ingest_records_total', help: 'Source records by connector and outcome (read, emitted, dead_lettered)', labelNames: ['connector', 'outcome'], registers: [registry] }),
    ready: new Gauge({ name: 'yibiao_dependency_up', help: '1 when the dependency answered the last readiness check', labelNames: ['dependency'], registers: [registry] }),
  };
}
