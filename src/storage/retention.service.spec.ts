import { jest } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { PartitionManager, type PartitionInfo } from '../database/partition-manager.js';
import { GapLedgerRetention } from '../gap-ledger/gap-ledger.retention.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionService } from './retention.service.js';
import { StorageCatalogRepository } from './storage-catalog.repository.js';

const partition = (name: string, stats: Partial<PartitionInfo> = {}): PartitionInfo => ({
  table: 'container_metrics',
  partition: name,
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-02T00:00:00Z'),
  bytes: 8192 * 100,
  heapBytes: 8192 * 90,
  heapPages: 90,
  reltuples: -1,
  relpages: 0,
  ...stats,
});

// Named mocks stand in for whole collaborators, so their signatures stay loose.
type Fn = (...args: any[]) => any;

describe('RetentionService', () => {
  let service: RetentionService;
  let partitions: Record<'withPartitionLock' | 'expiredPartitions' | 'dropPartition' | 'createMissingPartitions', jest.Mock<Fn>>;
  let catalog: { plannerRows: jest.Mock<Fn> };
  let repository: Record<'deleteStaleEnrollmentTokens' | 'deleteFinishedCommands' | 'deleteResolvedAlerts', jest.Mock<Fn>>;
  let locked: boolean;

  beforeEach(async () => {
    locked = false;
    partitions = {
      withPartitionLock: jest.fn<Fn>(async (fn: () => Promise<unknown>) => {
        locked = true;
        try {
          return await fn();
        } finally {
          locked = false;
        }
      }),
      expiredPartitions: jest.fn<Fn>(async () => [
        partition('container_metrics_p20261101', { reltuples: 5_000, relpages: 50 }),
        partition('container_metrics_p20261102', { heapPages: 0, heapBytes: 0 }),
        partition('container_metrics_p20261103'),
      ]),
      dropPartition: jest.fn<Fn>(async () => expect(locked).toBe(true)),
      createMissingPartitions: jest.fn<Fn>(async () => ['container_metrics_p20261130']),
    };
    catalog = { plannerRows: jest.fn<Fn>(async () => new Map([['container_metrics_p20261103', 7_000]])) };
    repository = { deleteStaleEnrollmentTokens: jest.fn<Fn>(async () => 2), deleteFinishedCommands: jest.fn<Fn>(async () => 3), deleteResolvedAlerts: jest.fn<Fn>(async () => 4) };
    const config = { getOrThrow: (key: string) => ({ RETENTION_COMMANDS: '7d', retention: { commands: { duration: '7d', ms: 7 * 86_400_000 }, alerts: { duration: '90d', ms: 90 * 86_400_000 } } })[key] };
    const moduleRef = await Test.createTestingModule({
      providers: [
        RetentionService,
        { provide: PartitionManager, useValue: partitions },
        { provide: StorageCatalogRepository, useValue: catalog },
        { provide: RetentionRepository, useValue: repository },
        { provide: ConfigService, useValue: config },
        { provide: GapLedgerRetention, useValue: { prune: jest.fn<Fn>(async () => 5) } },
      ],
    }).compile();
    service = moduleRef.get(RetentionService);
  });

  it('drops every expired partition under the partition lock and estimates rows without counting them', async () => {
    const report = await service.run();
    expect(partitions.dropPartition.mock.calls.map(([name]) => name)).toEqual(['container_metrics_p20261101', 'container_metrics_p20261102', 'container_metrics_p20261103']);
    expect(report.droppedPartitions.map((p) => [p.partition, p.rowsEstimate])).toEqual([
      // Analyzed: the density of the last ANALYZE times the pages now (100 rows a page × 90 pages).
      ['container_metrics_p20261101', 9_000],
      ['container_metrics_p20261102', 0],
      // Never analyzed: the planner's estimate.
      ['container_metrics_p20261103', 7_000],
    ]);
    expect(catalog.plannerRows).toHaveBeenCalledWith(['container_metrics_p20261103']);
    expect(report).toMatchObject({ partitionsCreated: ['container_metrics_p20261130'], enrollmentTokensDeleted: 2, commandsDeleted: 3, alertsDeleted: 4, gapLedgerRowsDeleted: 5, failures: [] });
    expect(service.droppedPartitionsTotal).toBe(3);
    expect(service.lastFinishedAt).toBeInstanceOf(Date);
  });

  it('keeps enrollment tokens for a day after use or expiry, and commands for RETENTION_COMMANDS', async () => {
    const report = await service.run();
    const started = Date.parse(report.startedAt);
    expect(repository.deleteStaleEnrollmentTokens).toHaveBeenCalledWith(new Date(started - 86_400_000));
    expect(repository.deleteFinishedCommands).toHaveBeenCalledWith(new Date(started - 7 * 86_400_000));
  });

  it('reports a drop that fails (a lock timeout) and carries on with the rest', async () => {
    partitions.dropPartition.mockImplementation(async (name: string) => {
      if (name === 'container_metrics_p20261102') throw new Error('canceling statement due to lock timeout');
    });
    const report = await service.run();
    expect(report.droppedPartitions.map((p) => p.partition)).toEqual(['container_metrics_p20261101', 'container_metrics_p20261103']);
    expect(report.failures).toEqual([{ step: 'drop container_metrics_p20261102', message: 'canceling statement due to lock timeout' }]);
    expect(report.commandsDeleted).toBe(3);
    expect(service.droppedPartitionsTotal).toBe(2);
  });

  it('never throws from the scheduled run, even when the database is gone', async () => {
    partitions.expiredPartitions.mockRejectedValue(new Error('Connection terminated'));
    await expect(service.runLogged()).resolves.toBeUndefined();
    await expect(service.run()).rejects.toThrow('Connection terminated');
    await expect(service.idle()).resolves.toBeUndefined();
  });
});
