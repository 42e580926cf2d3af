/** Deepest nesting of objects and arrays a JSON body may have: DockPulse's own documents need fewer than 10. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = [0x7b, 0x5b]; // { [
const CLOSE = [0x7d, 0x5d]; // } ]

/**
 * Whether UTF-8 JSON text nests objects and arrays deeper than `limit`, found by one pass over
 * the bytes without parsing, so nothing ever has to walk a hostile shape (class-transformer and
 * class-validator recurse once per level). Strings are skipped with a native search for their
 * closing quote: brackets inside them do not count, and most of a body's bytes are never looked at.
 */
export function nestsDeeperThan(json: Uint8Array, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (byte === QUOTE) {
      i = closingQuote(json, i + 1);
      if (i < 0) return false; // unterminated: the parser refuses it
    } else if (byte === OPEN[0] || byte === OPEN[1]) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE[0] || byte === CLOSE[1]) depth--;
  }
  return false;
}

/** Index of the quote that ends the string starting at `from`, or -1. */
function closingQuote(json: Uint8Array, from: number): number {
  for (let at = json.indexOf(QUOTE, from); at >= 0; at = json.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (json[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/**
 * An error body-parser answers with `status`. Nest maps a 400 SyntaxError (what body-parser throws
 * for malformed JSON) to a BadRequestException, with the `error` field of the contract's shape.
 */
const httpError = (status: number, message: string) =>
  Object.assign(status === 400 ? new SyntaxError(message) : new Error(message), { status, statusCode: status, expose: true });

/** Agent frames posted over REST: the frame processor checks their shape and answers with an error frame, as on the socket. */
const AGENT_FRAME_PATH = /^\/api\/agent\/ingest(?:[?#]|$)/;

/**
 * body-parser `verify` hook for JSON bodies: refuses text deeper than MAX_JSON_DEPTH (400) before
 * it is parsed, and JSON in another encoding than UTF-8 (415; RFC 8259 requires UTF-8), whose
 * bytes the depth scan could not read.
 */
export function verifyJsonBody(request: { url?: string } | null, _response: unknown, body: Buffer, encoding: string | null): void {
  if (encoding && !/^utf-?8$/i.test(encoding)) throw httpError(415, 'JSON bodies must be UTF-8 encoded');
  if (AGENT_FRAME_PATH.test(request?.url ?? '')) return;
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw httpError(400, `JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
}
