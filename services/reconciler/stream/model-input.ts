// What the stream's model is estimated from, gathered in ONE pass over the topic: the uniform
// sample (model-sample.ts) that m, u and the priors are estimated on, term frequencies counted
// over every record of the topic, and two samples of the topic's pairs by key (keyed-sample.ts):
// those a rule decides are one person, and the strangers' pairs of each dependency. A
// 20,000-record sample is 2 % of a million-record topic: in it, a name held by a dozen people is
// seen once or not at all, so its agreement weighed as if rare (250k persons, seed 2: counting
// over the whole topic took stream precision 0.99807 → 0.99835 and recall 0.89720 → 0.90454;
// docs/reconciler-model.md, "Term frequencies from the whole topic"). All parts depend only on
// the topic's records, never on the order they are read in.
import { memberObserved, type MemberObserved } from '../../../schemas/events/member-observed.ts';
import type { ModelConfig } from '../model-config.ts';
import { normaliseObservation } from '../normalise/index.ts';
import { defaultEntity, TermFrequencies } from '../term-frequencies.ts';
import { countDecided, type DecidedCounts, type TopicCounts } from '../estimate.ts';
import { countStrangers, givenKeys, givenValues, type StrangerCounts } from '../estimate-dependence.ts';
import { ruleKeys } from '../rules.ts';
import { KeyedSample } from './keyed-sample.ts';
import { ModelSample, type SampledRecord } from './model-sample.ts';
import { recordKey } from './record-key.ts';

/** Rule keys kept: at 50k persons (171,617 records) they hold 7,604 rule-decided pairs. */
export const DECIDED_SAMPLE_KEYS = 40_000;
/**
 * Given values kept (phone numbers). Phones are shared by few, so most kept records bring no pair:
 * 40,000 numbers held 76 MiB at a million records (twice that between prunes), and their 1M run
 * peaked at 1,424 MiB (fs-8's: 1,229); 10,000 hold 19 MiB. At 50k persons with a household's
 * phone on 30 % of register rows they hold 3,769 strangers' pairs (5 % of rows: 621), where 200 are
 * needed; a population without shared phones holds none, at any size.
 */
export const STRANGER_SAMPLE_KEYS = 10_000;

export class ModelInput {
  readonly #sample: ModelSample;
  readonly #tf: TermFrequencies;
  readonly #decided = new KeyedSample(DECIDED_SAMPLE_KEYS, 'decided-sample', ruleKeys);
  readonly #strangers: KeyedSample;
  readonly #givenValues: ReturnType<typeof givenValues>;
  /** Per dependency, records offered with a given value (a restated record counts again: a topic restates few). */
  readonly #givenRecords: number[];
  readonly #config: ModelConfig;
  #counted = 0;

  constructor(sampleSize: number, config: ModelConfig) {
    this.#sample = new ModelSample(sampleSize);
    this.#tf = new TermFrequencies(config);
    this.#givenValues = givenValues(config);
    this.#givenRecords = config.dependencies.map(() => 0);
    // A number on more records than a block takes (a placeholder, a switchboard) brings pairs by the
    // square and no candidate: blocking skips it too.
    this.#strangers = new KeyedSample(STRANGER_SAMPLE_KEYS, 'stranger-sample', givenKeys(config), config.blocking.maxBlockSize);
    this.#config = config;
  }

  /** One event, valid or not (a message's parsed JSON): invalid ones count nowhere, as the consumer dead-letters them. */
  offer(json: unknown): void {
    const parsed = memberObserved.safeParse(json);
    if (parsed.success) this.offerEvent(parsed.data);
  }

  offerEvent(event: MemberObserved): void {
    const ref = recordKey(event.source);
    this.#sample.offer(ref, () => ({ ref, payload: event.payload }));
    if (event.payload.deleted) {
      this.#decided.offer(ref, null);
      this.#strangers.offer(ref, null);
      return;
    }
    // Every revision counts, once per person and value: a record restated with the same name adds nothing.
    const r = normaliseObservation(event.payload, ref);
    this.#tf.add(r, defaultEntity(r));
    this.#decided.offer(ref, r);
    this.#strangers.offer(ref, r);
    this.#givenValues(r).forEach((v, i) => { if (v !== null) this.#givenRecords[i]!++; });
    this.#counted++;
  }

  /** The sampled records, in ref order. */
  records(): SampledRecord[] {
    return this.#sample.records();
  }

  /** Term frequencies over every record offered. */
  tf(): Record<string, Map<string, number>> {
    return this.#tf.tables();
  }

  /** Level counts in the rule-decided pairs of the topic's sampled rule keys. */
  decided(): DecidedCounts {
    return countDecided(this.#config, this.#decided.pairs());
  }

  /** Each dependency's level counts in the strangers' pairs of the topic's sampled given values. */
  strangers(): StrangerCounts {
    return countStrangers(this.#config, this.#strangers.pairs(), this.#strangers.keyShare(), this.#givenRecords);
  }

  /** What the estimate takes from beyond the sample (estimate.ts TopicCounts). */
  counts(): TopicCounts {
    return { decided: this.decided(), strangers: this.strangers() };
  }

  /** Events counted into the term frequencies. */
  get counted(): number {
    return this.#counted;
  }
}
