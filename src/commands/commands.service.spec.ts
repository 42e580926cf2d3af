import { jest } from '@jest/globals';
import { ConflictException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AccessRepository } from '../access/access.repository.js';
import { AgentLinks } from '../agent-links/agent-links.js';
import type { UserPrincipal } from '../common/principal.js';
import { CommandEvents } from './command-events.js';
import type { CommandRow } from './command.view.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandsService } from './commands.service.js';

const user: UserPrincipal = { kind: 'user', userId: 'u-1', organizationId: 'org-1', role: 'operator' };
const target = { id: 'c-1', hostId: 'h-1', dockerId: 'd'.repeat(64), removed: false };
const row = (overrides: Partial<CommandRow> = {}): CommandRow => ({
  id: 'cmd-1',
  organization_id: 'org-1',
  host_id: 'h-1',
  container_id: 'c-1',
  action: 'restart',
  status: 'pending',
  message: null,
  requested_by: 'u-1',
  requested_by_email: 'op@example.test',
  idempotency_key: 'k',
  timeout_ms: 30_000,
  created_at: new Date('2026-01-01T00:00:00Z'),
  sent_at: null,
  finished_at: null,
  ...overrides,
});

describe('CommandsService', () => {
  const repository = {
    findTarget: jest.fn<CommandsRepository['findTarget']>(),
    findByKey: jest.fn<CommandsRepository['findByKey']>(),
    create: jest.fn<CommandsRepository['create']>(),
    markSent: jest.fn<CommandsRepository['markSent']>(),
    finish: jest.fn<CommandsRepository['finish']>(),
  };
  const connections = { reachable: jest.fn<AgentLinks['reachable']>(), deliver: jest.fn<AgentLinks['deliver']>() };
  const events = { publish: jest.fn<CommandEvents['publish']>() };
  let service: CommandsService;

  beforeEach(async () => {
    jest.resetAllMocks();
    repository.findTarget.mockResolvedValue(target);
    repository.findByKey.mockResolvedValue(undefined);
    connections.reachable.mockResolvedValue(true);
    const moduleRef = await Test.createTestingModule({
      providers: [
        CommandsService,
        { provide: CommandsRepository, useValue: repository },
        { provide: AccessRepository, useValue: {} },
        { provide: AgentLinks, useValue: connections },
        { provide: CommandEvents, useValue: events },
        { provide: ConfigService, useValue: { getOrThrow: (key: string) => (key === 'ms' ? { COMMAND_TIMEOUT: 30_000 } : '30s') } },
      ],
    }).compile();
    service = moduleRef.get(CommandsService);
  });

  it('marks the command sent before the frame leaves, and sends the Docker id', async () => {
    repository.create.mockResolvedValue(row());
    repository.markSent.mockImplementation(async () => {
      expect(connections.deliver).not.toHaveBeenCalled();
      return row({ status: 'sent', sent_at: new Date() });
    });
    connections.deliver.mockResolvedValue(true);
    events.publish.mockImplementation((r) => ({ id: r.id, status: r.status }) as never);
    await expect(service.request(user, 'c-1', 'restart')).resolves.toMatchObject({ commandId: 'cmd-1', status: 'sent' });
    expect(connections.deliver).toHaveBeenCalledWith('h-1', { type: 'command', commandId: 'cmd-1', action: 'restart', containerId: target.dockerId, timeoutMs: 30_000 });
    expect(events.publish.mock.calls.map(([r]) => r.status)).toEqual(['pending', 'sent']);
  });

  it('fails the command when the socket closed between the check and the send', async () => {
    repository.create.mockResolvedValue(row());
    repository.markSent.mockResolvedValue(row({ status: 'sent' }));
    connections.deliver.mockResolvedValue(false);
    const failed = row({ status: 'failed', message: 'gone' });
    repository.finish.mockResolvedValue({ exists: true, changed: failed });
    const error = await service.request(user, 'c-1', 'restart').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).getResponse()).toMatchObject({ message: 'Agent of host h-1 is offline', commandId: 'cmd-1' });
    expect(repository.finish).toHaveBeenCalledWith('h-1', 'cmd-1', 'failed', expect.stringContaining('disconnected'));
    expect(events.publish).toHaveBeenLastCalledWith(failed);
  });

  it('answers with the winner when a concurrent request took the key first, sending nothing', async () => {
    repository.create.mockResolvedValue(undefined);
    repository.findByKey.mockResolvedValueOnce(undefined).mockResolvedValueOnce(row({ id: 'cmd-winner', status: 'sent' }));
    await expect(service.request(user, 'c-1', 'restart', 'k')).resolves.toMatchObject({ commandId: 'cmd-winner', status: 'sent' });
    expect(connections.deliver).not.toHaveBeenCalled();
    expect(events.publish).not.toHaveBeenCalled();
  });

  it('refuses a key already used for another action, even while the agent is offline', async () => {
    connections.reachable.mockResolvedValue(false);
    repository.findByKey.mockResolvedValue(row({ action: 'stop' }));
    await expect(service.request(user, 'c-1', 'restart', 'k')).rejects.toThrow(/already used for another request/);
    expect(repository.create).not.toHaveBeenCalled();
  });

  it('refuses a COMMAND_TIMEOUT beyond a day at start-up', async () => {
    const build = Test.createTestingModule({
      providers: [
        CommandsService,
        { provide: CommandsRepository, useValue: repository },
        { provide: AccessRepository, useValue: {} },
        { provide: AgentLinks, useValue: connections },
        { provide: CommandEvents, useValue: events },
        { provide: ConfigService, useValue: { getOrThrow: (key: string) => (key === 'ms' ? { COMMAND_TIMEOUT: 2 * 86_400_000 } : '2d') } },
      ],
    }).compile();
    await expect(build).rejects.toThrow('COMMAND_TIMEOUT must be at most 24h');
  });
});
