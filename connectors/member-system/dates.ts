// Dates as member-system exports really hold them: ISO text, dotted or slashed text, 2001年7月1日,
// compact 20010701, an Excel serial number when a clerk re-saved the sheet with date cells, and
// change-feed times in Beijing time without an offset.
import { SYSTEM_OFFSET } from './fields.ts';

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const TEXT_DATE = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/u;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/u;

function isoDay(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2100 || t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

/** A serial day number in Excel's 1900 system (1 = 1900-01-01, with its phantom 1900-02-29). */
export function fromExcelSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 80_000) return null;
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * undefined for an empty cell, null for a value that is not a date, else the ISO calendar date.
 */
export function parseDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return fromExcelSerial(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return undefined;
  const m = TEXT_DATE.exec(text) ?? COMPACT_DATE.exec(text);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{5}(\.\d+)?$/u.test(text)) return fromExcelSerial(Number(text));
  return null;
}

/** The feed's 'YYYY-MM-DD HH:mm:ss' (Beijing time) as an ISO datetime with offset, else null. */
export function systemTimeToIso(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/u.exec(value.trim());
  if (!m || Number.isNaN(Date.parse(`${m[1]}T${m[2]}${SYSTEM_OFFSET}`))) return null;
  return `${m[1]}T${m[2]}${SYSTEM_OFFSET}`;
}
