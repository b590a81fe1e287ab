// exceljs 4.4.0's streaming reader decodes every inflated chunk on its own, so a Chinese
// character split across two chunks becomes two U+FFFD (exceljs issues #2063, #2084; the fix
// PRs #1665/#2081/#2213 were never merged). We hand its XML parser strings decoded across chunk
// boundaries instead: worksheets through a StringDecoder, shared strings by setEncoding.
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';

type Chunk = Buffer | string;
interface ReaderInternals {
  _parseWorksheet?: (iterator: AsyncIterable<Chunk>, sheetNo: string) => Generator<unknown>;
  _parseSharedStrings?: (entry: NodeJS.ReadableStream) => AsyncGenerator<unknown>;
}

async function* decoded(chunks: AsyncIterable<Chunk>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

export function utf8SafeWorkbookReader(file: string, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): ExcelJS.stream.xlsx.WorkbookReader {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, options);
  const internals = reader as unknown as ReaderInternals;
  const parseWorksheet = internals._parseWorksheet?.bind(reader);
  const parseSharedStrings = internals._parseSharedStrings?.bind(reader);
  // Only the internals we know: a later exceljs that renamed them (and hopefully fixed this) runs as it is.
  if (parseWorksheet) internals._parseWorksheet = (iterator, sheetNo) => parseWorksheet(decoded(iterator), sheetNo);
  if (parseSharedStrings) {
    internals._parseSharedStrings = (entry) => {
      entry.setEncoding('utf8');
      return parseSharedStrings(entry);
    };
  }
  return reader;
}
