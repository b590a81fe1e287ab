// A real Apache Kafka broker (single-node KRaft) from Maven Central jars, for machines without a
// Docker engine. The broker runs detached so it outlives `npm run infra:up` and is shared by
// every later test run until `npm run infra:down`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { infraDir, repoRoot } from './repo-root.ts';

export interface LocalKafkaOptions {
  dir?: string;
  port?: number;
  controllerPort?: number;
  log?: (line: string) => void;
}

const POM = join(repoRoot, 'scripts', 'infra', 'kafka', 'pom.xml');
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

const JAVA_MISSING = 'Java is not installed: install a JDK/JRE 17 (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME.';

const defaultDir = (): string => join(infraDir, 'kafka');

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a TCP port`);
  return port;
}

function javaBin(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Runs a command to completion; rejects with its output tail, or with `missing` when it is not installed. */
function run(cmd: string, args: string[], missing: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      fail(new Error(err.code === 'ENOENT' ? missing : `${cmd} could not start: ${err.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) done(output);
      else fail(new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${code}):\n${tail(output, 30)}`));
    });
  });
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The last lines written to `file` after byte `from` (so a failed start shows its own lines only). */
function readTail(file: string, lines: number, from = 0): string {
  return existsSync(file) ? tail(readFileSync(file).subarray(from).toString('utf8'), lines) : '';
}

function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new Error(`${POM} has no <kafka.version>`);
  return match[1];
}

async function ensureJars(dir: string, version: string, log: (line: string) => void): Promise<void> {
  const libs = join(dir, 'libs');
  // Keyed on the version jar so bumping the pom refetches instead of running stale jars.
  if (existsSync(join(libs, `kafka_2.13-${version}.jar`))) return;
  const javaOut = await run(javaBin(), ['-version'], JAVA_MISSING);
  const major = Number(/version "(?:1\.)?(\d+)/.exec(javaOut)?.[1] ?? 0);
  if (major < 11) throw new Error(`Kafka ${version} needs Java 17 (11 at least); found: ${javaOut.split('\n')[0]}`);
  log(`fetching Apache Kafka ${version} jars with Maven (first run only; cached in ~/.m2)...`);
  // Fetch into a side folder and rename, so an interrupted fetch never looks complete.
  const staging = `${libs}.partial`;
  rmSync(staging, { recursive: true, force: true });
  await run(
    'mvn',
    ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
    'Maven is not installed: install it (e.g. `apt-get install maven`) so the Kafka jars can be fetched from Maven Central.',
  );
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
}

function writeConfig(dir: string, port: number, controllerPort: number): string {
  const data = join(dir, 'data');
  const props = join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${data}`,
      'num.partitions=1',
      'auto.create.topics.enable=true',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      // One node holds every coordinator anyway; 50 partitions would only slow the first group join.
      'offsets.topic.num.partitions=1',
      'transaction.state.log.num.partitions=1',
      // Tests start consuming at once; the default 3 s delay would stall every new group.
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'log4j.properties'),
    [
      'log4j.rootLogger=INFO, file',
      'log4j.appender.file=org.apache.log4j.RollingFileAppender',
      `log4j.appender.file.File=${join(dir, 'kafka.log')}`,
      'log4j.appender.file.MaxFileSize=20MB',
      'log4j.appender.file.MaxBackupIndex=2',
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return props;
}

function jvmArgs(dir: string): string[] {
  return ['-Xmx512m', '-cp', join(dir, 'libs', '*')];
}

async function formatStorage(dir: string, props: string, log: (line: string) => void): Promise<void> {
  if (existsSync(join(dir, 'data', 'meta.properties'))) return;
  // Kept in a file so the id stays the same across `--clean` restarts and can be looked up.
  const idFile = join(dir, 'cluster-id');
  if (!existsSync(idFile)) {
    let id: string;
    do id = randomBytes(16).toString('base64url');
    while (id.startsWith('-')); // Kafka's own random-uuid avoids ids that look like CLI flags
    writeFileSync(idFile, `${id}\n`);
  }
  const clusterId = readFileSync(idFile, 'utf8').trim();
  log(`formatting KRaft storage (cluster ${clusterId})...`);
  await run(javaBin(), [...jvmArgs(dir), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], JAVA_MISSING);
}

function isAlive(pid: number, dir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // Guards against a recycled pid: only a broker started with this dir's config counts. Where
  // /proc is missing (macOS) the signal check above has to do.
  if (!existsSync('/proc/self')) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(dir, 'server.properties'));
  } catch {
    return false;
  }
}

