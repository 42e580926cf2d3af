#!/usr/bin/env node
// The fleet simulator lives in packages/sim; this keeps `./bin/dockpulse-sim.mjs` working from the root.
await import('../packages/sim/bin/dockpulse-sim.mjs');
