// The simulated OA's endpoints. Token-protected APIs (HRM, workflow) sit behind e-cology's dev
// filter; the 统一待办 (OFS) REST is authenticated by the calling system's syscode instead, as
// registered under 集成中心 → 统一待办中心 → 异构系统.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TOKEN_SECONDS, type DevAuth } from './auth.ts';
import type { OaData, ProcessDoneWrite } from './data.ts';
import {
  MAX_PAGE_SIZE, PATHS, TOKEN_INVALID_CODE,
  type AuthAnswer, type HrmAnswer, type HrmPage, type OaEmployee, type OfsAnswer, type TodoListAnswer, type WorkflowRequestAnswer,
} from '../protocol.ts';

export interface RouteContext {
  readonly auth: DevAuth;
  readonly data: OaData;
  readonly syscodes: ReadonlySet<string>;
  readonly writes: ProcessDoneWrite[];
}

const header = (req: FastifyRequest, name: string): string => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : '';
};

const positiveInt = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
};

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { auth, data } = ctx;

  app.post(PATHS.regist, (req): AuthAnswer => {
    const r = auth.regist(header(req, 'appid'), header(req, 'cpk'));
    if ('error' in r) return { status: false, msg: r.error };
    return { status: true, msg: 'ok', secrit: r.secrit, spk: auth.spk };
  });

  app.post(PATHS.applyToken, (req): AuthAnswer => {
    const seconds = positiveInt(header(req, 'time')) ?? DEFAULT_TOKEN_SECONDS;
    const r = auth.applyToken(header(req, 'appid'), header(req, 'secret'), seconds, Date.now());
    if ('error' in r) return { status: false, msg: r.error };
    return { status: true, msg: '获取成功', token: r.token };
  });

  const tokenFilter = async (req: FastifyRequest, reply: FastifyReply) => {
    const c = auth.check(header(req, 'appid'), header(req, 'token'), header(req, 'userid'), Date.now());
    if (!c.ok) return reply.send({ code: TOKEN_INVALID_CODE, status: false, msg: c.msg });
    return undefined;
  };

  app.post(PATHS.employees, { preHandler: tokenFilter }, (req): HrmAnswer<HrmPage<OaEmployee>> => {
    const params = (req.body as { params?: Record<string, unknown> } | undefined)?.params;
    if (!params || typeof params !== 'object') return { code: '0', errmsg: '参数params不能为空' };
    const page = positiveInt(params.curpage ?? 1);
    const requested = positiveInt(params.pagesize ?? 10);
    if (page === undefined) return { code: '0', errmsg: `curpage参数错误：${String(params.curpage)}` };
    if (requested === undefined) return { code: '0', errmsg: `pagesize参数错误：${String(params.pagesize)}` };
    const size = Math.min(requested, MAX_PAGE_SIZE);
    const start = (page - 1) * size;
    return { code: '1', data: { totalSize: data.employees.length, page, pageSize: size, dataList: data.employees.slice(start, start + size) } };
  });

  app.get(PATHS.workflowRequest, { preHandler: tokenFilter }, (req): WorkflowRequestAnswer => {
    const requestId = (req.query as { requestId?: string }).requestId ?? '';
    const found = data.request(requestId);
    if (!found) return { code: 'PARAM_ERROR', errMsg: { message: `流程不存在或无权限查看：${requestId}` } };
    return {
      code: 'SUCCESS',
      data: {
        requestId, requestName: found.todo.requestname, workflowBaseInfo: { workflowName: found.todo.workflowname },
        workflowMainTableInfo: { requestRecords: [{ workflowRequestTableFields: found.fields }] },
      },
    };
  });

  app.post(PATHS.todoList, (req): TodoListAnswer => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.syscode !== 'string' || !ctx.syscodes.has(body.syscode)) return { code: '0', errmsg: `异构系统标识不存在：${String(body.syscode)}` };
    const pageNo = positiveInt(body.pageNo ?? 1);
    const requested = positiveInt(body.pageSize ?? 20);
    if (pageNo === undefined || requested === undefined) return { code: '0', errmsg: 'pageNo/pageSize参数错误' };
    const isremark = body.isremark === '0' || body.isremark === '2' ? body.isremark : undefined;
    const list = data.listTodos({
      ...(typeof body.createdatetimeFrom === 'string' ? { createdatetimeFrom: body.createdatetimeFrom } : {}),
      ...(typeof body.receiver === 'string' && body.receiver !== '' ? { receiver: body.receiver } : {}),
      ...(isremark ? { isremark } : {}),
    });
    const size = Math.min(requested, MAX_PAGE_SIZE);
    const start = (pageNo - 1) * size;
    return { code: '1', data: { totalSize: list.length, pageNo, pageSize: size, dataList: list.slice(start, start + size) } };
  });

  app.post(PATHS.processDone, (req): OfsAnswer => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const syscode = typeof body.syscode === 'string' ? body.syscode : '';
    const answer = (operResult: '1' | '0', message: string): OfsAnswer => ({ syscode, dataType: 'IsRemark', operType: 'ProcessDone', operResult, message });
    if (!ctx.syscodes.has(syscode)) return answer('0', `异构系统标识不存在：${syscode}`);
    const flowid = typeof body.flowid === 'string' ? body.flowid : '';
    const receiver = typeof body.receiver === 'string' ? body.receiver : '';
    if (!flowid || !receiver) return answer('0', 'flowid和receiver不能为空');
    if (!data.todo(flowid, receiver)) return answer('0', `待办不存在：flowid=${flowid}, receiver=${receiver}`);
    const changed = data.markDone(flowid, receiver);
    ctx.writes.push({ syscode, flowid, receiver, duplicate: !changed, body, at: new Date().toISOString() });
    return answer('1', changed ? '处理成功' : '待办已处理');
  });
}
