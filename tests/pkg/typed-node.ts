// Typed calls against the shipped declarations, as a Node user of the package writes them.
// tests/pkg/pack.test.mjs compiles this with tsc against the installed tarball — strict, with
// neither the DOM library nor @types/node — then runs the output on the fixtures.

import {
  analyze,
  createSession,
  isShoplensError,
  sqlOffers,
  toSql,
  version,
  type AnalyzeOptions,
  type ErrorCode,
  type LoadReport,
  type Platform,
  type Progress,
  type Report,
  type Segment,
  type ShoplensFile,
  type SqlRequest,
} from 'shoplens';

/** What the test checks, all from the engine. */
export interface Figures {
  version: string;
  /** GMV in cents, from `analyze`. */
  gmv: number;
  paidOrders: number;
  /** The same GMV from a session fed in 1 KiB chunks. */
  sessionGmv: number;
  platforms: (Platform | null)[];
  /** Segments with at least one customer. */
  segments: Segment[];
  /** The last progress report. */
  lastProgress: Progress | null;
  /** The code of the error a misspelt option raises. */
  typoCode: ErrorCode | null;
  /** The Spark KPI script of the first chunked file, from a kept session. */
  sparkKpi: string;
  /** The sections a script is offered for over the report's files, from the report and its options. */
  offeredSections: string[];
}

const options: AnalyzeOptions = {
  cohort: { grain: 'week' },
  funnel: { steps: ['view', ['add_to_cart', 'Product Added'], 'purchase'], mode: 'sequential', window_seconds: null },
  rfm: { reference_day: null },
  actions: { lead_time_days: 10, min_paid_orders: 5 },
  filter: { platforms: [], from: null },
  ingest: { epoch_offset_minutes: 480, files: { 'notes.csv': { kind: 'orders', columns: { 备注: null } } } },
};

// @ts-expect-error a misspelt option is a compile error, as it is a run-time error
const misspelt: AnalyzeOptions = { cohort: { grian: 'week' } };

// @ts-expect-error a funnel step is a canonical step or a list of the log's event names
const misnamedStep: AnalyzeOptions = { funnel: { steps: ['views', 'cart'] } };
void misnamedStep;

// The promotion windows: a rule or a window of its own.
const promotionOptions: AnalyzeOptions[] = [
  { promotion: { campaign: { from: '2025-06-16', to: '2025-06-18' }, baseline: 'year_before' } },
  { promotion: { baseline: { from: '2025-05-01', to: '2025-05-03' } } },
];
void promotionOptions;
// @ts-expect-error the baseline is `before`, `year_before` or a window
const badBaseline: AnalyzeOptions = { promotion: { baseline: 'last_year' } };
void badBaseline;

function usedRows(load: LoadReport): number {
  return load.rows_used;
}

export async function figures(files: ShoplensFile[], chunked: { name: string; bytes: Uint8Array }[]): Promise<Figures> {
  let lastProgress: Progress | null = null;
  const report: Report = await analyze(files, options, {
    onProgress: (progress) => {
      lastProgress = progress;
    },
  });
  // A section is narrowed by its status before its data can be read.
  // @ts-expect-error `data` exists only on a ready section
  void report.kpi.data;
  const kpi = report.kpi.status === 'ready' ? report.kpi.data.total : null;
  // The action list is always there; an action's list is narrowed by its kind.
  const winBackIds: string[] = report.actions.actions.flatMap((a) =>
    a.list.kind === 'customers' ? a.list.rows.map((c) => c.customer) : [],
  );
  void winBackIds;
  const segments =
    report.rfm.status === 'ready' ? report.rfm.data.segments.filter((s) => s.customers > 0).map((s) => s.segment) : [];
  // The promotion readout: the top movers and each factor's share of the GMV change.
  const promotionShares =
    report.promotion.status === 'ready'
      ? (report.promotion.data.decomposition.orders?.factors ?? []).map((f) => [f.factor, f.share] as const)
      : [];
  const topGainer: string | undefined =
    report.promotion.status === 'ready' ? report.promotion.data.products.top_gainers[0]?.key : undefined;
  void promotionShares;
  void topGainer;

  const session = await createSession(options);
  for (const { name, bytes } of chunked) {
    for (let start = 0; start < bytes.length; start += 1024) session.push(name, bytes.subarray(start, start + 1024));
    session.endFile(name);
  }
  const streamed = session.finish({ keep: true });
  const request: SqlRequest = { dialect: 'spark', section: 'kpi', file: chunked[0]?.name };
  const sparkKpi = await toSql(session, request);
  session.free();
  // @ts-expect-error the dialects are duckdb and spark
  const badDialect: SqlRequest = { dialect: 'postgres', section: 'kpi' };
  void badDialect;
  const offers = await sqlOffers(report, { options });
  const offeredSections = offers.filter((o) => o.error === null).map((o) => `${o.section}:${o.file}`);

  let typoCode: ErrorCode | null = null;
  try {
    await analyze([], misspelt);
  } catch (error) {
    if (isShoplensError(error)) typoCode = error.code;
  }

  report.loads.forEach(usedRows);
  return {
    version: await version(),
    gmv: kpi?.gmv ?? -1,
    paidOrders: kpi?.paid_orders ?? -1,
    sessionGmv: streamed.kpi.status === 'ready' ? streamed.kpi.data.total.gmv : -1,
    platforms: report.loads.map((load) => load.platform),
    segments,
    lastProgress,
    typoCode,
    sparkKpi,
    offeredSections,
  };
}
