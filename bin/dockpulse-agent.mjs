#!/usr/bin/env node
// Launcher for the reference agent: the agent is TypeScript, compiled into dist/ by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/agent/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('dockpulse-agent: dist/cli/agent/main.js is missing; run `npm run build` first');
  process.exit(1);
}
await import(entry.href);
