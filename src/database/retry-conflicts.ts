import { isTransactionConflict } from './sql-errors.js';

const ATTEMPTS = 5;
const BASE_WAIT_MS = 20;

/**
 * Runs a transaction again when it lost a race (deadlock or serialization failure): PostgreSQL
 * rolled it back whole, so running it again is safe, and a frame is never answered `internal`
 * for a race it did not cause. Waits grow and are jittered so the same racers do not meet again.
 */
export async function retryConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransactionConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, BASE_WAIT_MS * attempt * (0.5 + Math.random())));
    }
  }
}
