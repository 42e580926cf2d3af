import { applyAction, checkHealth, crash, fakeInventory, type SimContainer } from './fake-inventory.js';

/** A clock that ticks one millisecond per reading, as FakeHost.nextTs does when called in a burst. */
const clockFrom = (start: number) => {
  let now = start - 1;
  return () => ++now;
};

const withHealthcheck = (containers: SimContainer[]) => containers.find((c) => c.template.healthcheck)!;
const withoutHealthcheck = (containers: SimContainer[]) => containers.find((c) => !c.template.healthcheck)!;

describe('simulated containers: the new container fields and the events Docker announces', () => {
  const T = Date.parse('2026-11-30T10:00:00.000Z');

  it('start out running, never restarted, healthy when the image has a healthcheck', () => {
    const containers = fakeInventory(7);
    expect(withHealthcheck(containers).object).toMatchObject({ state: 'running', exitCode: 0, restartCount: 0, health: 'healthy', status: expect.stringMatching(/\(healthy\)$/) });
    expect(withoutHealthcheck(containers).object).not.toHaveProperty('health');
    expect(withoutHealthcheck(containers).object).not.toHaveProperty('finishedAt');
  });

  it('stop: kill, die with exit code 0, stop; the object says exited and when', () => {
    const container = withoutHealthcheck(fakeInventory(7));
    const events = applyAction(container, 'stop', clockFrom(T));
    expect(events).toEqual([
      { containerId: container.object.dockerId, ts: T, action: 'kill' },
      { containerId: container.object.dockerId, ts: T + 1, action: 'die', exitCode: 0 },
      { containerId: container.object.dockerId, ts: T + 2, action: 'stop' },
    ]);
    expect(container.object).toMatchObject({ state: 'exited', exitCode: 0, finishedAt: '2026-11-30T10:00:00.001Z' });
    expect(applyAction(container, 'stop', clockFrom(T + 10))).toEqual([]);
  });

  it('restart of a running container with a healthcheck: kill, die, stop, start, restart; health starting until the first check says healthy', () => {
    const container = withHealthcheck(fakeInventory(7));
    const events = applyAction(container, 'restart', clockFrom(T));
    expect(events.map((e) => e.action)).toEqual(['kill', 'die', 'stop', 'start', 'restart']);
    expect(new Set(events.map((e) => e.ts)).size).toBe(events.length);
    expect(container.object).toMatchObject({ state: 'running', exitCode: 0, restartCount: 0, health: 'starting', status: expect.stringMatching(/^Up .* \(health: starting\)$/), startedAt: '2026-11-30T10:00:00.003Z' });

    expect(checkHealth(container, clockFrom(T + 10))).toEqual([{ containerId: container.object.dockerId, ts: T + 10, action: 'health_status', health: 'healthy' }]);
    expect(container.object).toMatchObject({ health: 'healthy', status: expect.stringMatching(/^Up .* \(healthy\)$/) });
    expect(checkHealth(container, clockFrom(T + 20))).toEqual([]);
  });

  it('a failing healthcheck: unhealthy at the next check, healthy again once it passes; nothing for containers without one', () => {
    const container = withHealthcheck(fakeInventory(7));
    container.faults.failingHealthcheck = true;
    expect(checkHealth(container, clockFrom(T))).toEqual([{ containerId: container.object.dockerId, ts: T, action: 'health_status', health: 'unhealthy' }]);
    expect(container.object).toMatchObject({ health: 'unhealthy', status: expect.stringMatching(/ \(unhealthy\)$/) });
    delete container.faults.failingHealthcheck;
    expect(checkHealth(container, clockFrom(T + 1))).toMatchObject([{ action: 'health_status', health: 'healthy' }]);

    const plain = withoutHealthcheck(fakeInventory(7));
    plain.faults.failingHealthcheck = true;
    expect(checkHealth(plain, clockFrom(T))).toEqual([]);
    expect(plain.object).not.toHaveProperty('health');
  });

  it('start of a stopped container: start only; of a running one: nothing', () => {
    const container = withoutHealthcheck(fakeInventory(7));
    expect(applyAction(container, 'start', clockFrom(T))).toEqual([]);
    applyAction(container, 'stop', clockFrom(T));
    expect(applyAction(container, 'start', clockFrom(T + 10)).map((e) => e.action)).toEqual(['start']);
    expect(container.object.state).toBe('running');
  });

  it('a crash: die with a non-zero code (oom first when OOM-killed), then the restart policy starts it and counts', () => {
    const container = withoutHealthcheck(fakeInventory(7));
    expect(crash(container, clockFrom(T), false)).toEqual([
      { containerId: container.object.dockerId, ts: T, action: 'die', exitCode: 1 },
      { containerId: container.object.dockerId, ts: T + 1, action: 'start' },
    ]);
    expect(crash(container, clockFrom(T + 10), true).map((e) => [e.action, e.exitCode])).toEqual([['oom', undefined], ['die', 137], ['start', undefined]]);
    expect(container.object).toMatchObject({ state: 'running', restartCount: 2, exitCode: 0, finishedAt: '2026-11-30T10:00:00.011Z' });
  });
});
