#!/usr/bin/env node
// `dockpulse-sim`: the fleet simulator's CLI, compiled from src/main.ts into dist/ by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('dockpulse-sim: packages/sim/dist/main.js is missing; run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
