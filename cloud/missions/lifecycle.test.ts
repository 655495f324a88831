import { describe, expect, it } from 'vitest';
import { MissionError } from './errors.js';
import { allowedActions, newLifecycle, transition } from './lifecycle.js';
import { checkWeather } from './weather.js';

const product = { name: 'p', maxWindMps: 5 };
const calm = checkWeather({ windMps: 1 }, product);

describe('mission lifecycle', () => {
  it('goes draft → approved → flown → verified, recording who and when', () => {
    let lc = newLifecycle('lan', 1);
    lc = transition(lc, 'approve', { by: 'minh', at: 2, weather: calm });
    lc = transition(lc, 'fly', { by: 'drone-7', at: 3 });
    lc = transition(lc, 'verify', { by: 'minh', at: 4 });
    expect(lc.state).toBe('verified');
    expect(lc.history.map((e) => [e.action, e.by, e.at])).toEqual([
      ['create', 'lan', 1],
      ['approve', 'minh', 2],
      ['fly', 'drone-7', 3],
      ['verify', 'minh', 4],
    ]);
    expect(lc.history[1]!.weather?.verdict).toBe('ok');
  });

  it('rejects transitions out of order', () => {
    const lc = newLifecycle('lan', 1);
    expect(() => transition(lc, 'fly', { by: 'x', at: 2 })).toThrow(/cannot fly a mission that is draft/);
    expect(() => transition(lc, 'verify', { by: 'x', at: 2 })).toThrow(MissionError);
    expect(allowedActions('draft')).toEqual(['approve']);
  });

  it('refuses approval without a weather check or against a refusing one', () => {
    const lc = newLifecycle('lan', 1);
    expect(() => transition(lc, 'approve', { by: 'minh', at: 2 })).toThrow(/weather check/);
    const windy = checkWeather({ windMps: 7 }, product);
    try {
      transition(lc, 'approve', { by: 'minh', at: 2, weather: windy });
      expect.unreachable();
    } catch (err) {
      expect((err as MissionError).code).toBe('WEATHER_REFUSED');
    }
  });

  it('approves under a weather warning only when the approver accepts it', () => {
    const lc = newLifecycle('lan', 1);
    const gusty = checkWeather({ windMps: 4.5 }, product);
    expect(() => transition(lc, 'approve', { by: 'minh', at: 2, weather: gusty })).toThrow(/accepted/);
    expect(transition(lc, 'approve', { by: 'minh', at: 2, weather: gusty, acceptWarnings: true }).state).toBe(
      'approved',
    );
  });
});
