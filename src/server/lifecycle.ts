/**
 * The server's lifecycle as one union of phases, with the requests in flight:
 * `starting` → `serving` → `draining` (SIGTERM: no new work, finish what is in
 * flight) → `stopped`. The HTTP layer and /ready switch on the phase.
 */

/** Where the server is in its life. */
export type Phase =
  | { phase: 'starting' }
  | { phase: 'serving'; since: number }
  | { phase: 'draining'; since: number }
  | { phase: 'stopped' };

/** The phase and the count of requests in flight. */
export class Lifecycle {
  private state: Phase = { phase: 'starting' };
  private active = 0;
  private waiters: (() => void)[] = [];

  /** The current phase. */
  get current(): Phase {
    return this.state;
  }

  /** Requests being handled now. */
  get inFlight(): number {
    return this.active;
  }

  /** Ready to serve. */
  serve(): void {
    this.state = { phase: 'serving', since: Date.now() };
  }

  /** A request arrived. */
  requestStarted(): void {
    this.active++;
  }

  /** A request's response ended (or its connection closed). */
  requestEnded(): void {
    this.active--;
    if (this.active === 0 && this.waiters.length > 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * Stop taking new work and wait for the requests in flight, at most
   * `timeoutMs`. Resolves true when they all finished, false on timeout.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.state.phase !== 'draining') this.state = { phase: 'draining', since: Date.now() };
    if (this.active === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Everything is closed. */
  stop(): void {
    this.state = { phase: 'stopped' };
  }
}

/** For exhaustive switches over phases. */
export function unknownPhase(phase: never): never {
  throw new Error(`Unknown lifecycle phase ${JSON.stringify(phase)}`);
}
