import type { ContainerObject } from '@dockpulse/protocol';
import type Docker from 'dockerode';
import type { Delivery } from '../delivery.js';
import type { Log } from '../log.js';
import { Inventory, inspectedFields } from './docker-inventory.js';

const ID = 'b7dba65f35b83665081dc273cc090ea50bc2fd5d2289957776942c262436bd3d';
const NEVER = '0001-01-01T00:00:00Z';

/** The parts of `GET /containers/{id}/json` the inventory reads, as Docker 20.10 answers (Podman's compatible API: the same names). */
function inspect(state: Partial<Docker.ContainerInspectInfo['State']>, restartCount = 0): Docker.ContainerInspectInfo {
  return {
    Id: ID,
    RestartCount: restartCount,
    State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 4242, ExitCode: 0, Error: '', StartedAt: '2026-11-30T09:41:55.786206418Z', FinishedAt: NEVER, ...state },
  } as Docker.ContainerInspectInfo;
}

describe('inspectedFields: the container object fields only inspect tells', () => {
  it('a running container with a healthcheck: started, health, exit code 0, no finish time', () => {
    const details = inspect({ Health: { Status: 'healthy', FailingStreak: 0, Log: [] } });
    expect(inspectedFields(details)).toEqual({ startedAt: '2026-11-30T09:41:55.786206418Z', exitCode: 0, restartCount: 0, health: 'healthy' });
  });

  it('an exited container restarted twice by its policy: exit code, finish time, restart count, no health', () => {
    const details = inspect({ Status: 'exited', Running: false, Pid: 0, ExitCode: 137, OOMKilled: true, FinishedAt: '2026-11-30T09:45:01.00604515Z' }, 2);
    expect(inspectedFields(details)).toEqual({ startedAt: '2026-11-30T09:41:55.786206418Z', finishedAt: '2026-11-30T09:45:01.00604515Z', exitCode: 137, restartCount: 2 });
  });

  it('a created, never started container: the year-1 times are left out', () => {
    expect(inspectedFields(inspect({ Status: 'created', Running: false, Pid: 0, StartedAt: NEVER }))).toEqual({ exitCode: 0, restartCount: 0 });
  });

  it('health only as CONTRACT.md names it: starting (Podman without its timers), not none', () => {
    expect(inspectedFields(inspect({ Health: { Status: 'starting', FailingStreak: 0, Log: null as never } }))).toMatchObject({ health: 'starting' });
    expect(inspectedFields(inspect({ Health: { Status: 'unhealthy', FailingStreak: 3, Log: [] } }))).toMatchObject({ health: 'unhealthy' });
    expect(inspectedFields(inspect({ Health: { Status: 'none', FailingStreak: 0, Log: [] } }))).not.toHaveProperty('health');
  });
});

describe('Inventory: inspects once, and again only on a change', () => {
  const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const listed = (status: string, state = 'running') =>
    ({ Id: ID, Names: ['/web-1'], Image: 'nginx:1.27', ImageID: 'sha256:abc', Command: 'nginx', State: state, Status: status, Ports: [], Labels: {} }) as unknown as Docker.ContainerInfo;

  function setup() {
    const engine = { list: [listed('Up 2 minutes (healthy)')], details: inspect({ Health: { Status: 'healthy', FailingStreak: 0, Log: [] } }) as Docker.ContainerInspectInfo | undefined, inspects: 0 };
    const docker = {
      listContainers: async () => engine.list,
      getContainer: () => ({
        inspect: async () => {
          engine.inspects++;
          if (!engine.details) throw new Error('no such container');
          return engine.details;
        },
      }),
    } as unknown as Docker;
    const snapshots: ContainerObject[][] = [];
    const delivery = { enqueue: async (_type: string, items: ContainerObject[]) => void snapshots.push(items) } as unknown as Delivery;
    return { engine, snapshots, inventory: new Inventory(docker, delivery, quiet, () => undefined) };
  }

  it('sends the listed container with what inspect said', async () => {
    const { snapshots, inventory } = setup();
    await inventory.refresh();
    expect(snapshots.at(-1)).toEqual([
      { dockerId: ID, name: 'web-1', image: 'nginx:1.27', imageId: 'sha256:abc', command: 'nginx', state: 'running', status: 'Up 2 minutes (healthy)', ports: [], labels: {}, startedAt: '2026-11-30T09:41:55.786206418Z', exitCode: 0, restartCount: 0, health: 'healthy' },
    ]);
  });

  it('reuses the answer while the list shows the same state and health; inspects again when either changes or an event names the container', async () => {
    const { engine, snapshots, inventory } = setup();
    await inventory.refresh();
    engine.list = [listed('Up 3 minutes (healthy)')];
    await inventory.refresh();
    expect(engine.inspects).toBe(1);

    engine.list = [listed('Up 4 minutes (unhealthy)')];
    engine.details = inspect({ Health: { Status: 'unhealthy', FailingStreak: 3, Log: [] } });
    await inventory.refresh();
    expect(engine.inspects).toBe(2);
    expect(snapshots.at(-1)![0]).toMatchObject({ health: 'unhealthy' });

    engine.list = [listed('Exited (1) 1 second ago', 'exited')];
    engine.details = inspect({ Status: 'exited', Running: false, ExitCode: 1, FinishedAt: '2026-11-30T09:50:00.5Z' }, 1);
    await inventory.refresh();
    expect(snapshots.at(-1)![0]).toMatchObject({ state: 'exited', exitCode: 1, restartCount: 1, finishedAt: '2026-11-30T09:50:00.5Z' });
    expect(snapshots.at(-1)![0]).not.toHaveProperty('health');

    engine.details = inspect({ Status: 'exited', Running: false, ExitCode: 1, FinishedAt: '2026-11-30T09:50:00.5Z' }, 2);
    inventory.requestRefresh(ID);
    await inventory.stop();
    await inventory.refresh();
    expect(engine.inspects).toBe(4);
    expect(snapshots.at(-1)![0]).toMatchObject({ restartCount: 2 });
  });

  it('sends the list alone when inspect fails, and asks again next time', async () => {
    const { engine, snapshots, inventory } = setup();
    const details = engine.details;
    engine.details = undefined;
    await inventory.refresh();
    expect(snapshots.at(-1)![0]).not.toHaveProperty('exitCode');
    engine.details = details;
    await inventory.refresh();
    expect(engine.inspects).toBe(2);
    expect(snapshots.at(-1)![0]).toMatchObject({ exitCode: 0, health: 'healthy' });
  });
});
