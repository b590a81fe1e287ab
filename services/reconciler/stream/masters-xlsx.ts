// The masters export as an .xlsx for the people who work in spreadsheets: zh-CN headers, the same
// cells as the CSV (read-model.ts's masterRow decides the columns for both), written with exceljs's
// streaming WorkbookWriter and inline strings, so each row is committed to the file as it comes
// and 250,000 masters never sit in memory. Every value is a text cell except the revision: an ID
// number as a number cell would turn 36010219800101001X into 3.60102E+17.
import ExcelJS from 'exceljs';
import { MASTER_COLUMNS, masterRow, type MasterRow } from './read-model.ts';

export const MASTERS_SHEET = '主记录';

/** Writes the masters to `path`; returns how many rows (without the header). */
export async function writeMastersXlsx(path: string, masters: AsyncIterable<MasterRow> | Iterable<MasterRow>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(MASTERS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = MASTER_COLUMNS.map((c) => ({ key: c.key, width: c.key === 'master_id' || c.key === 'idNumber' ? 24 : 14 }));
  const header = ws.addRow(MASTER_COLUMNS.map((c) => c.zh));
  header.font = { bold: true };
  header.commit();
  let n = 0;
  for await (const m of masters) {
    ws.addRow(masterRow(m)).commit();
    // A committed row is only queued for the zip stream; letting the event loop turn lets it reach
    // the file, or a fast source (a page of rows at once) would pile the whole sheet up in memory.
    if (++n % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  ws.commit();
  await wb.commit();
  return n;
}
