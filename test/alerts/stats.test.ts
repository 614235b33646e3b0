// The alert rules on plain numbers: a planted drop of each KPI is flagged (and only it), small campaigns never
// are, and 200 generated days of ordinary noise (seeded) keep false alarms under the stated level.
import { describe, expect, it } from 'vitest';
import { judgeDay, median, normalCdf, robustZ, twoProportionZ, twoSidedCritical, type DayFigures } from '../../electron/data/alerts/stats.ts';
import { seededRng, type Rng } from '../../electron/data/providers/simulation/random.ts';
import { DEFAULT_ALERT_SETTINGS as S } from '../../electron/shared/alerts.ts';

/** The stated false-alarm level: at most 1% of ordinary campaign-days raise any alert. */
const FALSE_ALARM_LEVEL = 0.01;

/** Standard normal draw (Box-Muller). */
const gauss = (r: Rng) => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());

/** One day of a campaign: about `volume` calls, each answered with `rate`, talk exponential with mean `talk`. */
function day(r: Rng, volume: number, rate: number, talk: number): DayFigures {
  // Day-to-day volume varies more than chance alone (10% on top of Poisson), as real dialling does.
  const calls = Math.max(0, Math.round(volume * (1 + 0.1 * gauss(r)) + Math.sqrt(volume) * gauss(r)));
  const d: DayFigures = { calls, answered: 0, talk: 0, talk2: 0 };
  for (let i = 0; i < calls; i++) {
    if (r.next() >= rate) continue;
    const sec = Math.round(-talk * Math.log(1 - r.next()));
    d.answered++;
    d.talk += sec;
    d.talk2 += sec * sec;
  }
  return d;
}

const kpis = (day: DayFigures, base: DayFigures[]) => judgeDay(day, base, S).map((v) => `${v.kpi} ${v.direction}`);

describe('alert statistics', () => {
  it('has the textbook pieces right', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(twoSidedCritical(0.95)).toBeCloseTo(1.96, 2);
    expect(twoSidedCritical(0.999)).toBeCloseTo(3.29, 2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(twoProportionZ(50, 100, 50, 100)).toBe(0);
    expect(twoProportionZ(30, 100, 200, 400)).toBeCloseTo(-3.59, 2);
    expect(robustZ(10, [10, 10, 10, 10], 2)).toBe(0); // no spread: the floor keeps the scale
    expect(robustZ(20, [10, 10, 10, 10], 2)).toBe(5);
  });

  it('flags a planted drop of each KPI, and only that KPI', () => {
    const r = seededRng(19);
    const base = () => Array.from({ length: 4 }, () => day(r, 300, 0.5, 90));
    expect(kpis(day(r, 300, 0.25, 90), base())).toEqual(['answerRate down']);
    expect(kpis(day(r, 120, 0.5, 90), base())).toEqual(['calls down']);
    expect(kpis(day(r, 300, 0.5, 40), base())).toEqual(['avgTalkSec down']);
    expect(kpis(day(r, 700, 0.5, 90), base())).toEqual(['calls up']);
  });

  it('never flags below the minimum number of calls, however large the change', () => {
    const r = seededRng(7);
    const base = Array.from({ length: 4 }, () => day(r, 20, 0.6, 90));
    expect(kpis({ calls: 20, answered: 0, talk: 0, talk2: 0 }, base)).toEqual([]);
    expect(kpis({ calls: 0, answered: 0, talk: 0, talk2: 0 }, base)).toEqual([]);
  });

  it(`keeps false alarms on 200 days of ordinary noise under ${FALSE_ALARM_LEVEL * 100}%`, () => {
    const r = seededRng(2026);
    let alarmed = 0;
    for (let i = 0; i < 200; i++) {
      const volume = r.int(40, 600);
      const rate = 0.25 + 0.5 * r.next();
      const talk = r.int(30, 240);
      const base = Array.from({ length: 4 }, () => day(r, volume, rate, talk));
      if (judgeDay(day(r, volume, rate, talk), base, S).length) alarmed++;
    }
    expect(alarmed / 200).toBeLessThan(FALSE_ALARM_LEVEL);
  });
});
