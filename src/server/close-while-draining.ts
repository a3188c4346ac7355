import type { Server } from "bun";

/**
 * While an instance drains (`server.drain_delay`, docs/operations.md) it still serves, but every
 * answer carries `Connection: close`: the load balancer's kept-alive connections to it end one by
 * one after an answer, instead of being closed under a request the balancer has just written
 * (which it may not resend: a POST). Done once, when the drain starts, by swapping the server's
 * handler: Bun's route table is dropped, so every request (any route, the console's and the docs'
 * too, and the error handler's answers) goes through the app's one fetch, wrapped. Outside a drain
 * nothing runs per request.
 */
export function closeEveryConnectionFromNow(
  server: Server<unknown>,
  fetch: (request: Request) => Response | Promise<Response>,
): void {
  server.reload({ routes: {}, fetch: (request: Request) => withConnectionClose(fetch(request)) });
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
