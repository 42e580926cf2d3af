import { formatDuration } from './duration.js';
import type { FleetStatsSnapshot } from './fleet-stats.js';

const n = (value: number) => value.toLocaleString('en-US');

const errorList = (errors: Record<string, number>) =>
  Object.keys(errors).length ? Object.entries(errors).map(([code, count]) => `${code}=${n(count)}`).join(' ') : '0';

/** One progress line: `[  15s] hosts 5/5 · 1,234 rows acked (82/s) · frames 120/120 answered · errors 0 · ack p50 12ms`. */
export function progressLine(stats: FleetStatsSnapshot, elapsedMs: number, rowsPerSecond: number): string {
  return [
    `[${formatDuration(elapsedMs).padStart(6)}] hosts ${stats.hostsConnected}/${stats.hosts} connected`,
    `${n(stats.rowsAcked.total)} rows acked (${n(Math.round(rowsPerSecond))}/s)`,
    `frames ${n(stats.answers)}/${n(stats.framesSent)} answered`,
    `errors ${errorList(stats.errors)}`,
    `ack p50 ${stats.ackLatencyMs.p50}ms p99 ${stats.ackLatencyMs.p99}ms`,
  ].join(' · ');
}

/** The end-of-run summary, several lines. */
export function summary(stats: FleetStatsSnapshot, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rows = stats.rowsAcked;
  const latency = stats.ackLatencyMs;
  return [
    `Ran ${formatDuration(elapsedMs)} with ${stats.hosts} hosts.`,
    `  frames   ${n(stats.framesSent)} sent, ${n(stats.acks)} acked, ${n(stats.errorsTotal)} errors (${errorList(stats.errors)}), ${n(stats.resends)} resent, ${n(stats.dropped)} dropped`,
    `  rows     ${n(rows.total)} acked (${n(Math.round(rows.total / seconds))}/s): metrics ${n(rows.metrics)}, host_metrics ${n(rows.host_metrics)}, logs ${n(rows.logs)}, processes ${n(rows.processes)}, containers ${n(rows.containers)}, container_events ${n(rows.container_events)}`,
    `  ack      p50 ${latency.p50}ms, p90 ${latency.p90}ms, p99 ${latency.p99}ms, max ${latency.max}ms over ${n(latency.samples)} acks`,
    `  sockets  ${n(stats.reconnects)} reconnects, ${n(stats.unanswered)} frames unanswered when a socket dropped, ${n(stats.commandsAnswered)} commands answered`,
  ].join('\n');
}
