/**
 * The agent WebSocket of CONTRACT.md as types and constants: what the server, the reference agent
 * and the simulator all speak, written once.
 */
export * from './agent-frames.js';
export * from './errors.js';
export * from './limits.js';
export * from './server-frames.js';
