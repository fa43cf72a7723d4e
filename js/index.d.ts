// Type definitions for shoplens, written by hand from the Rust types they describe (the engine's
// serde model: crate/core/src/report.rs and what it reaches). tests/js/types.test.mjs walks real
// reports against these declarations, key by key, so a field added or renamed in Rust fails it.
//
// Conventions of the whole report model:
// - money is an integer number of **cents** (fen) of `Report.currency`: `209840` is ¥2,098.40;
// - ratios are fractions (`0.25` is 25 %), and `null` where undefined (a denominator of 0, or
//   data that is missing) — never 0 or NaN;
// - days are `YYYY-MM-DD`, ISO weeks `YYYY-Www`, months `YYYY-MM`, wall-clock dates in the
//   report's zone (see `IngestOptions.time_zone`);
// - line numbers are physical lines of the file and start at 1;
// - every field is always present: an absent value is `null`, not a missing key.

// ── environment-neutral aliases ─────────────────────────────────────────────────────────────
// The declarations compile with or without the DOM library: a Node project may have neither
// `Element` nor `Blob` declared. Each alias is the type of the global of that name where the
// environment declares it, and `never` (drops out of a union) where it does not.

/** The instance type of global constructor `Name`, or `never` when it is not declared. */
type GlobalInstance<Name extends string> = typeof globalThis extends Record<Name, { prototype: infer T }>
  ? T
  : never;

/** The global `Blob` (a `File` is one). */
export type BlobLike = GlobalInstance<'Blob'>;
/** The global `ReadableStream` (of `Uint8Array` chunks, as `Blob.stream()` and `fetch` give). */
export type ByteStream = GlobalInstance<'ReadableStream'>;
/** A DOM `Element`. */
export type ElementLike = GlobalInstance<'Element'>;
/** The global `AbortSignal`. */
export type AbortSignalLike = GlobalInstance<'AbortSignal'>;
/** The global `Response` (of `fetch`). */
export type ResponseLike = GlobalInstance<'Response'>;
/** The global `URL`. */
export type URLLike = GlobalInstance<'URL'>;
/** A compiled `WebAssembly.Module`. */
export type WasmModuleLike = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } }
  ? M
  : never;

// ── loading ─────────────────────────────────────────────────────────────────────────────────

/**
 * Where the engine's `.wasm` comes from: a URL (or, in Node, a path or `file:` URL, read with
 * `fs`), a `Response`, the module's bytes, a compiled `WebAssembly.Module`, or a promise of one.
 * The module is also exported as `shoplens/wasm` for bundlers and servers that copy it.
 */
export type WasmSource = WasmSourceValue | PromiseLike<WasmSourceValue>;

/** A `WasmSource` that is not a promise. */
export type WasmSourceValue = string | URLLike | ResponseLike | ArrayBuffer | ArrayBufferView | WasmModuleLike;

/**
 * Loads and instantiates the engine once; later calls return the same promise and ignore their
 * argument. Every other function calls it, so call it yourself only to choose where the `.wasm`
 * comes from or to load it early. Default: `pkg/shoplens_bg.wasm` of this package, fetched in a
 * browser or worker and read from disk in Node. Nothing else is fetched, ever.
 *
 * @throws {ShoplensError} code `wasm_load_failed` (the next call tries again).
 */
export function init(input?: WasmSource): Promise<void>;

/** The engine's version (semver), equal to this package's version. */
export function version(): Promise<string>;

// ── inputs ──────────────────────────────────────────────────────────────────────────────────

/**
 * One export to analyse. `name` identifies the file in load reports, errors and
 * `IngestOptions.files` (two files may not share a name).
 *
 * `data` is streamed, never read whole: a `Blob`/`File` through `blob.stream()`, a
 * `ReadableStream` or async iterable (e.g. Node's `fs.createReadStream`) chunk by chunk, and a
 * buffer in 1 MiB slices. The encoding (UTF-8 with or without BOM, UTF-16, GBK/GB18030) and the
 * delimiter are detected.
 */
export interface ShoplensFile {
  /** File name, e.g. `ExportOrderList202403.csv`. */
  name: string;
  /** The file's bytes. */
  data: Uint8Array | ArrayBuffer | ArrayBufferView | BlobLike | ByteStream | AsyncIterable<Uint8Array>;
}

/** Progress of one file, reported after every chunk and when the file ends. */
export interface Progress {
  /** The file's name. */
  file: string;
  /** Bytes pushed so far. */
  bytes: number;
  /** The file's size when known (a Blob or a buffer); `null` for a stream. */
  totalBytes: number | null;
  /** Data rows read so far (nothing is counted until the first 64 KiB, which are sniffed). */
  rows: number;
}

/** Progress of one file as `Session.progress()` lists it. */
export interface FileProgress {
  /** The file's name. */
  file: string;
  /** Bytes pushed so far. */
  bytes: number;
  /** Data rows read so far. */
  rows: number;
}

/** Calendar unit of a series: a day, an ISO week (Monday first) or a calendar month. */
export type Grain = 'day' | 'week' | 'month';

/** The platform an export comes from. */
export type Platform =
  | 'taobao'
  | 'jd'
  | 'pinduoduo'
  | 'douyin'
  | 'shopify'
  | 'woocommerce'
  | 'amazon'
  | 'tianchi'
  | 'rees46'
  | 'generic';

/**
 * What one export holds: `orders` (one row per order), `order_lines` (one row per line item;
 * rows sharing an order id are one order), `products` (product/SKU list: cost, stock, price),
 * `traffic` (aggregated traffic rows, 生意参谋: 访客数, 加购人数, 支付买家数 … per day or item),
 * `events` (behaviour events: user, type, time, item), `ads` (advertising rows: impressions,
 * clicks, spend, attributed sales).
 */
export type DatasetKind = 'orders' | 'order_lines' | 'products' | 'traffic' | 'events' | 'ads';

/**
 * The canonical meanings of behaviour events (DEFINITIONS §5). A log's own event names
 * (`product_view`, `Product Added`, 加购 …) are put in these; any other name (`home`, `search`) is
 * kept and listed, and usable in custom funnel steps.
 */
export type EventType = 'view' | 'fav' | 'cart' | 'remove_from_cart' | 'checkout' | 'purchase';

/**
 * The role a column plays. Orders: `order_id`, `line_id` (sub-order id: rows with one are line
 * items with line-level amounts), `customer_id`, `created_time`, `paid_time`, `status`,
 * `paid_amount` (amount the buyer paid for the order, counted once per order), `refund_amount`,
 * `shop`, `currency` (ISO currency of the amounts). Lines and products: `product_id`, `sku`, `title`, `category`, `brand`, `quantity`,
 * `unit_price`, `line_amount`, `packed_items` (WooCommerce's `2× A, 1× B` cell), `cost`, `stock`.
 * Events: `user_id`, `event_type`, `event_time`, `price`. Traffic and ads (per row of an
 * aggregate export): `date`, `visitors`, `page_views`, `fav_users`, `cart_users`, `buyers`,
 * `units`, `sales_amount`, `campaign`, `impressions`, `clicks`, `spend`, `ad_sales`, `ad_orders`.
 */
export type Field =
  | 'order_id'
  | 'line_id'
  | 'customer_id'
  | 'created_time'
  | 'paid_time'
  | 'status'
  | 'paid_amount'
  | 'refund_amount'
  | 'line_refund'
  | 'shop'
  | 'channel'
  | 'region'
  | 'address'
  | 'country'
  | 'landing_site'
  | 'currency'
  | 'product_id'
  | 'sku'
  | 'title'
  | 'category'
  | 'brand'
  | 'quantity'
  | 'unit_price'
  | 'line_amount'
  | 'packed_items'
  | 'cost'
  | 'stock'
  | 'user_id'
  | 'anonymous_id'
  | 'event_type'
  | 'event_time'
  | 'price'
  | 'variant'
  | 'experiment'
  | 'date'
  | 'visitors'
  | 'page_views'
  | 'fav_users'
  | 'cart_users'
  | 'buyers'
  | 'units'
  | 'sales_amount'
  | 'campaign'
  | 'impressions'
  | 'clicks'
  | 'spend'
  | 'ad_sales'
  | 'ad_orders';

// ── options ─────────────────────────────────────────────────────────────────────────────────

/**
 * Every option of an analysis. All fields are optional and take their defaults; an unknown field
 * (a typo) is rejected with an `invalid_option` error rather than ignored.
 */
export interface AnalyzeOptions {
  /** Ingest corrections: per-file kind/platform/column roles, epoch offset. */
  ingest?: IngestOptions;
  /** Date range and platform/shop/category/product filters, applied before every analysis. */
  filter?: FilterOptions;
  /** KPI options. */
  kpi?: KpiOptions;
  /** Cohort options. */
  cohort?: CohortOptions;
  /** RFM options. */
  rfm?: RfmOptions;
  /** Funnel options. */
  funnel?: FunnelOptions;
  /** Product-analysis options. */
  products?: ProductOptions;
  /** Alert thresholds. */
  alerts?: AlertOptions;
  /** Stock and replenishment settings (DEFINITIONS §8). */
  stock?: StockOptions;
  /** A/B readout: how the two groups are chosen, and the goal (DEFINITIONS §9). */
  ab?: AbOptions;
  /** Thresholds of the action list (DEFINITIONS §11). */
  actions?: ActionOptions;
  /** Promotion readout windows (活动复盘). */
  promotion?: PromotionOptions;
  /**
   * When the orders are in several currencies: the currency of the report's money figures (one of
   * theirs; default `null`: the one with the most paid orders), or the target of a conversion with
   * `rates`. Without rates, a currency the orders are not in is an `invalid_option` error.
   */
  currency?: string | null;
  /**
   * Exchange rates by pair `"FROM/TO"` (how many TO one FROM is): one for all the data,
   * `{ "USD/CNY": 7.1 }`, or one per month of the order time, `{ "USD/CNY": { "2025-01": 7.2 } }`.
   * `TO/FROM` is used inverted when `FROM/TO` is not given. With them, every order in a stated
   * currency is converted to `currency`, each order's amounts rounded to the cent (the whole unit
   * for JPY/KRW) half away from zero. A paid order in a month without a rate is an
   * `invalid_option` error, never a guess.
   */
  rates?: Record<string, number | Record<string, number>>;
  /** Which dimensions to break the KPIs down by, and how many groups the trend draws. */
  breakdowns?: BreakdownOptions;
}

/** Options for reading the files. */
export interface IngestOptions {
  /** Per-file corrections, keyed by file name (`ShoplensFile.name`). */
  files?: Record<string, FileOptions>;
  /**
   * Offset added to Unix epochs (Tianchi, REES46 …), in minutes, to read them as wall-clock time.
   * Default (`null`): +480 (UTC+08:00) for Chinese platforms, else 0.
   */
  epoch_offset_minutes?: number | null;
  /**
   * The report's time zone, as a UTC offset: `"+08:00"`, `"-0500"`, `"+8"`, `"UTC"` or `"Z"`. When
   * set, timestamps written with an offset and Unix epochs are converted to it; unset (`null`),
   * every timestamp is taken at the wall clock it shows. Another text is an `invalid_option` error.
   */
  time_zone?: string | null;
  /**
   * The memory the engine may plan for, in bytes (default 4 GiB, a WebAssembly instance's most).
   * With each file's `size_bytes` known, a file whose estimated need would pass it is refused with
   * `too_large` as soon as its header is read, before any row: the page tells the user up front
   * rather than failing midway.
   */
  memory_limit_bytes?: number | null;
}

