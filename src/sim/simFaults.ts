/** What every simulator's fault has: which requests it hits, and how many of them. */
export interface SimFaultMatch {
  /** Only this method (any when absent); case does not matter. */
  readonly method?: string;
  /** Tested against the URL path. */
  readonly path: RegExp;
  /** How many matching requests to affect; every one when absent. */
  readonly times?: number;
}

/**
 * The faults a test asked a simulator to inject, first added first taken. What a fault does is
 * each simulator's own business: the answers differ per system.
 */
export class SimFaultQueue<F extends SimFaultMatch> {
  private readonly waiting: { readonly fault: F; left: number }[] = [];

  add(fault: F): void {
    // A copy: the test may reuse or change its object for the next fault.
    this.waiting.push({ fault: { ...fault }, left: fault.times ?? Number.POSITIVE_INFINITY });
  }

  /** The first fault for this request, counted as used; undefined when none matches. */
  take(method: string, path: string): F | undefined {
    const i = this.waiting.findIndex(({ fault: f }) => (!f.method || f.method.toUpperCase() === method) && f.path.test(path));
    const found = this.waiting[i];
    if (!found) {
      return undefined;
    }
    found.left--;
    if (found.left <= 0) {
      this.waiting.splice(i, 1);
    }
    return found.fault;
  }
}