function readPid(dir: string): number | undefined {
  const file = join(dir, 'kafka.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid, dir) ? pid : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 1000 });
    const finish = (inUse: boolean): void => {
      socket.destroy();
      done(inUse);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

async function answers(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'yibiao-infra-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function waitReady(brokers: string, pid: number, dir: string, logFrom?: LogMark): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid, dir)) {
      rmSync(join(dir, 'kafka.pid'), { force: true });
      throw brokerError(`the Kafka broker (pid ${pid}) exited during start-up`, dir, logFrom);
    }
    if (await answers(brokers)) return;
    await sleep(250);
  }
  await stopLocalKafka({ dir });
  throw brokerError(`the Kafka broker did not answer on ${brokers} within ${READY_TIMEOUT_MS / 1000} s and was stopped`, dir, logFrom);
}

type LogMark = Record<'kafka.log' | 'stdout.log', number>;

function logMark(dir: string): LogMark {
  return { 'kafka.log': fileSize(join(dir, 'kafka.log')), 'stdout.log': fileSize(join(dir, 'stdout.log')) };
}

function brokerError(what: string, dir: string, from?: LogMark): Error {
  const logs = (['kafka.log', 'stdout.log'] as const)
    .map((name) => [join(dir, name), readTail(join(dir, name), 30, from?.[name])] as const)
    .filter(([, text]) => text !== '')
    .map(([file, text]) => `--- last lines of ${file} ---\n${text}`);
  return new Error([`${what}.`, ...logs].join('\n'));
}

/** Starts the local broker unless one from `dir` is already running; resolves once it answers. */
export async function ensureLocalKafka(
  opts: LocalKafkaOptions = {},
): Promise<{ brokers: string; startedNow: boolean; pid: number }> {
  const dir = resolve(opts.dir ?? defaultDir());
  let port = opts.port ?? envPort('YIBIAO_KAFKA_PORT', 19092);
  let controllerPort = opts.controllerPort ?? envPort('YIBIAO_KAFKA_CONTROLLER_PORT', 19093);
  const chosen = opts.port !== undefined || opts.controllerPort !== undefined || !!process.env.YIBIAO_KAFKA_PORT || !!process.env.YIBIAO_KAFKA_CONTROLLER_PORT;
  const log = opts.log ?? (() => undefined);
  let brokers = `127.0.0.1:${port}`;

  const running = readPid(dir);
  if (running !== undefined) {
    const props = readFileSync(join(dir, 'server.properties'), 'utf8');
    const runningOn = /^advertised\.listeners=PLAINTEXT:\/\/(.+)$/m.exec(props)?.[1];
    if (runningOn !== brokers && !chosen && runningOn) {
      brokers = runningOn; // started earlier on fallback ports: reuse it where it is
    } else if (runningOn !== brokers) {
      throw new Error(
        `the local Kafka in ${dir} already runs on ${runningOn} (pid ${running}), not ${brokers}; stop it first (npm run infra:down) to move it`,
      );
    }
    // Possibly still starting (a parallel `infra:up`), so wait rather than probe once.
    await waitReady(brokers, running, dir);
    log(`already running (pid ${running}) on ${brokers}`);
    return { brokers, startedNow: false, pid: running };
  }

  // Default ports taken by someone else (another checkout's broker, say): take free ones rather
  // than fail; ports the user chose are honoured or refused below.
  if (!chosen && ((await portInUse(port)) || (await portInUse(controllerPort)))) {
    [port, controllerPort] = [await freePort(), await freePort()];
    brokers = `127.0.0.1:${port}`;
    log(`default ports busy; using ${port} and ${controllerPort}`);
  }
  // Otherwise the readiness probe could mistake some other broker on the port for ours.
  for (const p of [port, controllerPort]) {
    if (await portInUse(p)) {
      throw new Error(
        `port ${p} is already in use by another process, so no local Kafka can start there; stop that process or choose other ports with YIBIAO_KAFKA_PORT / YIBIAO_KAFKA_CONTROLLER_PORT`,
      );
    }
  }

  mkdirSync(dir, { recursive: true });
  const version = kafkaVersion();
  await ensureJars(dir, version, log);
  const props = writeConfig(dir, port, controllerPort);
  await formatStorage(dir, props, log);

  log(`starting Apache Kafka ${version} (KRaft) on ${brokers}...`);
  const started = Date.now();
  const mark = logMark(dir);
  const out = openSync(join(dir, 'stdout.log'), 'a');
  const logConfig = `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`;
  const child = spawn(javaBin(), [...jvmArgs(dir), logConfig, 'kafka.Kafka', props], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const pid = await new Promise<number>((done, fail) => {
    child.once('spawn', () => done(child.pid ?? 0));
    child.once('error', (err: NodeJS.ErrnoException) => fail(new Error(err.code === 'ENOENT' ? JAVA_MISSING : `could not start java: ${err.message}`)));
  });
  child.unref();
  writeFileSync(join(dir, 'kafka.pid'), `${pid}\n`);
  await waitReady(brokers, pid, dir, mark);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${pid})`);
  return { brokers, startedNow: true, pid };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone between the check and the signal: that is what we wanted.
  }
}

async function exited(pid: number, dir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid, dir)) {
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
  return true;
}

/** Stops the broker started from `dir`; resolves whether one was running. */
export async function stopLocalKafka(opts: { dir?: string; clean?: boolean } = {}): Promise<boolean> {
  const dir = resolve(opts.dir ?? defaultDir());
  const pid = readPid(dir);
  if (pid !== undefined) {
    signal(pid, 'SIGTERM');
    if (!(await exited(pid, dir, STOP_TIMEOUT_MS))) {
      signal(pid, 'SIGKILL');
      await exited(pid, dir, 5000);
    }
  }
  rmSync(join(dir, 'kafka.pid'), { force: true });
  if (opts.clean) rmSync(join(dir, 'data'), { recursive: true, force: true });
  return pid !== undefined;
}
