#!/usr/bin/env node
// The reference agent lives in packages/agent; this keeps `./bin/dockpulse-agent.mjs` working from the root.
await import('../packages/agent/bin/dockpulse-agent.mjs');
