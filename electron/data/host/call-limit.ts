// A page that floods one channel must not starve the rest: the data host answers calls in the order they reach
// it, so every shell in front of it (Electron main's router, preview's HTTP bridge) admits only a few calls per
// channel at a time and refuses the rest at once, before they queue up in front of everyone else's.

/** Calls of one channel in flight at once; the UI never needs more than a couple (page + total, a refresh). */
export const MAX_IN_FLIGHT_PER_CHANNEL = 8;

export class CallLimit {
  private readonly inFlight = new Map<string, number>();
  private readonly max: number;

  constructor(max = MAX_IN_FLIGHT_PER_CHANNEL) {
    this.max = max;
  }

  /** Runs call() when the channel has room, else answers busy() without running it. */
  async run<T>(channel: string, call: () => Promise<T>, busy: () => T): Promise<T> {
    const n = this.inFlight.get(channel) ?? 0;
    if (n >= this.max) return busy();
    this.inFlight.set(channel, n + 1);
    try {
      return await call();
    } finally {
      const left = (this.inFlight.get(channel) ?? 1) - 1;
      if (left) this.inFlight.set(channel, left);
      else this.inFlight.delete(channel);
    }
  }
}

export const busyMessage = (channel: string) => `${channel}: too many calls at once; wait for the ones running to finish`;
