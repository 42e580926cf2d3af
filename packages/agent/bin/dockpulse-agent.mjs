#!/usr/bin/env node
// `dockpulse-agent`: the reference agent, compiled from src/main.ts into dist/ by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('dockpulse-agent: packages/agent/dist/main.js is missing; run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
