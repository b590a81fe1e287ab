// `yibiao start` as a user runs it: no services, embedded database and log, /healthz answering,
// the API behind the token the start-up log shows, SIGTERM stopping it cleanly; and a bad setting stopping start-up with the variable's name.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = resolve(import.meta.dirname, '..', '..', 'services', 'cli', 'main.ts');

function run(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: string | null }> } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['KAFKA_BROKERS', 'DATABASE_URL', 'PORT', 'HOST', 'YIBIAO_DATA_DIR', 'YIBIAO_API_TOKENS', 'YIBIAO_API_TOKENS_FILE'].includes(k)));
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, output: () => out, exited };
}

async function waitFor<T>(fn: () => T | undefined, ms: number, what: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('yibiao start', () => {
  it('runs embedded with no environment, serves /healthz within 30 s and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yibiao-start-'));
    const p = run(['start'], { PORT: '0', YIBIAO_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const started = Date.now();
    const url = await waitFor(() => /API listening on (http:\/\/[^\s]+)/.exec(p.output())?.[1], 30_000, () => p.output());
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { checks: { database: { kind: string }; bus: { kind: string } } };
    expect(ready.checks.database.kind).toBe('pglite');
    expect(ready.checks.bus.kind).toBe('log');
    expect(p.output()).toContain('event bus: embedded log');
    // No tokens configured: the API answers only to the token this run printed.
    const token = await waitFor(() => /"apiToken":"([^"]+)"/.exec(p.output())?.[1], 5_000, () => p.output());
    const refused = await fetch(`${url}/api/reconciler/repair-scan`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const auth = { authorization: `Bearer ${token}` };
    expect(await (await fetch(`${url}/api/me`, { headers: auth })).json()).toEqual({ person: '临时管理员', role: 'steward' });
    // The reconciler's repair scan is on its default nightly schedule and served by the API.
    const repair = (await (await fetch(`${url}/api/reconciler/repair-scan`, { headers: auth })).json()) as { cron: string; running: boolean };
    expect(repair).toMatchObject({ cron: '30 3 * * *', reestimateGrowth: 2, running: false });
    p.child.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(p.output()).toContain('"msg":"stopped"');
  });

  it('refuses a bad KAFKA_BROKERS with a message naming it', async () => {
    const p = run(['start'], { KAFKA_BROKERS: 'not a url', PORT: '0' });
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.output()).toMatch(/KAFKA_BROKERS: each broker must be host:port/);
    expect(p.output()).not.toMatch(/\n\s+at /); // a readable message, not a stack trace
  });

  it('refuses an unusable YIBIAO_API_TOKENS naming it and the entry, without printing the token', async () => {
    const p = run(['start'], { YIBIAO_API_TOKENS: '李管理员:short-secret', PORT: '0' });
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.output()).toMatch(/YIBIAO_API_TOKENS: entry 1: 李管理员: the token is shorter than 16 characters/);
    expect(p.output()).not.toContain('short-secret');
  });
});
