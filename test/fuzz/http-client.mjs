// HTTP for the fuzzer: raw bodies and headers as generated, a bound on every request, and the
// answer as {status, json, text, ms} (status 0 with `error` when no answer came).

export async function request(baseUrl, method, path, { token, body, text, contentType, headers = {}, timeoutMs = 30_000 } = {}) {
  const started = performance.now();
  const allHeaders = { ...headers };
  if (token !== undefined) allHeaders.authorization = token.startsWith('Bearer') || token.startsWith('Basic') ? token : `Bearer ${token}`;
  let payload;
  if (text !== undefined) payload = text;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) allHeaders['content-type'] = contentType ?? 'application/json';
  try {
    const res = await fetch(`${baseUrl}${path}`, { method, headers: allHeaders, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    const answer = await res.text();
    let json;
    try {
      json = answer ? JSON.parse(answer) : undefined;
    } catch {}
    return { status: res.status, text: answer, json, headers: res.headers, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, error: error.name === 'TimeoutError' ? 'timeout' : `${error.name}: ${error.cause?.code ?? error.message}`, ms: performance.now() - started };
  }
}

/** A request that must succeed (setup and verification): throws with the answer otherwise. */
export async function must(baseUrl, method, path, options = {}) {
  const res = await request(baseUrl, method, path, options);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.error ?? res.text?.slice(0, 300)}`);
  return res.json;
}
