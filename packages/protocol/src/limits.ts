export interface Limits {
  maxPayloadBytes: number;
  maxItems: number;
}

/** Largest frame accepted on the socket (bigger ones close it with 1009) and over REST. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Most items in one frame's `data` (more is `too_many_items`). */
export const MAX_ITEMS = 5000;
/** What the server advertises in `welcome`; an agent assumes it until the first `welcome` says otherwise. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({ maxPayloadBytes: MAX_PAYLOAD_BYTES, maxItems: MAX_ITEMS });

/** Close codes the server uses beyond the standard ones (1001 going away, 1009 frame too big). */
export const CLOSE_REPLACED = 4001;
export const CLOSE_REVOKED = 4003;
