/**
 * While an instance drains (`server.drain_delay`, docs/operations.md) it still serves, but every
 * answer carries `Connection: close`: the load balancer's kept-alive connections to it end one by
 * one after an answer, instead of being closed under a request the balancer has just written
 * (which it may not resend: a POST). Outside a drain the wrapper costs one property read.
 */
export function closeWhileDraining<C>(
  runtime: { readonly draining: boolean },
  handle: (context: C) => Response | Promise<Response>,
): (context: C) => Response | Promise<Response> {
  return (context) => (runtime.draining ? withConnectionClose(handle(context)) : handle(context));
}

async function withConnectionClose(answer: Response | Promise<Response>): Promise<Response> {
  const response = await answer;
  try {
    response.headers.set("connection", "close");
    return response;
  } catch {
    // Immutable headers (a fetch() response handed on as it is): a copy carries the header.
    const copy = new Response(response.body, response);
    copy.headers.set("connection", "close");
    return copy;
  }
}
