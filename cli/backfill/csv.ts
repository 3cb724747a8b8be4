/**
 * One CSV record per line (RFC 4180 quoting: `"a, b"` and `""` inside quotes). Customer lists
 * exported from a database or a spreadsheet fit that; a quoted line break does not, and is
 * reported as a bad line rather than silently joined.
 * https://www.rfc-editor.org/rfc/rfc4180
 */
export type CsvFields = { fields: string[] } | { problem: string };

export const parseCsvLine = (line: string): CsvFields => {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else {
        quoted = false;
        afterQuote = true;
      }
    } else if (char === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (char === '"' && field === '' && !afterQuote) {
      quoted = true;
    } else if (afterQuote) {
      return { problem: `unexpected character after a closing quote at column ${i + 1}` };
    } else {
      field += char;
    }
  }
  if (quoted) return { problem: 'unterminated quoted field' };
  fields.push(field);
  return { fields };
};
