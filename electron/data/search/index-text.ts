// The two derived columns search indexes, computed from a call in JS (CdrWriter and migration 002 both use this,
// and queries fold user text with the same foldText, so indexing and matching can never disagree).
import { foldText, phoneDigits } from './normalize.ts';

export interface SearchableFields {
  callId: string;
  campaignId: string | null;
  campaign: string | null;
  source: string | null;
  destination: string | null;
  providerStatus: string | null;
  agent: string | null;
  /** The person called (absent in rows cached before contact existed: their extra text already holds the name). */
  contact?: string | null;
  extraText: string | null;
}

export interface SearchColumns {
  /** Folded words for the FTS5 text index. */
  search_text: string;
  /** "<source digits> <destination digits>" for the trigram phone index. */
  phone_digits: string;
}

export function searchColumns(r: SearchableFields): SearchColumns {
  const src = phoneDigits(r.source);
  const dst = phoneDigits(r.destination);
  const parts = [r.callId, r.campaignId, r.campaign, r.source, r.destination, src, dst, r.agent, r.providerStatus, r.extraText];
  // The providers' free text already holds the contact's name; added only when it does not (same text, same index).
  if (r.contact && !r.extraText?.includes(r.contact)) parts.push(r.contact);
  return {
    search_text: foldText(parts.filter((p) => p).join(' ')),
    phone_digits: `${src} ${dst}`,
  };
}
