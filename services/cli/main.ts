// The `yibiao` command line: dispatches to one subcommand per file under commands/.
import '../runtime/quiet-kafkajs-warning.ts';
import { COMMANDS } from './commands/index.ts';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['usage: yibiao <command> [options]', '', 'commands:', ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === 'help' || name === '--help' || name === '-h') {
  process.stdout.write(`${usage()}\n`);
  process.exit(name ? 0 : 2);
}
const command = COMMANDS.find((c) => c.name === name);
if (!command) {
  process.stderr.write(`yibiao: unknown command "${name}"\n${usage()}\n`);
  process.exit(2);
}
try {
  process.exitCode = await command.run(rest);
} catch (err) {
  const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
  process.stderr.write(`yibiao ${name}: ${debug && err instanceof Error ? (err.stack ?? err.message) : err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
