// What a fuzz run saw: counts per channel and answer, and failures grouped into classes (a check
// and the mutation's signature), each with its smallest example, so a class reads as one finding.

/** Failures the suite asserts on; each names a promise of the contract. */
export const CHECKS = {
  unanswered: 'frame never answered within the bound',
  internal: 'answered internal',
  unavailable: 'answered unavailable while the database is up',
  http5xx: 'REST answered 5xx',
  restUnanswered: 'REST request never answered within the bound',
  socketClosed: 'socket closed other than by 1009 for an oversize frame',
  oversizeAnswered: 'oversize frame answered instead of closing with 1009 / 413',
  extraAnswer: 'an answer for no pending seq (duplicate, late or unknown)',
  malformed: 'answer not of the contract’s shape, seq or status',
  validRefused: 'valid frame not acknowledged',
  invalidAccepted: 'frame or request the contract refuses was accepted',
  wrongCode: 'answered with another code than the contract’s',
  storedWrong: 'acknowledged rows not stored exactly (or refused rows stored)',
  tenancy: 'another organization’s id not answered 404',
  auth: 'missing or bad credential not answered 401',
  notAlive: 'GET /api/health failed',
  crash: 'server process exited',
};

export class FuzzReport {
  counts = new Map();
  classes = new Map();
  failures = 0;

  constructor(seed) {
    this.seed = seed;
    this.started = performance.now();
  }

  count(name, by = 1) {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  /** One failure of `check` for a case: `signature` groups it, `example` shows it. */
  fail(check, signature, example, caseIndex) {
    if (!CHECKS[check]) throw new Error(`unknown check ${check}`);
    this.failures++;
    const key = `${check} | ${signature}`;
    const entry = this.classes.get(key) ?? { check, signature, count: 0, example, caseIndex };
    entry.count++;
    if (example.length < entry.example.length) Object.assign(entry, { example, caseIndex });
    this.classes.set(key, entry);
  }

  byCheck() {
    const out = {};
    for (const { check, count } of this.classes.values()) out[check] = (out[check] ?? 0) + count;
    return out;
  }

  /** Every class, most frequent first, optionally of one check. */
  list(check) {
    return [...this.classes.values()].filter((c) => !check || c.check === check).sort((a, b) => b.count - a.count);
  }

  summary() {
    return { seed: this.seed, durationMs: Math.round(performance.now() - this.started), counts: Object.fromEntries([...this.counts].sort()), failures: this.failures, byCheck: this.byCheck(), classes: this.list() };
  }
}

/** The figures and the failure classes as text (`limit` classes, examples cut at `width`). */
export function formatReport(summary, { limit = 60, width = 600 } = {}) {
  const c = summary.counts;
  const n = (name) => c[name] ?? 0;
  const codes = Object.keys(c).filter((k) => k.startsWith('answer ')).map((k) => `${k.slice(7)} ${c[k]}`).join(', ');
  const statuses = Object.keys(c).filter((k) => k.startsWith('status ')).map((k) => `${k.slice(7)} ${c[k]}`).join(', ');
  const lines = [
    `fuzz seed ${summary.seed} (replay: FUZZ_SEED=${summary.seed}, or npm run fuzz -- --seed ${summary.seed} [--case N])`,
    `cases ${n('cases')} (socket ${n('case socket')}, ingest ${n('case ingest')}, no-seq ${n('case raw')}, size ${n('case size')}, REST ${n('case rest')}) in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `frames ${n('frames')} (control ${n('control frames')}), answered ${n('answered')}, unanswered ${n('unanswered')}`,
    `answers: ${codes || 'none'}`,
    `REST statuses: ${statuses || 'none'}; operations of /docs-json exercised ${Object.keys(c).filter((k) => k.startsWith('operation ')).length} of ${n('operations')}`,
    `mean time a case held its lane (ms): ${['socket', 'ingest', 'raw', 'size', 'rest'].filter((ch) => n(`n ${ch}`)).map((ch) => `${ch} ${Math.round(n(`ms ${ch}`) / n(`n ${ch}`))}`).join(', ')}`,
    `internal ${n('answer internal')}, 5xx ${n('5xx')}, sockets closed by 1009 ${n('closed 1009')}, unexpected closes ${n('unexpected close')}, crashes ${n('crash')}`,
    `control frames verified ${n('control verified')}, mismatched ${n('control mismatched')}, not acknowledged ${n('control not acked')}; per-minute buckets checked ${n('buckets checked')}`,
    `failures ${summary.failures}${summary.failures ? `: ${Object.entries(summary.byCheck).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`,
  ];
  for (const entry of summary.classes.slice(0, limit)) {
    lines.push(`  [${entry.check}] ×${entry.count} ${entry.signature}`);
    lines.push(`      case ${entry.caseIndex}: ${entry.example.length > width ? `${entry.example.slice(0, width)}… (${entry.example.length} chars)` : entry.example}`);
  }
  if (summary.classes.length > limit) lines.push(`  … and ${summary.classes.length - limit} more classes`);
  return lines.join('\n');
}
