// Holds every answer to the contract: exactly one, of the right shape and status, never
// `internal` or 5xx, and refusing or accepting what the contract says.

export const ERROR_CODES = ['invalid_json', 'invalid_message', 'unknown_type', 'too_many_items', 'rate_limited', 'overloaded', 'unavailable', 'internal'];
const HTTP_STATUS = { invalid_json: 400, invalid_message: 400, unknown_type: 400, too_many_items: 413, rate_limited: 429, overloaded: 503, unavailable: 503, internal: 500 };
/** Answers that mean "resend later": allowed for any frame, and nothing may have been stored. */
export const RESEND_LATER = new Set(['rate_limited', 'overloaded', 'unavailable']);

/** A socket outcome or an HTTP response of the ingest endpoint, as `{answer?, status?, timeout?, closed?}`. */
export function normalize(outcome) {
  if (!('status' in outcome)) return outcome;
  if (outcome.status === 0) return { timeout: true, error: outcome.error };
  const json = outcome.json;
  if (json && (json.type === 'ack' || json.type === 'error')) return { answer: json, status: outcome.status };
  return { status: outcome.status, body: outcome.text?.slice(0, 200) };
}

function shapeProblem(answer, seq, status) {
  if (answer.type === 'ack') {
    if (answer.seq !== seq) return `ack for seq ${answer.seq}, sent ${seq}`;
    if (status !== undefined && status !== 200) return `ack with HTTP ${status}`;
    return undefined;
  }
  if (answer.seq !== seq) return `error for seq ${answer.seq}, sent ${seq}`;
  if (!ERROR_CODES.includes(answer.code)) return `unknown code ${JSON.stringify(answer.code)}`;
  if (typeof answer.message !== 'string' || !answer.message) return 'error without a message';
  if (RESEND_LATER.has(answer.code) && !(answer.retryAfterMs > 0)) return `${answer.code} without retryAfterMs`;
  if (answer.details !== undefined && !Array.isArray(answer.details)) return 'details is not an array';
  if (status !== undefined && status !== HTTP_STATUS[answer.code]) return `${answer.code} with HTTP ${status}`;
  return undefined;
}

/**
 * Judges one frame's outcome. `c`: `{signature, expect}` (expect: 'ack', 'refuse', 'any',
 * 'too_many_items' or 'oversize'); `seq`: what the answer must carry (null for frames without one).
 * Returns the answer's code ('ack' for an ack), or undefined when there was none.
 */
export function judgeFrame(report, c, raw, { seq, via, caseIndex, example }) {
  const outcome = normalize(raw);
  const sig = c.signature;
  const fail = (check, detail) => report.fail(check, detail ? `${sig} → ${detail}` : sig, example, caseIndex);
  report.count('frames');
  if (outcome.timeout) {
    report.count('unanswered');
    return void fail(via === 'socket' ? 'unanswered' : 'restUnanswered', outcome.error);
  }
  if (outcome.closed !== undefined) {
    if (c.expect === 'oversize' && outcome.closed === 1009) return void report.count('closed 1009');
    report.count('unexpected close');
    return void fail('socketClosed', `closed ${outcome.closed}`);
  }
  report.count('answered');
  if (!outcome.answer) {
    report.count(`status ${outcome.status}`);
    if (outcome.status >= 500) return void (report.count('5xx'), fail('http5xx', `HTTP ${outcome.status}`));
    if (c.expect === 'oversize') return void (outcome.status === 413 || fail('oversizeAnswered', `HTTP ${outcome.status}`));
    // Only text that is no JSON object may be refused by the body parser instead of the protocol.
    if (seq !== null || ![400, 413].includes(outcome.status)) fail('malformed', `HTTP ${outcome.status} without an answer frame: ${outcome.body}`);
    return undefined;
  }
  const { answer } = outcome;
  const code = answer.type === 'ack' ? 'ack' : answer.code;
  report.count(`answer ${code}`);
  if (outcome.status >= 500) report.count('5xx');
  const problem = shapeProblem(answer, seq, outcome.status);
  if (problem) fail('malformed', problem);
  if (code === 'internal') {
    fail('internal', 'internal');
    return code;
  }
  if (code === 'unavailable') fail('unavailable', 'unavailable');
  if (c.expect === 'oversize') fail('oversizeAnswered', code);
  else if (c.expect === 'ack' && code !== 'ack' && !RESEND_LATER.has(code)) fail('validRefused', code);
  else if (c.expect === 'refuse' && code === 'ack') fail('invalidAccepted', 'ack');
  else if (c.expect === 'too_many_items' && code !== 'too_many_items' && !RESEND_LATER.has(code)) fail('wrongCode', code);
  return code;
}

/** Judges a REST answer against `expect` (`status`: 401 or 404 asserted; `refuse`: no 2xx). */
export function judgeRest(report, c, res, { caseIndex, example, isIngest }) {
  const fail = (check, detail) => report.fail(check, `${c.signature} → ${detail}`, example, caseIndex);
  // An over-limit body is refused from its Content-Length before it is read: the 413 can be lost to
  // the reset of a connection the client is still uploading on (the socket's 1009, over HTTP).
  if (res.status === 0 && /over 1 MiB/.test(c.signature) && /ECONNRESET|EPIPE|UND_ERR_SOCKET/.test(res.error ?? '')) {
    report.count('rest oversize body reset');
    return;
  }
  if (res.status === 0) {
    report.count('rest unanswered');
    return fail('restUnanswered', res.error);
  }
  report.count(`status ${res.status}`);
  if (res.status >= 500 && !(isIngest && res.status === 503 && res.json?.code === 'overloaded')) {
    report.count('5xx');
    fail('http5xx', `HTTP ${res.status} ${res.json?.code ?? ''}`.trim());
  }
  const ok = res.status >= 200 && res.status < 300;
  if (c.expect.status === 401 && res.status !== 401) fail('auth', `HTTP ${res.status}`);
  if (c.expect.status === 404 && res.status !== 404 && res.status !== 400) fail('tenancy', `HTTP ${res.status}`);
  if (c.expect.refuse && ok) fail('invalidAccepted', `HTTP ${res.status}`);
}
