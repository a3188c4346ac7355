// Query parameters that carry credentials in database and cache URLs (`?password=`, `?sslpassword=`, `?token=`).
const SECRET_PARAM = /pass|secret|token|key|auth|cred/i;

/**
 * A URL with any password (or a lone user name, which may be a token) replaced by `***`, and
 * credential query parameters too, for output that must never carry secrets.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return redactUserInfo(text);
  }
  const hadUserInfo = url.password !== "" || url.username !== "";
  if (url.password !== "") url.password = "***";
  else if (url.username !== "") url.username = "***";
  let hadSecretParam = false;
  for (const name of [...url.searchParams.keys()]) {
    if (!SECRET_PARAM.test(name)) continue;
    url.searchParams.set(name, "***");
    hadSecretParam = true;
  }
  // The parser finds no user info in `redis:/user:pass@host`: hide what precedes the `@` anyway.
  if (!hadUserInfo && !hadSecretParam) return redactUserInfo(text);
  return url.toString();
}

/** Anything before an `@` in the authority-like head of a text: `scheme://***@host`. */
function redactUserInfo(text: string): string {
  return text
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/{0,2})([^/?#\s]*)@/, "$1***@")
    .replace(/\/\/[^/\s]*@/, "//***@");
}
