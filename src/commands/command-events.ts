import { Injectable } from '@nestjs/common';
import { EventBus } from '../events/event-bus.js';
import { defineLiveTopic } from '../events/live-topic.js';
import { toCommandView, type CommandRow, type CommandView } from './command.view.js';

/** Dashboards subscribe to `commands`; on the bus it is one topic per organization. */
export const COMMANDS_TOPIC = defineLiveTopic('organization', 'commands');
export const commandsTopic = COMMANDS_TOPIC.of;

/** Announces every command transition on its organization's `commands` topic. */
@Injectable()
export class CommandEvents {
  constructor(private readonly bus: EventBus) {}

  /** Publishes the command's new state and returns its view. */
  publish(row: CommandRow): CommandView {
    const view = toCommandView(row);
    this.bus.publish(commandsTopic(row.organization_id), { type: 'command', data: view });
    return view;
  }
}
