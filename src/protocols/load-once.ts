/**
 * A loader for a module evaluated on first use: `load` (a `require` of a literal path, so that the
 * bundle carries the module) runs on the first call, and its module is returned on every later
 * one. A `require` of a loaded module still costs ~0.7 µs in the compiled binary, and the request
 * path reads some of these several times a request (docs/performance.md, "Request schemas and
 * codecs on first use").
 */
export function loadOnce<Module>(load: () => Module): () => Module {
  let module: Module | undefined;
  return () => {
    if (module === undefined) module = load();
    return module;
  };
}
