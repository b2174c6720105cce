import type { FileStorage } from "@/engine/plugin";

/**
 * Streaming over the internal storage: a conversion reads its source chunk by chunk and writes its result
 * as it goes, so a file of a million rows is never held whole (when the backend streams: local directory
 * and memory do; a backend without `read`/`write` is read or written whole).
 */

/** The chunks of a stored file. */
export async function* readChunks(storage: FileStorage, uri: string): AsyncIterable<Uint8Array> {
  if (!(await storage.exists(uri))) throw new Error(`file not found in internal storage: ${uri}`);
  if (storage.read) yield* storage.read(uri);
  else yield await storage.get(uri);
}

/** A decoder for a charset name as Java spells it (`UTF-8`, `ISO-8859-1`, `windows-1252`...). */
export function decoderFor(charset: string): TextDecoder {
  try {
    // A UTF-8 byte-order mark is dropped, as Kestra's readers strip it.
    return new TextDecoder(charset.trim(), { fatal: false });
  } catch {
    throw new Error(`unsupported charset '${charset}'`);
  }
}

/** The text of a stored file, decoded chunk by chunk (a character split across chunks stays whole). */
export async function* readText(storage: FileStorage, uri: string, charset: string): AsyncIterable<string> {
  const decoder = decoderFor(charset);
  for await (const chunk of readChunks(storage, uri)) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Lines of a text stream as Java's BufferedReader.readLine reads them: split on `\n`, `\r\n` or `\r`; a
 * final line break makes no extra empty line. Yields the lines of each chunk together (an async step per
 * line would cost more than the splitting).
 */
export async function* readLines(texts: AsyncIterable<string>): AsyncIterable<string[]> {
  let pending = "";
  let afterCr = false;
  for await (const text of texts) {
    const lines: string[] = [];
    let start = 0;
    let at = 0;
    // A `\r` that ended the previous chunk was a line end: a `\n` right after it belongs to it.
    if (afterCr && text.charCodeAt(0) === 10) start = at = 1;
    afterCr = false;
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c !== 10 && c !== 13) continue;
      lines.push(pending + text.slice(start, at));
      pending = "";
      if (c === 13) {
        if (at + 1 === text.length) afterCr = true;
        else if (text.charCodeAt(at + 1) === 10) at++;
      }
      start = at + 1;
    }
    pending += text.slice(start);
    if (lines.length) yield lines;
  }
  if (pending !== "") yield [pending];
}

/** Node's names of the charsets it can write; Java's names map onto them. */
const WRITABLE: Record<string, BufferEncoding> = {
  "utf-8": "utf8",
  utf8: "utf8",
  "iso-8859-1": "latin1",
  latin1: "latin1",
  "us-ascii": "ascii",
  ascii: "ascii",
  "utf-16le": "utf16le",
};

/** Checks a charset can be written, before anything is read. */
export function encodingFor(charset: string): BufferEncoding {
  const encoding = WRITABLE[charset.trim().toLowerCase()];
  if (!encoding)
    throw new Error(
      `unsupported charset '${charset}' for writing: use UTF-8, ISO-8859-1, US-ASCII or UTF-16LE`,
    );
  return encoding;
}

/** Pieces of text are gathered into chunks of about this many characters before being encoded. */
const CHUNK_CHARS = 128 * 1024;

async function* encode(texts: AsyncIterable<string>, encoding: BufferEncoding): AsyncIterable<Uint8Array> {
  let parts: string[] = [];
  let size = 0;
  for await (const text of texts) {
    parts.push(text);
    size += text.length;
    if (size >= CHUNK_CHARS) {
      yield Buffer.from(parts.join(""), encoding);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.from(parts.join(""), encoding);
}

/** Writes the pieces of text to `uri` as they come, encoded in `charset`. */
export async function writeText(
  storage: FileStorage,
  uri: string,
  texts: AsyncIterable<string>,
  charset = "UTF-8",
): Promise<string> {
  const chunks = encode(texts, encodingFor(charset));
  if (storage.write) return storage.write(uri, chunks);
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return storage.put(uri, Buffer.concat(parts));
}
