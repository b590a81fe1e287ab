import { execFile } from 'node:child_process';

/** True when a Docker engine (not just the client) answers within a few seconds. */
export function dockerEngineAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 }, (err, stdout) => {
      resolve(!err && stdout.trim().length > 0);
    });
  });
}
