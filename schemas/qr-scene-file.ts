// The WeChat QR scene file: which branch each of the account's parametric QR codes (带参数二维码)
// belongs to. A follower who subscribed by scanning a branch's code carries that code's scene string
// (qr_scene_str); the IT department that made the codes holds this table. A CSV with the header
// `scene,branch`, one code a row; parsed whole or refused with the file, row and column.
import { csvTableRows } from './csv-table.ts';
import { FileLocationError, readFileText } from './file-error.ts';

export const QR_SCENE_FILE_HEADER = ['scene', 'branch'] as const;

export class QrSceneFileError extends FileLocationError {
  override readonly name = 'QrSceneFileError';
}

/** scene string → branch name as the account names it; `file` only names it in errors. */
export function parseQrScenes(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  const rowOf = new Map<string, number>();
  for (const { row, cells } of csvTableRows(text, file, QR_SCENE_FILE_HEADER, QrSceneFileError)) {
    const [scene, branch] = cells as [string, string];
    if (scene === '') throw new QrSceneFileError(file, 'required', { row, column: 'scene' });
    // WeChat's own limit on scene_str.
    if (scene.length > 64) throw new QrSceneFileError(file, 'at most 64 characters (WeChat\'s limit on scene_str)', { row, column: 'scene' });
    if (branch === '') throw new QrSceneFileError(file, 'required', { row, column: 'branch' });
    if (branch.length > 200) throw new QrSceneFileError(file, 'at most 200 characters', { row, column: 'branch' });
    const before = out.get(scene);
    if (before !== undefined && before !== branch) throw new QrSceneFileError(file, `scene ${JSON.stringify(scene)} already names ${before} on row ${rowOf.get(scene)}`, { row, column: 'scene' });
    out.set(scene, branch);
    rowOf.set(scene, row);
  }
  return out;
}

export function readQrSceneFile(file: string): Map<string, string> {
  return parseQrScenes(readFileText(file, QrSceneFileError), file);
}
