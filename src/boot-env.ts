// Imported first by main.ts, before anything can call fetch: Bun reads this once, and its
// default (256 concurrent outbound requests) would queue every upstream stream past the 256th.
process.env.BUN_CONFIG_MAX_HTTP_REQUESTS ??= "4096";
