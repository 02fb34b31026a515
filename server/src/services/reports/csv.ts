/** One cell: text, a number, or nothing (an empty cell). */
export type Cell = string | number | boolean | null;

/** A table with a header row. */
export interface Table {
  columns: string[];
  rows: Cell[][];
}

// a spreadsheet runs a cell that starts so as a formula (a tab or CR first is stripped by some before they look)
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell as RFC 4180 text. Text a spreadsheet would take for a formula is neutralised with a
 * leading single quote (OWASP's advice against CSV injection); numbers stay numbers, a negative one too.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: UTF-8 text, a header row, CRLF after every record (RFC 4180). */
export function toCsv(table: Table): string {
  return [table.columns, ...table.rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
