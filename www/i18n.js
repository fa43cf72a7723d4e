// The page's own words in zh-CN and English. The views themselves (figures, charts, tables) are
// written by the engine in the chosen language; this table only covers the page around them.
// Static elements name their string with data-i18n="key" (text) or
// data-i18n-attr="attribute:key;attribute:key" (aria-label, placeholder, title …).

export const LANGS = ['zh-CN', 'en'];
const STORAGE_KEY = 'shoplens.lang';

const STRINGS = {
  'app.tagline': ['电商数据，在浏览器里分析', 'E-commerce analytics in your browser'],
  'app.privacy': [
    '文件只在这台电脑的浏览器中处理，不会上传到任何服务器。',
    'Files are processed in this browser on this computer and never uploaded anywhere.',
  ],
  'lang.label': ['界面语言', 'Language'],
  'drop.title': ['把导出的报表拖到这里', 'Drop your exports here'],
  'drop.hint': [
    '千牛订单报表、宝贝报表、生意参谋、京东、拼多多、抖店、Shopify、WooCommerce、Amazon、天池行为日志… CSV / TSV / TXT / Excel / ZIP，可一次选多个文件',
    'Taobao order and item reports, Sycm, JD, Pinduoduo, Douyin, Shopify, WooCommerce, Amazon, Tianchi logs… CSV, TSV, TXT, Excel or ZIP, several at once',
  ],
  'drop.choose': ['选择文件', 'Choose files'],
  'drop.sample': ['用示例数据试试', 'Try with sample data'],
  'drop.add': ['添加文件', 'Add files'],
  'drop.overlay': ['松开鼠标，添加这些文件', 'Release to add these files'],
  'drop.zone_label': ['文件拖放区', 'File drop zone'],
  'guide.title': ['不同报表能看到什么', 'Which exports unlock which views'],
  'guide.orders.what': ['订单报表', 'Order export'],
  'guide.orders.where': ['千牛订单报表、京东/拼多多/抖店订单、Shopify、Amazon All Orders…', 'Taobao order report, JD / Pinduoduo / Douyin orders, Shopify, Amazon All Orders…'],
  'guide.orders.views': ['概览 · 同期群 · 客户分层', 'Overview · Cohorts · Customers'],
  'guide.lines.what': ['订单明细与商品资料', 'Order lines and product list'],
  'guide.lines.where': ['宝贝报表、销售明细；ERP 商品资料（成本、库存）', 'Item report or sales detail; ERP SKU list with cost and stock'],
  'guide.lines.views': ['商品排行 · ABC · 波士顿矩阵 · 选品评分', 'Product ranking · ABC · BCG · scorecard'],
  'guide.events.what': ['行为日志或流量报表', 'Behaviour log or traffic'],
  'guide.events.where': ['天池 / REES46 用户行为日志，生意参谋店铺日报', 'Tianchi / REES46 behaviour logs, Sycm daily shop traffic'],
  'guide.events.views': ['转化漏斗 · 支付转化率', 'Funnel · conversion rate'],
  'sample.description': ['示例：简衣社服饰（虚构淘宝店）2025 年上半年的数据', 'Sample: 简衣社服饰, an invented Taobao shop, first half of 2025'],
  'sample.loading': ['正在载入示例数据…', 'Loading the sample data…'],
  'sample.failed': ['示例数据载入失败：', 'The sample data could not be loaded: '],
  'files.title': ['已加载的文件', 'Loaded files'],
  'files.remove': ['移除 {name}', 'Remove {name}'],
  'files.clear': ['全部清空', 'Clear all'],
  'progress.title': ['正在读取和分析', 'Reading and analysing'],
  'progress.cancel': ['取消', 'Cancel'],
  'progress.waiting': ['等待中', 'Waiting'],
  'progress.rows': ['{rows} 行', '{rows} rows'],
  'progress.done': ['已读完', 'Read'],
  'progress.failed': ['无法读取', 'Could not be read'],
  'progress.analyzing': ['正在计算各项指标…', 'Computing the report…'],
  'status.cancelled': ['已取消，页面保持取消前的样子。', 'Cancelled; nothing was changed.'],
  'status.failed': ['分析失败：', 'The analysis failed: '],
  'status.engine_loading': ['正在启动分析引擎…', 'Starting the engine…'],
  'status.engine_failed': ['分析引擎无法启动：', 'The engine could not start: '],
  'status.file_error': ['{name}：{message}', '{name}: {message}'],
  'status.render_failed': ['这个视图无法显示：', 'This view could not be shown: '],
  'status.export_failed': ['导出失败：', 'The export failed: '],
  'status.dismiss': ['关闭提示', 'Dismiss'],
  'tabs.label': ['分析视图', 'Views'],
  'tab.overview': ['概览', 'Overview'],
  'tab.funnel': ['转化漏斗', 'Funnel'],
  'tab.cohorts': ['同期群', 'Cohorts'],
  'tab.customers': ['客户分层', 'Customers'],
  'tab.products': ['商品', 'Products'],
  'tab.promotion': ['活动复盘', 'Promotion'],
  'tab.loads': ['数据导入', 'Data'],
  'tab.stock': ['库存', 'Stock'],
  'tab.ab': ['A/B 实验', 'A/B'],
  'ab.by': ['比较', 'Compare'],
  'ab.by.item': ['两个商品', 'Two items'],
  'ab.by.period': ['两个时间段', 'Two periods'],
  'ab.by.variant': ['两个实验组', 'Two experiment groups'],
  'ab.goal': ['目标事件', 'Goal event'],
  'ab.goal.default': ['默认：支付', 'Default: purchase'],
  'ab.compare': ['比较', 'Compare'],
  'stock.lead_time': ['到货周期（天）', 'Lead time (days)'],
  'stock.service_level': ['服务水平', 'Service level'],
  'stock.review': ['补货间隔（天）', 'Review period (days)'],
  'tab.unavailable': ['缺少所需数据', 'Needs more data'],
  'tab.has_issues': ['有未导入的行', 'Some rows were not imported'],
  'tab.has_guesses': ['有需要确认的列或订单状态', 'Some column roles or status meanings need checking'],
  'filters.label': ['筛选', 'Filters'],
  'filters.from': ['开始日期', 'From'],
  'filters.to': ['结束日期', 'To'],
  'filters.platform': ['平台', 'Platform'],
  'filters.category': ['类目', 'Category'],
  'filters.product': ['商品', 'Product'],
  'filters.all': ['全部', 'All'],
  'currency.switch': ['报表币种', 'Report currency'],
  'currency.option': ['{code}（{orders} 笔订单）', '{code} ({orders} orders)'],
  'currency.rates': ['汇率（换算为一种币种）', 'Exchange rates (convert to one currency)'],
  'currency.rate_label': ['1 {from} 可换多少 {to}', 'How many {to} one {from} is'],
  'currency.convert': ['按汇率换算', 'Convert'],
  'currency.no_convert': ['不换算', "Don't convert"],
  'currency.files': ['各文件的币种', "Each file's currency"],
  'currency.file_label': ['{name} 的币种', 'Currency of {name}'],
  'currency.file_auto': ['自动识别', 'As detected'],
  'currency.bad_rate': ['汇率 {pair} 应为大于 0 的数字，填写的是“{value}”。', 'The rate {pair} must be a number above 0, not "{value}".'],
  'filters.reset': ['清除筛选', 'Clear filters'],
  'filters.active': ['已筛选', 'Filtered'],
  'funnel.mode': ['计数方式', 'Counting'],
  'funnel.mode.sequential': ['按步骤顺序', 'In order'],
  'funnel.mode.distinct': ['各步骤去重人数', 'Distinct users per step'],
  'funnel.window': ['转化窗口', 'Window'],
  'funnel.window.1h': ['1 小时', '1 hour'],
  'funnel.window.1d': ['1 天', '1 day'],
  'funnel.window.7d': ['7 天', '7 days'],
  'funnel.window.30d': ['30 天', '30 days'],
  'funnel.window.none': ['不限', 'Unbounded'],
  'funnel.steps': ['漏斗步骤', 'Steps'],
  'funnel.steps.step': ['第 {n} 步', 'Step {n}'],
  'funnel.steps.remove': ['删除第 {n} 步', 'Remove step {n}'],
  'funnel.steps.add': ['＋ 添加步骤', '+ Add step'],
  'funnel.steps.reset': ['恢复默认', 'Default steps'],
  'funnel.steps.canonical': ['标准步骤', 'Standard steps'],
  'funnel.steps.names': ['日志中的事件', 'Event names in the log'],
  'funnel.steps.conflict': ['“{name}”出现在两个步骤中，每个事件只能属于一步。', '"{name}" would be in two steps; each event name may be in one step only.'],
  'cohort.grain': ['同期群周期', 'Cohort period'],
  'cohort.grain.month': ['按月', 'Monthly'],
  'cohort.grain.week': ['按周', 'Weekly'],
  'products.search': ['搜索商品、编码或类目', 'Search products, SKUs or categories'],
  'mapping.pending': ['有 {count} 处修改尚未应用', '{count} unapplied change(s)'],
  'mapping.apply': ['应用修改并重新分析', 'Apply and re-analyse'],
  'mapping.discard': ['撤销修改', 'Discard changes'],
  'mapping.hint': [
    '识别有误时，可以在下面修改文件类型或每一列的含义，然后点“应用修改并重新分析”。',
    'If something was misread, change the file type or what a column means below, then apply.',
  ],
  'mapping.load_file': ['载入映射文件', 'Load a mapping file'],
  'mapping.file_invalid': ['{name} 不是 shoplens 映射文件：{why}', '{name} is not a shoplens mapping file: {why}'],
  'mapping.file_kept': [
    '已保存 {name}：以后导入表头相同的文件时会自动套用（当前没有这样的文件）。',
    '{name} is saved: it applies to files with its header when they are loaded (none is loaded now).',
  ],
  'export.html': ['导出 HTML 报告', 'Export HTML report'],
  // The figures as SQL (sql-dialog.js).
  'sql.open': ['SQL', 'SQL'],
  'sql.open.title': ['这个视图的 SQL：在 DuckDB 或 Spark 上算出同样的数字', 'This view as SQL: the same figures on DuckDB or Spark'],
  'sql.open_all': ['SQL 脚本', 'SQL scripts'],
  'sql.open_all.title': ['每个数字的 SQL 脚本（DuckDB / Spark），按这些文件的列名编写', 'Every figure as SQL (DuckDB / Spark), written for these files’ columns'],
  'sql.title': ['这个视图的 SQL', 'This view as SQL'],
  'sql.title_all': ['这些数据的 SQL 脚本', 'These files as SQL'],
  'sql.intro': [
    '数据太大、浏览器装不下时，把脚本拿到数据所在的地方运行：DuckDB（单机直接读 CSV）或 Spark SQL（集群），算出与本页相同的数字。脚本使用你导出文件的原始列名，每一步注明所依据的定义。',
    'When the data outgrows a browser tab, run the script where it lives: DuckDB (one machine, reads the CSV itself) or Spark SQL (a cluster) computes the same figures as this page. It uses your export’s own column names and cites the definition behind each step.',
  ],
  'sql.dialect': ['SQL 方言', 'Dialect'],
  'sql.section': ['数字', 'Figures'],
  'sql.file': ['导出文件', 'Export'],
  'sql.source': ['读取', 'Read from'],
  'sql.source.file': ['CSV 文件路径', 'CSV file path'],
  'sql.source.table': ['表名', 'Table'],
  'sql.source.placeholder': ['路径或表名', 'Path or table name'],
  'sql.copy': ['复制', 'Copy'],
  'sql.copied': ['已复制', 'Copied'],
  'sql.download': ['下载 .sql', 'Download .sql'],
  'sql.close': ['关闭', 'Close'],
  'sql.section.kpi': ['核心指标汇总', 'KPI totals'],
  'sql.section.kpi_series': ['核心指标按日、周、月', 'KPIs per day, week and month'],
  'sql.section.cohorts': ['同期群留存与 LTV', 'Cohorts, retention and LTV'],
  'sql.section.rfm': ['RFM 评分与客户分层', 'RFM scores and segments'],
  'sql.section.products': ['商品排行、ABC 与潜力/可执行/风险评分', 'Product ranking, ABC and scorecard'],
  'sql.section.funnel': ['转化漏斗', 'Funnel'],
  'sql.section.ab': ['A/B 测试结果', 'A/B readout'],
  'sql.section.promotion': ['活动复盘', 'Promotion readout'],
  'sql.section.stock': ['库存周转与补货建议', 'Stock cover and replenishment'],
  'sql.section.breakdowns': ['按维度拆分（平台、店铺、渠道、地区、新老客、类目）', 'KPIs by dimension (platform, shop, channel, region…)'],
  'sql.section.actions': ['操作清单（补货、召回、退款异常、追加备货）', 'Action list (restock, win back, refund spike, ride a riser)'],
  'sql.error.filter_not_supported': [
    '脚本计算整份导出文件，不带本页的筛选条件：请先清除筛选，再取 SQL。',
    'The scripts compute over the whole export, without this page’s filters: clear the filters to get the SQL.',
  ],
  'sql.error.detail_lines': [
    '这是订单明细（宝贝报表），没有下单时间：请选择与它一起导入的订单报表。',
    'These are line items without order times: choose the order export loaded with them.',
  ],
  'sql.error.no_customer_ids': ['这份导出没有买家 ID 列，无法按买家计算（同期群、RFM）。', 'This export has no customer id column: per-customer figures (cohorts, RFM) need one.'],
  'sql.error.invalid_funnel': ['漏斗设置无效（步骤或时间窗口），请在漏斗页检查设置。', 'The funnel settings are invalid (steps or window): check them on the Funnel tab.'],
  'sql.error.no_ab_groups': [
    '没有选择两组：请在 A/B 页选择两个商品或两个时间段，或导入带实验分组列的行为日志。',
    'No groups chosen: pick two items or two periods on the A/B tab, or load a behaviour log with an experiment group column.',
  ],
  'sql.error.no_ab_variants': ['这份行为日志没有实验分组列，无法按实验组比较。', 'This behaviour log has no experiment group column to compare groups by.'],
  'sql.error.invalid_ab_period': ['A/B 的时间段格式不对：应为 YYYY-MM-DD，且结束不早于开始。', 'An A/B period is malformed: write YYYY-MM-DD, ending on or after its first day.'],
  'sql.error.invalid_window': ['活动或对比窗口的日期无效，请在活动复盘页检查（YYYY-MM-DD，开始不晚于结束）。', 'A campaign or baseline window is invalid: check it on the Promotion tab (YYYY-MM-DD, start on or before end).'],
  'sql.error.invalid_reference_day': ['RFM 的参考日期格式不对，应为 YYYY-MM-DD。', 'The RFM reference day is malformed: write it as YYYY-MM-DD.'],
  'sql.error.no_stock': [
    '库存脚本需要与订单一起导入的商品/SKU 库存表（商家编码 + 可用库存）。',
    'The stock script needs a product/SKU list with stock on hand (SKU + units) loaded beside the orders.',
  ],
  'sql.error.events_loaded': ['同时载入了行为日志：漏斗按日志里的行为计算，请取日志的漏斗脚本。', 'A behaviour log is loaded too: the funnel counts its events, so take the log\'s funnel script.'],
  'sql.error.wrong_kind': ['这类文件没有这组数字的脚本。', 'This kind of file has no script for these figures.'],
  'sql.error.file_not_loaded': ['这个文件没有读取成功，无法生成脚本。', 'This file could not be read, so it has no script.'],
  'sql.error.time_zone_not_supported': [
    '已设置报告时区；脚本按文件中写的时间读取，不做时区换算。',
    'A report time zone is set; the scripts read every time as written, without converting zones.',
  ],
  'footer.engine': ['分析引擎', 'Engine'],
  'footer.offline': ['不联网、不上传：页面的安全策略禁止向其他网站发送任何数据。', 'Offline by design: the page’s security policy forbids sending data anywhere.'],
};

/** `zh-CN` or `en` from a BCP 47 tag list such as navigator.languages. */
export function languageFromBrowser(tags) {
  for (const tag of tags ?? []) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The saved choice, else the browser's. */
export function initialLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(saved)) return saved;
  } catch {
    // Storage can be disabled (privacy settings); fall back to the browser language.
  }
  return languageFromBrowser(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function saveLanguage(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisted; the choice still applies to this visit.
  }
}

/** The page string `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function t(lang, key, params = {}) {
  const entry = STRINGS[key];
  const text = entry ? entry[lang === 'zh-CN' ? 0 : 1] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Writes every data-i18n / data-i18n-attr string under `root` in `lang`. */
export function applyStrings(root, lang) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(lang, element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of element.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split(':');
      if (attribute && key) element.setAttribute(attribute.trim(), t(lang, key.trim()));
    }
  }
}

/** Locale-formatted integer for progress text (the views format their own figures in Rust). */
export function formatCount(lang, n) {
  return new Intl.NumberFormat(lang).format(n);
}

/** `1.2 MB` style size for progress text. */
export function formatBytes(lang, bytes) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
