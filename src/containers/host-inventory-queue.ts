interface Job {
  run: () => Promise<unknown>;
  snapshot: boolean;
  done: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A host's inventory writes (snapshots, and containers its telemetry names first) run one at a
 * time per host, in arrival order: one host holds at most one database connection for them,
 * however fast it sends, and waits for its turn here rather than on a row lock with a connection.
 *
 * Snapshots coalesce. A snapshot is the whole inventory, so one still waiting for its turn is
 * replaced by a newer one, and the callers of both are answered with the newer one's outcome: the
 * superseded frame is acknowledged once the inventory that replaces it is committed.
 */
export class HostInventoryQueue {
  /** Per host, its jobs in order; the first one is running. */
  private readonly hosts = new Map<string, Job[]>();

  /** Runs `run` after the host's earlier jobs. */
  enqueue<T>(hostId: string, run: () => Promise<T>): Promise<T> {
    return this.add(hostId, run, false) as Promise<T>;
  }

  /** Like enqueue, but takes the place of a snapshot of the host still waiting for its turn. */
  snapshot<T>(hostId: string, run: () => Promise<T>): Promise<T> {
    const waiting = this.hosts.get(hostId)?.find((job, i) => i > 0 && job.snapshot);
    if (!waiting) return this.add(hostId, run, true) as Promise<T>;
    waiting.run = run;
    return waiting.done as Promise<T>;
  }

  private add(hostId: string, run: () => Promise<unknown>, snapshot: boolean): Promise<unknown> {
    let settle!: Pick<Job, 'resolve' | 'reject'>;
    const done = new Promise((resolve, reject) => (settle = { resolve, reject }));
    const job: Job = { run, snapshot, done, ...settle };
    const jobs = this.hosts.get(hostId);
    if (jobs) jobs.push(job);
    else {
      this.hosts.set(hostId, [job]);
      void this.work(hostId);
    }
    return done;
  }

  private async work(hostId: string): Promise<void> {
    const jobs = this.hosts.get(hostId)!;
    while (jobs.length > 0) {
      const job = jobs[0];
      await Promise.resolve().then(job.run).then(job.resolve, job.reject);
      jobs.shift();
    }
    this.hosts.delete(hostId);
  }
}
