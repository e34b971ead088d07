// Load-test preload only (never in production): with --expose-gc, SIGUSR2 runs a full
// garbage collection, so that memory read afterwards reflects live objects, not garbage.
process.on('SIGUSR2', () => globalThis.gc?.());
