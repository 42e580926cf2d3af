import { Backoff, sleep } from './backoff.js';
import type { AgentConfig } from './config.js';
import { errorText, type Log } from './log.js';
import type { AgentIdentity, StateDir } from './state.js';
import { AGENT_VERSION } from './version.js';

/** The server said no (bad, used or expired enrollment token): retrying cannot help. */
export class EnrollmentRefused extends Error {}

/**
 * The stored identity, or a new one from POST /api/agent/enroll. Network failures and 5xx answers
 * are retried with backoff (the server may simply not be up yet); a 4xx is final.
 */
export async function loadOrEnroll(config: AgentConfig, state: StateDir, log: Log, signal: AbortSignal): Promise<AgentIdentity> {
  const stored = await state.readIdentity();
  if (stored) {
    if (config.enrollmentToken) log.info('Using the agent token stored in the state directory; --enrollment-token is not needed any more');
    if (stored.server && stored.server !== config.server) log.warn(`The stored agent token was issued by ${stored.server}, not ${config.server}`);
    return stored;
  }
  if (!config.enrollmentToken) {
    throw new EnrollmentRefused(`No agent token in ${state.dir} and no --enrollment-token (DOCKPULSE_ENROLLMENT_TOKEN) to enroll with`);
  }
  const backoff = new Backoff(config.reconnectMinMs, config.reconnectMaxMs);
  for (;;) {
    signal.throwIfAborted();
    try {
      const { hostId, agentToken } = await enroll(config, config.enrollmentToken);
      const identity: AgentIdentity = { hostId, agentToken, server: config.server, enrolledAt: new Date().toISOString() };
      await state.writeIdentity(identity);
      log.info(`Enrolled as host ${hostId}; agent token stored in ${state.dir}/agent.json`);
      return identity;
    } catch (error) {
      if (error instanceof EnrollmentRefused) throw error;
      const wait = backoff.next();
      log.warn(`Enrollment at ${config.server} failed (${errorText(error)}); retrying in ${wait} ms`);
      await sleep(wait, signal);
    }
  }
}

async function enroll(config: AgentConfig, enrollmentToken: string): Promise<{ hostId: string; agentToken: string }> {
  const response = await fetch(`${config.server}/api/agent/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken, hostname: config.hostname, agentVersion: AGENT_VERSION }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as { hostId?: string; agentToken?: string; message?: unknown };
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    const reason = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? response.statusText);
    throw new EnrollmentRefused(`Enrollment refused (HTTP ${response.status}): ${reason}. Ask for a fresh enrollment token.`);
  }
  if (!response.ok || !body.hostId || !body.agentToken) throw new Error(`HTTP ${response.status}`);
  return { hostId: body.hostId, agentToken: body.agentToken };
}