/** Corrections to one file's recognition. */
export interface FileOptions {
  /** Replace the detected kind. */
  kind?: DatasetKind | null;
  /** Replace the detected platform. */
  platform?: Platform | null;
  /**
   * Column roles by header as written in the file: a role, or `null` to ignore the column.
   * Naming a header the file does not have is reported as a note (`override_column_missing`)
   * in the file's load report.
   */
  columns?: Record<string, Field | null>;
  /**
   * The file's size in bytes, when known: the engine then allocates its tables once for the whole
   * file (less memory on large files). `analyze` fills it in from each file's size.
   */
  size_bytes?: number | null;
  /**
   * Read this input as a later part of a file that another session reads the start of (parallel
   * reading): the value that session's {@link Session.continuation} returned.
   */
  continuation?: Continuation | null;
  /**
   * Whether the paid amount (and refund) column is per line (summed over an order's rows) or per
   * order (counted once), replacing what the data suggested (`LoadReport.decisions`).
   */
  amount_grain?: AmountGrain | null;
  /** What status values mean, by the value as written: `{ "Awaiting Fulfillment": "paid" }`. */
  statuses?: Record<string, StatusMeaning>;
  /** ISO code of the file's amounts (`"USD"`, `"CNY"` …), replacing what the file suggests. */
  currency?: string | null;
  /**
   * How `"` is read: CSV quoting (`standard`, the default) or as an ordinary character
   * (`literal`): the way out of a `stray_quote` error.
   */
  quotes?: QuoteMode;
}

/** How a file's double quotes are read (`FileOptions.quotes`). */
export type QuoteMode = 'standard' | 'literal';

/** How an amount column adds up into orders (DEFINITIONS §1). */
export type AmountGrain = 'line' | 'order';

/** What the user says a status value means. */
export type StatusMeaning = 'paid' | 'unpaid' | 'cancelled' | 'refunded' | 'test';

/** Choices made from the rows sampled under the header. */
export interface Decisions {
  /** Grain of the paid amount column, when orders of several rows (or a sub-order id) show it. */
  amount_grain: AmountGrain | null;
  /** Grain of the refund column, likewise. */
  refund_grain: AmountGrain | null;
  /** Rows the decision read. */
  sample_rows: number;
  /** Orders of several rows in the sample. */
  multi_row_orders: number;
  /** Of those, the orders whose paid amount differs between their rows. */
  differing_orders: number;
  /**
   * The header of the buyer column when its values are names, not ids: the export has no better
   * buyer id, and buyers who share a name count as one (note `buyers_by_name`).
   */
  buyers_by_name: string | null;
}

/** One status value of a file and what it was read as. */
export interface StatusValue {
  value: string;
  rows: number;
  meaning: StatusMeaning | 'closed' | 'unknown';
}

/**
 * How a file's start was read, so that a later part of it (cut just after a `\n`) is read the same
 * way in another session: see {@link Session.continuation}.
 */
export interface Continuation {
  encoding: 'utf-8' | 'utf-8-bom' | 'gb18030';
  delimiter: 'comma' | 'tab' | 'semicolon' | 'pipe';
  kind: DatasetKind;
  platform: Platform;
  columns: Column[];
  headerless: boolean;
  decisions?: Decisions;
}

/**
 * What to keep (DEFINITIONS: filters apply before every analysis). Every condition set must hold;
 * an empty list does not filter.
 */
export interface FilterOptions {
  /** First day kept, `YYYY-MM-DD`, inclusive; `null` = from the start of the data. */
  from?: string | null;
  /** Last day kept, `YYYY-MM-DD`, inclusive; `null` = to the end of the data. */
  to?: string | null;
  /** Platforms of the files whose orders are kept; empty = all. */
  platforms?: Platform[];
  /** Shop names (店铺名称) whose orders are kept; empty = all. */
  shops?: string[];
  /** Category names whose lines (and events, traffic rows) are kept; empty = all. */
  categories?: string[];
  /** Product keys (SKU / 商家编码 / product id, else title) whose lines are kept; empty = all. */
  products?: string[];
}

/** KPI options. */
export interface KpiOptions {
  /** Calendar unit of the KPI cards (`KpiReport.compare`): the last such period against the one before. Default `month`. */
  grain_for_compare?: Grain;
}

/** Cohort options. */
export interface CohortOptions {
  /** Cohort period: `month` (default) or `week` (ISO, Monday first); `day` works too, for short ranges. */
  grain?: Grain;
}

/** RFM options. */
export interface RfmOptions {
  /** Day recency is counted to, `YYYY-MM-DD`; default (`null`): the day after the last paid order. */
  reference_day?: string | null;
}

/** How funnel steps are counted: in order within the window, or distinct users per event type (the 生意参谋 way). */
export type FunnelMode = 'sequential' | 'distinct';

/** What funnel breakdown rows group by. */
export type Breakdown = 'none' | 'category' | 'brand' | 'item';

/**
 * One funnel step as asked for: a canonical meaning (every event name that means it, e.g. `'view'`)
 * or a list of the log's own event names (`['product_view', 'view_item']`), matched regardless of
 * case, spaces, `_` and `-`.
 */
export type StepSpec = EventType | string[];

/** Funnel options. */
export interface FunnelOptions {
  /**
   * The steps, in order: 2–8, no event name in two steps; default `['view', 'cart', 'purchase']`.
   * Invalid steps make the funnel section unavailable with the code `too_few_steps`,
   * `too_many_steps`, `repeated_step`, `empty_step` or `event_name_in_two_steps`.
   */
  steps?: StepSpec[];
  /** Sequential (default) or distinct counting. */
  mode?: FunnelMode;
  /**
   * Conversion window W in seconds (sequential mode): the last step of a chain may come at most W
   * seconds after its first. Default (omitted) 7 days; `null` means unbounded.
   */
  window_seconds?: number | null;
  /** What the breakdown rows group by; default `category`. */
  breakdown?: Breakdown;
  /** Breakdown groups shown individually (ranked by step-1 count); the rest form one `other` row. Default 10. */
  top_n?: number;
  /** Granularity of the trend; default `day`. */
  trend_grain?: Grain;
  /** Per-item funnels kept (ranked by step-1 count); default 50. */
  item_limit?: number;
}

/** Product-analysis options. */
export interface ProductOptions {
  /**
   * Length of the growth windows, days (default 30): the last `growth_window_days` days ending on
   * the last paid order date, against the same number of days before. Values below 1 count as 1.
   */
  growth_window_days?: number;
}

/** Alert thresholds. */
export interface AlertOptions {
  /** Trailing days a day is compared with (default 28). */
  window_days?: number;
  /** Band half-width in scaled MADs (default 3.0). */
  mad_k?: number;
  /** Days with a value needed in the window before a day is tested (default 14). */
  min_history_days?: number;
  /** Alert when a product's stock covers fewer days of sales than this (default 7). */
  stock_cover_days?: number;
  /** Alert when a product's refund rate exceeds this multiple of the shop's (default 2.0). */
  refund_rate_factor?: number;
  /** Paid orders a product (or a day, for the daily refund rate) needs before its refund rate is judged (default 5). */
  min_orders_for_refund_alert?: number;
  /** Only days among the last this many days of the data raise daily alerts (default 90). */
  recent_days?: number;
}

/** Callbacks and cancellation of `analyze`. */
export interface AnalyzeControl {
  /** Called after every chunk and at the end of each file. */
  onProgress?: (progress: Progress) => void;
  /** Aborting rejects the analysis with a `ShoplensError` of code `aborted` and stops reading. */
  signal?: AbortSignalLike;
}

// ── errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * Stable error codes. From the engine, about a file: `empty_file`, `binary_input` (not a text
 * export), `unsupported_container` (an Excel workbook or ZIP: save it as CSV), `unreadable_container`
 * (a workbook or ZIP that could not be opened: damaged or encrypted), `unrecognised_header`
 * (no known export matches the header), `unclosed_quote` (a quoted field never closes: the file is
 * cut off), `stray_quote` (a value starts with a quote that never closes and swallows the rows after
 * it: read the file again with `FileOptions.quotes: 'literal'`), `no_data_rows`, `unknown_column` (a column override names a header the file lacks),
 * `file_finished` (pushing after `endFile`), `too_large` (the files would need more memory than a
 * page has: refused before their rows are read), `bad_part` (bytes given to `appendPart` that are
 * not a part of the file). About options: `invalid_option`. About a session:
 * `session_finished`, `session_not_finished` (`reanalyze` before `finish`). From this wrapper: `wasm_load_failed`, `invalid_input` (a malformed file
 * list or chunk), `read_failed` (the caller's stream failed), `aborted`, `internal_panic` (a bug in
 * the engine; it restarts), `session_lost` (a session that lived in the engine before it restarted),
 * `not_available` (this build lacks the function). From the views: `invalid_report` (not a
 * shoplens report), `no_document` (the element is not in a document), `unknown_table`,
 * `unknown_chart`. `internal_error`: a value that could not cross into JS.
 */
export type ErrorCode =
  | 'empty_file'
  | 'binary_input'
  | 'unsupported_container'
  | 'unreadable_container'
  | 'unrecognised_header'
  | 'unclosed_quote'
  | 'stray_quote'
  | 'no_data_rows'
  | 'invalid_option'
  | 'unknown_column'
  | 'file_finished'
  | 'too_large'
  | 'bad_part'
  | 'session_finished'
  | 'session_not_finished'
  | 'internal_error'
  | 'wasm_load_failed'
  | 'invalid_input'
  | 'read_failed'
  | 'aborted'
  | 'internal_panic'
  | 'session_lost'
  | 'not_available'
  | 'invalid_report'
  | 'no_document'
  | 'unknown_table'
  | 'unknown_chart'
  | SqlErrorCode;

/**
 * Why no SQL script was written ({@link toSql}): `file_not_loaded` (the file was not read, or no
 * file has that name), `wrong_kind` (the section does not read this kind of export), `detail_lines`
 * (line items without order times: the order export loaded with them has the orders),
 * `no_customer_ids` (cohorts, RFM and buyer figures need a customer column), `invalid_funnel` (the
 * funnel options are invalid), `invalid_reference_day` (the RFM reference day is not YYYY-MM-DD),
 * `invalid_window` (a promotion campaign or baseline window is not YYYY-MM-DD … YYYY-MM-DD), `filter_not_supported` (the scripts read the
 * whole export: analyse without filters), `time_zone_not_supported` (the scripts read timestamps at
 * their wall clock), `no_file` (no loaded file is of a kind the section reads), `several_files`
 * (name one with `file`), `session_not_finished`; for the A/B readout `no_ab_groups` (no groups chosen
 * and no experiment group column), `no_ab_variants` (groups by experiment in a log without one),
 * `invalid_ab_period` (a period not YYYY-MM-DD, or ending before it starts).
 * (name one with `file`), `no_stock` (the stock script needs a SKU/stock list loaded beside the
 * orders), `session_not_finished`.
 */
export type SqlErrorCode =
  | 'file_not_loaded'
  | 'wrong_kind'
  | 'detail_lines'
  | 'no_customer_ids'
  | 'filter_not_supported'
  | 'time_zone_not_supported'
  | 'no_file'
  | 'several_files'
  | 'invalid_funnel'
  | 'invalid_reference_day'
  | 'no_ab_groups'
  | 'no_ab_variants'
  | 'invalid_ab_period'
  | 'invalid_window'
  | 'no_stock'
  | 'session_not_finished';

/** Every error shoplens throws: a real `Error` with a stable `code` and where it happened. */
export interface ShoplensError extends Error {
  name: 'ShoplensError';
  /** Stable snake_case code; match on it (the message is English prose and may change). */
  code: ErrorCode;
  /** The file concerned, or `null`. */
  file: string | null;
  /** Physical line of the file, from 1, or `null`. */
  line: number | null;
  /** Column header as written in the file, or `null`. */
  column: string | null;
}

/** True for an error thrown by shoplens (by the engine or by this wrapper). */
export function isShoplensError(value: unknown): value is ShoplensError;

