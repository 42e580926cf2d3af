// A share of bench/cluster.mjs's agent sockets, in a process of its own (child_process.fork): one
// process may hold no more than `ulimit -Hn` descriptors, 20,000 on the development machine.
// Messages in: {connect: {base, tokens}}, {count: true}, {close: true}.
// Messages out: {connected, failed, firstError}, {open, byInstance}, {closed}.
import { connectAgent } from './lib.mjs';

let sockets = [];

process.on('message', async (message) => {
  if (message.connect) {
    const { base, tokens } = message.connect;
    let failed = 0;
    let firstError;
    for (let i = 0; i < tokens.length; i += 100) {
      const batch = await Promise.allSettled(tokens.slice(i, i + 100).map((token) => connectAgent(base, token)));
      for (const result of batch) {
        if (result.status === 'fulfilled') sockets.push(result.value);
        else (failed++, (firstError ??= String(result.reason?.message ?? result.reason)));
      }
    }
    process.send({ connected: sockets.length, failed, firstError });
  } else if (message.count) {
    const open = sockets.filter((socket) => socket.readyState === 1);
    const byInstance = {};
    for (const socket of open) byInstance[socket.instance] = (byInstance[socket.instance] ?? 0) + 1;
    process.send({ open: open.length, byInstance });
  } else if (message.close) {
    for (const socket of sockets) socket.terminate();
    sockets = [];
    process.send({ closed: true }, () => process.exit(0));
  }
});
