/** A silence as the evaluator holds it (SilencesRepository.activeOrUpcoming). */
export interface SilenceWindow {
  id: string;
  organizationId: string;
  hostId: string | null;
  containerId: string | null;
  ruleId: string | null;
  startsAt: Date;
  endsAt: Date;
}

/** What an alert is about: a host, or a container of it. */
export interface SilencedSubject {
  hostId: string;
  containerId?: string | null;
  ruleId: string;
}

/**
 * Whether the silence covers the alert at `at`: within [startsAt, endsAt), and every field the
 * silence sets equals the alert's (a null field matches anything). A silence of a container does
 * not cover alerts of its host.
 */
export function silenceMatches(silence: Omit<SilenceWindow, 'id' | 'organizationId'>, subject: SilencedSubject, at: Date): boolean {
  const time = at.getTime();
  if (time < silence.startsAt.getTime() || time >= silence.endsAt.getTime()) return false;
  if (silence.hostId !== null && silence.hostId !== subject.hostId) return false;
  if (silence.containerId !== null && silence.containerId !== (subject.containerId ?? null)) return false;
  return silence.ruleId === null || silence.ruleId === subject.ruleId;
}
