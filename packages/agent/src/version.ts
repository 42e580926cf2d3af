import { readFileSync } from 'node:fs';

/**
 * The version the agent reports in enrollment and `hello`: the package's, so an installed agent
 * says what it is. package.json sits one level up from both src/ and dist/.
 */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const AGENT_VERSION = readVersion();
