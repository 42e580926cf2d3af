import { defineRetention } from '../config/retention-setting.js';

/** How long finished commands (succeeded, failed, timed out) are kept. */
export const COMMANDS_RETENTION = defineRetention({ name: 'commands', variable: 'RETENTION_COMMANDS', default: '30d' });
