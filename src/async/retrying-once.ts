/**
 * `make()`'s promise, made on the first call and kept for every later one; a failure is not kept,
 * so the next call tries again (a page's assets, built on the first visit).
 */
export function retryingOnce<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}
