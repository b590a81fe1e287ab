import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePopulation, writePopulation } from './index.ts';
import { Rng } from './rng.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function digestTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

describe('determinism', () => {
  it('gives the same population for the same seed, value for value', () => {
    const a = generatePopulation({ persons: 1200, seed: 'same' });
    const b = generatePopulation({ persons: 1200, seed: 'same' });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives a different population for a different seed', () => {
    const a = generatePopulation({ persons: 600, seed: 1 });
    const b = generatePopulation({ persons: 600, seed: 2 });
    expect(b.persons.map((p) => p.idNumber)).not.toEqual(a.persons.map((p) => p.idNumber));
    expect(b.systems.wechat.followers.map((f) => f.openid)).not.toEqual(a.systems.wechat.followers.map((f) => f.openid));
    expect(b.systems.xapi.statements.map((s) => s.id)).not.toEqual(a.systems.xapi.statements.map((s) => s.id));
    const shared = new Set(a.persons.map((p) => p.idNumber));
    expect(b.persons.filter((p) => shared.has(p.idNumber)).length).toBeLessThan(6);
  });

  it('accepts numeric and string seeds as the same seed', () => {
    const a = generatePopulation({ persons: 200, seed: 7 });
    const b = generatePopulation({ persons: 200, seed: '7' });
    expect(JSON.stringify(b.truth)).toBe(JSON.stringify(a.truth));
  });

  it('writes byte-identical files for the same seed', async () => {
    const d1 = await mkdtemp(join(tmpdir(), 'pop-a-'));
    const d2 = await mkdtemp(join(tmpdir(), 'pop-b-'));
    dirs.push(d1, d2);
    await writePopulation(generatePopulation({ persons: 700, seed: 99 }), d1);
    await writePopulation(generatePopulation({ persons: 700, seed: 99 }), d2);
    const [h1, h2] = [await digestTree(d1), await digestTree(d2)];
    expect(Object.keys(h1).length).toBeGreaterThanOrEqual(15);
    expect(h2).toEqual(h1);
  });
});

describe('rng', () => {
  it('streams are independent per label and index and roughly uniform', () => {
    const a = Rng.of('s', 'x', 1);
    const b = Rng.of('s', 'x', 2);
    expect(a.u32()).not.toBe(b.u32());
    const counts = new Array<number>(10).fill(0);
    const r = new Rng('uniform');
    for (let i = 0; i < 100_000; i++) {
      const k = r.int(10);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
  });

  it('makes RFC 4122 version-4 shaped UUIDs', () => {
    const r = new Rng('uuid');
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const u = r.uuid();
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
      seen.add(u);
    }
    expect(seen.size).toBe(2000);
  });
});
