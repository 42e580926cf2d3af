import type { WebSocket } from 'ws';

/**
 * Closes a socket with 1001 (the server is going away) and resolves once it is closed, or after
 * `graceMs` when the peer does not answer the close handshake, by terminating it.
 */
export function closeGoingAway(socket: WebSocket, graceMs: number): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1001, 'Server shutting down');
  });
}
