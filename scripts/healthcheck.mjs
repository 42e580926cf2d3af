// The image's HEALTHCHECK: exit 0 when this instance answers /api/ready with 200 (database
// reachable, migrations applied), 1 otherwise. Plain Node, so the image needs no curl or wget.
const port = process.env.PORT ?? '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/api/ready`, { signal: AbortSignal.timeout(4_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
