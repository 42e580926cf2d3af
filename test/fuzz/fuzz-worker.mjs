// Runs a fuzz campaign on a worker thread, so the fuzzer and an in-process server (the Jest
// spec's) each get a core instead of sharing one event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { runFuzz } from './fuzz-run.mjs';

parentPort.postMessage(await runFuzz({ ...workerData, log: (message) => process.stdout.write(`fuzz: ${message}\n`) }));
