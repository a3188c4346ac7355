/** The client's `x-request-id` when it is short and plain enough to echo and log; a new UUID otherwise. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && given.length <= 200 && /^[\w.:/=+-]+$/.test(given) ? given : crypto.randomUUID();
}
