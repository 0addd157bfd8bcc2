/**
 * Reads /metrics through the real Prometheus text parser (parse-prometheus-text-format) and finds series in it.
 *
 * That parser flattens a histogram family into ONE sample (flattenMetrics keeps the buckets and drops every
 * label but `le`), which loses the per-route series of a labelled histogram. So the text is parsed twice:
 * as it is (types, and the strict syntax check), and with the histograms' TYPE lines made `untyped`, where
 * each `_bucket`, `_sum` and `_count` line comes back as a labelled sample of an untyped family of that name.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

/** One sample of a family: its labels and value. */
export type Sample = Family['metrics'][number];

/** One labelled series of a histogram. */
export interface HistogramSeries {
  count: number;
  sum: number;
  /** Cumulative count by upper bound (`le`), in the order written. */
  buckets: Record<string, number>;
}

/** Families by name; a name that comes back several times (a histogram's `_bucket` lines between its series' `_sum` and `_count`) is merged. */
function byName(families: Family[]): Map<string, Family> {
  const named = new Map<string, Family>();
  for (const family of families) {
    const known = named.get(family.name);
    if (known) known.metrics.push(...family.metrics);
    else named.set(family.name, family);
  }
  return named;
}
const matches = (sample: Sample, labels: Record<string, string>) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value);

/** The parsed scrape, by family name. */
export class Scrape {
  private readonly families: Map<string, Family>;
  private readonly flat: Map<string, Family>;

  constructor(readonly text: string) {
    this.families = byName(parsePrometheusTextFormat(text));
    this.flat = byName(parsePrometheusTextFormat(text.replace(/^(# TYPE \S+) histogram$/gm, '$1 untyped')));
  }

  /** The family's type (COUNTER, GAUGE, HISTOGRAM…), or undefined when it is not in the scrape. */
  typeOf(name: string): string | undefined {
    return this.families.get(name)?.type;
  }

  /** Every sample of a counter or gauge family (none when it is missing). */
  samples(name: string): Sample[] {
    return this.flat.get(name)?.metrics ?? [];
  }

  /** A counter's or gauge's value for the sample whose labels include `labels`; undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const found = this.samples(name).find((sample) => matches(sample, labels));
    return found === undefined ? undefined : Number(found.value);
  }

  /** The label sets of a histogram's series. */
  histogramLabels(name: string): Record<string, string>[] {
    return this.samples(`${name}_count`).map((sample) => sample.labels ?? {});
  }

  /** The histogram series whose labels include `labels` (the first such); undefined when there is none. */
  histogram(name: string, labels: Record<string, string> = {}): HistogramSeries | undefined {
    const count = this.samples(`${name}_count`).find((sample) => matches(sample, labels));
    if (!count) return undefined;
    const own = count.labels ?? {};
    const sum = this.samples(`${name}_sum`).find((sample) => matches(sample, own));
    const buckets: Record<string, number> = {};
    for (const bucket of this.samples(`${name}_bucket`)) {
      const { le, ...rest } = bucket.labels ?? {};
      if (Object.keys(rest).length === Object.keys(own).length && matches({ labels: rest }, own)) buckets[le] = Number(bucket.value);
    }
    return { count: Number(count.value), sum: Number(sum?.value), buckets };
  }
}
