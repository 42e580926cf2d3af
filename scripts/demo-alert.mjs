// The demo's alert step: a webhook channel pointing at a receiver the demo runs on 127.0.0.1, a
// "Crash loop" rule, one simulated container made to crash-loop, and the alert and its webhook
// as they arrive. Every call is bounded in time: a server without alerts makes the step fail
// with a message, never hang. The API must run with NOTIFY_ALLOW_PRIVATE=true (the demo sets it).
import { createServer } from 'node:http';

const CHANNEL_NAME = 'Demo receiver';
const RULE = { name: 'Crash loop', enabled: true, severity: 'critical', scope: {}, condition: { type: 'container_event', events: ['died', 'restart_loop'] }, notifyResolved: true };
const ALERT_TIMEOUT_MS = 60_000;
const WEBHOOK_TIMEOUT_MS = 15_000;
const CALL_TIMEOUT_MS = 10_000;

class StepFailed extends Error {}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the step; resolves to true when an alert fired and was shown, false (after saying why) otherwise. */
export async function showAlert({ base, token, fleet, say }) {
  const receiver = await startReceiver(say);
  try {
    await runStep({ base, token, fleet, say, receiver });
    return true;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    say();
    say(`Alert demo FAILED: ${error.message}`);
    say('  The rest of the demo keeps running.');
    say();
    return false;
  }
}

async function runStep({ base, token, fleet, say, receiver }) {
  const rest = restClient(base, token);
  say(`Alert demo: a webhook receiver listens on ${receiver.url}`);

  const rules = await rest('GET', '/api/alert-rules');
  const alertsBuilt = rules.status !== 404;
  if (alertsBuilt) expectStatus(rules, 200, 'GET /api/alert-rules');
  // Leftovers of an earlier run on the same DATA_DIR point at a receiver that is gone.
  for (const rule of listOf(rules.body).filter((r) => alertsBuilt && r.name === RULE.name)) await rest('DELETE', `/api/alert-rules/${rule.id}`);
  const channels = await rest('GET', '/api/notification-channels');
  expectStatus(channels, 200, 'GET /api/notification-channels');
  for (const channel of listOf(channels.body).filter((c) => c.name === CHANNEL_NAME)) await rest('DELETE', `/api/notification-channels/${channel.id}`);

  const channel = await rest('POST', '/api/notification-channels', { name: CHANNEL_NAME, type: 'webhook', config: { url: receiver.url } });
  if (channel.status === 400 && /private|loopback/i.test(JSON.stringify(channel.body))) {
    throw new StepFailed(`the server refused a webhook on 127.0.0.1 (${describe(channel)}): start it with NOTIFY_ALLOW_PRIVATE=true.`);
  }
  expectStatus(channel, 201, 'POST /api/notification-channels');
  say(`  channel   ${channel.body.name} (webhook ${channel.body.config.url}), id ${channel.body.id}`);
  const test = await rest('POST', `/api/notification-channels/${channel.body.id}/test`);
  expectStatus(test, 200, `POST /api/notification-channels/${channel.body.id}/test`);
  say(`  test      the receiver accepted the channel's test message, delivery ${test.body.deliveryId}`);
  if (!alertsBuilt) throw new StepFailed('this server has no alert rules (GET /api/alert-rules answered 404): its build does not include alerts yet.');

  const rule = await rest('POST', '/api/alert-rules', { ...RULE, channelIds: [channel.body.id] });
  if (rule.status === 404) throw new StepFailed('POST /api/alert-rules answered 404: this server build does not include alerts yet.');
  expectStatus(rule, 201, 'POST /api/alert-rules');
  say(`  rule      ${rule.body.name} (${rule.body.severity}): ${RULE.condition.events.join(' or ')} of any container, id ${rule.body.id}`);

  const [host] = fleet.hosts();
  const victim = fleet.container(host.dockerIds[0]).crashLoop();
  const loopStartedAt = Date.now();
  say(`  incident  ${victim.hostName}/${victim.name} crash-loops from now on (exit code 1, restarted every other round)`);
  say(`  waiting   for GET /api/alerts?state=firing to show it (at most ${ALERT_TIMEOUT_MS / 1000} s) …`);

  let alert;
  try {
    alert = await firingAlert(rest, rule.body.id);
  } finally {
    victim.stopCrashLoop();
  }
  say();
  say(`Alert firing, seen ${Math.round((Date.now() - loopStartedAt) / 1000)} s after the crash loop began:`);
  say(`  rule      ${alert.ruleName} (${alert.severity})`);
  say(`  subject   ${alert.subject?.name}`);
  say(`  message   ${alert.message}`);
  say(`  exitCode  ${alert.context?.exitCode}`);
  say('  last log lines:');
  for (const line of alert.context?.lastLogLines ?? []) say(`    ${typeof line === 'string' ? line : (line.line ?? JSON.stringify(line))}`);
  say(`  (${victim.name}'s crash loop is stopped again; with notifyResolved the receiver hears when the alert resolves)`);

  const delivery = await receiver.waitFor((d) => d.body?.alert?.id === alert.id, WEBHOOK_TIMEOUT_MS);
  if (!delivery) {
    const status = (alert.notifications ?? []).map((n) => `${n.status}${n.lastError ? ` (${n.lastError})` : ''}`).join(', ') || 'none';
    throw new StepFailed(`the alert fired but no webhook reached ${receiver.url} within ${WEBHOOK_TIMEOUT_MS / 1000} s; its notifications: ${status}.`);
  }
  say(`  webhook   ${delivery.body.event} received, X-DockPulse-Delivery: ${delivery.headers['x-dockpulse-delivery']}`);
  say();
}

