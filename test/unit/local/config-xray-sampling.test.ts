/** `--xray-sampling` / LOCAL_XRAY_SAMPLING in the local cloud's settings (local/config.ts). */
import { readConfig } from '../../../local/config';

describe('readConfig: X-Ray sampling', () => {
  const saved = process.env.LOCAL_XRAY_SAMPLING;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOCAL_XRAY_SAMPLING;
    else process.env.LOCAL_XRAY_SAMPLING = saved;
  });

  it('keeps every trace unless told otherwise; the flag wins over the environment', () => {
    delete process.env.LOCAL_XRAY_SAMPLING;
    expect(readConfig([]).xraySampling).toBe('all');
    process.env.LOCAL_XRAY_SAMPLING = '10/0.1';
    expect(readConfig([]).xraySampling).toEqual({ reservoirPerSecond: 10, fixedRate: 0.1 });
    expect(readConfig(['--xray-sampling', 'default']).xraySampling).toEqual({ reservoirPerSecond: 1, fixedRate: 0.05 });
  });

  it('refuses a rule it cannot read, and a flag without one', () => {
    delete process.env.LOCAL_XRAY_SAMPLING;
    expect(() => readConfig(['--xray-sampling', 'half'])).toThrow('X-Ray sampling must be all, none, default');
    expect(() => readConfig(['--xray-sampling'])).toThrow('got "(nothing)"');
  });
});
