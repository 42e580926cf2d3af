// An abusive agent, run as its own process so its load is not the server's: each host token
// pipelines inventory snapshots of CONTAINERS containers over /agent, one every EVERY_MS, for
// DURATION_MS, never waiting for answers. Then waits up to GRACE_MS for answers (a host past its
// rate is read no faster than its rate, so a backlog may stay unread), closes, and prints the
// answers' codes as JSON (`unanswered`: frames still unanswered when it closed).
// Usage: node snapshot-flooder.mjs <baseUrl> <token,token,...> <durationMs> <everyMs> <containers> [graceMs]
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const [baseUrl, tokens, durationMs, everyMs, containers] = process.argv.slice(2);
const codes = {};
let sent = 0;
let answered = 0;

function connect(token) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/agent`, { headers: { authorization: `Bearer ${token}` } });
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type !== 'ack' && frame.type !== 'error') return;
    const code = frame.type === 'ack' ? 'ack' : frame.code;
    codes[code] = (codes[code] ?? 0) + 1;
    answered++;
  });
  return new Promise((resolve, reject) => {
    socket.once('message', () => resolve(socket)); // welcome
    socket.once('error', reject);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sockets = await Promise.all(tokens.split(',').map(connect));
const end = performance.now() + Number(durationMs);
await Promise.all(
  sockets.map(async (socket) => {
    const ids = Array.from({ length: Number(containers) }, () => randomBytes(32).toString('hex'));
    // Serialized once: the server's work is the same whatever the text, and the flooder's own CPU stays small.
    const data = JSON.stringify(
      ids.map((dockerId) => ({
        dockerId, name: `/app-${dockerId.slice(0, 6)}`, image: 'nginx:1.27', imageId: `sha256:${'ab'.repeat(32)}`, command: 'nginx -g daemon off;',
        state: 'running', status: 'Up 5 minutes', ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp' }], labels: { app: 'web' },
        startedAt: new Date(Date.now() - 300_000).toISOString(),
      })),
    );
    for (let seq = 1; performance.now() < end; seq++) {
      socket.send(`{"type":"containers","seq":${seq},"data":${data}}`);
      sent++;
      await sleep(Number(everyMs));
    }
  }),
);
const GRACE_MS = Number(process.argv[7] ?? 2_000);
const deadline = performance.now() + GRACE_MS;
while (answered < sent && performance.now() < deadline) await sleep(20);
if (answered < sent) codes.unanswered = sent - answered;
for (const socket of sockets) socket.terminate();
process.stdout.write(JSON.stringify(codes));