async function firingAlert(rest, ruleId) {
  const deadline = Date.now() + ALERT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await rest('GET', `/api/alerts?state=firing&ruleId=${ruleId}`);
    if (answer.status === 404) throw new StepFailed('GET /api/alerts answered 404: this server build does not list alerts yet.');
    expectStatus(answer, 200, 'GET /api/alerts');
    const [alert] = answer.body.items ?? [];
    if (alert) return alert;
    await sleep(1_000);
  }
  throw new StepFailed(`no firing alert of the rule within ${ALERT_TIMEOUT_MS / 1000} s.`);
}

/** A webhook receiver on an ephemeral port of 127.0.0.1; prints each delivery as it arrives. */
function startReceiver(say) {
  const deliveries = [];
  const waiters = new Set();
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const delivery = { headers: request.headers, body };
      deliveries.push(delivery);
      const what = body?.type === 'alert' ? `${body.event} ${body.alert?.ruleName} · ${body.alert?.subject?.name}` : (body?.type ?? 'unreadable body');
      say(`[webhook] ${what} (X-DockPulse-Delivery: ${request.headers['x-dockpulse-delivery']})`);
      for (const waiter of waiters) waiter(delivery);
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve({
        url: `http://127.0.0.1:${server.address().port}/dockpulse-webhook`,
        waitFor: (match, timeoutMs) => {
          const seen = deliveries.find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((done) => {
            const timer = setTimeout(() => finish(undefined), timeoutMs);
            const waiter = (delivery) => match(delivery) && finish(delivery);
            const finish = (delivery) => {
              clearTimeout(timer);
              waiters.delete(waiter);
              done(delivery);
            };
            waiters.add(waiter);
          });
        },
      });
    });
  });
}

/** fetch with the user's token and a time limit: `{status, body}`, never throws on an HTTP status. */
function restClient(base, token) {
  return async (method, path, body) => {
    let response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new StepFailed(`${method} ${path}: ${error.name === 'TimeoutError' ? `no answer within ${CALL_TIMEOUT_MS / 1000} s` : error.message}`);
    }
    const text = await response.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed };
  };
}

function expectStatus(answer, status, what) {
  if (answer.status !== status) throw new StepFailed(`${what} answered ${describe(answer)}.`);
}

function describe(answer) {
  const message = answer.body?.message;
  return `${answer.status}${message ? ` (${Array.isArray(message) ? message.join('; ') : message})` : ''}`;
}

/** A list answer: an array, or `{items}`. */
const listOf = (body) => (Array.isArray(body) ? body : (body?.items ?? []));