// ── analysis ────────────────────────────────────────────────────────────────────────────────

/**
 * Analyses `files` and returns the whole report. A file the engine cannot read does not fail the
 * call: its error is in its load report (`report.loads[i].error`) and the other files go on.
 *
 * @throws {ShoplensError} `invalid_option`, `invalid_input`, `aborted`, `read_failed`,
 *   `internal_panic`, `wasm_load_failed`.
 */
export function analyze(files: ShoplensFile[], options?: AnalyzeOptions, control?: AnalyzeControl): Promise<Report>;

/**
 * A streaming session over any number of files, for callers that receive chunks themselves
 * (a `ReadableStream` of a multi-GB export, a socket …). Memory holds one chunk and one record per
 * file, plus the tables. Chunks may split characters, quoted fields and lines anywhere.
 *
 * ```js
 * const session = await createSession(options, { onProgress });
 * for await (const chunk of stream) session.push('orders.csv', chunk);
 * session.endFile('orders.csv');
 * const report = session.finish();
 * ```
 *
 * @throws {ShoplensError} `invalid_option`, `wasm_load_failed`.
 */
export function createSession(
  options?: AnalyzeOptions,
  hooks?: { onProgress?: (progress: Progress) => void },
): Promise<Session>;

/** A streaming analysis. Every method throws `session_finished` after `finish()`. */
export interface Session {
  /**
   * Feeds the next chunk of file `name` (any size, including 0). Files may interleave.
   * @throws {ShoplensError} when the file cannot be read (`binary_input`, `unrecognised_header` …):
   *   that file fails alone, its error is also in its load report, and further chunks of it are
   *   ignored.
   */
  push(name: string, chunk: Uint8Array | ArrayBuffer | ArrayBufferView): void;
  /**
   * Marks file `name` complete and checks it is whole.
   * @throws {ShoplensError} e.g. `unclosed_quote`, `empty_file`, `no_data_rows`.
   */
  endFile(name: string): void;
  /** Bytes and rows of every file so far. */
  progress(): FileProgress[];
  /**
   * Streams a whole file into the session (as `analyze` does) and ends it.
   * @throws {ShoplensError} the file's own error, `aborted` or `read_failed`.
   */
  addFile(file: ShoplensFile, control?: { signal?: AbortSignalLike }): Promise<void>;
  /**
   * Ends every file, computes the report and frees the session — unless `keep` is true: then the
   * loaded tables stay for {@link Session.reanalyze} until {@link Session.free}.
   */
  finish(control?: { keep?: boolean }): Report;
  /**
   * After `finish({ keep: true })`: the report for other filters and analysis options over the
   * same tables, without reading the files again. `options.ingest` is not applied (column roles,
   * kinds and the time zone shape the tables): use a new session for those.
   * @throws {ShoplensError} `session_not_finished` before `finish`, `invalid_option`.
   */
  reanalyze(options?: AnalyzeOptions): Report;
  /**
   * Parallel reading of one big file (what the page does with Web Workers, www/parallel.js): once
   * this session has read the file's first 64 KiB, how a later part of it is read in another
   * session, or `undefined` when the file cannot be split (not mapped yet, UTF-16, a workbook, a
   * detail export waiting for another file's orders). Cut the rest just after `\n` bytes; read each
   * part in a session created with `ingest.files[name].continuation`, and `finishPart(name)` it.
   */
  continuation(name: string): Continuation | undefined;
  /**
   * In a session reading a later part with a continuation: ends it and returns what it read, for
   * {@link Session.appendPart}. The session is finished afterwards.
   * @throws {ShoplensError} `unclosed_quote` when the part ends inside a quoted field: the cut was
   * not a record start, so read the file in one pass.
   */
  finishPart(name: string): Uint8Array;
  /**
   * After `endFile(name)` of the file's start: appends the next part (from `finishPart`), in file
   * order. The tables and load report then equal one pass over the whole file.
   * @throws {ShoplensError} `bad_part` for bytes that are not a part of this file.
   */
  appendPart(name: string, part: Uint8Array): void;
  /**
   * After `finish({ keep: true })`: the SQL script `request` asks for, over this session's files
   * and options (those of the last `reanalyze`). Same as {@link toSql}.
   */
  toSql(request: SqlRequest): string;
  /** After `finish({ keep: true })`: every script this session's files could give. See {@link sqlOffers}. */
  sqlOffers(): SqlOffer[];
  /** Frees the session without a report (a finished session is already freed). */
  free(): void;
}

// ── rendering ───────────────────────────────────────────────────────────────────────────────

/** The views of the page, in page order. */
export type ViewName =
  | 'overview'
  | 'funnel'
  | 'cohorts'
  | 'customers'
  | 'products'
  | 'promotion'
  | 'stock'
  | 'ab'
  | 'loads';

/** Display language. */
export type Lang = 'zh-CN' | 'en';

/** What the cohort heatmap shows: retention %, active customers, or their revenue. */
export type CohortMetric = 'retention' | 'customers' | 'revenue';

/** How views are rendered. All fields optional; unknown fields are an `invalid_option` error. */
export interface ViewOptions {
  /** Display language; default `zh-CN`. */
  lang?: Lang;
  /** ISO currency code to format amounts in (`CNY`, `USD` …); default (`null`): the report's `currency`. */
  currency?: string | null;
  /** Period of the overview trend; default (`null`): days up to 62 days of data, else weeks up to 52 weeks, else months. */
  grain?: Grain | null;
  /** Split the overview trend into one line per group of this dimension and show its breakdown panel; default none. */
  split_by?: Dimension | null;
  /** What the cohort heatmap shows; default `retention`. */
  cohort_metric?: CohortMetric;
  /** The RFM segment whose customers are listed. */
  segment?: Segment | null;
  /** Sort of the product ranking; default revenue, largest first. */
  sort?: { column: string; descending: boolean } | null;
  /** Products whose key, title or category contains this text (case-insensitive). */
  product_filter?: string | null;
  /** The product (key) whose demand and forecast the stock view draws; default (`null`): the first listed. */
  stock_product?: string | null;
  /** Rows shown per long table; default 200. */
  max_rows?: number;
  /** Export buttons and view controls; default true. */
  interactive?: boolean;
  /**
   * Files whose mapping the caller remembers for their header layout: the Data view says so
   * (`applied`: a saved mapping was applied on loading; `remembered`: the corrections just made are
   * kept) and offers a `data-mapping-action="forget"` button. Default none.
   */
  saved_mappings?: Record<string, 'applied' | 'remembered'>;
}

/**
 * Draws one view of `report` into `element` (browser only), replacing its children, with the same
 * code the shoplens page uses: text is set as text, never parsed as markup. Style it with the
 * page's stylesheet or your own (stable classes, `data-testid` hooks on figures, `table-{id}` and
 * `chart-{id}` element ids). `report` may have crossed a `postMessage` (a structured clone).
 * @throws {ShoplensError} `invalid_option` (also for an unknown view), `invalid_report`,
 *   `no_document`, `not_available`.
 */
export function render(element: ElementLike, report: Report, view: ViewName, options?: ViewOptions): Promise<void>;

/** Options of `exportHtml`: the view options and the stylesheet to inline. */
export interface ExportHtmlOptions extends ViewOptions {
  /** CSS inlined in a `<style>` element (e.g. the page's own stylesheet); default none. */
  css?: string | null;
}

/**
 * The self-contained HTML report of every view: one file, no script, and a Content-Security-Policy
 * that forbids any network access.
 * @throws {ShoplensError} `invalid_option`, `invalid_report`, `not_available`.
 */
export function exportHtml(report: Report, options?: ExportHtmlOptions): Promise<string>;

/**
 * One table of the views in full (a view shows at most `max_rows`), as CSV text: UTF-8 with BOM,
 * CRLF line ends. `table`: its id (`products`, `segments`, `load-0-rejected` …), with or without
 * the `table-` prefix of its element id.
 * @throws {ShoplensError} `unknown_table`, `invalid_option`, `invalid_report`, `not_available`.
 */
export function exportCsv(report: Report, table: string, options?: ViewOptions): Promise<string>;

/**
 * One chart of a view as a standalone SVG document. `chart`: its element id (`chart-…`).
 * @throws {ShoplensError} `unknown_chart`, `invalid_option`, `invalid_report`, `not_available`.
 */
export function exportSvg(report: Report, view: ViewName, chart: string, options?: ViewOptions): Promise<string>;

// ── the report ──────────────────────────────────────────────────────────────────────────────

/** The whole report, as `analyze` and `Session.finish` return it. */
export interface Report {
  /** Engine version that computed the report. */
  version: string;
  /**
   * ISO code of every money figure's currency (amounts are cents of it), decided per file
   * (`LoadReport.currency`); `""` when no file states it (amounts are then shown without a symbol).
   * With orders in several currencies, the figures are of this one only (`per_currency`), or all
   * converted to it (`converted`): money is never added across currencies.
   */
  currency: string;
  /** How several currencies were treated. */
  currency_mode: CurrencyMode;
  /** The currencies of the loaded orders, most paid orders first, with their files and counts. */
  currencies: CurrencyGroup[];
  /** The rates used, when orders were converted (`AnalyzeOptions.rates`). */
  conversion: Conversion | null;
  /** One load report per file, in the order the files were given. */
  loads: LoadReport[];
  /** What the analyses saw, after filters. */
  data: DataSummary;
  /** KPIs (GMV, orders, buyers, AOV, refunds, conversion, ads …) over the whole range and per period. */
  kpi: Section<KpiReport>;
  /** The conversion funnel, from behaviour events or traffic aggregates. */
  funnel: Section<FunnelReport>;
  /** Cohorts and retention. */
  cohorts: Section<CohortReport>;
  /** RFM scores and segments of every customer. */
  rfm: Section<RfmReport>;
  /** Product ranking, ABC/BCG classes and scorecards. */
  products: Section<ProductReport>;
  /** Stock and replenishment per product (DEFINITIONS §8). */
  stock: Section<StockReport>;
  /** A/B readout of two chosen groups (DEFINITIONS §9); `no_ab_groups` until groups are chosen. */
  ab: Section<AbReport>;
  /** Smart alerts, latest day first, then critical first. */
  alerts: Alert[];
  /** The action list (操作清单): rules that fired ranked by money at stake, locked and quiet rules. */
  actions: ActionReport;
  /** Promotion readout (活动复盘): a campaign window against a baseline and the window after it. */
  promotion: Section<PromotionReport>;
  /** The KPIs per platform, shop, channel, region, customer type and category (DEFINITIONS §10). */
  breakdowns: Section<BreakdownReport>;
}

/**
 * A report section: computed (`ready`), or `unavailable` with the reason and the export that
 * would unlock it — never a page of zeros.
 */
export type Section<T> = { status: 'ready'; data: T } | { status: 'unavailable'; reason: Unavailable };

/**
 * Stable codes of an unavailable section: `no_orders`, `no_paid_orders`, `no_customer_ids`,
 * `no_order_lines`, `no_events`, `invalid_reference_day`; stock: `no_stock` (no SKU list with
 * stock); A/B: `no_ab_groups`, `invalid_ab_period`, `no_ab_data`, `unknown_goal`; for the action list
 * also `funnel_history_short` (under 7 days of daily funnel data in the 28 before the last day) and
 * `funnel_trend_not_daily`; for the promotion readout `no_peak`, `invalid_window`, and
 * `no_traffic_coverage` (its traffic decomposition).
 */
