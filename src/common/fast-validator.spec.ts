import { CommandResultFrameDto } from '../commands/dto/command-result-frame.dto.js';
import { ContainersFrameDto } from '../containers/dto/container.dto.js';
import { HostMetricsFrameDto } from '../host-metrics/dto/host-metrics-frame.dto.js';
import { HelloFrameDto } from '../hosts/dto/hello-frame.dto.js';
import { LogsFrameDto } from '../logs/dto/logs-frame.dto.js';
import { MetricsFrameDto } from '../metrics/dto/metrics-frame.dto.js';
import { ProcessesFrameDto } from '../processes/dto/processes-frame.dto.js';
import { reportFrame, validateFrame } from '../ingest/validate-frame.js';
import { compileValidator } from './fast-validator.js';

const id = 'a'.repeat(64);
const metric = { containerId: id, ts: Date.now(), cpuPercent: 1, memoryUsed: 1, memoryLimit: 2, networkRx: 3, networkTx: 4, blockRead: 5, blockWrite: 6, pids: 7 };
const classValidatorAccepts = (dto: new () => object, body: object) => reportFrame(dto, body).errors.length === 0;
const process = { pid: 1, ppid: 0, name: 'n', command: 'c', user: 'u', cpuPercent: 1, memoryRss: 1, memoryPercent: 1, threads: 1, state: 'S' };
const box = { dockerId: id, name: 'n', image: 'i', state: 'running' };
const deep = (depth: number, open: string, close: string) => JSON.parse(open.repeat(depth) + '1' + close.repeat(depth));

describe('compileValidator agrees with class-validator', () => {
  const cases: [string, new () => object, object][] = [
    ['valid metrics', MetricsFrameDto, { data: [metric, { ...metric, containerId: id.slice(0, 12), ts: '2026-11-23T10:00:00.123456789Z' }] }],
    ['extra fields', MetricsFrameDto, { data: [{ ...metric, extra: 1 }], more: true }],
    ['bad ts', MetricsFrameDto, { data: [{ ...metric, ts: 'noon' }] }],
    ['negative counter', MetricsFrameDto, { data: [{ ...metric, networkRx: -1 }] }],
    ['fractional counter', MetricsFrameDto, { data: [{ ...metric, pids: 1.5 }] }],
    ['cpu as string', MetricsFrameDto, { data: [{ ...metric, cpuPercent: '5' }] }],
    ['NaN-ish cpu', MetricsFrameDto, { data: [{ ...metric, cpuPercent: null }] }],
    ['missing field', MetricsFrameDto, { data: [{ ...metric, memoryLimit: undefined }] }],
    ['id as a number', MetricsFrameDto, { data: [{ ...metric, containerId: 123456789012 }] }],
    ['id with a trailing newline', MetricsFrameDto, { data: [{ ...metric, containerId: `${id}\n` }] }],
    ['uppercase id', MetricsFrameDto, { data: [{ ...metric, containerId: id.toUpperCase() }] }],
    ['item not an object', MetricsFrameDto, { data: [5] }],
    ['data not an array', MetricsFrameDto, { data: { 0: metric } }],
    ['empty data', MetricsFrameDto, { data: [] }],
    ['valid logs', LogsFrameDto, { data: [{ containerId: id, ts: Date.now(), stream: 'stderr', line: 'x' }] }],
    ['bad stream', LogsFrameDto, { data: [{ containerId: id, ts: Date.now(), stream: 'stdin', line: 'x' }] }],
    ['optional fields absent', ContainersFrameDto, { data: [{ dockerId: id, name: 'n', image: 'i', state: 'running' }] }],
    ['optional field wrong', ContainersFrameDto, { data: [{ dockerId: id, name: 'n', image: 'i', state: 'running', labels: 'x' }] }],
    ['processes without ts', ProcessesFrameDto, { data: [] }],
    ['pids at int4 max', MetricsFrameDto, { data: [{ ...metric, pids: 2 ** 31 - 1 }] }],
    ['pids past int4', MetricsFrameDto, { data: [{ ...metric, pids: 2 ** 31 }] }],
    ['counter at 2^53', MetricsFrameDto, { data: [{ ...metric, memoryUsed: 2 ** 53 }] }],
    ['cpu Infinity (1e309)', MetricsFrameDto, { data: [{ ...metric, cpuPercent: JSON.parse('1e309') }] }],
    ['load1 Infinity', HostMetricsFrameDto, { data: [{ ts: Date.now(), cpuPercent: 1, load1: Infinity, load5: 0, load15: 0, memoryUsed: 1, memoryTotal: 1, diskUsed: 1, diskTotal: 1, networkRx: 1, networkTx: 1 }] }],
    ['process pid past int4', ProcessesFrameDto, { ts: Date.now(), data: [{ ...process, pid: 2 ** 31 }] }],
    ['process threads past int4', ProcessesFrameDto, { ts: Date.now(), data: [{ ...process, threads: 2 ** 31 }] }],
    ['valid process', ProcessesFrameDto, { ts: Date.now(), data: [{ ...process, pid: 2 ** 31 - 1, ppid: 2 ** 31 - 1, threads: 2 ** 31 - 1 }] }],
    ['item an empty array', MetricsFrameDto, { data: [[]] }],
    ['item null', ContainersFrameDto, { data: [null] }],
    ['data nested 3,000 deep', LogsFrameDto, { data: deep(3000, '[', ']') }],
    ['item with a __proto__ key', MetricsFrameDto, JSON.parse(`{"data":[{"__proto__":${JSON.stringify(metric)}}]}`)],
    ['a constructor object for a string', LogsFrameDto, JSON.parse(`{"data":[{"containerId":"${id}","ts":1,"stream":"stdout","line":{"constructor":{"name":"x"}}}]}`)],
    ['valid labels and ports', ContainersFrameDto, { data: [{ ...box, labels: { a: 'b' }, ports: [{ privatePort: 80, ip: '::', publicPort: null, open: true }] }] }],
    ['NUL in a label', ContainersFrameDto, { data: [{ ...box, labels: { a: 'b\u0000' } }] }],
    ['lone surrogate in a label key', ContainersFrameDto, { data: [{ ...box, labels: { '\ud800': 'b' } }] }],
    ['__proto__ label key', ContainersFrameDto, { data: [{ ...box, labels: JSON.parse('{"__proto__":"x"}') }] }],
    ['label not a string', ContainersFrameDto, { data: [{ ...box, labels: { a: 1 } }] }],
    ['labels 10,000 deep', ContainersFrameDto, { data: [{ ...box, labels: deep(10_000, '{"a":', '}') }] }],
    ['ports 10,000 deep', ContainersFrameDto, { data: [{ ...box, ports: deep(10_000, '[', ']') }] }],
    ['a port holding an object', ContainersFrameDto, { data: [{ ...box, ports: [{ privatePort: { constructor: 1 } }] }] }],
    ['a port with a lone surrogate', ContainersFrameDto, { data: [{ ...box, ports: [{ ip: '\udc00' }] }] }],
    ['NUL in imageId', ContainersFrameDto, { data: [{ ...box, imageId: 'sha\u0000' }] }],
    ['optional fields null', ContainersFrameDto, { data: [{ ...box, imageId: null, command: null, status: null, ports: null, labels: null, startedAt: null }] }],
    ['hello with nulls', HelloFrameDto, { agentVersion: '1', hostname: 'h', os: null, kernel: null, dockerVersion: null, cpus: null, memoryTotal: null }],
    ['hello with a null required field', HelloFrameDto, { agentVersion: null, hostname: 'h' }],
    ['command_result with message null', CommandResultFrameDto, { commandId: '4f0c4c55-3f0e-4a59-9f5e-0e4f9b7c1d2a', status: 'failed', message: null }],
  ];

  it.each(cases)('%s', (_name, dto, body) => {
    expect(compileValidator(dto)(body)).toBe(classValidatorAccepts(dto, body));
  });
});

