// A page that floods one channel must not starve the rest: the data host answers calls in the order they reach
// it, so every shell in front of it (Electron main's router, preview's HTTP bridge) lets only a few calls of one
// channel through at a time. A burst waits its turn here (a window with many accounts asks for each one's
// figures at once), without getting in front of other channels' calls; past the waiting room it is refused.

/** Calls of one channel at the data host at once. */
export const MAX_IN_FLIGHT_PER_CHANNEL = 8;
/** Calls of one channel waiting for a turn; more than this at once is a flood, refused at once. */
export const MAX_WAITING_PER_CHANNEL = 256;

export class CallLimit {
  private readonly channels = new Map<string, { inFlight: number; waiting: (() => void)[] }>();
  private readonly maxInFlight: number;
  private readonly maxWaiting: number;

  constructor(maxInFlight = MAX_IN_FLIGHT_PER_CHANNEL, maxWaiting = MAX_WAITING_PER_CHANNEL) {
    this.maxInFlight = maxInFlight;
    this.maxWaiting = maxWaiting;
  }

  /** Runs call() when the channel has room (waiting for it if need be), else answers busy() without running it. */
  async run<T>(channel: string, call: () => Promise<T>, busy: () => T): Promise<T> {
    let c = this.channels.get(channel);
    if (!c) this.channels.set(channel, (c = { inFlight: 0, waiting: [] }));
    if (c.inFlight >= this.maxInFlight) {
      if (c.waiting.length >= this.maxWaiting) return busy();
      await new Promise<void>((resolve) => c.waiting.push(resolve));
    }
    c.inFlight++;
    try {
      return await call();
    } finally {
      c.inFlight--;
      const next = c.waiting.shift();
      if (next) next();
      else if (c.inFlight === 0) this.channels.delete(channel);
    }
  }
}

export const busyMessage = (channel: string) => `${channel}: too many calls at once; wait for the ones running to finish`;
