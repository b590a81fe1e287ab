import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../services/db/data-dir-lock.ts';

describe('embedded data folder lock', () => {
  it('refuses a second owner while the first lives, and frees on release', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'yibiao-lock-')), 'pglite');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(`${dir}.lock`, String(child.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${child.pid}`));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock whose owner is gone, and removes it on release', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'yibiao-lock-')), 'pglite');
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid;
    await new Promise((r) => child.on('exit', r));
    writeFileSync(`${dir}.lock`, String(pid));
    const release = lockDataDir(dir);
    expect(existsSync(`${dir}.lock`)).toBe(true);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
