/** A URL with any password replaced by `***`, for output that must never carry secrets. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password === "" && url.username === "") return text;
    if (url.password !== "") url.password = "***";
    else url.username = "***";
    return url.toString();
  } catch {
    // Not a URL: hide anything that looks like `user:pass@` rather than echo it.
    return text.replace(/\/\/[^/@\s]*@/, "//***@");
  }
}
