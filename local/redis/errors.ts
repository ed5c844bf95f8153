/** Errors raised while starting Redis. */

/** No redis-server binary was found. */
export class RedisNotFoundError extends Error {
  constructor() {
    super('redis-server not found on PATH (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)');
    this.name = 'RedisNotFoundError';
  }
}

/** redis-server did not come up; `output` is what it printed. */
export class RedisStartError extends Error {
  constructor(
    reason: string,
    readonly output: string,
  ) {
    super(`Redis failed to start: ${reason}\n--- redis output ---\n${output || '(none)'}\n---`);
    this.name = 'RedisStartError';
  }
}
