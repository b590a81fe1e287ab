import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SimulatorProcess {
  urls: { wechat: string; xapi: string; followers: number; statements: number };
  stop(): Promise<void>;
}

/** Starts bench/serve-simulators.ts in its own Node process and waits for its URLs. */
export async function startSimulatorProcess(o: { persons: number; followers: number; statements: number }): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', join(import.meta.dirname, 'serve-simulators.ts'), '--persons', String(o.persons), '--followers', String(o.followers), '--statements', String(o.statements)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`simulator process exited with ${code} before serving`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return {
    urls: JSON.parse(line) as SimulatorProcess['urls'],
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
