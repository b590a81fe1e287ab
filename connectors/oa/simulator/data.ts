// What the simulated OA holds, built once from the population: the directory in HrmResource id
// order, the todos in list order with their done state, and each notice's workflow form.
import type { Population } from '../../population/index.ts';
import { compareTodos, FORM_FIELDS, type FormField, type OaEmployee, type OaTodo } from '../protocol.ts';

export interface ProcessDoneWrite {
  readonly syscode: string;
  readonly flowid: string;
  readonly receiver: string;
  /** True when the todo was already done: answered success, nothing changed. */
  readonly duplicate: boolean;
  readonly body: unknown;
  readonly at: string;
}

export class OaData {
  readonly employees: readonly OaEmployee[];
  readonly todos: readonly OaTodo[];
  readonly #forms = new Map<string, FormField[]>();
  readonly #byKey = new Map<string, OaTodo>();
  readonly #byFlowid = new Map<string, OaTodo>();
  readonly #done = new Set<string>();

  constructor(population: Population) {
    this.employees = [...population.systems.oa.employees].sort((a, b) => a.id - b.id);
    this.todos = [...population.systems.oa.todos].sort(compareTodos);
    for (const t of this.todos) {
      this.#byKey.set(key(t.flowid, t.receiver), t);
      if (!this.#byFlowid.has(t.flowid)) this.#byFlowid.set(t.flowid, t);
      if (t.isremark === '2') this.#done.add(key(t.flowid, t.receiver));
    }
    for (const task of population.tasks) {
      if (task.system !== 'oa') continue;
      this.#forms.set(task.sourceRecordId, [
        { fieldName: FORM_FIELDS.branch, fieldShowName: '填报支部', fieldValue: task.branchCode },
        { fieldName: FORM_FIELDS.period, fieldShowName: '填报期间', fieldValue: task.period },
        { fieldName: FORM_FIELDS.dueAt, fieldShowName: '截止时间', fieldValue: task.dueAt },
        { fieldName: FORM_FIELDS.items, fieldShowName: '填报项目', fieldValue: task.fields.join(',') },
      ]);
    }
  }

  /** The notice's workflow: its form's main-table fields and the todo it was sent as. */
  request(flowid: string): { fields: FormField[]; todo: OaTodo } | undefined {
    const fields = this.#forms.get(flowid);
    const todo = this.#byFlowid.get(flowid);
    return fields && todo ? { fields, todo } : undefined;
  }

  todo(flowid: string, receiver: string): OaTodo | undefined {
    const t = this.#byKey.get(key(flowid, receiver));
    return t ? this.#withState(t) : undefined;
  }

  /** Marks a todo done; false when it already was. */
  markDone(flowid: string, receiver: string): boolean {
    const k = key(flowid, receiver);
    if (this.#done.has(k)) return false;
    this.#done.add(k);
    return true;
  }

  listTodos(filter: { createdatetimeFrom?: string; receiver?: string; isremark?: '0' | '2' }): OaTodo[] {
    const out: OaTodo[] = [];
    for (const t of this.todos) {
      if (filter.createdatetimeFrom !== undefined && t.createdatetime < filter.createdatetimeFrom) continue;
      if (filter.receiver !== undefined && t.receiver !== filter.receiver) continue;
      const current = this.#withState(t);
      if (filter.isremark !== undefined && current.isremark !== filter.isremark) continue;
      out.push(current);
    }
    return out;
  }

  #withState(t: OaTodo): OaTodo {
    return this.#done.has(key(t.flowid, t.receiver)) ? { ...t, isremark: '2' } : t;
  }
}

const key = (flowid: string, receiver: string) => `${flowid}\u0000${receiver}`;
