import { BadGatewayException, BadRequestException, Inject, Injectable, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { Environment } from '../config/environment.js';
import { forbiddenHostReason } from './address-classifier.js';
import {
  configProblems,
  MASK,
  maskUrl,
  publicConfig,
  SECRET_SETTINGS,
  secretPart,
  type ChannelConfig,
  type ChannelType,
} from './channel-config.js';
import { ChannelSenders } from './channel-senders.js';
import type { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto.js';
import { NotificationChannelsRepository, type ChannelRow } from './notification-channels.repository.js';
import { testMessage, type ResolvedChannel } from './notification-message.js';
import { SecretBox } from './secret-box.js';

const NOT_FOUND = 'Notification channel not found';

/** Where a delivery goes: the channel ready to send through, or why it cannot be. */
export type DeliveryTarget = { organizationId: string; channel: ResolvedChannel } | { organizationId: string; type: ChannelType; error: string };

const view = (row: ChannelRow) => ({ id: row.id, name: row.name, type: row.type as ChannelType, config: row.config as Record<string, unknown> });

@Injectable()
export class NotificationChannelsService {
  private readonly allowPrivate: boolean;
  private readonly smtpConfigured: boolean;

  constructor(
    private readonly channels: NotificationChannelsRepository,
    private readonly senders: ChannelSenders,
    @Inject(SecretBox) private readonly box: SecretBox,
    config: ConfigService<Environment, true>,
  ) {
    this.allowPrivate = config.get('NOTIFY_ALLOW_PRIVATE', { infer: true });
    this.smtpConfigured = senders.email.configured;
  }

  async create(organizationId: string, dto: CreateChannelDto) {
    const config = await this.validated(dto.type, dto.config);
    const id = randomUUID();
    return view(await this.channels.create(organizationId, id, { name: dto.name, type: dto.type, ...this.stored(id, dto.type, config) }));
  }

  async list(organizationId: string) {
    return (await this.channels.list(organizationId)).map(view);
  }

  async get(organizationId: string, id: string) {
    return view(await this.row(organizationId, id));
  }

  /** `config`, when sent, replaces the whole configuration; a masked value sent back unchanged keeps the stored one. */
  async update(organizationId: string, id: string, dto: UpdateChannelDto) {
    const row = await this.row(organizationId, id);
    const type = dto.type ?? (row.type as ChannelType);
    if (type !== row.type && dto.config === undefined) throw new BadRequestException(['config is required when type changes']);
    let stored = {};
    if (dto.config !== undefined) {
      const config = await this.validated(type, this.unmasked(dto.config, this.resolve(row).config));
      stored = this.stored(id, type, config);
    }
    if (!(await this.channels.update(organizationId, id, { ...(dto.name !== undefined && { name: dto.name }), type, ...stored }))) throw new NotFoundException(NOT_FOUND);
    return this.get(organizationId, id);
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await this.channels.remove(organizationId, id))) throw new NotFoundException(NOT_FOUND);
  }

  /** Sends "DockPulse test notification": 200 when the receiver accepted it, 502 with its answer otherwise. */
  async test(organizationId: string, id: string) {
    const channel = this.resolve(await this.row(organizationId, id));
    const deliveryId = randomUUID();
    const result = await this.senders.send(channel, testMessage(), deliveryId);
    if (result.ok) return { ok: true, ...(result.status !== undefined && { status: result.status }), deliveryId };
    throw new BadGatewayException({
      statusCode: 502,
      error: 'Bad Gateway',
      message: result.error,
      receiver: { status: result.status ?? null, body: result.body ?? null },
      deliveryId,
    });
  }

  /**
   * The channels of these ids that exist, each with its organization and secrets decrypted, for
   * the outbox. A channel whose secrets cannot be decrypted is there with `error` instead.
   */
  async deliveryTargets(ids: string[]): Promise<Map<string, DeliveryTarget>> {
    const rows = ids.length ? await this.channels.findMany([...new Set(ids)]) : [];
    return new Map<string, DeliveryTarget>(
      rows.map((row): [string, DeliveryTarget] => {
        try {
          return [row.id, { organizationId: row.organizationId, channel: this.resolve(row) }];
        } catch (error) {
          return [row.id, { organizationId: row.organizationId, type: row.type as ChannelType, error: (error as Error).message }];
        }
      }),
    );
  }

  /** The channel with its secrets decrypted, for a sender. */
  resolve(row: ChannelRow): ResolvedChannel {
    let secrets: Partial<ChannelConfig> = {};
    if (row.secrets) {
      try {
        secrets = JSON.parse(this.box.open(row.secrets, row.id));
      } catch {
        throw new InternalServerErrorException('The channel’s secrets cannot be decrypted: NOTIFY_SECRET_KEY (or DATA_DIR/notify-secret-key) changed since it was saved');
      }
    }
    const visible = row.config as { to?: string[] };
    return { id: row.id, type: row.type as ChannelType, config: { ...(visible.to && { to: visible.to }), ...secrets } };
  }

  private async row(organizationId: string, id: string): Promise<ChannelRow> {
    const row = await this.channels.find(organizationId, id);
    if (!row) throw new NotFoundException(NOT_FOUND);
    return row;
  }

  private stored(id: string, type: ChannelType, config: ChannelConfig) {
    const secrets = secretPart(config);
    return { config: publicConfig(type, config) as Record<string, never>, secrets: Object.keys(secrets).length ? this.box.seal(JSON.stringify(secrets), id) : null };
  }

  /** Masked values as answers showed them stand for the stored secrets; a mask with nothing behind it is refused. */
  private unmasked(config: Record<string, unknown>, current: ChannelConfig): Record<string, unknown> {
    const result = { ...config };
    const problems: string[] = [];
    for (const key of SECRET_SETTINGS) {
      const value = result[key];
      if (typeof value !== 'string') continue;
      const existing = current[key];
      const masked = existing === undefined ? undefined : key === 'url' ? maskUrl(existing) : MASK;
      if (masked !== undefined && value === masked) result[key] = existing;
      else if (value.includes(MASK)) problems.push(`config.${key} is masked: send the value itself to set it`);
    }
    if (problems.length) throw new BadRequestException(problems);
    return result;
  }

  private async validated(type: ChannelType, config: Record<string, unknown>): Promise<ChannelConfig> {
    const problems = configProblems(type, config);
    if (type === 'email' && !this.smtpConfigured) problems.unshift('type email is unavailable: email channels need SMTP_URL (and SMTP_FROM), which this server does not set');
    if (!problems.length && typeof config.url === 'string' && !this.allowPrivate) {
      const reason = await forbiddenHostReason(new URL(config.url));
      if (reason) problems.push(`config.url must not point to a loopback, link-local or unspecified address: ${reason}`);
    }
    if (problems.length) throw new BadRequestException(problems);
    return config as ChannelConfig;
  }
}
