// The OA client: e-cology dev-auth (regist → applytoken, RSA with the server's key), the HRM
// directory, the 统一待办 list and ProcessDone, and a notice's workflow form. An expired token
// is refreshed once per call; every other non-success answer is thrown with the OA's code.
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { NonRetriableError } from '../../schemas/errors.ts';
import { requestJson, type HttpOptions, type HttpRequest } from './http.ts';
import {
  PATHS, TOKEN_INVALID_CODE,
  type AuthAnswer, type HrmAnswer, type HrmPage, type OaEmployee, type OaTodo, type OfsAnswer, type ProcessDoneRequest,
  type TodoListAnswer, type TodoListRequest, type WorkflowRequestAnswer, type FormField,
} from './protocol.ts';

export interface OaClientOptions extends HttpOptions {
  readonly appid: string;
  /** This hub's 异构系统 code in the 统一待办 center. */
  readonly syscode: string;
  /** The OA user id the token-protected calls act as (e-cology requires one). Default '1'. */
  readonly userid?: string;
  /** Token lifetime asked for in applytoken's `time` header. Default 1800 s. */
  readonly tokenSeconds?: number;
}

/** The OA answered, and said no. `code` is its own (HRM code, paService code, operResult). */
export class OaApiError extends NonRetriableError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message, { rule: `OA answered code ${code}` });
    this.code = code;
  }
}

interface Session {
  readonly token: string;
  readonly userid: string;
}

export class OaClient {
  readonly #o: OaClientOptions;
  #session: Promise<Session> | undefined;
  tokensApplied = 0;

  constructor(options: OaClientOptions) {
    this.#o = options;
  }

  async employeesPage(curpage: number, pagesize: number, signal?: AbortSignal): Promise<HrmPage<OaEmployee>> {
    const a = await this.#authed<HrmAnswer<HrmPage<OaEmployee>>>({ method: 'POST', path: PATHS.employees, body: { params: { curpage, pagesize } } }, signal);
    if (a.code !== '1' || !a.data) throw new OaApiError(a.code, `OA HRM directory: ${a.errmsg ?? a.msg ?? 'no data'} (code ${a.code})`);
    return a.data;
  }

  async todoPage(req: Omit<TodoListRequest, 'syscode'>, signal?: AbortSignal): Promise<{ totalSize: number; pageSize: number; dataList: OaTodo[] }> {
    const body: TodoListRequest = { syscode: this.#o.syscode, ...req };
    const a = (await requestJson(this.#o, { method: 'POST', path: PATHS.todoList, body }, signal)) as TodoListAnswer;
    if (a.code !== '1' || !a.data) throw new OaApiError(String(a.code), `OA todo list: ${a.errmsg ?? 'no data'} (code ${String(a.code)})`);
    return a.data;
  }

  /** The notice form's main-table fields by name; undefined when the OA has no such request. */
  async todoForm(flowid: string, signal?: AbortSignal): Promise<Map<string, string> | undefined> {
    const a = await this.#authed<WorkflowRequestAnswer>({ method: 'GET', path: PATHS.workflowRequest, query: { requestId: flowid } }, signal);
    if (a.code === 'PARAM_ERROR') return undefined;
    if (a.code !== 'SUCCESS' || !a.data) throw new OaApiError(a.code, `OA workflow ${flowid}: ${a.errMsg?.message ?? 'no data'} (code ${a.code})`);
    const fields: FormField[] = a.data.workflowMainTableInfo.requestRecords.flatMap((r) => r.workflowRequestTableFields);
    return new Map(fields.map((f) => [f.fieldName, f.fieldValue]));
  }

  /** ProcessDone: marks the receiver's todo done. Closing one already done succeeds too. */
  async closeTodo(flowid: string, receiver: string, detail: Partial<Pick<ProcessDoneRequest, 'requestname' | 'workflowname' | 'nodename'>> = {}, signal?: AbortSignal): Promise<OfsAnswer> {
    const body: ProcessDoneRequest = { syscode: this.#o.syscode, flowid, receiver, ...detail };
    const a = (await requestJson(this.#o, { method: 'POST', path: PATHS.processDone, body }, signal)) as OfsAnswer;
    if (a.operResult !== '1') throw new OaApiError(`operResult:${String(a.operResult)}`, `OA ProcessDone ${flowid}/${receiver}: ${a.message}`);
    return a;
  }

  async #authed<T extends { code?: unknown; msg?: unknown }>(req: HttpRequest, signal?: AbortSignal): Promise<T> {
    for (let refreshed = false; ; refreshed = true) {
      const pending = this.#currentSession(signal);
      const session = await pending;
      const headers = { appid: this.#o.appid, token: session.token, userid: session.userid, ...req.headers };
      const a = (await requestJson(this.#o, { ...req, headers }, signal)) as T;
      const tokenRefused = String(a.code) === TOKEN_INVALID_CODE && typeof a.msg === 'string' && a.msg.includes('token');
      if (!tokenRefused) return a;
      if (refreshed) throw new OaApiError(TOKEN_INVALID_CODE, `OA ${req.path}: ${String(a.msg)} (a fresh token was refused too)`);
      // Parallel calls see the same token expire; only the first drops it, the rest reuse the new one.
      if (this.#session === pending) this.#session = undefined;
    }
  }

  #currentSession(signal?: AbortSignal): Promise<Session> {
    if (!this.#session) {
      const p = this.#openSession(signal);
      this.#session = p;
      p.catch(() => {
        if (this.#session === p) this.#session = undefined;
      });
    }
    return this.#session;
  }

  async #openSession(signal?: AbortSignal): Promise<Session> {
    const cpk = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const reg = (await requestJson(this.#o, { method: 'POST', path: PATHS.regist, headers: { appid: this.#o.appid, cpk } }, signal)) as AuthAnswer;
    if (!reg.status || !reg.secrit || !reg.spk) throw new OaApiError('regist', `OA regist (appid ${this.#o.appid}): ${reg.msg}`);
    const spk = createPublicKey({ key: Buffer.from(reg.spk, 'base64'), format: 'der', type: 'spki' });
    const encrypt = (text: string) => publicEncrypt({ key: spk, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text)).toString('base64');
    const tok = (await requestJson(this.#o, {
      method: 'POST', path: PATHS.applyToken,
      headers: { appid: this.#o.appid, secret: encrypt(reg.secrit), time: String(this.#o.tokenSeconds ?? 1800) },
    }, signal)) as AuthAnswer;
    if (!tok.status || !tok.token) throw new OaApiError('applytoken', `OA applytoken (appid ${this.#o.appid}): ${tok.msg}`);
    this.tokensApplied++;
    return { token: tok.token, userid: encrypt(this.#o.userid ?? '1') };
  }
}
