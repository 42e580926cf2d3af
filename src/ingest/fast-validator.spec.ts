import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ContainersFrameDto } from '../containers/dto/container.dto.js';
import { LogsFrameDto } from '../logs/dto/logs-frame.dto.js';
import { MetricsFrameDto } from '../metrics/dto/metrics-frame.dto.js';
import { ProcessesFrameDto } from '../processes/dto/processes-frame.dto.js';
import { compileValidator } from './fast-validator.js';

const id = 'a'.repeat(64);
const metric = { containerId: id, ts: Date.now(), cpuPercent: 1, memoryUsed: 1, memoryLimit: 2, networkRx: 3, networkTx: 4, blockRead: 5, blockWrite: 6, pids: 7 };
const classValidatorAccepts = (dto: new () => object, body: object) => validateSync(plainToInstance(dto, body), { forbidUnknownValues: false }).length === 0;

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
    ['uppercase id', MetricsFrameDto, { data: [{ ...metric, containerId: id.toUpperCase() }] }],
    ['item not an object', MetricsFrameDto, { data: [5] }],
    ['data not an array', MetricsFrameDto, { data: { 0: metric } }],
    ['empty data', MetricsFrameDto, { data: [] }],
    ['valid logs', LogsFrameDto, { data: [{ containerId: id, ts: Date.now(), stream: 'stderr', line: 'x' }] }],
    ['bad stream', LogsFrameDto, { data: [{ containerId: id, ts: Date.now(), stream: 'stdin', line: 'x' }] }],
    ['optional fields absent', ContainersFrameDto, { data: [{ dockerId: id, name: 'n', image: 'i', state: 'running' }] }],
    ['optional field wrong', ContainersFrameDto, { data: [{ dockerId: id, name: 'n', image: 'i', state: 'running', labels: 'x' }] }],
    ['processes without ts', ProcessesFrameDto, { data: [] }],
  ];

  it.each(cases)('%s', (_name, dto, body) => {
    expect(compileValidator(dto)(body)).toBe(classValidatorAccepts(dto, body));
  });
});
