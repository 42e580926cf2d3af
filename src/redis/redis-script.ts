import type { Redis } from 'ioredis';

type ScriptCall = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/**
 * Defines `lua` on the command connection under `name` (ioredis sends EVALSHA and falls back to
 * EVAL when Redis lost its script cache, after a restart) and returns a typed caller.
 * Defining the same name again replaces it, so every user may define its own at construction.
 */
export function defineScript(client: Redis, name: string, numberOfKeys: number, lua: string): ScriptCall {
  client.defineCommand(name, { numberOfKeys, lua });
  const call = (client as unknown as Record<string, ScriptCall>)[name];
  return (...keysThenArgs) => call.apply(client, keysThenArgs);
}
