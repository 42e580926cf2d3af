const BACKSLASH = 0x5c;
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const DIGIT_0 = 0x30;
const NULL_MARK = [BACKSLASH, 0x4e]; // \N
/** COPY text format's escapes: a backslash, tab, newline or carriage return inside a value. */
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * COPY text written byte by byte into buffers of `pieceBytes`, which PostgreSQL takes as CopyData
 * messages (they need not end at a row). Nothing is allocated per value but the odd non-integer
 * number's digits: building each line as a string first was a third of the ingest path's allocation,
 * and garbage collection the largest part of its CPU.
 */
export class CopyPieces {
  readonly pieces: Buffer[] = [];
  private piece: Buffer;
  private used = 0;

  constructor(private readonly pieceBytes: number) {
    this.piece = Buffer.allocUnsafe(pieceBytes);
  }

  /** The pieces written, the last one trimmed. */
  finish(): Buffer[] {
    if (this.used) this.pieces.push(this.piece.subarray(0, this.used));
    this.used = 0;
    return this.pieces;
  }

  /** One value as COPY's text format spells it: \N for null, t/f for booleans, strings escaped. */
  value(value: unknown): void {
    if (typeof value === 'number') this.number(value);
    else if (typeof value === 'string') this.text(value);
    else if (value === null || value === undefined) this.bytes(NULL_MARK);
    else if (typeof value === 'boolean') this.byte(value ? 0x74 : 0x66);
    else this.text(String(value));
  }

  /** Ends a value (tab) or a row (newline). */
  byte(code: number): void {
    this.room(1);
    this.piece[this.used++] = code;
  }

  private bytes(codes: readonly number[]): void {
    this.room(codes.length);
    for (const code of codes) this.piece[this.used++] = code;
  }

  /** Safe integers digit by digit; anything else as JavaScript prints it (which PostgreSQL reads back the same). */
  private number(value: number): void {
    if (!Number.isSafeInteger(value)) return this.text(String(value));
    this.room(17);
    const piece = this.piece;
    let rest = value;
    if (rest < 0) {
      piece[this.used++] = 0x2d;
      rest = -rest;
    }
    const first = this.used;
    do {
      piece[this.used++] = DIGIT_0 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    for (let low = first, high = this.used - 1; low < high; low++, high--) {
      const digit = piece[low];
      piece[low] = piece[high];
      piece[high] = digit;
    }
  }

  private text(value: string): void {
    // Escaping doubles a character at most, UTF-8 triples a UTF-16 unit at most.
    this.room(value.length * 3);
    const piece = this.piece;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.used += piece.write(value.slice(i).replace(SPECIAL, (c) => ESCAPES[c]), this.used);
        return;
      }
      if (code === BACKSLASH || code === TAB || code === NEWLINE || code === RETURN) {
        piece[this.used++] = BACKSLASH;
        piece[this.used++] = code === BACKSLASH ? BACKSLASH : code === TAB ? 0x74 : code === NEWLINE ? 0x6e : 0x72;
      } else {
        piece[this.used++] = code;
      }
    }
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.piece.length) return;
    if (this.used) this.pieces.push(this.piece.subarray(0, this.used));
    this.piece = Buffer.allocUnsafe(Math.max(this.pieceBytes, bytes));
    this.used = 0;
  }
}
