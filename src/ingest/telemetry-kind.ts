import { DiscoveryService } from '@nestjs/core';
import type { ClassConstructor } from 'class-transformer';
import type { RetentionSetting } from '../config/retention-setting.js';
import { defineTimeSeriesTable } from '../database/time-series-tables.js';
import type { LiveTopicForm } from '../events/live-topic.js';

/**
 * Everything the infrastructure needs to know about one agent frame type, written once in the
 * folder that owns it. Declaring it registers its partitioned tables (partition manager,
 * retention job, storage health) and its retention variable (validated at start-up); the
 * handler marked `@HandlesKind(kind)` is found by the frame registry; the ingest body's OpenAPI
 * schema is generated from `dto`.
 */
export interface KindDescription<Frame extends object = object> {
  /** The frame's `type`. */
  type: string;
  /** Validates the whole frame (class-validator). */
  dto: ClassConstructor<Frame>;
  /** One line for the API documentation. */
  summary: string;
  /** How long its rows are kept; needed with `tables`. */
  retention?: RetentionSetting;
  /** Its range-partitioned tables, one partition per UTC day. */
  tables?: string[];
  /** The `/live` topic its rows are pushed on. */
  live?: LiveTopicForm;
}

const KINDS = new Map<string, KindDescription>();

/** Declares a kind (at import time, in its own folder). */
export function describeKind<Frame extends object>(kind: KindDescription<Frame>): KindDescription<Frame> {
  if (KINDS.has(kind.type)) throw new Error(`Frame type "${kind.type}" is already described`);
  if (kind.tables?.length && !kind.retention) throw new Error(`Kind "${kind.type}" has tables but no retention`);
  for (const table of kind.tables ?? []) defineTimeSeriesTable(table, kind.retention!);
  KINDS.set(kind.type, kind as unknown as KindDescription);
  return kind;
}

export function describedKinds(): KindDescription[] {
  return [...KINDS.values()];
}

/** Marks the provider that handles a kind's frames (a FrameHandler); discovered at start-up. */
export const HandlesKind = DiscoveryService.createDecorator<KindDescription<any>>();
