// The lead pages a tel4vn-v3 sync asks before its paging needs them (adapter.ts, "Paging is prefetched"): the
// offsets the current campaign's sequential paging would ask next if every page came back full, then the first
// pages of the campaigns after it. At most `places` requests are in flight, the one the paging waits for included;
// each answer sends the next. The paging takes answers strictly in order; a request it will not take is aborted,
// and none is left to reject unhandled.

export interface LeadAnswer {
  status: number;
  body: unknown;
}

interface LeadRequest {
  answer: Promise<LeadAnswer>;
  abort: AbortController;
  settled: boolean;
}

const unsettled = (sent: Map<unknown, LeadRequest>) => [...sent.values()].filter((x) => !x.settled).length;

export class LeadReadAhead {
  private readonly ask: (campaignId: string, at: number, signal: AbortSignal) => Promise<LeadAnswer>;
  /** Campaign ids in paging order, and the one a resumed run starts mid-way (never asked from offset 0). */
  private readonly campaigns: readonly string[];
  private readonly resumed: string | null;
  private readonly places: number;
  /** Offsets planned ahead of the page taken next: at most this many. */
  private readonly maxPlanned: number;
  /** The campaign being paged (its index in `campaigns`), its requests sent ahead by offset, and its plan. */
  private current = -1;
  private ahead = new Map<number, LeadRequest>();
  private planned: number[] = [];
  /** Whether the plan's last offset is the page that reaches `total`: places left go to the next campaigns. */
  private planReachesEnd = false;
  /** The request the paging waits for: in flight, it holds one of the places. */
  private awaited: LeadRequest | null = null;
  /** The first page of each campaign after the current one asked so far: campaign id → its request. */
  private readonly firstPages = new Map<string, LeadRequest>();
  private closed = false;

  constructor(opts: {
    ask: (campaignId: string, at: number, signal: AbortSignal) => Promise<LeadAnswer>;
    campaigns: readonly string[];
    resumed: string | null;
    places: number;
    maxPlanned: number;
  }) {
    this.ask = opts.ask;
    this.campaigns = opts.campaigns;
    this.resumed = opts.resumed;
    this.places = opts.places;
    this.maxPlanned = opts.maxPlanned;
  }

  /** The paging moves to campaign `index` of `campaigns`: what the previous one still had ahead is dropped. */
  startCampaign(index: number): void {
    this.dropAhead();
    this.current = index;
    this.planReachesEnd = false;
    this.awaited = null;
  }

  /** The answer at `offset` of the current campaign: asked ahead, or asked now. */
  take(offset: number): Promise<LeadAnswer> {
    const campaignId = this.campaigns[this.current]!;
    const sent = this.ahead.get(offset) ?? (offset === 0 ? this.firstPages.get(campaignId) : undefined);
    this.awaited = sent ?? this.send(campaignId, offset);
    this.ahead.delete(offset);
    this.firstPages.delete(campaignId);
    this.planned = this.planned.filter((at) => at > offset); // taken: never asked again
    return this.awaited.answer;
  }

  /**
   * Plans the offsets the sequential paging would ask from `next` if the coming pages are full (`pageRows` rows,
   * each next one `backtrack` rows back), never past the page that would reach `total`, and keeps the places
   * busy with them, whether or not the paging has taken the answers before them (it may be committing).
   */
  plan(next: number, total: number, pageRows: number, backtrack: number): void {
    // `next` is asked in any case; each guess after it only if the full page before it would not be the last.
    this.planned = [next];
    let at = next;
    while (this.planned.length < this.maxPlanned && at + pageRows < total) this.planned.push((at += pageRows - backtrack));
    this.planReachesEnd = at + pageRows >= total;
    for (const offset of [...this.ahead.keys()]) if (!this.planned.includes(offset)) this.drop(offset);
    this.sendMore();
  }

  /** The current campaign has ended: its guesses go, and the next campaigns' first pages take the places. */
  campaignEnded(): void {
    this.dropAhead();
    this.sendFirstPages(this.places - unsettled(this.firstPages)); // the answer that ended it has settled
  }

  /** The paging has stopped (done, failed or abandoned): every request still in flight is aborted. */
  close(): void {
    this.closed = true;
    this.dropAhead();
    for (const entry of this.firstPages.values()) entry.abort.abort();
    this.firstPages.clear();
  }

  private send(campaignId: string, at: number): LeadRequest {
    const abort = new AbortController();
    const entry: LeadRequest = { answer: this.ask(campaignId, at, abort.signal), abort, settled: false };
    // Awaited only if the paging gets there; an answer (or failure) frees its place for the next.
    entry.answer.then(
      () => {
        entry.settled = true;
        this.sendMore();
      },
      () => void (entry.settled = true),
    );
    return entry;
  }

  /** Sends the planned requests in order while places are free; past the campaign's end, the next first pages. */
  private sendMore(): void {
    if (this.closed) return;
    let inFlight = unsettled(this.ahead) + unsettled(this.firstPages) + (this.awaited && !this.awaited.settled ? 1 : 0);
    const campaignId = this.campaigns[this.current]!;
    for (const at of this.planned) {
      if (inFlight >= this.places) return;
      if (this.ahead.has(at)) continue;
      this.ahead.set(at, this.send(campaignId, at));
      inFlight++;
    }
    if (this.planReachesEnd) this.sendFirstPages(this.places - inFlight);
  }

  /** The first pages of the campaigns after the current one, in order, `free` at most and `places` waiting at most. */
  private sendFirstPages(free: number): void {
    for (const campaignId of this.campaigns.slice(this.current + 1)) {
      if (this.closed || free <= 0 || this.firstPages.size >= this.places) return;
      if (campaignId === this.resumed || this.firstPages.has(campaignId)) continue;
      this.firstPages.set(campaignId, this.send(campaignId, 0));
      free--;
    }
  }

  private drop(offset: number): void {
    this.ahead.get(offset)?.abort.abort();
    this.ahead.delete(offset);
  }

  private dropAhead(): void {
    this.planned = [];
    for (const offset of [...this.ahead.keys()]) this.drop(offset);
  }
}
