/**
 * The OAuth access token of a machine-to-machine client: fetched when first needed, shared by
 * concurrent calls, kept until shortly before it expires, and dropped when the tenant rejects it.
 */
import type { CloudToken } from './cloudWire';

/** Renew this long before the token's end at most, so a call never leaves with a dying token. */
const MAX_MARGIN_MS = 60_000;

/** Tokens that live only minutes renew after nine tenths of their lifetime instead. */
const MARGIN_SHARE = 0.1;

interface Held {
  readonly token: string;
  readonly renewAt: number;
}

/** Caches one access token; `fetchToken` asks the tenant for a new one. */
export class CloudTokenCache {
  private held: Held | undefined;
  private pending: Promise<string> | undefined;

  /**
   * @param fetchToken asks `/oauth/token`; rejects with the domain error to report. It takes no
   *   caller's signal: the fetch is shared, and one caller's cancel must not fail the others.
   * @param now the clock lifetimes are judged by
   */
  constructor(
    private readonly fetchToken: () => Promise<CloudToken>,
    private readonly now: () => number,
  ) {}

  /** A token that is still good, fetching one when there is none. */
  async token(): Promise<string> {
    if (this.held && this.now() < this.held.renewAt) {
      return this.held.token;
    }
    this.held = undefined;
    if (!this.pending) {
      const asked = this.now();
      const pending = this.fetchToken().then((fresh) => {
        const margin = Math.min(MAX_MARGIN_MS, fresh.lifetimeMs * MARGIN_SHARE);
        // Measured from the request, not the answer: the tenant's clock started before ours stopped.
        this.held = { token: fresh.accessToken, renewAt: asked + fresh.lifetimeMs - margin };
        return fresh.accessToken;
      });
      this.pending = pending;
      // A failed fetch must not stay cached: the next call asks again.
      void pending.then(
        () => this.clearPending(pending),
        () => this.clearPending(pending),
      );
    }
    return this.pending;
  }

  /** Forgets `token` after the tenant rejected it, unless a newer one already replaced it. */
  invalidate(token: string): void {
    if (this.held?.token === token) {
      this.held = undefined;
    }
  }

  private clearPending(pending: Promise<string>): void {
    if (this.pending === pending) {
      this.pending = undefined;
    }
  }
}
