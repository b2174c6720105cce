/** One record of a CSV file: its fields, the line it starts on, and why it is malformed when it is. */
export interface CsvRecord {
  fields: string[];
  line: number;
  error?: string;
}

export interface CsvReadOptions {
  separator: string;
  quote: string;
  skipEmptyLines: boolean;
  allowExtraCharsAfterClosingQuote: boolean;
  /** The longest field accepted, in characters. */
  maxFieldSize: number;
}

const LF = 10;
const CR = 13;
enum State {
  Start,
  Unquoted,
  Quoted,
  QuoteSeen,
  AfterClose,
}

/**
 * A streaming RFC 4180 reader (with the separator and quote of the options): fields may be quoted, a
 * doubled quote inside quotes is one quote, quoted fields may hold separators and line breaks; records end
 * at `\n`, `\r\n` or `\r`. Text arrives in chunks of any size; the records that end in a chunk are yielded
 * together once it is read, so memory holds about one chunk. Malformed records are yielded with an
 * `error` (the caller decides whether that fails the task or skips the record).
 */
export async function* parseCsv(
  texts: AsyncIterable<string>,
  options: CsvReadOptions,
): AsyncIterable<CsvRecord[]> {
  const sep = options.separator.charCodeAt(0);
  const quote = options.quote.charCodeAt(0);
  let state = State.Start as State;
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let error: string | undefined;
  let pendingCr = false;
  let out: CsvRecord[] = [];

  const pushField = () => {
    if (field.length > options.maxFieldSize && !error)
      error = `a field is longer than maxFieldSize (${options.maxFieldSize} characters)`;
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    if (fields.length === 0 && !options.skipEmptyLines) fields.push("");
    if (fields.length > 0) out.push(error ? { fields, line: start, error } : { fields, line: start });
    fields = [];
    error = undefined;
    line++;
    start = line;
  };

  for await (const text of texts) {
    const n = text.length;
    let i = 0;
    if (pendingCr && n > 0 && text.charCodeAt(0) === LF) i = 1;
    pendingCr = false;
    let seg = i;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      const lineEnd = c === LF || c === CR;
      switch (state) {
        case State.Start:
          if (c === quote) {
            state = State.Quoted;
            seg = i + 1;
          } else if (c === sep) {
            fields.push("");
          } else if (lineEnd) {
            if (fields.length > 0) fields.push("");
            endRecord();
          } else {
            state = State.Unquoted;
            seg = i;
          }
          break;
        case State.Unquoted:
        case State.AfterClose:
          if (c === sep || lineEnd) {
            field += text.slice(seg, i);
            pushField();
            if (lineEnd) endRecord();
            state = State.Start;
          }
          break;
        case State.Quoted:
          if (c === quote) {
            field += text.slice(seg, i);
            state = State.QuoteSeen;
          } else if (c === LF) {
            line++;
          }
          break;
        case State.QuoteSeen:
          if (c === quote) {
            field += options.quote;
            state = State.Quoted;
            seg = i + 1;
          } else if (c === sep || lineEnd) {
            pushField();
            if (lineEnd) endRecord();
            state = State.Start;
          } else {
            if (!options.allowExtraCharsAfterClosingQuote && !error)
              error = `unexpected character after the closing quote on line ${line}`;
            state = State.AfterClose;
            seg = i;
          }
          break;
      }
      // A `\r\n` is one line end; a `\r` ending the chunk may be followed by the `\n` in the next one.
      if (c === CR && state === State.Start) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          pendingCr = true;
        }
      }
    }
    if (state === State.Unquoted || state === State.AfterClose || state === State.Quoted)
      field += text.slice(seg);
    if (out.length) yield out;
    out = [];
  }
  // The last record, when the file does not end with a line break.
  if (state === State.Quoted) {
    error ??= `a quoted field opened on line ${start} is not closed`;
    pushField();
    out.push({ fields, line: start, error });
  } else if (state !== State.Start || fields.length > 0) {
    if (state === State.Start) fields.push("");
    else pushField();
    out.push(error ? { fields, line: start, error } : { fields, line: start });
  }
  if (out.length) yield out;
}
