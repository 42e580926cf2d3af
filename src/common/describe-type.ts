/** A frame's `type` for an error message: whatever a client sent, never walked (it may nest thousands deep). */
export function describeType(type: unknown): string {
  if (typeof type === 'string') return JSON.stringify(type.length > 64 ? `${type.slice(0, 64)}…` : type);
  return type === null ? 'null' : Array.isArray(type) ? 'an array' : typeof type === 'object' ? 'an object' : String(type);
}
