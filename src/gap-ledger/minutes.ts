export const MINUTE_MS = 60_000;

export const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
