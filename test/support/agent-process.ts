import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AGENT_SOURCES = join(ROOT, 'src/cli/agent');

/**
 * The agent as its own program, for what only a separate process shows (another user's
 * permissions): its sources transpiled into `dir/dist/cli/agent` (as `npm run build` lays them out,
 * without type checking, which the test run does anyway), beside a package.json and node_modules.
 */
export function buildAgent(dir: string): string {
  for (const file of walk(AGENT_SOURCES)) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const out = join(dir, 'dist/cli/agent', relative(AGENT_SOURCES, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2023, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(out, outputText);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', version: '0.0.0-test' }));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'dist/cli/agent/main.js');
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** Opens every directory from `path` up to `/` for others to traverse (mkdtemp makes them 0700). */
export function openPath(path: string): void {
  for (let dir = path; dir !== '/'; dir = dirname(dir)) {
    try {
      chmodSync(dir, 0o755);
    } catch {
      return;
    }
  }
}

export interface AgentProcess {
  child: ChildProcess;
  output: string[];
  stop(): Promise<number | null>;
}

export function startAgentProcess(main: string, args: string[], options: { env: NodeJS.ProcessEnv; uid?: number; gid?: number }): AgentProcess {
  const child = spawn(process.execPath, [main, ...args], { env: options.env, uid: options.uid, gid: options.gid, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
      if (process.env.AGENT_LOG) for (const line of lines) console.log(`[process] ${line}`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
