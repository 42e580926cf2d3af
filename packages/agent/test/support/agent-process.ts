import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const AGENT = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = join(AGENT, '../..');
const WORKSPACES = join(ROOT, 'packages');

/**
 * The agent as its own program, for what only a separate process shows (another user's
 * permissions): laid out as its package is (`dir/package.json`, `dir/dist`), its sources transpiled
 * without type checking (the test run does that anyway), and a node_modules of exactly its
 * dependencies: workspace packages (@dockpulse/protocol) transpiled the same way, the rest linked.
 */
export function buildAgent(dir: string): string {
  transpile(join(AGENT, 'src'), join(dir, 'dist'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', version: '0.0.0-test' }));
  const { dependencies } = JSON.parse(readFileSync(join(AGENT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    const found = [join(AGENT, 'node_modules', name), join(ROOT, 'node_modules', name)].find(existsSync);
    if (!found) throw new Error(`The agent's dependency ${name} is not installed (npm install at the root)`);
    const installed = realpathSync(found);
    const target = join(dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    if (installed.startsWith(WORKSPACES + sep)) {
      transpile(join(installed, 'src'), join(target, 'dist'));
      copyFileSync(join(installed, 'package.json'), join(target, 'package.json'));
    } else symlinkSync(installed, target);
  }
  return join(dir, 'dist/main.js');
}

function transpile(sources: string, out: string): void {
  for (const file of walk(sources)) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const target = join(out, relative(sources, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2023, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(target, outputText);
  }
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
