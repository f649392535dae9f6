import { ConfigError, loadConfig } from './config';

describe('retention configuration (HOOKFLOW_RETENTION_*)', () => {
  it('defaults to 14 days, 30 days for failures, 10,000 per flow, every 5 minutes, 500 rows', () => {
    expect(loadConfig({}).retention).toEqual({
      maxAgeMs: 14 * 86_400_000,
      failedMaxAgeMs: 30 * 86_400_000,
      maxPerFlow: 10_000,
      intervalMs: 300_000,
      batchSize: 500,
    });
  });

  it('reads durations with units and plain counts', () => {
    const config = loadConfig({
      HOOKFLOW_RETENTION_MAX_AGE: '36h',
      HOOKFLOW_RETENTION_FAILED_MAX_AGE: '7d',
      HOOKFLOW_RETENTION_MAX_PER_FLOW: '0',
      HOOKFLOW_RETENTION_INTERVAL: '15s',
      HOOKFLOW_RETENTION_BATCH: '100',
    });
    expect(config.retention).toEqual({
      maxAgeMs: 36 * 3_600_000,
      failedMaxAgeMs: 7 * 86_400_000,
      maxPerFlow: 0,
      intervalMs: 15_000,
      batchSize: 100,
    });
  });

  it('reads the same duration grammar as the schedule trigger: 1h30m, 1d12h', () => {
    const config = loadConfig({
      HOOKFLOW_RETENTION_MAX_AGE: '1d12h',
      HOOKFLOW_RETENTION_INTERVAL: '1h30m',
    });
    expect(config.retention.maxAgeMs).toBe(36 * 3_600_000);
    expect(config.retention.intervalMs).toBe(5_400_000);
  });

  it('never keeps failed runs shorter than the others', () => {
    const config = loadConfig({
      HOOKFLOW_RETENTION_MAX_AGE: '60d',
      HOOKFLOW_RETENTION_FAILED_MAX_AGE: '30d',
    });
    expect(config.retention.failedMaxAgeMs).toBe(60 * 86_400_000);
  });

  it.each([
    ['HOOKFLOW_RETENTION_MAX_AGE', '14'],
    ['HOOKFLOW_RETENTION_MAX_AGE', '2 weeks'],
    ['HOOKFLOW_RETENTION_MAX_AGE', '0s'],
    ['HOOKFLOW_RETENTION_FAILED_MAX_AGE', '1w'],
    ['HOOKFLOW_RETENTION_INTERVAL', '500ms'],
    ['HOOKFLOW_RETENTION_MAX_PER_FLOW', '-1'],
    ['HOOKFLOW_RETENTION_BATCH', '5'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
