import type { ContainerEvent } from '@dockpulse/protocol';
import { SimContainerControl } from './container-control.js';
import { fakeInventory, type SimContainer } from './fake-inventory.js';
import { incidentRound, OOM_CLIMB_ROUNDS } from './incidents.js';

const T = Date.parse('2026-11-30T10:00:00.000Z');

/** A host's clock as FakeHost.nextTs gives it: one millisecond per reading. */
const clockFrom = (start: number) => {
  let now = start - 1;
  return () => ++now;
};

function setUp(healthcheck: boolean) {
  const containers = fakeInventory(7);
  const container = containers.find((c) => Boolean(c.template.healthcheck) === healthcheck) as SimContainer;
  const clock = clockFrom(T);
  return { containers, container, control: new SimContainerControl(container, 'host-1', 'sim-1'), round: () => incidentRound(containers, clock) };
}

const actions = (events: ContainerEvent[]) => events.map((e) => [e.action, e.exitCode ?? e.health]);

describe('incidents on demand: what the engine announces round by round', () => {
  it('nothing happens without an incident (healthy containers stay healthy and quiet)', () => {
    const { round } = setUp(true);
    expect(round()).toEqual({ events: [], logs: [] });
  });

  it('a crash loop: panic lines on stderr then die 1, start the next round with the restart count grown, again and again', () => {
    const { container, control, round } = setUp(false);
    control.crashLoop();
    const first = round();
    expect(first.logs.map((l) => [l.stream, l.line])).toEqual(expect.arrayContaining([['stderr', 'panic: runtime error: invalid memory address or nil pointer dereference']]));
    expect(actions(first.events)).toEqual([['die', 1]]);
    const dieTs = first.events[0].ts as number;
    expect(first.logs.every((l) => Date.parse(String(l.ts)) < dieTs)).toBe(true);
    expect(container.object).toMatchObject({ state: 'exited', exitCode: 1, status: 'Exited (1) Less than a second ago', restartCount: 0 });

    expect(actions(round().events)).toEqual([['start', undefined]]);
    expect(container.object).toMatchObject({ state: 'running', exitCode: 0, restartCount: 1 });
    for (let i = 0; i < 4; i++) round();
    expect(container.object).toMatchObject({ state: 'running', restartCount: 3 });
    expect(actions(round().events)).toEqual([['die', 1]]);

    control.stopCrashLoop();
    expect(actions(round().events)).toEqual([['start', undefined]]);
    expect(round()).toEqual({ events: [], logs: [] });
    expect(container.object).toMatchObject({ state: 'running', restartCount: 4 });
    expect(container.faults).toEqual({});
  });

  it('a crash-looping container with a healthcheck starts as starting and dies before its first check', () => {
    const { container, control, round } = setUp(true);
    control.crashLoop();
    round();
    expect(container.object).not.toHaveProperty('health');
    expect(actions(round().events)).toEqual([['start', undefined]]);
    expect(container.object.health).toBe('starting');
    expect(actions(round().events)).toEqual([['die', 1]]);
  });

  it('a crash loop leaves alone a container stopped on purpose (exit code 0)', () => {
    const { container, control, round } = setUp(false);
    container.object = { ...container.object, state: 'exited', exitCode: 0 };
    control.crashLoop();
    expect(round().events).toEqual([]);
  });

  it('an OOM kill: memory climbs to the limit, then oom and die 137; it stays exited', () => {
    const { container, control, round } = setUp(false);
    container.memoryUsed = 100;
    container.memoryLimit = 1_000;
    control.oomKill();
    const seen: number[] = [];
    for (let i = 0; i < OOM_CLIMB_ROUNDS; i++) {
      expect(round().events).toEqual([]);
      seen.push(container.memoryUsed);
    }
    expect(seen).toEqual([400, 700, 1_000]);
    const kill = round().events;
    expect(actions(kill)).toEqual([['oom', undefined], ['die', 137]]);
    expect(kill[0].ts).toBeLessThan(kill[1].ts as number);
    expect(container.object).toMatchObject({ state: 'exited', exitCode: 137, status: 'Exited (137) Less than a second ago' });
    expect(container.memoryUsed).toBe(container.template.memory);
    expect(round().events).toEqual([]);
    expect(() => control.oomKill()).toThrow(/not running/);
  });

  it('unhealthy on demand, and healthy again; refused for an image without a healthcheck', () => {
    const { container, control, round } = setUp(true);
    control.makeUnhealthy();
    expect(actions(round().events)).toEqual([['health_status', 'unhealthy']]);
    expect(container.object.health).toBe('unhealthy');
    expect(round().events).toEqual([]);
    control.makeHealthy();
    expect(actions(round().events)).toEqual([['health_status', 'healthy']]);
    expect(container.object.health).toBe('healthy');

    expect(() => setUp(false).control.makeUnhealthy()).toThrow(/has no healthcheck/);
  });
});
