import { authenticate } from "../auth/authenticate.ts";
import { GatewayError } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import { requestIdOf } from "./handle-generation.ts";
import { lookUp, responseNotFound } from "./responses-state.ts";
import { toGatewayError } from "./run-endpoint.ts";
import type { GatewayRuntime } from "./runtime.ts";

export type ResponseStateAction = "get" | "input_items" | "delete";

const storeOff = (): GatewayError =>
  new GatewayError({
    kind: "not_found",
    status: 404,
    message: "The gateway keeps no responses: usage.store is off.",
    param: "response_id",
    code: "response_store_off",
  });

/**
 * `GET /v1/responses/{id}`, `GET /v1/responses/{id}/input_items`, `DELETE /v1/responses/{id}`
 * for responses the gateway kept (translated answers, `store` not false), for the key that
 * created them only: another key's response is a 404 like an unknown one.
 */
export async function handleResponseState(
  request: Request,
  id: string,
  action: ResponseStateAction,
  runtime: GatewayRuntime,
): Promise<Response> {
  const requestId = requestIdOf(request);
  const headers = { "content-type": "application/json", "x-request-id": requestId };
  try {
    const caller = authenticate(request.headers, runtime.keyIndex);
    const states = runtime.responseStates;
    if (!states) throw storeOff();
    const stored = await lookUp(states, id, caller);
    if (!stored) throw responseNotFound(id);
    switch (action) {
      case "get":
        return new Response(JSON.stringify(stored.response), { status: 200, headers });
      case "input_items": {
        const data = stored.input.map((item, index) => withItemId(item, `${id}_in_${index}`));
        const body = {
          object: "list",
          data,
          first_id: idOf(data[0]),
          last_id: idOf(data.at(-1)),
          has_more: false,
        };
        return new Response(JSON.stringify(body), { status: 200, headers });
      }
      case "delete":
        await states.deleteResponse(id);
        return new Response(JSON.stringify({ id, object: "response.deleted", deleted: true }), {
          status: 200,
          headers,
        });
      default: {
        const unknownAction: never = action;
        throw new Error(`unknown action ${String(unknownAction)}`);
      }
    }
  } catch (error) {
    return errorResponse("responses", toGatewayError(error, runtime, requestId), {
      "x-request-id": requestId,
    });
  }
}

/** Input items as the API lists them: each with an id (kept when the client gave one) and a type. */
function withItemId(item: unknown, fallbackId: string): Record<string, unknown> {
  const record = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
  return { id: fallbackId, type: "message", ...record };
}

function idOf(item: Record<string, unknown> | undefined): string | null {
  return typeof item?.id === "string" ? item.id : null;
}
