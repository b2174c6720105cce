import { StringDecoder } from "node:string_decoder";

/** Longest line passed on as one; longer output is cut into pieces of this size. */
export const MAX_LINE = 256 * 1024;

/**
 * Splits a byte stream into UTF-8 lines (`\n` or `\r\n`), calling `emit` for each complete line; `end()`
 * flushes a last line without a line break.
 */
export function lineSplitter(emit: (line: string) => void, maxLine = MAX_LINE) {
  const decoder = new StringDecoder("utf8");
  let buffer = "";
  const flush = (text: string) => {
    let line = text.endsWith("\r") ? text.slice(0, -1) : text;
    while (line.length > maxLine) {
      emit(line.slice(0, maxLine));
      line = line.slice(maxLine);
    }
    emit(line);
  };
  return {
    push(chunk: Buffer): void {
      buffer += decoder.write(chunk);
      let start = 0;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n", start)) {
        flush(buffer.slice(start, nl));
        start = nl + 1;
      }
      buffer = buffer.slice(start);
      while (buffer.length > maxLine) {
        emit(buffer.slice(0, maxLine));
        buffer = buffer.slice(maxLine);
      }
    },
    end(): void {
      buffer += decoder.end();
      if (buffer) flush(buffer);
      buffer = "";
    },
  };
}
