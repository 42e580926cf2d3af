import { ConfigError, parseConfig, type AgentConfig } from './config.js';
import { dockerOptions, parseDockerHost } from './docker-endpoint.js';

const docker = (args: string[], env: NodeJS.ProcessEnv = {}) => (parseConfig(['--server', 'http://dockpulse.test', ...args], env) as AgentConfig).docker;

describe('the Docker endpoint the agent uses', () => {
  it('is the default socket, else DOCKER_HOST, else what a flag or DOCKPULSE_ variable says', () => {
    expect(docker([])).toEqual({ kind: 'unix', path: '/var/run/docker.sock' });
    expect(docker([], { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({ kind: 'unix', path: '/run/user/1000/docker.sock' });
    expect(docker([], { DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375 });
    expect(docker(['--docker-socket', '/srv/docker.sock'], { DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toEqual({ kind: 'unix', path: '/srv/docker.sock' });
    expect(docker([], { DOCKPULSE_DOCKER_HOST: 'tcp://[::1]:2375', DOCKER_HOST: 'unix:///x.sock' })).toEqual({ kind: 'tcp', host: '::1', port: 2375 });
    expect(docker(['--docker-host', 'unix:///a.sock'], { DOCKPULSE_DOCKER_HOST: 'tcp://h:1' })).toEqual({ kind: 'unix', path: '/a.sock' });
  });

  it('uses TLS as the docker CLI does: DOCKER_TLS_VERIFY=1 or port 2376, certificates from DOCKER_CERT_PATH', () => {
    expect(docker([], { DOCKER_HOST: 'tcp://h:2376', DOCKER_CERT_PATH: '/certs' })).toEqual({ kind: 'tcp', host: 'h', port: 2376, tlsCertPath: '/certs' });
    expect(docker([], { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' })).toEqual({ kind: 'tcp', host: 'h', port: 2376, tlsCertPath: '/certs' });
  });

  it.each([
    [['--docker-host', 'ssh://me@h'], {}, /^--docker-host: "ssh:\/\/me@h" is not a Docker host this agent can use/],
    [[], { DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, /^DOCKER_HOST: /],
    [[], { DOCKER_HOST: 'unix://relative.sock' }, /^DOCKER_HOST: "unix:\/\/relative.sock" has no absolute socket path/],
    [['--docker-socket', 'docker.sock'], {}, /^--docker-socket: "docker.sock" is not an absolute path/],
    [['--docker-socket', '/a.sock', '--docker-host', 'tcp://h:1'], {}, /give one of them/],
  ])('refuses %j %j with a message naming where it came from', (args, env, message) => {
    expect(() => docker(args, env)).toThrow(ConfigError);
    expect(() => docker(args, env)).toThrow(message);
  });

  it('hands dockerode every connection field, so its own reading of DOCKER_HOST cannot override them', () => {
    expect(dockerOptions(parseDockerHost('/var/run/docker.sock'))).toEqual({ socketPath: '/var/run/docker.sock', host: undefined, port: undefined, protocol: undefined });
    expect(dockerOptions(parseDockerHost('tcp://h:2375'))).toEqual({ socketPath: undefined, host: 'h', port: 2375, protocol: 'http', ca: undefined, cert: undefined, key: undefined });
  });
});
