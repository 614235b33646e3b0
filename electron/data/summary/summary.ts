// Campaign KPIs from the cache, computed as SUMMARY_DEFINITIONS states them (electron/shared/search.ts). One module
// per kind of summary; this file is the summaries' public face, so callers import from one place:
//   figures.ts          the KPIs of a group from its raw sums
//   groups.ts           grouped by campaign, day, hour, status, agent or account (summarize)
//   matrix.ts           the hour-by-weekday heatmap (hourWeekdayMatrix)
//   compare.ts          a period against the one before it (comparePeriods)
//   provider-report.ts  the provider's own report beside ours (providerReported)
//   totals.ts           the running totals that answer most summaries without reading the calls
export { SUMMARY_DEFINITIONS } from '../../shared/search.ts';
export { figures, ZERO } from './figures.ts';
export { summarize, type SummaryOptions } from './groups.ts';
export { hourWeekdayMatrix, WEEKDAYS } from './matrix.ts';
export { comparePeriods } from './compare.ts';
export { providerReported } from './provider-report.ts';
