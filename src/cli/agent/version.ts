import { readFileSync } from 'node:fs';

/**
 * The version the agent reports in enrollment and `hello`: the package's, so an installed agent
 * says what it is. package.json sits three levels up from both src/cli/agent and dist/cli/agent.
 */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const AGENT_VERSION = readVersion();