export type UnavailableCode =
  | 'no_orders'
  | 'no_paid_orders'
  | 'no_customer_ids'
  | 'no_order_lines'
  | 'no_events'
  | 'invalid_reference_day'
  | 'no_stock'
  | 'no_ab_groups'
  | 'invalid_ab_period'
  | 'no_ab_data'
  | 'unknown_goal'
  | 'funnel_history_short'
  | 'funnel_trend_not_daily'
  | 'no_peak'
  | 'invalid_window'
  | 'no_traffic_coverage'
  /** Breakdowns: a dimension the data does not carry (`BreakdownReport.unavailable`). */
  | 'no_shop_column'
  | 'no_channel_column'
  | 'no_region_column'
  | 'no_category'
  /** A/B by variant: the behaviour log names no variants. */
  | 'no_ab_variants'
  /** Funnel options that cannot make a funnel (`FunnelOptions.steps`, `window_seconds`). */
  | 'too_few_steps'
  | 'too_many_steps'
  | 'repeated_step'
  | 'empty_step'
  | 'event_name_in_two_steps'
  | 'negative_window';

/** Why a section could not be computed from what was loaded, and which export would unlock it. */
export interface Unavailable {
  /** Stable snake_case code, to localise. */
  code: UnavailableCode;
  /** What the user would have to load, in English, e.g. "an order export with a buyer id column (买家会员名 / Email)". */
  needs: string;
}

/** Row and entity counts of what was loaded, after filters. */
export interface DataSummary {
  /** Orders (paid or not). */
  orders: number;
  /** Paid orders. */
  paid_orders: number;
  /** Line items. */
  order_lines: number;
  /** Distinct customer ids among orders (behaviour-log users are counted in `event_users`). */
  customers: number;
  /** Distinct users in the behaviour log. */
  event_users: number;
  /** Distinct products. */
  products: number;
  /** Behaviour events. */
  events: number;
  /** Traffic rows. */
  traffic_rows: number;
  /** Advertising rows. */
  ad_rows: number;
}

// ── load reports ────────────────────────────────────────────────────────────────────────────

/**
 * Everything known about one loaded file, so that nothing is lost silently. Invariant:
 * `rows_read === rows_used + rows_rejected`; lines that are not data (title rows, blank lines,
 * 合计/Total rows) are in `skipped`, not in `rows_read`.
 */
export interface LoadReport {
  /** The file's name. */
  file: string;
  /** Bytes received. */
  bytes: number;
  /** `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `gb18030` (GBK files are read as GB18030, its superset); `null` when not detected. */
  encoding: string | null;
  /** `comma`, `tab`, `semicolon`, `pipe`; `null` when not detected. */
  delimiter: string | null;
  /** What the export holds, as recognised (or as overridden). */
  kind: DatasetKind | null;
  /** The platform, as recognised (or as overridden). */
  platform: Platform | null;
  /** Physical line of the header (`null` for a headerless file). */
  header_line: number | null;
  /** Each column of the header and its role (every column, without a role, when no kind fits). */
  columns: Column[];
  /** What was decided from the sampled rows (amount grain), for the user to confirm or change. */
  decisions: Decisions;
  /** The status values seen, with their rows and meaning (at most 100). */
  status_values: StatusValue[];
  /** Data rows read after the header. */
  rows_read: number;
  /** Rows that went into the tables. */
  rows_used: number;
  /** Rows not used, each counted under its reason in `rejected`. */
  rows_rejected: number;
  /** Rejected rows by reason. */
  rejected: Reason[];
  /** Lines that are not data: `title_line`, `blank_line`, `summary_row`. */
  skipped: Reason[];
  /** Things to know about the file that are not rejected rows. */
  notes: Note[];
  /** Set when the file could not be read at all. */
  error: ErrorInfo | null;
  /**
   * ISO code of the file's amounts; `null` when it cannot be told (see `currency_basis`, and the
   * `currency_not_stated` / `currency_mixed` note) or the file has no money (a behaviour log).
   */
  currency: string | null;
  /**
   * How `currency` was decided — `user` (`FileOptions.currency`), `column` (a currency column),
   * `symbol` (written in the amounts; `$` is read as USD, `¥` as CNY on Chinese or unknown
   * platforms and JPY on the others), `platform` (Chinese platforms: CNY), `files` (the file names
   * none; the other files state one and the same, which it takes, with a note) — or why there is none: `mixed`, `not_stated`.
   * `null` for a file without money.
   */
  currency_basis: CurrencyBasis | null;
  /** The currencies the rows named: a currency column's codes, the marks in the amounts (`$`, `¥`, `EUR` …). */
  currency_seen: CurrencySeen[];
}

/** How a file's currency was decided, or why there is none. */
export type CurrencyBasis = 'user' | 'column' | 'symbol' | 'platform' | 'files' | 'mixed' | 'not_stated';

/** A currency the rows of a file named. */
export interface CurrencySeen {
  /** An ISO code, or `$` / `¥` (decided by the platform). */
  value: string;
  /** Read from a currency `column` or written beside an `amount`. */
  from: 'column' | 'amount';
  rows: number;
}

/** One currency among the loaded orders (`Report.currencies`). */
export interface CurrencyGroup {
  /** ISO code; `null` for the files whose currency is not stated. */
  code: string | null;
  /** The files of orders in this currency. */
  files: string[];
  /** Orders in this currency (before filters): counts combine across currencies, money never does. */
  orders: number;
  paid_orders: number;
  /** GMV in cents of this currency (before filters). */
  gmv: number;
  /** Whether the report's money figures are of this currency (directly or converted). */
  shown: boolean;
}

/** How the report treats several currencies. */
export type CurrencyMode = 'single' | 'per_currency' | 'converted';

/** A rate a conversion used. */
export interface RateUsed {
  /** The pair as given (`"USD/CNY"`). */
  pair: string;
  /** The month (`YYYY-MM`) of a monthly rate. */
  month: string | null;
  rate: number;
  /** Orders converted at it. */
  orders: number;
}

/** The conversion the report made (`AnalyzeOptions.rates`). */
export interface Conversion {
  /** ISO code every money figure is in. */
  target: string;
  rates: RateUsed[];
  /** Files left out: order files of no stated currency, and product lists, traffic and ad reports in another currency (not converted). */
  left_out: string[];
}

/** How a column got its role: an exact synonym, a synonym after dropping a unit such as `(元)`, a rule of the export kind, the header's words, the column's values alone, the caller's override, or no role. */
export type RoleSource =
  | 'header'
  | 'header_without_unit'
  | 'kind_rule'
  | 'words'
  | 'values'
  | 'override'
  | 'none';

/** One column of the header and the role it got. */
export interface Column {
  /** Position in the header, from 0. */
  index: number;
  /** Header as written in the file. */
  header: string;
  /** The role, or `null` for an unknown or ignored column. */
  field: Field | null;
  /** 0–1: 1 for an exact synonym, less for rules; 0 without a role. */
  confidence: number;
  /** How the column got its role. */
  source: RoleSource;
  /** Index of the column that already holds this role (e.g. two `商家编码`), else `null`. */
  duplicate_of: number | null;
  /** Why: the header's evidence and what the sampled values look like. */
  evidence: string;
  /** The same in Chinese. */
  evidence_zh: string;
  /** A guess to confirm (confidence below 0.7). */
  doubtful: boolean;
  /** Amounts in this column are written with a decimal comma (`43,99`). */
  decimal_comma: boolean;
}

/** Stable codes of a rejected row or skipped line (the engine's `ReasonCode`; a test keeps the two equal). */
export type ReasonCode =
  | 'invalid_money'
  | 'invalid_number'
  | 'invalid_percent'
  | 'invalid_time'
  | 'implausible_date'
  | 'missing_time'
  | 'missing_order_id'
  | 'missing_user_id'
  | 'missing_product'
  | 'negative_quantity'
  | 'scientific_id'
  | 'ragged_row'
  | 'unknown_event_type'
  | 'missing_event_type'
  | 'unknown_status'
  | 'order_not_loaded'
  | 'out_of_range'
  | 'invalid_encoding'
  | 'blank_line'
  | 'title_line'
  | 'summary_row'
  | 'detail_lines'
  | 'not_read_after_error';

/** Stable codes of a load note (the engine's `NoteCode`; a test keeps the two equal). */
export type NoteCode =
  | 'currency_not_stated'
  | 'currency_mixed'
  | 'currency_symbol_ambiguous'
  | 'currency_from_files'
  | 'quotes_literal'
  | 'all_orders_paid'
  | 'one_order_per_row'
  | 'paid_by_status'
  | 'no_customer_ids'
  | 'detail_lines'
  | 'unknown_status_by_amount'
  | 'events_without_names'
  | 'buyers_by_name'
  | 'decimal_comma'
  | 'amount_grain_line'
  | 'amount_grain_order'
  | 'amount_grain_set'
  | 'refund_grain_line'
  | 'units_without_product'
  | 'unknown_status_ignored'
  | 'refund_may_include_adjustments'
  | 'container'
  | 'override_column_missing';

/** Rows rejected (or lines skipped) for one reason. */
export interface Reason {
  /** Stable snake_case code: `invalid_money`, `missing_order_id`, `scientific_id`, `ragged_row` … */
  code: ReasonCode;
  /** English explanation with what to do. */
  message: string;
  /** Rows (or lines) with this reason. */
  count: number;
  /** The first examples (up to 100). */
  examples: RowIssue[];
}

/** One example of a problem: where, and the raw value. */
export interface RowIssue {
  /** Physical line, from 1. */
  line: number;
  /** Column header as written, when one column is at fault. */
  column: string | null;
  /** The raw cell value (or the first cells of the line), cut to 120 characters. */
  value: string;
}

/** Something to know about a file that is not a rejected row. */
export interface Note {
  /** Stable snake_case code, e.g. `all_orders_paid`, `no_customer_ids`, `refund_may_include_adjustments`. */
  code: NoteCode;
  /** English explanation. */
  message: string;
}

/** An error as data, in a load report. */
export interface ErrorInfo {
  /** Stable snake_case code (see `ErrorCode`). */
  code: ErrorCode;
  /** English message with what to do. */
  message: string;
  /** The file. */
  file: string;
  /** Physical line, from 1. */
  line: number | null;
  /** Column header as written. */
  column: string | null;
  /** The text the error is about, as read (a stray quote's value), where it helps to see it. */
  excerpt?: string;
  /** `too_large`: the memory the files would need, and what one page can have, in bytes. */
  needed_bytes?: number;
  limit_bytes?: number;
  /** `stray_quote`: lines after the quote's own line, and how many of them are shaped like rows. */
  swallowed_lines?: number;
  swallowed_rows?: number;
  /** `unrecognised_header`: the header as read. */
  header?: string[];
  /** `unsupported_container`: what the file is. */
  format?: string;
  /** `unreadable_container`, `invalid_option`, `bad_part`: why. */
  reason?: string;
  /** `invalid_option`: which option. */
  option?: string;
  /** `unknown_column`: the column the mapping names. */
  mapped_column?: string;
}

// ── KPI ─────────────────────────────────────────────────────────────────────────────────────

/** The KPI section. */
export interface KpiReport {
  /** The whole (filtered) range, including traffic and ad rows without a day. */
  total: KpiSet;
  /** Day of the first paid order, `YYYY-MM-DD`; `null` without paid orders. */
  first_day: string | null;
  /** Day of the last paid order, `YYYY-MM-DD`; `null` without paid orders. */
  last_day: string | null;
  /** One point per day, dense over the data's days. */
  daily: KpiPoint[];
  /** One point per ISO week (Monday first). */
  weekly: KpiPoint[];
  /** One point per calendar month. */
  monthly: KpiPoint[];
  /** The last period of `KpiOptions.grain_for_compare` against the one before; `null` with fewer than two such periods. */
  compare: Compare | null;
  /** Set (code `no_customer_ids`) when no paid order has a customer id, so buyer-based figures are `null`. */
  buyers_unavailable: Unavailable | null;
}

