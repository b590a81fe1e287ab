// A change to one master, as master.updated announces it (publish.ts) after the commit.
export interface MasterChange {
  readonly masterId: string;
  readonly revision: number;
  readonly change: 'created' | 'updated' | 'merged' | 'split' | 'retired';
  readonly related: readonly string[];
  readonly fields: Record<string, unknown>;
}
