#!/usr/bin/env node
// `dockpulse-sim`: the fleet simulator's CLI, compiled from src/cli/sim/main.ts by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/sim/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('dockpulse-sim: dist/cli/sim/main.js is missing; run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
