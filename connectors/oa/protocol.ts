// The OA's wire protocol, shared by the simulator and the client so the two cannot drift apart.
// 泛微 e-cology answers in three dialects: the dev-auth exchange ({status, msg}), the HRM REST
// ({code: '1', data}) and the workflow paService ({code: 'SUCCESS', data}); the 统一待办 (OFS)
// endpoints answer {operResult: '1' | '0', message}. README.md (this folder) has the details.
import type { OaEmployee, OaTodo } from '../population/system-types.ts';

export type { OaEmployee, OaTodo };

export const PATHS = {
  regist: '/api/ec/dev/auth/regist',
  applyToken: '/api/ec/dev/auth/applytoken',
  employees: '/api/hrm/resful/getHrmUserInfoWithPage',
  workflowRequest: '/api/workflow/paService/getWorkflowRequest',
  todoList: '/rest/ofs/getTodoList',
  processDone: '/rest/ofs/ProcessDoneRequestByJson',
} as const;

/** Largest page either list endpoint serves; bigger requests are clamped, as the HRM REST does. */
export const MAX_PAGE_SIZE = 1000;

/** e-cology's answer to a missing, unknown or expired token (a servlet filter, before any API). */
export const TOKEN_INVALID_CODE = '-1';

export interface AuthAnswer {
  status: boolean;
  msg: string;
  secrit?: string;
  spk?: string;
  token?: string;
}

/** HRM REST envelope: code '1' is success; anything else carries `errmsg`. */
export interface HrmAnswer<T> {
  code: string;
  data?: T;
  errmsg?: string;
  msg?: string;
  status?: boolean;
}

export interface HrmPage<T> {
  totalSize: number;
  page: number;
  pageSize: number;
  dataList: T[];
}

export interface TodoListRequest {
  syscode: string;
  pageNo: number;
  pageSize: number;
  /** Only todos created at or after this `YYYY-MM-DD HH:mm:ss` (China time). */
  createdatetimeFrom?: string;
  receiver?: string;
  /** '0' pending, '2' done; all when absent. */
  isremark?: '0' | '2';
}

export interface TodoListAnswer {
  code: string;
  errmsg?: string;
  data?: { totalSize: number; pageNo: number; pageSize: number; dataList: OaTodo[] };
}

export interface ProcessDoneRequest {
  syscode: string;
  flowid: string;
  receiver: string;
  requestname?: string;
  workflowname?: string;
  nodename?: string;
}

export interface OfsAnswer {
  syscode: string;
  dataType: 'IsRemark';
  operType: 'ProcessDone';
  operResult: '1' | '0';
  message: string;
}

/**
 * The notice's main-table fields on its workflow form: the todo itself names neither the period
 * nor the items asked for, so the branch (and the hub) open the form.
 */
export const FORM_FIELDS = {
  branch: 'tbzb',
  period: 'tbqj',
  dueAt: 'jzsj',
  items: 'tbxm',
} as const;

export interface FormField {
  fieldName: string;
  fieldShowName: string;
  fieldValue: string;
}

export interface WorkflowRequestAnswer {
  /** SUCCESS, or PARAM_ERROR, NO_PERMISSION, SYSTEM_INNER_ERROR, USER_EXCEPTION. */
  code: string;
  errMsg?: { message?: string };
  data?: {
    requestId: string;
    requestName: string;
    workflowBaseInfo: { workflowName: string };
    workflowMainTableInfo: { requestRecords: Array<{ workflowRequestTableFields: FormField[] }> };
  };
}

/** Todo list order, and the read cursor's key: creation time, then request id, then receiver. */
export function compareTodos(a: Pick<OaTodo, 'createdatetime' | 'flowid' | 'receiver'>, b: Pick<OaTodo, 'createdatetime' | 'flowid' | 'receiver'>): number {
  if (a.createdatetime !== b.createdatetime) return a.createdatetime < b.createdatetime ? -1 : 1;
  const fa = Number(a.flowid);
  const fb = Number(b.flowid);
  if (fa !== fb) return Number.isNaN(fa) || Number.isNaN(fb) ? (a.flowid < b.flowid ? -1 : 1) : fa - fb;
  return a.receiver < b.receiver ? -1 : a.receiver > b.receiver ? 1 : 0;
}
