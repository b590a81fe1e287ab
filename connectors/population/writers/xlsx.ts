// A one-sheet .xlsx of text cells (inline strings), streamed row by row, byte-identical for the
// same rows. Every value is text, as the member system exports ID numbers and dates: a number
// cell would turn 36010219800101001X into 3.60102E+17.
import { open } from 'node:fs/promises';
import { ZipWriter } from './zip.ts';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CONTENT_TYPES = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
const STYLES = `${XML}<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`;

// Control characters other than tab, LF and CR are not allowed in XML 1.0: they are dropped.
const XML_ILLEGAL = /[^\t\n\r\u{20}-\u{10FFFF}]/gu;

function escapeXml(text: string): string {
  return text
    .replace(XML_ILLEGAL, '')
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;');
}

export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

function rowXml(r: number, values: readonly string[]): string {
  let xml = `<row r="${r}">`;
  values.forEach((v, c) => {
    if (v === '') return;
    const space = v.trim() !== v ? ' xml:space="preserve"' : '';
    xml += `<c r="${columnName(c)}${r}" t="inlineStr"><is><t${space}>${escapeXml(v)}</t></is></c>`;
  });
  return `${xml}</row>`;
}

function* sheet(headers: readonly string[], rows: Iterable<readonly string[]>): Generator<string> {
  yield `${XML}<worksheet xmlns="${MAIN}"><sheetData>${rowXml(1, headers)}`;
  let r = 2;
  let batch = '';
  for (const row of rows) {
    batch += rowXml(r++, row);
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}</sheetData></worksheet>`;
}

/** Writes headers and rows (one string per column) as the first sheet of a new .xlsx. */
export async function writeXlsx(path: string, sheetName: string, headers: readonly string[], rows: Iterable<readonly string[]>): Promise<void> {
  const file = await open(path, 'w');
  try {
    const zip = new ZipWriter(file);
    await zip.add('[Content_Types].xml', [CONTENT_TYPES]);
    await zip.add('_rels/.rels', [ROOT_RELS]);
    await zip.add('xl/workbook.xml', [
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="${escapeXml(sheetName).replace(/"/gu, '&quot;')}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ]);
    await zip.add('xl/_rels/workbook.xml.rels', [WORKBOOK_RELS]);
    await zip.add('xl/styles.xml', [STYLES]);
    await zip.add('xl/worksheets/sheet1.xml', sheet(headers, rows));
    await zip.close();
  } finally {
    await file.close();
  }
}