/** Every KPI over one period (or the whole range). Money in cents; ratios are fractions or `null`. */
export interface KpiSet {
  /** GMV (支付金额): paid amount of paid orders before refunds, cents. */
  gmv: number;
  /** Refunds (退款金额) of those paid orders, cents. */
  refunds: number;
  /** Net sales: `gmv − refunds`, cents. */
  net_sales: number;
  /** Paid orders (支付订单数). */
  paid_orders: number;
  /** Buyers (支付买家数): distinct customer ids among paid orders; `null` without customer ids. */
  buyers: number | null;
  /** 客单价, revenue per buyer: `gmv / buyers`, cents. */
  revenue_per_buyer: number | null;
  /** AOV (笔单价), revenue per order: `gmv / paid_orders`, cents. */
  aov: number | null;
  /** Units (支付件数): sum of line quantities on paid orders. */
  units: number;
  /** Refund rate: `refunds / gmv`. */
  refund_rate: number | null;
  /** Refund order rate: paid orders with a refund > 0 / paid orders. */
  refund_order_rate: number | null;
  /** Repurchase rate (复购率): buyers with ≥ 2 paid orders in the period / buyers. */
  repurchase_rate: number | null;
  /** New buyers: buyers whose first paid order in the whole dataset falls in the period. */
  new_buyers: number | null;
  /** Returning buyers: `buyers − new_buyers`. */
  returning_buyers: number | null;
  /** Visitors (访客数): sum over shop-level traffic rows; `null` when the period has none. */
  visitors: number | null;
  /** Conversion rate (支付转化率): `buyers / visitors`. */
  conversion_rate: number | null;
  /** Ad impressions; `null` when no ad row of the period gives them. */
  impressions: number | null;
  /** Ad clicks. */
  clicks: number | null;
  /** Ad spend, cents. */
  ad_spend: number | null;
  /** Sales attributed to ads by the ad platform, cents. */
  ad_sales: number | null;
  /** CTR: `clicks / impressions`. */
  ctr: number | null;
  /** ROAS: `ad_sales / ad_spend`. */
  roas: number | null;
  /** ACOS: `ad_spend / ad_sales`. */
  acos: number | null;
}

/**
 * Relative change against the previous period, `(current − previous) / previous` (0.1 = +10 %);
 * `null` for the first period, or when either value is missing or the previous one is 0.
 */
export interface KpiChange {
  /** Change of GMV. */
  gmv: number | null;
  /** Change of paid orders. */
  paid_orders: number | null;
  /** Change of buyers. */
  buyers: number | null;
  /** Change of AOV (笔单价). */
  aov: number | null;
  /** Relative change of the refund rate (not a difference in points). */
  refund_rate: number | null;
  /** Relative change of the conversion rate (not a difference in points). */
  conversion_rate: number | null;
}

/** One period of a KPI series. */
export interface KpiPoint {
  /** Period label: `YYYY-MM-DD`, `YYYY-Www` (ISO week) or `YYYY-MM`. */
  period: string;
  /** First day of the period, `YYYY-MM-DD` (a Monday for weeks). */
  start: string;
  /** The metrics of the period. */
  kpi: KpiSet;
  /**
   * Change against the previous point, like for like: a partial last period against the same number
   * of days at the start of the one before; none after a partial first period.
   */
  change: KpiChange;
  /** Days of the period the data covers. */
  days: number;
  /** Days of the whole period (1, 7, 28–31); `days < period_days` marks a partial period. */
  period_days: number;
}

/** The last period of the data against the one before (the KPI cards). */
export interface Compare {
  /** Calendar unit compared. */
  grain: Grain;
  /** The last period of the data; its `change` is against `previous`. */
  current: KpiPoint;
  /** The period before it; when the current one is partial, only as many of its first days (its `days`). */
  previous: KpiPoint;
  /** The data ends before the current period's last day (e.g. a month in progress). */
  current_partial: boolean;
  /** The data starts after the previous period's first day. */
  previous_partial: boolean;
}

// ── funnel ──────────────────────────────────────────────────────────────────────────────────

/** Where the funnel's counts come from: a behaviour log, or aggregated traffic rows (sums of daily unique counts). */
export type FunnelSource = 'events' | 'traffic_aggregate';

/** A step of an aggregated traffic funnel: 访客数, 加购人数, 支付买家数. */
export type TrafficStep = 'visitors' | 'cart_users' | 'buyers';

/** What a step counts: a behaviour event type, the event names asked for, or a traffic column. */
export type FunnelStep = EventType | string[] | TrafficStep;

/** One event name of the log, as the funnel report lists them. */
export interface EventNameStat {
  /** The name as the log writes it. */
  name: string;
  /** Events with this name. */
  events: number;
  /** Distinct users with an event of this name. */
  users: number;
  /** The canonical step the name means in this log; `null` for another name (`home`, `search` …). */
  meaning: EventType | null;
  /** Index of the funnel step the name was put in; `null` when in no step. */
  step: number | null;
}

/** The funnel section. */
export interface FunnelReport {
  /** Behaviour events, or aggregated traffic rows when no events were loaded. */
  source: FunnelSource;
  /** Counting mode in force (always `distinct` for traffic aggregates: they are unique counts). */
  mode: FunnelMode;
  /** Conversion window in force, seconds; `null` when unbounded or when the mode has no window. */
  window_seconds: number | null;
  /** The funnel over all events. */
  steps: StepStat[];
  /** Time to convert to steps 2 … k (sequential mode only; empty otherwise). */
  time_to_convert: TimeToConvert[];
  /** What `breakdown` rows group by (`none` for traffic aggregates, which have no rows). */
  breakdown_by: Breakdown;
  /** Top N groups by step-1 count (ties by name), then one `other` row. */
  breakdown: BreakdownRow[];
  /** Granularity of `trend`. */
  trend_grain: Grain;
  /** The funnel per period, oldest first. */
  trend: TrendPoint[];
  /** Per-item funnels, ranked by step-1 count (ties by item key), at most `item_limit`. */
  items: ItemFunnel[];
  /** Distinct users with any event; 0 for traffic aggregates, which have no users. */
  users: number;
  /** Every event name in the log, most events first (ties by name); empty for traffic aggregates. */
  event_names: EventNameStat[];
  /** Caveats to show with the funnel (e.g. "sum of daily unique counts"). */
  note: string | null;
}

/** One step of the funnel. */
export interface StepStat {
  /** The event type, event names or traffic column of this step, as asked for. */
  step: FunnelStep;
  /** The log's event names put in this step, in the order the log first uses them (empty for traffic). */
  names: string[];
  /** Users reaching this step (for traffic: the summed daily unique count). */
  count: number;
  /** count(i) / count(i−1); `null` for the first step or when count(i−1) is 0. */
  conversion_from_previous: number | null;
  /** count(i) / count(1); `null` when count(1) is 0. */
  overall_conversion: number | null;
  /** count(i−1) − count(i), users; 0 for the first step; negative only in distinct mode or traffic. */
  drop_off: number;
}

/** Time to convert to one step (sequential mode). */
export interface TimeToConvert {
  /** The step reached (steps 2 … k). */
  step: FunnelStep;
  /** Users reaching the step (equals that step's count). */
  users: number;
  /** Median of the users' fastest times, seconds (the lower middle for an even count); `null` when nobody reached the step. */
  median_seconds: number | null;
  /** Distribution of the users' times. */
  buckets: TimeBucket[];
}

/** Users whose fastest chain reached a step within a bucket of elapsed time. */
export interface TimeBucket {
  /** Display label: `≤1m`, `1–10m`, `10–60m`, `1–6h`, `6–24h`, `1–3d`, `3–7d`, `>7d`. */
  label: string;
  /** Inclusive upper bound, seconds; `null` for the last (open) bucket. */
  upper_seconds: number | null;
  /** Users in the bucket. */
  users: number;
}

/** What a breakdown row stands for: one group, the events lacking the attribute, or all groups after the top N. */
export type BreakdownRowKind = 'group' | 'missing' | 'other';

/** The funnel within one group (category, brand or item), counting only the group's events. */
export interface BreakdownRow {
  /** Whether this row is a group, the events lacking the attribute, or the `other` total. */
  kind: BreakdownRowKind;
  /** The category / brand name or item key; `null` for `missing` and `other` rows. */
  group: string | null;
  /** Product title (item breakdowns), or the category name where the log writes a numeric id the product data names. */
  title: string | null;
  /** Groups in the row: 1, or for `other` the number of groups added up. */
  groups: number;
  /** Per step, users reaching it within the group (for `other`, summed over its groups). */
  counts: number[];
  /** Last step's count / first step's count; `null` when the first is 0. */
  overall_conversion: number | null;
}

/** The funnel of one calendar period (events in the period only). */
export interface TrendPoint {
  /** `YYYY-MM-DD`, `YYYY-Www` or `YYYY-MM` (the trend grain). */
  period: string;
  /** Per step, users reaching it within the period. */
  counts: number[];
  /** Last step's count / first step's count; `null` when the first is 0. */
  overall_conversion: number | null;
}

/** A per-item funnel (选品): (user, item) pairs where every step's event is on that item. */
export interface ItemFunnel {
  /** Product key (SKU / product id). */
  item: string;
  /** Product title, where the data gives one. */
  title: string | null;
  /** Per step, users reaching it on this item. */
  counts: number[];
  /** Last step's count / first step's count; `null` when the first is 0. */
  overall_conversion: number | null;
  /** Distinct buyers of the item / distinct viewers of the item; `null` when nobody viewed it. */
  item_conversion: number | null;
}

// ── cohorts ─────────────────────────────────────────────────────────────────────────────────

/** The cohort section: customers grouped by the period of their first paid order. */
export interface CohortReport {
  /** Period unit of cohorts and offsets. */
  grain: Grain;
  /** Periods from the first to the last paid order, inclusive: the number of cells of every row. */
  periods_in_data: number;
  /** One row per period in which at least one customer made a first paid order, oldest first. */
  cohorts: CohortRow[];
  /** All cohorts together, each weighted by its size. */
  all: CohortAllRow;
}

/** One cohort. */
export interface CohortRow {
  /** Cohort period label: `YYYY-MM` or `YYYY-Www` (`YYYY-MM-DD` for daily cohorts). */
  cohort: string;
  /** First day of the cohort period, `YYYY-MM-DD`. */
  start: string;
  /** Customers whose first paid order falls in the cohort period (≥ 1). */
  size: number;
  /** Cell `k` is the period `k` periods after the cohort's; `null` past the data's last period. */
  cells: (CohortCell | null)[];
}

/** One cohort at one offset. */
export interface CohortCell {
  /** Customers of the cohort with ≥ 1 paid order in the period. */
  active: number;
  /** `active / size` (1 at offset 0). */
  retention: number;
  /** GMV of the cohort's customers in the period, cents. */
  revenue: number;
  /** LTV curve: cohort GMV from offset 0 to this offset / size, cents per customer. */
  cumulative_revenue_per_customer: number;
}

/** All cohorts together. */
export interface CohortAllRow {
  /** Customers in all cohorts. */
  size: number;
  /** Cell `k` sums the cohorts that have a cell at offset `k`; `null` when none has. */
  cells: (CohortAllCell | null)[];
}

/** All cohorts having a cell at one offset, each weighted by its size. */
export interface CohortAllCell {
  /** Cohorts included. */
  cohorts: number;
  /** Σ size of the included cohorts. */
  size: number;
  /** Σ active of the included cohorts. */
  active: number;
  /** Σ active / Σ size. */
  retention: number;
  /** Σ revenue of the included cohorts at this offset, cents. */
  revenue: number;
  /** Σ cumulative revenue (offsets 0..k) of the included cohorts / Σ their size, cents per customer. */
  cumulative_revenue_per_customer: number;
}

