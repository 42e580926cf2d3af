import { forbiddenHostReason } from '../address-classifier.js';
import type { DeliveryResult } from '../notification-message.js';

const TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 1_000;

/** Up to MAX_BODY_CHARS of the answer, for the caller to see what the receiver said. */
async function bodyStart(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < MAX_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, MAX_BODY_CHARS);
}

/**
 * POSTs to a receiver: its host checked against the SSRF rule first (unless private addresses are
 * allowed), redirects not followed (a 3xx fails with its status), a 10 s limit on the whole exchange.
 */
export async function httpPost(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<DeliveryResult> {
  if (!allowPrivate) {
    const reason = await forbiddenHostReason(new URL(url));
    if (reason) return { ok: false, error: `Refused: ${reason}` };
  }
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await bodyStart(response);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const why = response.status >= 300 && response.status < 400 ? 'redirected (redirects are not followed)' : `answered ${response.status}`;
    return { ok: false, status: response.status, body: text, error: `The receiver ${why}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ok: false, error: `The receiver could not be reached: ${detail}` };
  }
}
