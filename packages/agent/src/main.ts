import { Agent } from './agent.js';
import { ConfigError, HELP, parseConfig, type AgentConfig } from './config.js';
import { EnrollmentRefused } from './enrollment.js';
import { consoleLog, errorText } from './log.js';

/** `dockpulse-agent`: configuration, signals and exit codes around the Agent. */
async function main(): Promise<number> {
  let config: AgentConfig | 'help';
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`dockpulse-agent: ${error.message}\nRun dockpulse-agent --help for the options.`);
    return 2;
  }
  if (config === 'help') {
    console.log(HELP);
    return 0;
  }
  const log = consoleLog(config.verbose);
  const agent = new Agent(config, log);
  let stopped: Promise<void> | undefined;
  let signalled: () => void = () => undefined;
  const signal = new Promise<void>((resolve) => (signalled = resolve));
  const shutdown = (name: string) => {
    if (stopped) {
      log.warn(`${name} again: exiting without waiting`);
      process.exit(1);
    }
    log.info(`${name} received: stopping`);
    stopped = agent.stop();
    signalled();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    await agent.start();
  } catch (error) {
    if (!stopped) {
      log.error(error instanceof EnrollmentRefused ? error.message : `Could not start: ${errorText(error)}`);
      return 1;
    }
  }
  await signal;
  await stopped;
  return 0;
}

// Exit explicitly: a Docker log stream or a half-closed socket must not keep a stopped agent alive.
process.exit(await main());
