export * from './envelope.ts';
export * from './member-observed.ts';
export * from './org-observed.ts';
export * from './activity-recorded.ts';
export * from './study-recorded.ts';
export * from './dues-paid.ts';
export * from './task-assigned.ts';
export * from './master-updated.ts';
