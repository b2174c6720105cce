/** Time for a driver: the real one, or a virtual one that jumps to the next timer when nothing else runs. */
export interface Clock {
  now(): Date;
  /** Calls `fn` at epoch milliseconds `at` (or soon after); returns a function that cancels it. */
  schedule(at: number, fn: () => void): () => void;
}

export class RealClock implements Clock {
  now(): Date {
    return new Date();
  }

  schedule(at: number, fn: () => void): () => void {
    // setTimeout's limit is ~24.8 days; longer timers re-arm themselves.
    const MAX = 2 ** 31 - 1;
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = at - Date.now();
      handle = setTimeout(delay > MAX ? arm : fn, Math.max(0, Math.min(delay, MAX)));
    };
    arm();
    return () => clearTimeout(handle);
  }
}

/**
 * A clock that only moves when told to: `advance()` jumps to the earliest pending timer and fires it.
 * With it a one-hour Pause or a retry backoff runs instantly in tests, yet every timestamp is consistent.
 */
export class VirtualClock implements Clock {
  #time: number;
  #timers: { at: number; seq: number; fn: () => void }[] = [];
  #seq = 0;

  constructor(start: Date | number = Date.UTC(2024, 0, 1)) {
    this.#time = typeof start === "number" ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.#time);
  }

  schedule(at: number, fn: () => void): () => void {
    const timer = { at, seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms` without firing anything (for checks against elapsed time). */
  tick(ms: number): void {
    this.#time += ms;
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Fires the earliest timer (moving time to it). Returns false when no timer is pending. */
  advance(): boolean {
    if (this.#timers.length === 0) return false;
    this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.#timers.shift();
    if (!next) return false;
    this.#time = Math.max(this.#time, next.at);
    next.fn();
    return true;
  }
}
