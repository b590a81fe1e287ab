// All configuration comes from the environment and is parsed once at start-up by this schema.
// A bad value stops start-up with a message naming the variable and the rule it broke.
import { z } from 'zod';
import { parseTokenList, readTokenFile, TokenListError, type ApiTokenHolder } from './api-token-list.ts';
import { connectorSettingsSchema } from './connector-settings.ts';
import { cronExpression } from './cron-expression.ts';
import { FileLocationError } from './file-error.ts';
import { readAliasFile, type DeclaredAlias } from './org-alias-file.ts';
import { readQrSceneFile } from './qr-scene-file.ts';

/** A path to a file read and checked here, so a bad file stops start-up with its file, row and column. */
const checkedFile = <T>(read: (file: string) => T) =>
  z
    .string()
    .trim()
    .min(1)
    .transform((file, ctx): T => {
      try {
        return read(file);
      } catch (err) {
        if (!(err instanceof FileLocationError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
        return z.NEVER;
      }
    });

/** The declared org alias CSV. */
const orgAliasFile = checkedFile((file): { file: string; aliases: DeclaredAlias[] } => ({ file, aliases: readAliasFile(file) }));

/** The WeChat QR scene CSV: scene string → branch. */
const qrSceneFile = checkedFile((file): { file: string; scenes: Map<string, string> } => ({ file, scenes: readQrSceneFile(file) }));

/** `person:token` entries (schemas/api-token-list.ts); the error names the entry, never the token. */
const apiTokens = z.string().transform((text, ctx): ApiTokenHolder[] => {
  try {
    return parseTokenList(text);
  } catch (err) {
    if (!(err instanceof TokenListError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.entry > 0 ? `entry ${err.entry}: ${err.message}` : err.message });
    return z.NEVER;
  }
});

/** A file of the same entries (one a line reads best; `#` starts a comment line). */
const apiTokensFile = checkedFile((file): { file: string; holders: ApiTokenHolder[] } => ({ file, holders: readTokenFile(file) }));

const brokerList = z
  .string()
  .trim()
  .min(1)
  .transform((s) => s.split(',').map((b) => b.trim()))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'each broker must be host:port (comma-separated list), e.g. 127.0.0.1:9092')
        .refine((b) => !/:\d+$/.test(b) || Number(b.split(':').pop()) <= 65535, 'broker port must be ≤ 65535'),
    ),
  );

const postgresUrl = z
  .string()
  .trim()
  .refine((s) => /^postgres(ql)?:\/\//.test(s) && URL.canParse(s), 'must be a postgres:// or postgresql:// URL, e.g. postgres://user@127.0.0.1:5432/yibiao');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const hubSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  YIBIAO_DATA_DIR: z.string().trim().min(1).default('./.yibiao'),
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_CLIENT_ID: z.string().trim().min(1).default('yibiao'),
  /** Prefix of every topic name, for hubs (or test runs) sharing one Kafka cluster. */
  YIBIAO_TOPIC_PREFIX: z.string().trim().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ - only').default(''),
  DATABASE_URL: postgresUrl.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Embedded mode's log keeps events in the database; how often idle consumers look for more. */
  YIBIAO_LOG_POLL_MS: z.coerce.number().int().min(5).max(60_000).default(100),
  /** Run the reconciler inside this hub process (off: run `yibiao reconcile` separately). */
  YIBIAO_RECONCILER: z.enum(['on', 'off']).default('on'),
  /**
   * When the reconciler looks at every stored record again and joins the masters arrival order
   * left apart (services/reconciler/repair-schedule.ts); `off`: only on demand. Default 03:30 daily.
   */
  YIBIAO_REPAIR_SCAN_CRON: z.union([z.literal('off').transform(() => null), cronExpression]).default('30 3 * * *'),
  /**
   * on: a model estimate counts the names' frequencies over the stored masters once there are any,
   * and the repair schedule estimates again before its first scan after the first drain
   * (stream/tf-recount.ts). Since model fs-12 it adds little (10,000 persons: recall +0.0025), and
   * at 250,000 it took precision 0.99943 → 0.99894 (docs/reconciler-model.md): off by default.
   */
  YIBIAO_TF_OVER_MASTERS: z.enum(['on', 'off']).default('off'),
  /**
   * Before a repair scan, the model is estimated again once member.observed holds this many times
   * the events it was estimated on (stream/model-store.ts); `off`: never (only `--reestimate`).
   */
  YIBIAO_REESTIMATE_GROWTH: z.union([
    z.literal('off').transform(() => Number.POSITIVE_INFINITY),
    z.coerce.number().min(1.1, 'must be from 1.1 to 1000, or off').max(1000, 'must be from 1.1 to 1000, or off'),
  ], { error: 'must be a number from 1.1 to 1000 (how many times the topic must have grown), or off' }).default(2),
  /** Declared org aliases: a CSV `alias,org_code` (services/orgs/README.md). */
  YIBIAO_ORG_ALIASES: orgAliasFile.optional(),
  /** Which branch each of the WeChat account's QR codes belongs to: a CSV `scene,branch` (connectors/wechat/README.md). */
  YIBIAO_WECHAT_QR_SCENES: qrSceneFile.optional(),
  YIBIAO_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Who may use the API: `person:token` entries separated by commas or newlines; the person is
   * recorded on every decision made with the token. Unset (and no file): the hub makes a token
   * for each run and logs it (services/api/bearer-tokens.ts).
   */
  YIBIAO_API_TOKENS: apiTokens.optional(),
  /** The same entries in a file, one a line (`#` comments): for container secrets. */
  YIBIAO_API_TOKENS_FILE: apiTokensFile.optional(),
});

export const configSchema = hubSchema.extend(connectorSettingsSchema.shape).superRefine((c, ctx) => {
  // Two sources of who may act would leave it unclear which one a reader should trust.
  if (c.YIBIAO_API_TOKENS && c.YIBIAO_API_TOKENS_FILE) {
    ctx.addIssue({ code: 'custom', path: ['YIBIAO_API_TOKENS_FILE'], message: 'set either YIBIAO_API_TOKENS or YIBIAO_API_TOKENS_FILE, not both' });
  }
});

/** Variables whose values must not appear in an error message (it goes to the terminal and logs). */
const SECRET = /_(SECRET|TOKENS)$/u;

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly issues: readonly { variable: string; message: string }[];
  constructor(issues: readonly { variable: string; message: string }[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parses the environment; empty strings count as unset, as shells and compose files produce them. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const keys = Object.keys(configSchema.shape);
  const present: Record<string, string> = {};
  for (const k of keys) {
    const v = env[k];
    if (v !== undefined && v !== '') present[k] = v;
  }
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  // One line per variable, even when its value broke several rules.
  const byVariable = new Map<string, string[]>();
  for (const i of parsed.error.issues) {
    const variable = String(i.path[0] ?? '(environment)');
    byVariable.set(variable, [...new Set([...(byVariable.get(variable) ?? []), i.message])]);
  }
  throw new ConfigError(
    [...byVariable].map(([variable, rules]) => {
      const value = present[variable];
      const shown = value === undefined || SECRET.test(variable) ? '' : ` (got ${JSON.stringify(value)})`;
      return { variable, message: `${rules.join('; ')}${shown}` };
    }),
  );
}
