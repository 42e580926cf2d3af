export interface FailureClass {
  check: string;
  signature: string;
  count: number;
  example: string;
  caseIndex: number;
}

export interface FuzzSummary {
  seed: number;
  durationMs: number;
  counts: Record<string, number>;
  failures: number;
  byCheck: Record<string, number>;
  classes: FailureClass[];
}

export declare const CHECKS: Record<string, string>;
export declare function formatReport(summary: FuzzSummary, options?: { limit?: number; width?: number }): string;
