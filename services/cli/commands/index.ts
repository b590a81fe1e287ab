import type { Command } from '../command.ts';
import { datagen } from './datagen.ts';
import { importCommand } from './import.ts';
import { sync } from './sync.ts';
import { migrate } from './migrate.ts';
import { start } from './start.ts';
import { topics } from './topics.ts';
import { reconcile } from './reconcile.ts';
import { exportCommand } from './export.ts';
import { evalCommand } from './eval.ts';
import { explain } from './explain.ts';
import { orgsCommand } from './orgs.ts';
import { steward } from './steward.ts';

export const COMMANDS: readonly Command[] = [start, migrate, topics, datagen, sync, importCommand, reconcile, exportCommand, evalCommand, explain, steward, orgsCommand];
