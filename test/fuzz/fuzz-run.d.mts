import type { FuzzSummary } from './report.mjs';

export interface FuzzOptions {
  baseUrl: string;
  cases?: number;
  seed?: number;
  lanes?: number;
  answerTimeoutMs?: number;
  staleMs?: number;
  controlEvery?: number;
  healthEvery?: number;
  progressEvery?: number;
  only?: RegExp;
  exclude?: RegExp;
  caseIndexes?: number[];
  log?: (message: string) => void;
  serverAlive?: () => boolean;
}

export declare const DEFAULTS: Required<Pick<FuzzOptions, 'cases' | 'lanes' | 'answerTimeoutMs' | 'staleMs' | 'controlEvery' | 'healthEvery' | 'progressEvery'>>;
export declare function runFuzz(options: FuzzOptions): Promise<FuzzSummary>;
export declare function runFuzzInWorker(options: Omit<FuzzOptions, 'log' | 'serverAlive'>): Promise<FuzzSummary>;
