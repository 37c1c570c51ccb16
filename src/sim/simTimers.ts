/**
 * The delays a simulator (or a test proxy) is waiting out. They are kept so that close() can
 * clear them: a fault delaying an answer for a minute must not hold the test process open.
 */
export class SimTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Resolves after `ms`; never, if clear() comes first (the answer it held back is moot by then). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pending.delete(t);
        resolve();
      }, ms);
      this.pending.add(t);
    });
  }

  clear(): void {
    for (const t of this.pending) {
      clearTimeout(t);
    }
    this.pending.clear();
  }
}
