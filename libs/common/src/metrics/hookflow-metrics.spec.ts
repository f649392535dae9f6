import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from 'prom-client';
import { HookflowMetrics, statusClassOf } from './hookflow-metrics';

const DOCS = join(__dirname, '..', '..', '..', '..', 'docs');

/** Every series name a scrape can show: histogram families add _bucket, _sum and _count. */
async function exportedSeries(metrics: HookflowMetrics): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (metrics.registry.getSingleMetric(metric.name) instanceof Histogram) {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

describe('HookflowMetrics', () => {
  it('keeps each instance apart: one app counting does not move another', async () => {
    const first = new HookflowMetrics({ defaultMetrics: false });
    const second = new HookflowMetrics({ defaultMetrics: false });
    first.delivery('hook-1', { status: 'accepted' });
    first.delivery('hook-1', { status: 'rejected', reason: 'auth' });
    expect(await first.scrape()).toContain(
      'hookflow_deliveries_total{trigger="hook-1",status="accepted",reason=""} 1',
    );
    expect(await first.scrape()).toContain(
      'hookflow_deliveries_total{trigger="hook-1",status="rejected",reason="auth"} 1',
    );
    expect(await second.scrape()).not.toContain('trigger="hook-1"');
  });

  it('reads the queue depth at scrape time, and leaves it out when the queue cannot answer', async () => {
    const metrics = new HookflowMetrics({ defaultMetrics: false });
    let depth = { waiting: 3, active: 1, delayed: 2, failed: 0 };
    let reachable = true;
    metrics.watchQueue(async () => {
      if (!reachable) throw new Error('redis down');
      return depth;
    });
    expect(await metrics.scrape()).toContain('hookflow_queue_depth{state="waiting"} 3');
    depth = { ...depth, waiting: 7 };
    expect(await metrics.scrape()).toContain('hookflow_queue_depth{state="waiting"} 7');
    reachable = false;
    const text = await metrics.scrape();
    expect(text).not.toContain('hookflow_queue_depth{state="waiting"} 7');
    expect(text).toContain('hookflow_deliveries_total');
  });

  it('classes outbound answers by status, anything else as an error', () => {
    expect([101, 204, 302, 404, 503, 0, 999].map(statusClassOf)).toEqual([
      '1xx',
      '2xx',
      '3xx',
      '4xx',
      '5xx',
      'error',
      'error',
    ]);
  });

  it('ships a Grafana dashboard whose every query names a metric Hookflow exports', async () => {
    const series = await exportedSeries(new HookflowMetrics());
    const dashboard = JSON.parse(readFileSync(join(DOCS, 'grafana-dashboard.json'), 'utf8')) as {
      title: string;
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.panels.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        const names = expr.match(/\b(?:hookflow|nodejs|process)_[a-z0-9_]+/g) ?? [];
        expect(names.length).toBeGreaterThan(0);
        for (const name of names) {
          expect({ panel: panel.title, name, exported: series.has(name) }).toEqual({
            panel: panel.title,
            name,
            exported: true,
          });
          used.add(name.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    // Every Hookflow family has a panel.
    const families = (await new HookflowMetrics().registry.getMetricsAsJSON())
      .map((metric) => metric.name)
      .filter((name) => name.startsWith('hookflow_'));
    for (const family of families) expect(used).toContain(family);
  });

  it('documents every Hookflow metric in docs/operations.md', async () => {
    const operations = readFileSync(join(DOCS, 'operations.md'), 'utf8');
    const families = (await new HookflowMetrics().registry.getMetricsAsJSON()).map(
      (metric) => metric.name,
    );
    for (const family of families.filter((name) => name.startsWith('hookflow_'))) {
      expect(operations).toContain(`\`${family}\``);
    }
  });
});
