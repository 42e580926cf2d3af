/**
 * Group commit: keys handed in while a write runs go together in the next one, so many sends
 * finishing at once cost a few statements, not one each. Each caller's promise settles with the
 * write that carried its key.
 */
export class GroupedWrites {
  private waiting: { key: string; settle: (error?: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly write: (keys: string[]) => Promise<void>) {}

  add(key: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0);
      try {
        await this.write(batch.map((entry) => entry.key));
        for (const entry of batch) entry.settle();
      } catch (error) {
        for (const entry of batch) entry.settle(error ?? new Error('write failed'));
      }
    }
    this.writing = false;
  }
}
