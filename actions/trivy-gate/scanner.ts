// A byte-level scanner that splits a JSON document into its top-level members, and the elements of one
// top-level array member (Trivy's `Results`) into separate values, without parsing anything else: each
// piece is handed on as text for JSON.parse. Memory is one element at a time plus the read buffer, and
// the native JSON.parse does the real parsing (and validation) of every piece.
import * as fs from 'node:fs';

export class JsonScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonScanError';
  }
}

export interface ScanHandlers {
  /** A top-level member other than the streamed one, as JSON text (return false to stop scanning). */
  member(key: string, text: string): boolean | void;
  /** One element of the streamed array member, as JSON text. */
  element(text: string): void;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Where the scanner is in the root object. */
const enum At {
  /** Before the root '{'. */
  Start,
  /** Expecting a member key (or '}' when `first`). */
  Key,
  /** After a key, expecting ':'. */
  Colon,
  /** Expecting a member value. */
  Value,
  /** Inside a member value (depth > 1, or a scalar). */
  InValue,
  /** After a member value: ',' or '}'. */
  AfterValue,
  /** Inside the streamed array: expecting an element (or ']' when `first`). */
  Element,
  /** Inside one element. */
  InElement,
  /** After an element: ',' or ']'. */
  AfterElement,
  /** After the root '}': only whitespace. */
  End,
}

/**
 * Scans `file` (a JSON object) in chunks: each top-level member goes to `member`, except `streamKey`
 * when it is an array, whose elements go one by one to `element`. Throws JsonScanError on a structure
 * error it sees (the pieces themselves are validated by JSON.parse in the handlers).
 */
export function scanJsonFile(file: string, streamKey: string, handlers: ScanHandlers, chunkSize = 64 * 1024): void {
  const fd = fs.openSync(file, 'r');
  try {
    scanChunks((buf) => fs.readSync(fd, buf, 0, buf.length, null), streamKey, handlers, chunkSize);
  } finally {
    fs.closeSync(fd);
  }
}

/** The text of a piece that started in earlier chunks (`parts`) and ends at `end` of `buf`. */
function pieceText(parts: Buffer[], buf: Buffer, start: number, end: number): string {
  if (parts.length === 0) return buf.toString('utf8', start, end);
  parts.push(buf.subarray(start, end));
  const text = Buffer.concat(parts).toString('utf8');
  parts.length = 0;
  return text;
}

/** Index of the closing quote of a string whose content starts at i (or -1), given `run` backslashes just before i. */
function closingQuote(buf: Buffer, i: number, n: number, run: number): number {
  for (let from = i; ; ) {
    const q = buf.indexOf(QUOTE, from);
    if (q < 0 || q >= n) return -1;
    let k = q - 1;
    while (k >= i && buf[k] === BACKSLASH) k--;
    const backslashes = q - 1 - k + (k < i ? run : 0);
    if (backslashes % 2 === 0) return q;
    from = q + 1;
  }
}

/** Backslashes ending buf[i..n), plus `run` when they fill it. */
function trailingBackslashes(buf: Buffer, i: number, n: number, run: number): number {
  let k = n - 1;
  while (k >= i && buf[k] === BACKSLASH) k--;
  return n - 1 - k + (k < i ? run : 0);
}

/** The scanner proper, over a `read` that fills a buffer and returns the byte count (0 at the end). */
export function scanChunks(read: (buf: Buffer) => number, streamKey: string, handlers: ScanHandlers, chunkSize = 64 * 1024): void {
  let at: At = At.Start;
  let first = true;
  let depth = 0;
  let inString = false;
  /** Backslashes in a row at the end of the previous chunk, inside a string. */
  let run = 0;
  /** Earlier chunks' bytes of the piece being captured (key, member value or element). */
  const parts: Buffer[] = [];
  let pieceStart = -1;
  let key = '';
  let streaming = false;
  let offset = 0;

  // One read buffer for the whole file: a piece still open at the end of a chunk is copied out first.
  const buf = Buffer.allocUnsafe(chunkSize);
  for (;;) {
    const n = read(buf);
    if (n <= 0) break;
    let i = 0;
    while (i < n) {
      if (inString) {
        // Most of a report is string content: find its end with memchr, not byte by byte.
        const q = closingQuote(buf, i, n, run);
        if (q < 0) {
          run = trailingBackslashes(buf, i, n, run);
          break;
        }
        run = 0;
        inString = false;
        i = q + 1;
        if (at === At.Key) {
          key = JSON.parse(pieceText(parts, buf, pieceStart, i)) as string;
          pieceStart = -1;
          at = At.Colon;
        }
        continue;
      }
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      let end = -1;
      switch (at) {
        case At.Start:
          // A UTF-8 byte order mark (EF BB BF) may open the file.
          if (offset + i < 3 && c === [0xef, 0xbb, 0xbf][offset + i]) break;
          if (c !== OPEN_OBJ) throw scanError(`expected '{'`, offset + i);
          depth = 1;
          at = At.Key;
          first = true;
          break;
        case At.Key:
          if (c === QUOTE) {
            pieceStart = i;
            inString = true;
          } else if (c === CLOSE_OBJ && first) {
            depth = 0;
            at = At.End;
          } else throw scanError('expected a member name', offset + i);
          break;
        case At.Colon:
          if (c !== COLON) throw scanError(`expected ':' after "${key}"`, offset + i);
          at = At.Value;
          break;
        case At.Value:
          if (c === OPEN_ARR && key === streamKey) {
            streaming = true;
            depth = 2;
            at = At.Element;
            first = true;
            break;
          }
          if (c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR || c === COLON) throw scanError(`expected a value for "${key}"`, offset + i);
          pieceStart = i;
          at = At.InValue;
          if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
          else if (c === QUOTE) inString = true;
          break;
        case At.InValue:
        case At.InElement: {
          // A member value sits at depth 1, an element of the streamed array at depth 2; the capture is the same.
          const base = at === At.InValue ? 1 : 2;
          if (c === QUOTE) inString = true;
          else if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
          else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
            // At base depth: the end of a scalar and of its container at once.
            if (depth === base) end = i;
            else if (--depth === base) end = i + 1;
          } else if (c === COMMA && depth === base) end = i;
          if (end >= 0) {
            const text = pieceText(parts, buf, pieceStart, end);
            pieceStart = -1;
            if (at === At.InValue) {
              at = At.AfterValue;
              if (handlers.member(key, text) === false) return;
            } else {
              at = At.AfterElement;
              handlers.element(text);
            }
            i = end;
            continue;
          }
          break;
        }
        case At.AfterValue:
          if (c === COMMA) {
            at = At.Key;
            first = false;
          } else if (c === CLOSE_OBJ) {
            depth = 0;
            at = At.End;
          } else throw scanError(`expected ',' or '}' after "${key}"`, offset + i);
          break;
        case At.Element:
          if (c === CLOSE_ARR && first) {
            depth = 1;
            at = At.AfterValue;
            break;
          }
          if (c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR || c === COLON) throw scanError(`expected an element of "${streamKey}"`, offset + i);
          pieceStart = i;
          at = At.InElement;
          if (c === OPEN_OBJ || c === OPEN_ARR) depth++;
          else if (c === QUOTE) inString = true;
          break;
        case At.AfterElement:
          if (c === COMMA) {
            at = At.Element;
            first = false;
          } else if (c === CLOSE_ARR) {
            depth = 1;
            at = At.AfterValue;
          } else throw scanError(`expected ',' or ']' in "${streamKey}"`, offset + i);
          break;
        case At.End:
          throw scanError('unexpected text after the end of the document', offset + i);
      }
      i++;
    }
    if (pieceStart >= 0) {
      parts.push(Buffer.from(buf.subarray(pieceStart, n)));
      pieceStart = 0;
    }
    offset += n;
  }
  if (at !== At.End) throw new JsonScanError(`the document ends early, at byte ${offset}${streaming ? ` inside "${streamKey}"` : ''}`);
}

function scanError(problem: string, at: number): JsonScanError {
  return new JsonScanError(`${problem} at byte ${at}`);
}
