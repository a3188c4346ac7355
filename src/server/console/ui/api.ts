const KEY_STORAGE = "switchboard.console.key";

export const storedKey = (): string | null => sessionStorage.getItem(KEY_STORAGE);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY_STORAGE);

/** An /admin/… or /v1/usage call that did not answer 200: the gateway's own message and status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** What the sign-in form shows for a refused key. */
export function signInMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "That key is invalid: the gateway did not accept it.";
    if (error.status === 403) return "That is a virtual key: the console needs the master key.";
    return `The gateway answered ${error.status}: ${error.message}`;
  }
  return `The gateway could not be reached: ${error instanceof Error ? error.message : String(error)}`;
}

export async function getJson<T>(path: string, key = storedKey()): Promise<T> {
  const response = await fetch(path, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    cache: "no-store",
  });
  if (!response.ok) throw await apiError(response);
  return (await response.json()) as T;
}

export async function apiError(response: Response): Promise<ApiError> {
  let message = response.statusText;
  let code: string | null = null;
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string | null } };
    message = body.error?.message ?? message;
    code = body.error?.code ?? null;
  } catch {
    // Not JSON: the status text says enough.
  }
  return new ApiError(response.status, message, code);
}
