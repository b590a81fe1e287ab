// The declared alias file into the registry: its rows replace what the same file declared before,
// so removing a row from the file removes the alias at the next start or import.
import { resolve } from 'node:path';
import type { DeclaredAlias } from '../../schemas/org-alias-file.ts';
import type { Db } from '../db/database.ts';
import { replaceDeclaredAliases } from './repository.ts';

export async function loadDeclaredAliases(db: Db, file: string, aliases: readonly DeclaredAlias[]): Promise<number> {
  return replaceDeclaredAliases(db, `file:${resolve(file)}`, aliases);
}
