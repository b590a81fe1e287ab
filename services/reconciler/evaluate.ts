// Pairwise quality of a clustering against the truth: two records are a true pair when the same
// real person is behind both. Records whose truth is unknown (null) belong to nobody.

export interface PairwiseQuality {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly correctPairs: number;
  readonly clusters: number;
  readonly persons: number;
  /** Predicted clusters holding exactly one person's records, all of them. */
  readonly exactClusters: number;
}

const pairs = (k: number) => (k * (k - 1)) / 2;

export function pairwiseQuality(clusterOf: ArrayLike<number>, personOf: ReadonlyArray<string | null>): PairwiseQuality {
  const byCluster = new Map<number, Map<string, number>>();
  const clusterSize = new Map<number, number>();
  const personSize = new Map<string, number>();
  for (let i = 0; i < personOf.length; i++) {
    const c = clusterOf[i]!;
    const p = personOf[i] ?? `#unknown${i}`;
    clusterSize.set(c, (clusterSize.get(c) ?? 0) + 1);
    personSize.set(p, (personSize.get(p) ?? 0) + 1);
    const m = byCluster.get(c) ?? new Map<string, number>();
    m.set(p, (m.get(p) ?? 0) + 1);
    byCluster.set(c, m);
  }
  let predicted = 0;
  let correct = 0;
  let exact = 0;
  for (const [c, persons] of byCluster) {
    predicted += pairs(clusterSize.get(c)!);
    for (const k of persons.values()) correct += pairs(k);
    const [only] = persons;
    if (persons.size === 1 && only !== undefined && personSize.get(only[0]) === only[1]) exact++;
  }
  let truth = 0;
  for (const k of personSize.values()) truth += pairs(k);
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = truth === 0 ? 1 : correct / truth;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs: truth, predictedPairs: predicted, correctPairs: correct, clusters: byCluster.size, persons: personSize.size, exactClusters: exact };
}
