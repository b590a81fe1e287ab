import type { TestProject } from 'vitest/node';
import { resolveBackends } from './backends.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backends = await resolveBackends();
  console.log(`[yibiao tests] backends: ${backends.describe}`);
  project.provide('kafkaBrokers', backends.kafkaBrokers);
  project.provide('postgresAdminUrl', backends.postgresAdminUrl);
  return () => backends.stop();
}
