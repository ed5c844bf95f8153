/**
 * CloudWatch embedded metric format: what Lambda's log pipeline extracts from a function's log
 * lines. A line is EMF when it is (or ends in, after the runtime's `time\trequest\tLEVEL\t` prefix)
 * a JSON object whose `_aws` has `Timestamp` (epoch ms) and `CloudWatchMetrics`, a list of
 * directives `{Namespace, Dimensions: [[key, ...], ...], Metrics: [{Name, Unit?, StorageResolution?}]}`.
 * Each metric's value is the member of that name (a number or a list of up to 100 numbers), each
 * dimension's value the member of that name; one series per dimension set. Lines that claim to
 * be EMF and break its rules are dropped, as CloudWatch drops them (counted in `rejected`).
 */
import type { Dimension, MetricStore } from './store';

export interface EmfStats {
  lines: number;
  datapoints: number;
  rejected: number;
}

interface Directive {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

/** Takes the metrics of one log line; returns how many datapoints it yielded (0 for a line that is not EMF). */
export function extractEmf(line: string, store: MetricStore, stats?: EmfStats): number {
  if (!line.includes('"_aws"')) return 0;
  const brace = line.indexOf('{');
  if (brace < 0) return 0;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line.slice(brace)) as Record<string, unknown>;
  } catch {
    return 0;
  }
  const aws = doc._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws || typeof aws !== 'object' || !Array.isArray(aws.CloudWatchMetrics)) return 0;
  if (stats) stats.lines++;
  const t = typeof aws.Timestamp === 'number' ? aws.Timestamp : store.now();
  let n = 0;
  for (const d of aws.CloudWatchMetrics as Directive[]) {
    if (typeof d?.Namespace !== 'string' || !Array.isArray(d.Metrics) || (d.Dimensions !== undefined && !Array.isArray(d.Dimensions))) {
      if (stats) stats.rejected++;
      continue;
    }
    const sets = (d.Dimensions as unknown[] | undefined)?.length ? (d.Dimensions as unknown[]) : [[]];
    for (const set of sets) {
      if (!Array.isArray(set) || set.length > 30) {
        if (stats) stats.rejected++;
        continue;
      }
      const dims: Dimension[] = [];
      let ok = true;
      for (const key of set) {
        const v = doc[key as string];
        if (typeof key !== 'string' || (typeof v !== 'string' && typeof v !== 'number')) ok = false;
        else dims.push({ Name: key, Value: String(v) });
      }
      if (!ok) {
        if (stats) stats.rejected++;
        continue;
      }
      for (const m of d.Metrics as Array<{ Name?: unknown; Unit?: unknown; StorageResolution?: unknown }>) {
        if (typeof m?.Name !== 'string') continue;
        const raw = doc[m.Name];
        const values = Array.isArray(raw) ? raw : [raw];
        const samples = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).map((v) => ({ t, v }));
        if (!samples.length) {
          if (stats) stats.rejected++;
          continue;
        }
        store.add(d.Namespace, m.Name, dims, samples, typeof m.Unit === 'string' ? m.Unit : undefined, m.StorageResolution === 1);
        n += samples.length;
      }
    }
  }
  if (stats) stats.datapoints += n;
  return n;
}