// ── RFM ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The eight RFM segments (R, F, M high or low against the mean scores): `high_value` 重要价值
 * (H H H), `high_potential` 重要发展 (H L H), `keep_active` 重要保持 (L H H), `win_back` 重要挽留
 * (L L H), `loyal_low_spend` 一般价值 (H H L), `new_low_spend` 一般发展 (H L L), `fading_low_spend`
 * 一般保持 (L H L), `lost` 一般挽留 (L L L).
 */
export type Segment =
  | 'high_value'
  | 'high_potential'
  | 'keep_active'
  | 'win_back'
  | 'loyal_low_spend'
  | 'new_low_spend'
  | 'fading_low_spend'
  | 'lost';

/** The RFM section. */
export interface RfmReport {
  /** Day recency is counted to, `YYYY-MM-DD`. */
  reference_day: string;
  /** Every customer with a paid order, by monetary descending, then customer id ascending. */
  customers: RfmCustomer[];
  /** All eight segments, empty ones included. */
  segments: SegmentSummary[];
  /** Mean scores; a score strictly above its mean is high. */
  mean_scores: MeanScores;
}

/** One customer's RFM values, scores and segment. */
export interface RfmCustomer {
  /** Customer id as exported (buyer account, email, user id). */
  customer: string;
  /** Day of the customer's last paid order, `YYYY-MM-DD`. */
  last_order_day: string;
  /** R: days from the last paid order's day to the reference day. */
  recency_days: number;
  /** F: paid orders. */
  frequency: number;
  /** M: GMV of the customer's paid orders, cents. */
  monetary: number;
  /** R score, 1–5 (5 = most recent). */
  r_score: number;
  /** F score, 1–5 (5 = most orders). */
  f_score: number;
  /** M score, 1–5 (5 = most spent). */
  m_score: number;
  /** Segment from the three scores against the mean scores. */
  segment: Segment;
}

/** One segment's size and averages. */
export interface SegmentSummary {
  /** The segment summarised. */
  segment: Segment;
  /** Customers in the segment. */
  customers: number;
  /** `customers / all customers`. */
  share_of_customers: number;
  /** Σ monetary of the segment's customers, cents. */
  revenue: number;
  /** `revenue / Σ monetary of all customers`; `null` when that is 0. */
  share_of_revenue: number | null;
  /** Mean recency, days; `null` for an empty segment. */
  avg_recency: number | null;
  /** Mean paid orders per customer; `null` for an empty segment. */
  avg_frequency: number | null;
  /** Mean monetary, cents; `null` for an empty segment. */
  avg_monetary: number | null;
}

/** Mean score of each dimension over all customers: the high/low thresholds. */
export interface MeanScores {
  /** Mean R score, 1–5. */
  r: number;
  /** Mean F score, 1–5. */
  f: number;
  /** Mean M score, 1–5. */
  m: number;
}

// ── products ────────────────────────────────────────────────────────────────────────────────

/** ABC class by cumulative revenue share: A before 80 %, B before 95 %, C after. */
export type AbcClass = 'a' | 'b' | 'c';

/** Whether a growth rate could be measured, or the product is new (新品: no revenue in the earlier window). */
export type GrowthStatus = 'measured' | 'new';

/** BCG quadrant: high share = class A; high growth = growth ≥ the shop's growth. */
export type Quadrant = 'star' | 'cash_cow' | 'question_mark' | 'dog';

/** The product section. */
export interface ProductReport {
  /** Growth window length actually used, days. */
  growth_window_days: number;
  /** Σ product revenue, cents: GMV of the paid orders that have line items. */
  total_revenue: number;
  /** Σ product refunds, cents. */
  total_refunds: number;
  /** Shop revenue in the recent growth window, cents. */
  shop_recent_revenue: number;
  /** Shop revenue in the earlier growth window, cents. */
  shop_previous_revenue: number;
  /** Shop growth over the same windows; `null` when the earlier window has no revenue. */
  shop_growth: number | null;
  /** Last paid order date with line items (`YYYY-MM-DD`); the recent window ends on it. */
  last_day: string;
  /** Products sorted by revenue descending, then key ascending. */
  products: ProductRow[];
  /** Cumulative revenue share along the ranking; empty when total revenue is 0. */
  pareto: ParetoPoint[];
  /** Products per ABC class. */
  class_counts: ClassCounts;
}

/** One product's figures over paid orders. */
export interface ProductRow {
  /** Product key: SKU / 商家编码 / product id, else the title. */
  key: string;
  /** Product title, where an export gives one. */
  title: string | null;
  /** Category name, where an export gives one. */
  category: string | null;
  /** Revenue, cents: the product's allocated share of paid orders' paid amounts (incl. shipping/tax). */
  revenue: number;
  /** Merchandise value, cents: Σ line value on paid orders; `null` when none of its lines has a value. */
  merchandise_value: number | null;
  /** Units sold on paid orders. */
  units: number;
  /** Distinct paid orders containing the product. */
  paid_orders: number;
  /** Distinct buyers among those orders; `null` without customer ids. */
  buyers: number | null;
  /** Buyers with ≥ 2 paid orders containing the product; `null` without customer ids. */
  repeat_buyers: number | null;
  /** Refunds, cents. */
  refunds: number;
  /** refunds / revenue. */
  refund_rate: number | null;
  /** Average selling price, cents per unit: revenue / units. */
  avg_selling_price: number | null;
  /** revenue / total revenue. */
  share: number | null;
  /** repeat_buyers / buyers. */
  repeat_buyer_rate: number | null;
  /** Revenue in the recent growth window, cents. */
  recent_revenue: number;
  /** Revenue in the earlier growth window, cents. */
  previous_revenue: number;
  /** Units sold in the recent growth window. */
  recent_units: number;
  /** (recent − previous) / previous revenue; `null` when `growth_status` is `new`. */
  growth: number | null;
  /** Whether growth is measured or the product is new. */
  growth_status: GrowthStatus;
  /** ABC class. */
  abc: AbcClass;
  /** BCG quadrant. */
  quadrant: Quadrant;
  /** Item conversion (buyers / viewers of the item), where events or traffic give it. */
  item_conversion: number | null;
  /** Unit cost, cents, where a product list gives one. */
  unit_cost: number | null;
  /** Gross profit, cents: revenue − unit cost × units; `null` without a unit cost. */
  gross_profit: number | null;
  /** Margin: gross profit / revenue; `null` without a unit cost or without revenue. */
  margin: number | null;
  /** Units in stock, where a product list gives them. */
  stock: number | null;
  /** Days of stock left: stock / (recent units / growth window days); `null` without stock or recent sales. */
  stock_cover_days: number | null;
  /** Share of the product's revenue paid by its biggest buyer; `null` without customer ids. */
  top_buyer_share: number | null;
  /** 潜力 / 可执行 / 风险 scores with their components. */
  scorecard: Scorecard;
}

/** 潜力 / 可执行 / 风险 scorecard. Higher potential and feasibility are better; higher risk is worse. */
export interface Scorecard {
  /** 潜力: growth, item conversion, repeat-buyer rate. */
  potential: ScoreDetail;
  /** 可执行: margin, stock cover days, average selling price. */
  feasibility: ScoreDetail;
  /** 风险: refund rate, top-buyer revenue share, stock-out. */
  risk: ScoreDetail;
}

/** A score and what is behind it. */
export interface ScoreDetail {
  /** 0–100: the mean percentile of the available components; `null` when none is available. */
  score: number | null;
  /** The components, available or not, in a fixed order. */
  components: Component[];
}

/** One input behind a score. */
export interface Component {
  /**
   * `growth`, `item_conversion`, `repeat_buyer_rate`, `margin`, `stock_cover_days`,
   * `avg_selling_price`, `refund_rate`, `top_buyer_share`, `stock_out`.
   */
  name: string;
  /** Raw value, in the unit of the product field of the same name (`stock_out`: 1 or 0); `null` when unavailable. */
  value: number | null;
  /** Percentile rank 0–100 of `value` among the shop's products that have it; `null` when `value` is. */
  percentile: number | null;
}

/** A point of the Pareto (cumulative revenue) curve. */
export interface ParetoPoint {
  /** 1-based position in the revenue ranking. */
  rank: number;
  /** Product key. */
  key: string;
  /** Cumulative revenue share of the products ranked 1..rank. */
  cumulative_share: number;
}

/** Number of products per ABC class. */
export interface ClassCounts {
  /** Class A products. */
  a: number;
  /** Class B products. */
  b: number;
  /** Class C products. */
  c: number;
}

// ── alerts ──────────────────────────────────────────────────────────────────────────────────

/** What an alert is about: a daily metric leaving its band, or a product's stock or refunds. */
export type AlertKind =
  | 'gmv_spike'
  | 'gmv_drop'
  | 'orders_spike'
  | 'orders_drop'
  | 'conversion_drop'
  | 'conversion_spike'
  | 'refund_rate_spike'
  | 'low_stock_cover'
  | 'high_product_refund_rate';

/** How far past its threshold: `info` (≤ 1.5×), `warning` (≤ 2×), `critical` (beyond). */
export type Severity = 'info' | 'warning' | 'critical';

/**
 * One alert. Alerts come ranked: bad news first (critical, warning, info), then by money at stake.
 * A day is flagged only when it leaves its band by more than its own sample size allows (a rate on
 * six orders is not a signal); consecutive days of one metric are one alert with its span.
 */
export interface Alert {
  /** What happened. */
  kind: AlertKind;
  /**
   * From the money at stake against the shop's average daily GMV: bad news worth a day of GMV is
   * critical, a quarter of a day a warning; good news (a spike in sales) is info.
   */
  severity: Severity;
  /** The day concerned (`YYYY-MM-DD`), the first of a span; for product alerts, the last day of the data they describe. */
  day: string | null;
  /** The last day of a span of consecutive days, `null` for one day. */
  until: string | null;
  /** Days the alert spans (1 for one day and for product alerts). */
  days: number;
  /**
   * Money at stake, cents of the report's currency: GMV away from the median (over the span),
   * orders away × AOV, refunds above the usual rate, buyers lost or won × 客单价, days of cover short
   * × daily revenue, a product's refunds above the shop's rate.
   */
  stake: number;
  /** Product key, for product alerts. */
  product: string | null;
  /** Observed value: cents (GMV), orders, a fraction (conversion, refund rates) or days (stock cover). */
  value: number;
  /** What was expected, same unit: the trailing median; the stock-cover threshold; the shop's refund rate. */
  expected: number;
  /** Normal range `[low, high]`, same unit; an open side is `null`. */
  band: [number | null, number | null];
  /** Distance: (value − median) / spread for daily metrics (σ); `value / expected` for product alerts. */
  deviation: number;
  /** What the alert's sentence needs beyond the fields above (the messages are worded from it). */
  detail: AlertDetail;
  /** Explanation in English: what, when, how far, against what. */
  message_en: string;
  /** The same in Chinese. */
  message_zh: string;
}

/** The parameters of an alert's sentence, by the kind of alert. */
export type AlertDetail =
  | {
      type: 'daily';
      /** The day furthest from its median (the alert's `day` for one day), whose figures the alert's are. */
      furthest_day: string;
      /** Days with a value in the window the day was compared with. */
      history_days: number;
      /** ISO code of the money figures (GMV), `''` when the data names none. */
      currency: string;
    }
  | {
      type: 'product_refund';
      /** The product's title, else its key. */
      label: string;
      /** Paid orders of the product with a refund on its lines. */
      refunded: number;
      /** Paid orders of the product. */
      orders: number;
      /** Chance of at least `refunded` of `orders` refunded at the shop's share. */
      chance: number;
      /** The shop's share of refunded product-orders. */
      shop_share: number;
      /** The alert's multiple of the shop's refund rate. */
      factor: number;
    }
  | {
      type: 'low_stock';
      /** The product's title, else its key. */
      label: string;
      /** Units in stock. */
      stock: number;
      /** Units sold in the recent window. */
      recent_units: number;
      /** The recent window, days. */
      window_days: number;
    };

