import { LogCursors } from './log-cursors.js';
import type { EngineLogLine } from './log-demux.js';
import { LogOrdinals } from './log-ordinals.js';
import type { StateDir } from '../state.js';

const ID = 'c'.repeat(64);
const line = (ts: string, text: string, stream: EngineLogLine['stream'] = 'stdout'): EngineLogLine => ({ containerId: ID, ts, stream, line: text });
const numbered = (ordinals: LogOrdinals, lines: EngineLogLine[]) => lines.map((l) => ordinals.number(l)).filter((l) => l !== undefined).map((l) => `${l!.stream} ${l!.ts} ${l!.n} ${l!.line}`);

/** A state directory in memory: what LogCursors saved is what the next one loads. */
function memoryState(files: Record<string, unknown> = {}): StateDir {
  return { readJson: async (name: string) => files[name], writeJson: async (name: string, value: unknown) => void (files[name] = JSON.parse(JSON.stringify(value))) } as unknown as StateDir;
}

describe('log ordinals and where a read resumes', () => {
  const second = [line('2026-01-01T10:00:00Z', 'tick'), line('2026-01-01T10:00:00Z', 'tick'), line('2026-01-01T10:00:00Z', 'tick', 'stderr'), line('2026-01-01T10:00:00Z', 'line 0'), line('2026-01-01T10:00:01Z', 'tick')];

  it('numbers lines per stream and timestamp, from 0', () => {
    expect(numbered(new LogOrdinals(), second)).toEqual([
      'stdout 2026-01-01T10:00:00Z 0 tick',
      'stdout 2026-01-01T10:00:00Z 1 tick',
      'stderr 2026-01-01T10:00:00Z 0 tick',
      'stdout 2026-01-01T10:00:00Z 2 line 0',
      'stdout 2026-01-01T10:00:01Z 0 tick',
    ]);
  });

  it('resumes at the newest spooled timestamp and skips exactly the lines spooled there, per stream', async () => {
    const files: Record<string, unknown> = {};
    const before = new LogCursors(memoryState(files));
    await before.load();
    // Spooled: the first three lines of the second (two stdout, one stderr).
    const ordinals = new LogOrdinals();
    for (const l of second.slice(0, 3)) before.advance(ordinals.number(l)!);
    await before.save();

    const after = new LogCursors(memoryState(files));
    await after.load();
    const resume = after.resumePoint(ID)!;
    expect(resume.since).toBe(BigInt(Date.parse('2026-01-01T10:00:00Z')) * 1_000_000n);
    // The engine sends the whole second again (`since` is inclusive), then what is new.
    expect(numbered(new LogOrdinals(resume.streams), second)).toEqual(['stdout 2026-01-01T10:00:00Z 2 line 0', 'stdout 2026-01-01T10:00:01Z 0 tick']);
  });

  it('reads cursors written before ordinals (a bare timestamp) as "everything up to it"', async () => {
    const cursors = new LogCursors(memoryState({ 'log-cursors.json': { [ID]: '2026-01-01T10:00:00.5Z' } }));
    await cursors.load();
    const resume = cursors.resumePoint(ID)!;
    expect(numbered(new LogOrdinals(resume.streams), [line('2026-01-01T10:00:00.5Z', 'old'), line('2026-01-01T10:00:00.6Z', 'new')])).toEqual(['stdout 2026-01-01T10:00:00.6Z 0 new']);
  });
});