describe('validateFrame', () => {
  it('takes null optional fields as absent, in items too, and leaves unknown fields alone', () => {
    expect(validateFrame(ContainersFrameDto, { data: [{ ...box, command: null, startedAt: null }] })).toEqual({ frame: { data: [box] } });
    const hello = { agentVersion: '1', hostname: 'h', os: null, extra: null };
    expect(validateFrame(HelloFrameDto, hello)).toEqual({ frame: { agentVersion: '1', hostname: 'h', extra: null } });
  });

  it('names the first item that is not an object', () => {
    expect(validateFrame(MetricsFrameDto, { data: [metric, [], 5] })).toEqual({ errors: [{ path: 'data[1]', message: 'data[1] must be an object; every item of data must be one' }] });
  });

  it('names the field and what is wrong in labels and ports', () => {
    const result = validateFrame(ContainersFrameDto, { data: [{ ...box, labels: { app: 5 }, ports: [{ ip: 'a\u0000' }] }] });
    expect(result).toEqual({
      errors: [
        { path: 'data[0].ports', message: 'data[0].ports[0].ip must not contain a NUL character or a lone surrogate' },
        { path: 'data[0].labels', message: 'data[0].labels["app"] must be a string' },
      ],
    });
  });

  it('refuses int4 overflow with the bounds in the message', () => {
    expect(validateFrame(MetricsFrameDto, { data: [{ ...metric, pids: 2 ** 31 }] })).toEqual({ errors: [{ path: 'data[0].pids', message: 'data[0].pids must be an integer from 0 to 2147483647' }] });
  });

  it('neither walks nor is fooled by a __proto__ key', () => {
    const result = validateFrame(MetricsFrameDto, JSON.parse(`{"__proto__":{"data":[${JSON.stringify(metric)}]}}`));
    expect(result).toEqual({ errors: [{ path: 'data', message: 'data must be an array' }] });
    expect(({} as Record<string, unknown>).data).toBeUndefined();
  });
});
