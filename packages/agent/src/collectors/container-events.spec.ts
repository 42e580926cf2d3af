import { toContainerEvent, type EngineEventMessage } from './container-events.js';

const ID = 'b7dba65f35b83665081dc273cc090ea50bc2fd5d2289957776942c262436bd3d';
const TIME_NANO = 1796031718817434921;

/** An event as Docker 20.10 writes it on /events (Podman's compatible API: the same, plus its own attributes). */
function dockerEvent(action: string, attributes: Record<string, string> = {}, extra: Partial<EngineEventMessage> = {}): EngineEventMessage {
  return {
    status: action,
    id: ID,
    Type: 'container',
    Action: action,
    Actor: { ID: ID, Attributes: { image: 'local/busybox', name: 'probe', ...attributes } },
    time: Math.floor(TIME_NANO / 1e9),
    timeNano: TIME_NANO,
    ...extra,
  };
}

describe('toContainerEvent: engine events as container_events items', () => {
  it.each(['create', 'start', 'stop', 'kill', 'restart', 'pause', 'unpause', 'destroy', 'oom'])('%s keeps its name, the full id, and the time to the millisecond', (action) => {
    expect(toContainerEvent(dockerEvent(action))).toEqual({ containerId: ID, ts: '2026-11-30T09:41:58.817Z', action });
  });

  it('die carries the exit code from the actor attributes', () => {
    expect(toContainerEvent(dockerEvent('die', { exitCode: '137' }))).toEqual({ containerId: ID, ts: '2026-11-30T09:41:58.817Z', action: 'die', exitCode: 137 });
    // Podman adds containerExitCode to every event; exitCode only to die.
    expect(toContainerEvent(dockerEvent('die', { containerExitCode: '3', exitCode: '3', podId: '' }))).toMatchObject({ action: 'die', exitCode: 3 });
    expect(toContainerEvent(dockerEvent('die'))).toEqual({ containerId: ID, ts: '2026-11-30T09:41:58.817Z', action: 'die' });
  });

  it('health_status takes the status from the action (Docker) or the attributes (newer Podman)', () => {
    expect(toContainerEvent(dockerEvent('health_status: healthy'))).toEqual({ containerId: ID, ts: '2026-11-30T09:41:58.817Z', action: 'health_status', health: 'healthy' });
    expect(toContainerEvent(dockerEvent('health_status: unhealthy'))).toMatchObject({ action: 'health_status', health: 'unhealthy' });
    expect(toContainerEvent(dockerEvent('health_status', { health_status: 'starting' }))).toMatchObject({ action: 'health_status', health: 'starting' });
    // Podman 4.3 names no status: the event goes without one here; DockerCollectors reads it from inspect.
    expect(toContainerEvent(dockerEvent('health_status', { containerExitCode: '0' }))).toEqual({ containerId: ID, ts: '2026-11-30T09:41:58.817Z', action: 'health_status' });
    expect(toContainerEvent(dockerEvent('health_status: bogus'))).not.toHaveProperty('health');
  });

  it("Podman's remove is CONTRACT.md's destroy", () => {
    expect(toContainerEvent(dockerEvent('remove', { containerExitCode: '0', podId: '' }))).toMatchObject({ action: 'destroy' });
  });

  it.each(['exec_create: /bin/sh -c true', 'exec_start: /bin/sh -c true', 'exec_die', 'attach', 'rename', 'init', 'cleanup', 'sync', 'top', 'commit', '', 'constructor'])(
    'ignores %j (not a CONTRACT.md action)',
    (action) => {
      expect(toContainerEvent(dockerEvent(action, { exitCode: '0' }))).toBeUndefined();
    },
  );

  it('ignores events of other types and events without an id', () => {
    expect(toContainerEvent(dockerEvent('create', {}, { Type: 'image' }))).toBeUndefined();
    expect(toContainerEvent({ Type: 'container', Action: 'start', time: 1 })).toBeUndefined();
  });

  it('reads the pre-1.22 shape (status and id only) and falls back to time in seconds', () => {
    expect(toContainerEvent({ status: 'start', id: ID, time: 1796031718 })).toEqual({ containerId: ID, ts: '2026-11-30T09:41:58.000Z', action: 'start' });
  });
});