// ── Stock and replenishment (DEFINITIONS §8) ────────────────────────────────────────────────────

/**
 * Stock settings. Out-of-range values are clamped: lead time and review period to ≥ 0, service
 * level to [0.5, 0.9999], window to ≥ 1 day.
 */
export interface StockOptions {
  /** Supplier lead time L, days; default 7. */
  lead_time_days?: number;
  /** Service level; default 0.95. z = Φ⁻¹(level) rounded to 3 decimals (1.645 at 0.95). */
  service_level?: number;
  /** Review period R (days between two purchase orders); default 14. */
  review_days?: number;
  /** Demand window, days, ending on the last paid order date; default 28. */
  window_days?: number;
}

/** The demand window actually used: the last `window_days` days of the data, never before its first day. */
export interface StockWindow {
  /** `YYYY-MM-DD`. */
  first_day: string;
  /** The last paid order date with line items, `YYYY-MM-DD`. */
  last_day: string;
  /** Number of days n (fewer than `window_days` when the data is shorter). */
  days: number;
}

/** One product's stock figures. Products without a stock figure carry their demand only. */
export interface StockRow {
  /** Product key: SKU / 商家编码 / product id, else the title. */
  key: string;
  title: string | null;
  /** Units of paid orders in the window. */
  units: number;
  /** Units per day of the window, oldest first (`window.days` entries; days without sales are 0). */
  daily_units: number[];
  /** d: mean units per day. */
  daily_demand: number;
  /** σ: sample standard deviation of the daily units (n − 1); 0 with a one-day window. */
  sigma: number;
  /** Units on hand, from a SKU/stock export. */
  stock: number | null;
  /** stock / d; `null` without stock or with no recent sales (d = 0). */
  days_of_cover: number | null;
  /** units / (units + stock); `null` without stock or when both are 0. */
  sell_through: number | null;
  /** d·L + z·σ·√L; `null` without stock. */
  reorder_point: number | null;
  /** max(0, ⌈reorder point + d·R − stock⌉); `null` without stock. */
  suggested_order: number | null;
  /** Revenue of the window per day, cents per day (paid amounts allocated to lines, DEFINITIONS §6). */
  daily_revenue: number;
  /** Stock known, d > 0 and stock ≤ reorder point. */
  at_risk: boolean;
}

/** The stock section. Unavailable codes: `no_order_lines`, `no_paid_orders`, `no_stock`. */
export interface StockReport {
  lead_time_days: number;
  service_level: number;
  /** z used for the service level (1.645 at 95 %). */
  z: number;
  review_days: number;
  /** Window asked for, days. */
  window_days: number;
  window: StockWindow;
  /** Products with a stock figure. */
  with_stock: number;
  /** Products at risk. */
  at_risk: number;
  /** At-risk first (by days of cover), then the other stocked products, then demand-only ones. */
  products: StockRow[];
}

// ── A/B readout (DEFINITIONS §9) ────────────────────────────────────────────────────────────────

/** How the two groups are formed: two items (product keys), two day ranges, or two experiment groups. */
export type AbBy = 'item' | 'period' | 'variant';

/**
 * A/B options. Without `by` the groups come from the log's experiment group column when it has one
 * (the control against the next group); otherwise the section is unavailable (`no_ab_groups`).
 */
export interface AbOptions {
  by?: AbBy | null;
  /** Group A's item key (`by: 'item'`) or experiment group (`by: 'variant'`). */
  a?: string | null;
  /** Group B's item key (`by: 'item'`) or experiment group (`by: 'variant'`). */
  b?: string | null;
  /** Group A's first and last day, `YYYY-MM-DD` (`by: 'period'`). */
  a_from?: string | null;
  a_to?: string | null;
  /** Group B's first and last day, `YYYY-MM-DD` (`by: 'period'`). */
  b_from?: string | null;
  b_to?: string | null;
  /** The goal event name as the log writes it; default: purchase (every name that means it). */
  goal?: string | null;
}

/** Where the counts came from: distinct users of a behaviour log, or sums of daily traffic rows. */
export type AbSource = 'events' | 'traffic';

export interface AbGroup {
  /** The item key, or `from–to`. */
  label: string;
  /** Exposures n: distinct users with any event in the group (events), or Σ 访客数 (traffic). */
  exposures: number;
  /** Conversions x: distinct users with a goal event in the group (events), or Σ 支付买家数 (traffic). */
  conversions: number;
}

/** B better / A better when the 95 % interval of CR_B − CR_A excludes 0, else not decisive. */
export type AbVerdict = 'b_better' | 'a_better' | 'not_decisive';

export interface AbStats {
  /** x_A / n_A; `null` when n_A = 0. */
  cr_a: number | null;
  cr_b: number | null;
  /** Wilson 95 % interval of CR_A, `[lower, upper]`. */
  interval_a: [number, number] | null;
  interval_b: [number, number] | null;
  /** d = CR_B − CR_A. */
  difference: number | null;
  /** Newcombe's hybrid score 95 % interval of d (method 10 of Newcombe 1998). */
  difference_interval: [number, number] | null;
  /** d / CR_A; `null` when CR_A is 0. */
  relative_lift: number | null;
  /** Pooled two-proportion z statistic; `null` when a group is empty or nobody / everybody converted. */
  z: number | null;
  /** Two-sided p-value of the pooled z-test. */
  p_value: number | null;
  verdict: AbVerdict;
  /**
   * When not decisive: exposures per group to detect the observed difference with 80 % power at
   * 5 % two-sided significance (normal approximation without continuity correction); `null` otherwise.
   */
  needed_per_group: number | null;
}

/** The A/B section. Unavailable codes: `no_ab_groups`, `invalid_ab_period`, `no_ab_data`, `unknown_goal`. */
export interface AbReport {
  by: AbBy;
  source: AbSource;
  /** The goal event name given, else `purchase`. */
  goal: string;
  a: AbGroup;
  b: AbGroup;
  /** Users counted in both groups (events only). */
  in_both: number;
  stats: AbStats;
  /** Every experiment group of the log's variant column, in label order (empty without one). */
  variants: string[];
}

// ── actions (操作清单, DEFINITIONS §11) ─────────────────────────────────────────────────────────

/** Thresholds of the action list. Unknown fields are an error. */
export interface ActionOptions {
  /** Restock lead time L, days (default 7): a product fires when its days of cover < L. */
  lead_time_days?: number;
  /** Refund spike: a product's refund rate ≥ this multiple of the shop's (default 2). */
  refund_rate_multiple?: number;
  /** Refund spike: paid orders a product needs to be judged (default 10). */
  min_paid_orders?: number;
  /** Ride a riser: growth at least this fraction (default 0.5). */
  riser_growth?: number;
  /** Ride a riser: days of cover below this (default 28). */
  riser_cover_days?: number;
  /** Fix a funnel step: calendar days before the last day whose median is the norm (default 28). */
  funnel_median_days?: number;
  /** Fix a funnel step: days with a rate needed in that window (default 7). */
  funnel_min_history_days?: number;
}

/** The five rules, in tie-break order. */
export type ActionCode = 'restock' | 'win_back' | 'refund_spike' | 'fix_funnel_step' | 'ride_riser';

/** A figure behind an action: a stable name (`lead_time_days`, `shop_refund_rate` …) and its value. */
export type ActionFigure =
  | { name: string; unit: 'money' | 'ratio' | 'count' | 'days' | 'multiple'; value: number }
  | { name: string; unit: 'text'; value: string };

/** A product an action acts on, with the figures of its rule (the others `null`). Money in cents. */
export interface ActionProduct {
  key: string;
  title: string | null;
  /** This product's share of the stake, cents. */
  stake: number;
  stock: number | null;
  /** Mean units per day over the last 28 days (§8). */
  daily_demand: number | null;
  /** Mean revenue per day over the same days, cents. */
  daily_revenue: number | null;
  /** stock / daily demand. */
  days_of_cover: number | null;
  /** Target − max(cover, 0): the lead time (restock) or the riser cover (ride a riser). */
  days_short: number | null;
  suggested_order: number | null;
  paid_orders: number | null;
  revenue: number | null;
  refunds: number | null;
  refund_rate: number | null;
  growth: number | null;
  quadrant: Quadrant | null;
}

/** A customer to win back: what a coupon campaign needs. */
export interface ActionCustomer {
  customer: string;
  segment: Segment;
  /** `YYYY-MM-DD`. */
  last_order_day: string;
  recency_days: number;
  orders: number;
  /** GMV of the customer's paid orders, cents. */
  spend: number;
}

/** A funnel step on the comparison day against its median. */
export interface ActionStep {
  /** 1-based index of the step entered. */
  index: number;
  from: FunnelStep;
  to: FunnelStep;
  entrants: number;
  reached: number;
  today_rate: number | null;
  median_rate: number | null;
  history_days: number;
  /** median − today, fraction. */
  drop: number | null;
}

/** What an action acts on. */
export type ActionList =
  | { kind: 'products'; rows: ActionProduct[] }
  | { kind: 'customers'; rows: ActionCustomer[] }
  | { kind: 'steps'; rows: ActionStep[] };

/** A rule that fired. */
export interface Action {
  code: ActionCode;
  /** Money at stake, cents of the report's currency. */
  stake: number;
  /** The rule in one sentence, thresholds filled in. */
  rule_en: string;
  rule_zh: string;
  figures: ActionFigure[];
  list: ActionList;
}

/** A rule whose data is missing, and the export that would unlock it. */
export interface LockedAction {
  code: ActionCode;
  reason: Unavailable;
}

/** The action list: always present. */
export interface ActionReport {
  /** Rules that fired, by stake descending (ties in rule order). */
  actions: Action[];
  /** Rules that could not run. */
  locked: LockedAction[];
  /** Rules that ran and found nothing to do. */
  quiet: ActionCode[];
}

// ── promotion readout (活动复盘) ─────────────────────────────────────────────────────────────────

/** Whole days `from` … `to` (both included), `YYYY-MM-DD`. */
export interface DayWindow {
  from: string;
  to: string;
}

/**
 * Windows of the promotion readout. Unknown fields are rejected; a date that is not a real
 * `YYYY-MM-DD` day, or `from` after `to`, is an `invalid_option` error.
 */
export interface PromotionOptions {
  /** The campaign window; omitted: the top proposal (the data's biggest GMV peak). */
  campaign?: DayWindow;
  /**
   * `before` (default): the same length ending the day before the campaign; `year_before`: the same
   * calendar dates one year earlier (29 Feb → 28 Feb); or a window of its own.
   */
  baseline?: 'before' | 'year_before' | DayWindow;
}

/** A platform festival a window falls on. */
export type Occasion = '618' | 'double_11' | 'double_12' | 'nianhuo' | 'womens_day' | 'bfcm' | 'prime_day';

/**
 * A campaign window proposed from the data: days whose GMV is at least 1.4 × the median daily GMV of
 * the ±28 days around them, merged across gaps of up to 2 days, ranked by excess GMV.
 */
export interface PromotionProposal {
  from: string;
  to: string;
  days: number;
  /** The festival it overlaps most, if any. */
  occasion: Occasion | null;
  /** GMV of the window, cents. */
  gmv: number;
  /** Σ (daily GMV − reference median) over the window, cents. */
  excess_gmv: number;
  /** Day of highest GMV. */
  peak_day: string;
  /** That day's GMV over its reference median. */
  peak_ratio: number;
}

/** One window with every §2 KPI. */
export interface PromotionWindow {
  from: string;
  to: string;
  /** Length in days. */
  days: number;
  /** Days between the data's first and last paid day; per-day figures divide by this. */
  covered_days: number;
  kpi: KpiSet;
}

