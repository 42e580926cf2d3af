import type { ContainerEvent, LogLine } from '@dockpulse/protocol';
import { checkHealth, died, started, type SimContainer } from './fake-inventory.js';
import { hex, rfc3339Nanos } from './random.js';

/** Rounds an OOM-bound container's memory takes to climb to its limit; the kernel kills it the round after. */
export const OOM_CLIMB_ROUNDS = 3;

/** What a crashing process writes on stderr before it dies; `{id}` becomes a random hex id. */
const LAST_WORDS = [
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x{id}]',
  'goroutine 1 [running]:',
  'main.(*Server).handle(0xc000{id})',
];

export interface IncidentRound {
  events: ContainerEvent[];
  /** Lines the dying wrote, stamped before their `die`. */
  logs: LogLine[];
}

/**
 * One round of every incident asked for on a host's containers (crash loops, OOM kills, failing
 * healthchecks) and of their healthchecks: what the engine announces and what the dying write,
 * stamped by `clock` in that order. Runs before the round's metrics, so a container's memory is
 * seen at its limit before the OOM killer takes it.
 */
export function incidentRound(containers: SimContainer[], clock: () => number): IncidentRound {
  const round: IncidentRound = { events: [], logs: [] };
  for (const container of containers) {
    // A crash-looping process dies before its first healthcheck would run.
    if (container.faults.crashLoop !== 'looping') round.events.push(...checkHealth(container, clock));
    crashLoopRound(container, clock, round);
    oomRound(container, clock, round);
  }
  return round;
}

/** Alternates: dies with exit code 1 in one round, is started again by its restart policy in the next. */
function crashLoopRound(container: SimContainer, clock: () => number, round: IncidentRound): void {
  const mode = container.faults.crashLoop;
  if (!mode) return;
  const { state, exitCode } = container.object;
  if (state === 'running' && mode === 'looping') {
    round.logs.push(...LAST_WORDS.map((line) => lastWords(container, clock(), line)));
    round.events.push(died(container, clock(), 1));
  } else if (state === 'exited' && exitCode !== 0) {
    container.object = { ...container.object, restartCount: (container.object.restartCount ?? 0) + 1 };
    round.events.push(...started(container, clock));
    if (mode === 'recovering') delete container.faults.crashLoop;
  } else if (mode === 'recovering') {
    delete container.faults.crashLoop;
  }
}

/** Memory climbs to the limit in OOM_CLIMB_ROUNDS rounds; the round after, `oom` and `die` 137, and it stays exited. */
function oomRound(container: SimContainer, clock: () => number, round: IncidentRound): void {
  const climbed = container.faults.oomRounds;
  if (climbed === undefined) return;
  if (container.object.state !== 'running') {
    delete container.faults.oomRounds;
  } else if (climbed < OOM_CLIMB_ROUNDS) {
    container.memoryUsed += Math.round((container.memoryLimit - container.memoryUsed) / (OOM_CLIMB_ROUNDS - climbed));
    container.faults.oomRounds = climbed + 1;
  } else {
    round.events.push({ containerId: container.object.dockerId, ts: clock(), action: 'oom' }, died(container, clock(), 137));
    container.memoryUsed = container.template.memory;
    delete container.faults.oomRounds;
  }
}

function lastWords(container: SimContainer, at: number, line: string): LogLine {
  return { containerId: container.object.dockerId, ts: rfc3339Nanos(at, 0), stream: 'stderr', line: line.replace('{id}', hex(4)) };
}
