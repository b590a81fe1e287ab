// Builds the configured connectors: each system with a URL is wired to it (its credentials are
// then required); in demo mode the others are served by their simulators.
import type { Logger } from 'pino';
import type { Connector } from '../../connectors/contract.ts';
import { createMemberSystemConnector } from '../../connectors/member-system/index.ts';
import { createOaConnector } from '../../connectors/oa/index.ts';
import { createWechatConnector } from '../../connectors/wechat/index.ts';
import { createXapiConnector } from '../../connectors/xapi/index.ts';
import { ConfigError, type Config } from '../../schemas/config.ts';
import { startDemoSystems, type DemoSystem, type DemoSystems } from './demo-systems.ts';
import type { ScheduledConnector } from './scheduler.ts';

export const CONNECTOR_NAMES = ['member-system', 'wechat', 'xapi', 'oa'] as const satisfies readonly DemoSystem[];

export interface BuiltConnectors {
  readonly entries: readonly ScheduledConnector[];
  readonly demo: DemoSystems | null;
  /** One line per connector for the start-up log. */
  readonly describe: readonly string[];
  close(): Promise<void>;
}

const URL_VAR = { wechat: 'YIBIAO_WECHAT_URL', 'member-system': 'YIBIAO_MEMBER_SYSTEM_URL', xapi: 'YIBIAO_XAPI_URL', oa: 'YIBIAO_OA_URL' } as const;

function need(config: Config, name: keyof Config, why: string): string {
  const v = config[name];
  if (typeof v !== 'string' || v === '') throw new ConfigError([{ variable: name, message: `required when ${why} is set` }]);
  return v;
}

/** `forImport`: no live system is contacted, so no simulator is started and URLs are optional. */
export async function buildConnectors(config: Config, logger: Logger, options: { forImport?: boolean; only?: string } = {}): Promise<BuiltConnectors> {
  const wanted = CONNECTOR_NAMES.filter((n) => options.only === undefined || n === options.only);
  const configured = (n: DemoSystem) => config[URL_VAR[n]] !== undefined;
  const demoOn = config.YIBIAO_DEMO === 'on' || (config.YIBIAO_DEMO === 'auto' && !CONNECTOR_NAMES.some(configured));
  const simulate = options.forImport ? [] : wanted.filter((n) => !configured(n) && demoOn);
  const demo = simulate.length > 0 ? await startDemoSystems(simulate, { persons: config.YIBIAO_DEMO_PERSONS, seed: config.YIBIAO_DEMO_SEED, logger }) : null;
  const instance = demo ? 'demo' : config.YIBIAO_SOURCE_INSTANCE;
  const unused = 'http://127.0.0.1:9'; // imports never call the live system
  const entries: ScheduledConnector[] = [];
  const describe: string[] = [];
  const add = async (connector: Connector, cron: string, where: string) => {
    entries.push({ connector, cron, streams: (await connector.discover()).map((s) => s.name) });
    describe.push(`connector ${connector.name}: ${where}, every "${cron}"`);
  };
  const log = logger.child({ component: 'connector' });
  for (const name of wanted) {
    const url = config[URL_VAR[name]];
    const live = url !== undefined && !options.forImport;
    if (!live && !demo?.endpoints[name] && !options.forImport) continue;
    switch (name) {
      case 'wechat': {
        const d = demo?.endpoints.wechat;
        const c = createWechatConnector({
          baseUrl: live ? url : (d?.url ?? unused),
          appid: live ? need(config, 'YIBIAO_WECHAT_APPID', URL_VAR.wechat) : (d?.appid ?? '-'),
          secret: live ? need(config, 'YIBIAO_WECHAT_SECRET', URL_VAR.wechat) : (d?.secret ?? '-'),
          ...(d ? { bindingsKey: d.bindingsKey } : {}),
          // The configured table, else the demo population's own.
          ...(config.YIBIAO_WECHAT_QR_SCENES ? { qrScenes: config.YIBIAO_WECHAT_QR_SCENES.scenes } : d ? { qrScenes: d.qrScenes } : {}),
          instance,
          logger: log,
        });
        await add(c, config.YIBIAO_WECHAT_CRON, live ? url : 'WeChat simulator');
        break;
      }
      case 'member-system': {
        const d = demo?.endpoints['member-system'];
        const c = createMemberSystemConnector({
          baseUrl: live ? url : (d?.url ?? unused),
          appKey: live ? need(config, 'YIBIAO_MEMBER_SYSTEM_APP_KEY', URL_VAR['member-system']) : (d?.appKey ?? '-'),
          appSecret: live ? need(config, 'YIBIAO_MEMBER_SYSTEM_APP_SECRET', URL_VAR['member-system']) : (d?.appSecret ?? '-'),
          instance,
          logger: log,
        });
        await add(c, config.YIBIAO_MEMBER_SYSTEM_CRON, live ? url : '党员管理信息系统 simulator');
        break;
      }
      case 'xapi': {
        const d = demo?.endpoints.xapi;
        const c = createXapiConnector({
          baseUrl: live ? url : (d?.url ?? unused),
          key: live ? need(config, 'YIBIAO_XAPI_KEY', URL_VAR.xapi) : (d?.key ?? '-'),
          secret: live ? need(config, 'YIBIAO_XAPI_SECRET', URL_VAR.xapi) : (d?.secret ?? '-'),
          instance,
          logger: log,
        });
        await add(c, config.YIBIAO_XAPI_CRON, live ? url : '远程教育 LRS simulator');
        break;
      }
      case 'oa': {
        const d = demo?.endpoints.oa;
        const c = createOaConnector({ baseUrl: live ? url : (d?.url ?? unused), appid: live ? need(config, 'YIBIAO_OA_APPID', URL_VAR.oa) : (d?.appid ?? '-'), instance, logger: log });
        await add(c, config.YIBIAO_OA_CRON, live ? url : 'OA simulator');
        break;
      }
    }
  }
  return { entries, demo, describe, close: async () => void (await demo?.close()) };
}
