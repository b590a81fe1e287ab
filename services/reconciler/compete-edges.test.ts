import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../schemas/id-number.ts';
import { competeEdges } from './compete-edges.ts';
import { normaliseObservation, type ObservationPayload } from './normalise/index.ts';
import { scorePair } from './score.ts';
import { testModel } from './stream/neighbourhood.fixtures.ts';

const id = (body: string) => `${body}${checkDigit(body)}`;
const model = testModel();
const norm = (ref: string, payload: ObservationPayload) => normaliseObservation(payload, ref);
// Two register rows of different people named 陈辉飞 and a WeChat remark that names only 五支部.
const a = norm('member-system/a', { name: '陈辉飞', idNumber: id('36068119750106835'), orgName: '中共南昌市东湖区农业农村局综合第五支部委员会' });
const b = norm('member-system/b', { name: '陈辉飞', idNumber: id('36090219460705119'), orgName: '中共南昌市西湖区司法局机关第五支部委员会' });
const w = norm('wechat/w', { name: '陈辉飞', orgName: '五支部' });

/** Every pair of `records` scored, split by band as the offline pipeline does. */
function scored(records: ReturnType<typeof norm>[]) {
  const edges = [];
  const possible = [];
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const s = scorePair(model, records[i]!, records[j]!);
      if (s.band === 'match') edges.push({ i, j, weight: s.weight });
      else if (s.band === 'possible') possible.push({ i, j, weight: s.weight });
    }
  }
  return { edges, possible };
}

describe('competing masters in the offline core (competeEdges)', () => {
  it('keeps the remark edge when one register row is all there is', () => {
    const { edges, possible } = scored([w, a]);
    expect(edges).toHaveLength(1);
    const r = competeEdges(model, [w, a], edges, possible);
    expect(r.kept).toEqual(edges);
    expect(r.lost).toEqual([]);
  });

  it('drops both remark edges when the remark could equally be either of two people', () => {
    const records = [w, a, b];
    const { edges, possible } = scored(records);
    // The case it is about: each register row is in the match band with the remark on its own.
    expect(edges.map((e) => [e.i, e.j])).toEqual([[0, 1], [0, 2]]);
    const r = competeEdges(model, records, edges, possible);
    expect(r.kept).toEqual([]);
    expect(r.lost.map((e) => [e.i, e.j])).toEqual([[0, 1], [0, 2]]);
  });

  it('does not let two records of one person compete: a second remark with the same account keeps its edge', () => {
    const w2 = norm('wechat/w2', { name: '陈辉飞', orgName: '五支部', accounts: [{ kind: 'wechat-openid', value: 'oX3mTcompete1' }] });
    const w1 = norm('wechat/w1', { name: '陈辉飞', orgName: '五支部', accounts: [{ kind: 'wechat-openid', value: 'oX3mTcompete1' }] });
    const records = [w1, w2, a];
    const { edges, possible } = scored(records);
    const r = competeEdges(model, records, edges, possible);
    expect(r.kept.some((e) => e.i === 0 && e.j === 1)).toBe(true);
  });
});
