import type { SimContainerControl } from './container-control.js';
import type { SimulatedFleet } from './fleet.js';

/** The incidents the CLI was asked for: container name globs per kind. */
export interface IncidentRequests {
  crashLoop: string[];
  oom: string[];
  unhealthy: string[];
}

const KINDS = [
  { key: 'crashLoop', flag: '--crash-loop', verb: 'crash-looping', cause: (c: SimContainerControl) => c.crashLoop() },
  { key: 'oom', flag: '--oom', verb: 'running out of memory', cause: (c: SimContainerControl) => c.oomKill() },
  { key: 'unhealthy', flag: '--unhealthy', verb: 'failing its healthcheck', cause: (c: SimContainerControl) => c.makeUnhealthy() },
] as const;

export const hasIncidents = (requests: IncidentRequests): boolean => KINDS.some(({ key }) => requests[key].length > 0);

/** Starts every requested incident on the containers its globs match, saying which and why not. */
export function causeIncidents(fleet: SimulatedFleet, requests: IncidentRequests, say: (line: string) => void): void {
  for (const { key, flag, verb, cause } of KINDS) {
    for (const glob of requests[key]) {
      const matched = fleet.containers(glob);
      if (!matched.length) say(`${flag} ${glob}: no simulated container has a matching name`);
      for (const container of matched) {
        try {
          cause(container);
          say(`${container.hostName}/${container.name} (${container.dockerId.slice(0, 12)}): ${verb}`);
        } catch (error) {
          say(`${flag} ${glob}: ${container.hostName}/${container.name} skipped: ${(error as Error).message}`);
        }
      }
    }
  }
}
