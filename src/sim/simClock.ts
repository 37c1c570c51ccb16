/** A simulator's clock: it moves only when told, so tests decide what "now" and "expired" mean. */
export interface SimClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** A clock standing at `start` (epoch ms) until advanced or set. */
export function createSimClock(start: number): SimClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}
