/**
 * Streaming RFC 4180 tokenizer for CSV and TSV: feed it text chunks of any size, it calls
 * `onRow(fields, line)` once per record.
 *
 * - A field that starts with `"` is quoted: it may hold delimiters, CR/LF and `""` (one quote).
 *   A quote elsewhere in a field is an ordinary character.
 * - Records end at LF, CRLF or a lone CR; blank lines are skipped; a leading BOM is dropped.
 * - `line` is the 1-based line on which the record starts (for error messages).
 * - `end()` throws when the text ends inside a quoted field.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** Inside quotes, the previous character was a quote: `""` or the closing quote. */
  private quotePending = false;
  private fieldQuoted = false;
  private skipLf = false;
  private started = false;
  private line = 1;
  private rowLine = 1;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly onRow: (fields: string[], line: number) => void,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  feed(chunk: string): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = chunk.length;
    let segment = i;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          segment = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) {
            this.field += '"';
            segment = i + 1;
            continue;
          }
          this.inQuotes = false;
          segment = i;
          // fall through: this character follows the closing quote
        } else {
          if (c === QUOTE) {
            this.field += chunk.slice(segment, i);
            this.quotePending = true;
            segment = i + 1;
          } else if (c === LF || (c === CR && chunk.charCodeAt(i + 1) !== LF)) {
            this.line++;
          }
          continue;
        }
      }
      if (c === this.delimiter) {
        this.field += chunk.slice(segment, i);
        this.endField();
        segment = i + 1;
      } else if (c === LF || c === CR) {
        this.field += chunk.slice(segment, i);
        this.endField();
        this.endRow();
        this.line++;
        if (c === CR) this.skipLf = true;
        segment = i + 1;
      } else if (c === QUOTE && i === segment && this.field === '' && !this.fieldQuoted) {
        this.inQuotes = true;
        this.fieldQuoted = true;
        segment = i + 1;
      }
    }
    this.field += chunk.slice(segment, n);
  }

  end(): void {
    if (this.inQuotes && !this.quotePending) {
      throw new Error(`a quoted field that starts on line ${this.rowLine} is never closed`);
    }
    this.inQuotes = false;
    this.quotePending = false;
    if (this.field !== '' || this.fields.length > 0 || this.fieldQuoted) {
      this.endField();
      this.endRow();
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldQuoted = false;
  }

  private endRow(): void {
    const fields = this.fields;
    this.fields = [];
    const line = this.rowLine;
    this.rowLine = this.line + 1;
    if (fields.length === 1 && fields[0] === '') return;
    this.onRow(fields, line);
  }
}