/** One KPI side by side; changes are relative to the baseline (`null` when undefined). */
export interface PromotionKpiRow {
  metric:
    | 'gmv' | 'refunds' | 'net_sales' | 'paid_orders' | 'buyers' | 'revenue_per_buyer' | 'aov' | 'units'
    | 'refund_rate' | 'refund_order_rate' | 'repurchase_rate' | 'new_buyers' | 'returning_buyers'
    | 'visitors' | 'conversion_rate';
  /** `money`: cents; `ratio`: a fraction. */
  unit: 'money' | 'count' | 'ratio';
  baseline: number | null;
  campaign: number | null;
  after: number | null;
  change: number | null;
  after_change: number | null;
  /** Whether the metric is a sum (per-day figures are given only then). */
  additive: boolean;
  baseline_per_day: number | null;
  campaign_per_day: number | null;
  after_per_day: number | null;
  change_per_day: number | null;
  after_change_per_day: number | null;
}

/** One factor of GMV. */
export interface PromotionFactor {
  factor: 'buyers' | 'orders_per_buyer' | 'aov' | 'visitors' | 'conversion_rate' | 'revenue_per_buyer';
  baseline: number;
  campaign: number;
  /** ln(campaign/baseline) / ln(GMV₁/GMV₀); the shares sum to 1. */
  share: number | null;
  /** share × ΔGMV, cents (the waterfall step). */
  contribution: number | null;
}

/** GMV as a product of three factors, baseline against campaign. */
export interface PromotionDecomposition {
  gmv_baseline: number;
  gmv_campaign: number;
  factors: PromotionFactor[];
  /** Why the shares are `null`: GMV unchanged, or a factor (or GMV) ≤ 0. */
  undefined: 'gmv_unchanged' | 'zero_factor' | null;
}

/** The promotion readout (DEFINITIONS §7). */
export interface PromotionReport {
  /** Proposed campaign windows, best first. */
  proposals: PromotionProposal[];
  campaign_source: 'chosen' | 'proposed';
  baseline_source: 'before' | 'year_before' | 'chosen';
  occasion: Occasion | null;
  data_first_day: string;
  data_last_day: string;
  baseline: PromotionWindow;
  campaign: PromotionWindow;
  /** The window of the campaign's length right after it (see `covered_days`). */
  after: PromotionWindow;
  rows: PromotionKpiRow[];
  decomposition: {
    /** buyers × orders per buyer × AOV; `null` without customer ids. */
    orders: PromotionDecomposition | null;
    /** visitors × conversion × 客单价; `null` unless shop traffic covers every day of both windows. */
    traffic: PromotionDecomposition | null;
    traffic_unavailable: Unavailable | null;
  };
  new_buyers: {
    count: number | null;
    share: number | null;
    /** New buyers with another paid order after the campaign, up to `observed_until`. */
    came_back: number | null;
    came_back_rate: number | null;
    observed_until: string;
    days_observed: number;
  };
  /** Refunds of the campaign's paid orders as exported up to `as_of`. */
  refunds: {
    refunds: number;
    refunded_orders: number;
    paid_orders: number;
    refund_rate: number | null;
    refund_order_rate: number | null;
    baseline_refund_rate: number | null;
    as_of: string;
  };
  products: {
    products: PromotionProductLift[];
    top_gainers: PromotionProductLift[];
    top_losers: PromotionProductLift[];
  };
}

/** One product's revenue (§6 allocation), campaign against baseline. */
export interface PromotionProductLift {
  key: string;
  title: string | null;
  baseline_revenue: number;
  campaign_revenue: number;
  baseline_units: number;
  campaign_units: number;
  baseline_per_day: number | null;
  campaign_per_day: number | null;
  /** Cents per day. */
  lift_per_day: number | null;
  change: number | null;
}

// ── breakdowns (DEFINITIONS §10) ───────────────────────────────────────────────────────────────

/** A dimension the KPIs can be broken down by. */
export type Dimension = 'platform' | 'shop' | 'channel' | 'region' | 'customer_type' | 'category';

/** Options of the breakdowns. */
export interface BreakdownOptions {
  /** Dimensions to compute; default (empty): every dimension the data carries. */
  dimensions?: Dimension[];
  /** Groups drawn as their own line in the trend series (largest by GMV), the rest summed into "other"; default 5. */
  trend_groups?: number;
}

/** One group of a dimension. */
export interface BreakdownGroup {
  /**
   * The value as the data writes it (shop, channel, province — Chinese provinces by their full name,
   * 福建 → 福建省 — category); a platform code (`taobao`) or `new` / `returning` for those
   * dimensions; empty for the unknown group.
   */
  name: string;
  /** The group of paid orders (lines) whose value is blank. */
  unknown: boolean;
  /** Every KPI of the group over the whole range; visitors, conversion and ad figures are `null`. */
  kpi: KpiSet;
  /** The group's GMV / total GMV; `null` when the total GMV is 0. */
  gmv_share: number | null;
}

/** One period of a group's trend. */
export interface GroupPoint {
  /** GMV, cents. */
  gmv: number;
  /** Refunds, cents. */
  refunds: number;
  paid_orders: number;
  units: number;
  /** Distinct buyers of the group in the period; `null` without customer ids. */
  buyers: number | null;
}

/** A group's line in a trend; `points[i]` is the period `periods[i]` of its `GroupTrend`. */
export interface GroupSeries {
  /** The group's name; empty for unknown and other. */
  name: string;
  unknown: boolean;
  /** The sum of every group not drawn on its own. */
  other: boolean;
  points: GroupPoint[];
}

/** The largest groups and "other" at one grain; the series of a period sum to its GMV, refunds, units (and paid orders for order-level dimensions). */
export interface GroupTrend {
  /** Period labels as `KpiPoint.period`, dense from the first to the last paid order's period. */
  periods: string[];
  series: GroupSeries[];
}

/** The breakdown of the KPIs by one dimension. */
export interface DimensionBreakdown {
  dimension: Dimension;
  /**
   * Groups by GMV, largest first, the unknown group last. GMV, refunds and units of the groups sum
   * exactly to the total; paid orders too when `orders_sum_to_total`; buyers are distinct per group
   * and never sum.
   */
  groups: BreakdownGroup[];
  /** False for `category`: an order with lines in several categories counts in each (its GMV is allocated to lines by value, largest remainder). */
  orders_sum_to_total: boolean;
  daily: GroupTrend;
  weekly: GroupTrend;
  monthly: GroupTrend;
}

/** A dimension the data does not carry, and the export that would unlock it. */
export interface MissingDimension {
  dimension: Dimension;
  /** Codes: `no_shop_column`, `no_channel_column`, `no_region_column`, `no_customer_ids`, `no_category`. */
  reason: Unavailable;
}

/** The breakdowns section. */
export interface BreakdownReport {
  /** The KPIs of all paid orders: the sum the groups add up to. */
  total: KpiSet;
  /** One per dimension the data carries, in the order platform, shop, channel, region, customer_type, category. */
  dimensions: DimensionBreakdown[];
  /** The dimensions asked for that the data does not carry. */
  unavailable: MissingDimension[];
}

// ── SQL ─────────────────────────────────────────────────────────────────────────────────────

/** The SQL dialects a script is written in: DuckDB (one machine) or Spark SQL (`spark-sql`, `spark.sql`). */
export type SqlDialect = 'duckdb' | 'spark';

/**
 * A section with a script (one result set each; {@link sqlSections} lists them):
 * - `kpi`: §2 KPIs over the whole range, one row.
 * - `kpi_series`: §2 per day, ISO week and month (a `grain` column).
 * - `cohorts`: §3 cohorts, retention and LTV.
 * - `rfm`: §4 scores and segments, per customer.
 * - `products`: §6 ranking with the largest-remainder allocation, ABC, quadrants and the scorecard
 *   (cost and stock from the SKU lists beside the orders; item conversion from a behaviour log or an
 *   item traffic export beside them).
 * - `funnel`: §5 from a behaviour log (distinct or sequential within the window) or from traffic
 *   rows (Σ 访客数 → 加购人数 → 支付买家数); one row shape with a `part` column: the steps, the event
 *   names and users, and the other parts of the funnel report as they land.
 * - `ab`: §9 the A/B readout from a behaviour log.
 * - `promotion`: §7 the readout of the options' window or the top GMV peak, with the traffic
 *   decomposition when a shop traffic export covers both windows (a `part` column).
 * - `stock`: §8 demand, days of cover, reorder point and suggested order (the order export and the
 *   SKU/stock list loaded beside it).
 * - `breakdowns`: §10 KPIs and share of GMV per group of each dimension, and the trend of the
 *   largest groups (a `grain` column).
 * - `actions`: §11 the action list (restock, win back, refund spike, fix a funnel step, ride a
 *   riser), each rule that fires with its stake and list, one row per list row.
 */
export type SqlSection =
  | 'kpi'
  | 'kpi_series'
  | 'cohorts'
  | 'rfm'
  | 'products'
  | 'funnel'
  | 'ab'
  | 'promotion'
  | 'stock'
  | 'breakdowns'
  | 'actions'
  | (string & {});

/** Where the database reads the export: a CSV file at a path it sees, or a table with the export's columns as text. */
export type SqlSource = { type: 'file'; name: string } | { type: 'table'; name: string };

/** One script asked for. Unknown fields throw `invalid_option`. */
export interface SqlRequest {
  dialect: SqlDialect;
  section: SqlSection;
  /** Default: the file under the name it was loaded with (`{ type: 'file', name: file }`). */
  source?: SqlSource;
  /**
   * The loaded file the script reads. Default: the one loaded file the section writes a script
   * for (an order export rather than its line items); `several_files` when there are more.
   */
  file?: string;
  /**
   * Where the database reads the session's other files, by the name each was loaded with, for a
   * section that reads more than one (`stock`: the SKU list beside the orders), e.g.
   * `{ 'skus.csv': { type: 'table', name: 'erp.skus' } }`. Default: each under its loaded name.
   */
  sources?: Record<string, SqlSource>;
}

/** A script that could be written: a section over one loaded file, the view it belongs to, and why not when it cannot. */
export interface SqlOffer {
  section: SqlSection;
  file: string;
  /** The view whose figures it computes, or `null` for a section no view shows. */
  view: ViewName | null;
  error: { code: SqlErrorCode; message: string } | null;
}

/**
 * The SQL script of one section's figures over one loaded export, in DuckDB or Spark SQL: named
 * CTEs per step of the definition, each citing its DEFINITIONS section, the export's own column
 * names, values read the way the engine reads them (amounts with ¥ and 元, statuses, timestamps at
 * their wall clock). For data past a browser tab: run it where the data lives.
 *
 * `from`: a session finished with `{ keep: true }` (its files and options), or a report with, in
 * `options`, the `AnalyzeOptions` it was computed with (the cohort period and a file's status
 * meanings change the script).
 *
 * ```js
 * const session = await createSession();
 * await session.addFile({ name: 'orders.csv', data });
 * session.finish({ keep: true });
 * const sql = await toSql(session, { dialect: 'spark', section: 'kpi', source: { type: 'table', name: 'shop.orders' } });
 * ```
 *
 * @throws {ShoplensError} a {@link SqlErrorCode}, with `file` when the request named one;
 *   `invalid_option` (an unknown dialect, section or field); `invalid_input`.
 */
export function toSql(from: Session | Report, request: SqlRequest & { options?: AnalyzeOptions }): Promise<string>;

/** Every section × loaded file a script could be written for (see {@link toSql} for `from`). */
export function sqlOffers(from: Session | Report, control?: { options?: AnalyzeOptions }): Promise<SqlOffer[]>;

/** The codes of the sections that have a script, in order. */
export function sqlSections(): Promise<SqlSection[]>;
