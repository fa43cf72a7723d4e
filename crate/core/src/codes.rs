//! The engine's stable codes, each declared once with its texts: why a row was rejected or a line
//! skipped ([`ReasonCode`]), what to know about a file ([`NoteCode`]), why a section is unavailable
//! ([`UnavailableCode`]) and why a file could not be read ([`ErrorCode`]).
//!
//! A code is an enum variant: the engine can only emit a declared one, and a declared one cannot
//! lack a text in either language (the macro takes the zh-CN and English texts beside the code).
//! Reports and JS see the snake_case [`code`](ReasonCode::code) string, unchanged; the views look
//! the texts up by the variant (`crate::view::i18n`), and `js/index.d.ts`'s unions are checked
//! against [`ReasonCode::ALL`] and the others by `tests/codes_dts.rs`.
//!
//! What a code is about (the row and its raw value, the currencies, the numbers of `too_large`)
//! is data beside the code: a [`crate::ingest::RowIssue`], a note's message, an
//! [`crate::error::ErrorKind`]'s fields.
//!
//! Adding a code is one line here (variant, code, zh-CN, English) plus the test that emits it.

use std::fmt;

/// What every code enum has: its string, its texts, and the list of them.
pub trait Code: Copy + 'static + serde::Serialize {
    const ALL: &'static [Self];
    const PREFIX: &'static str;
    fn code(self) -> &'static str;
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
}

/// Declares one code enum: `Variant = "code", "zh-CN text", "English text";` per code. Generates
/// `code()`, `zh()`, `en()`, `ALL`, `from_code()`, and serde as the code string.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident = $prefix:literal {
        $($variant:ident = $code:literal, $zh:literal, $en:literal;)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = $en] $variant,)*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The i18n key prefix: the text of a code is also found under `prefix.code`.
            pub const PREFIX: &'static str = $prefix;
            const CODES: &'static [&'static str] = &[$($code),*];

            /// The stable snake_case code, as reports and JS carry it.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }
            /// The zh-CN text.
            pub const fn zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)*
                }
            }
            /// The English text.
            pub const fn en(self) -> &'static str {
                match self {
                    $($name::$variant => $en,)*
                }
            }
            /// The variant of a code string, if it is one.
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl Code for $name {
            const ALL: &'static [$name] = $name::ALL;
            const PREFIX: &'static str = $name::PREFIX;
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn zh(self) -> &'static str {
                $name::zh(self)
            }
            fn en(self) -> &'static str {
                $name::en(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.code().to_string()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.code() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.code() == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let code = <String as serde::Deserialize>::deserialize(d)?;
                $name::from_code(&code)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&code, $name::CODES))
            }
        }
    };
}

codes! {
    /// Why a row was rejected (`LoadReport::rejected`) or a line skipped (`LoadReport::skipped`).
    ReasonCode = "reason" {
        InvalidMoney = "invalid_money",
            "金额无法识别",
            "Amount not readable";
        InvalidNumber = "invalid_number",
            "数字无法识别",
            "Number not readable";
        InvalidPercent = "invalid_percent",
            "百分比无法识别",
            "Percentage not readable";
        InvalidTime = "invalid_time",
            "时间无法识别",
            "Time not readable";
        ImplausibleDate = "implausible_date",
            "日期不在 1990–2100 年之间（输入错误或被 Excel 改动）",
            "Date outside 1990–2100 (a typo, or a cell Excel changed)";
        MissingTime = "missing_time",
            "缺少时间",
            "Missing time";
        MissingOrderId = "missing_order_id",
            "缺少订单编号",
            "Missing order id";
        MissingUserId = "missing_user_id",
            "缺少用户ID",
            "Missing user id";
        MissingProduct = "missing_product",
            "缺少商品",
            "Missing product";
        NegativeQuantity = "negative_quantity",
            "数量为负",
            "Negative quantity";
        ScientificId = "scientific_id",
            "编号被 Excel 改成了科学计数法",
            "Id mangled into scientific notation by Excel";
        RaggedRow = "ragged_row",
            "列数与表头不一致",
            "Wrong number of columns";
        UnknownEventType = "unknown_event_type",
            "未知行为类型",
            "Unknown event type";
        MissingEventType = "missing_event_type",
            "缺少行为（事件名）",
            "Missing event name";
        UnknownStatus = "unknown_status",
            "未知订单状态",
            "Unknown order status";
        OrderNotLoaded = "order_not_loaded",
            "所属订单未导入",
            "Its order is not loaded";
        OutOfRange = "out_of_range",
            "数值超出范围",
            "Value out of range";
        InvalidEncoding = "invalid_encoding",
            "编码错误",
            "Invalid encoding";
        BlankLine = "blank_line",
            "空行",
            "Blank line";
        TitleLine = "title_line",
            "标题行",
            "Title line";
        SummaryRow = "summary_row",
            "合计行",
            "Summary row";
        DetailLines = "detail_lines",
            "明细行",
            "Detail lines";
        NotReadAfterError = "not_read_after_error",
            "出错后未读取的行",
            "Not read after the error";
    }
}

codes! {
    /// Something to know about a file that is not a rejected row (`LoadReport::notes`).
    NoteCode = "note" {
        CurrencyNotStated = "currency_not_stated",
            "文件未注明币种（无币种列，金额无货币符号）：金额不带符号显示，且不与其他币种相加。请在数据页为它选择币种。",
            "The export names no currency (no currency column, no symbol in the amounts): its amounts are shown without a currency and never added to another currency's. Set its currency on the Data tab.";
        CurrencyMixed = "currency_mixed",
            "文件含多种币种：shoplens 按文件记币种，本文件金额单独列出、不换算。请按币种拆分导出。",
            "The file holds several currencies: shoplens keeps one currency per file, so this file's amounts are kept apart and not converted. Split the export by currency.";
        CurrencySymbolAmbiguous = "currency_symbol_ambiguous",
            "金额符号（$ 或 ¥）可对应多种货币，已按平台判断；如不对，请在数据页选择币种。",
            "The amounts' symbol ($ or ¥) is used by several currencies; it was read from the platform. Set the file's currency on the Data tab if that is wrong.";
        CurrencyFromFiles = "currency_from_files",
            "文件未注明币种，按同时导入的其他文件所注明的唯一币种计。如不对，请在数据页选择币种。",
            "The file names no currency; it is taken to be in the one currency the other files state. Set its currency on the Data tab if not.";
        QuotesLiteral = "quotes_literal",
            "按您的选择，引号作为普通字符读取。",
            "Quotes were read as ordinary characters, as you chose.";
        AllOrdersPaid = "all_orders_paid",
            "此文件没有付款时间或订单状态，所有订单均按已支付计算。",
            "This file has neither a payment time nor a status: every order counts as paid.";
        OneOrderPerRow = "one_order_per_row",
            "此文件没有订单编号列，每行按一个订单计算。",
            "This file has no order id column: each row counts as one order.";
        PaidByStatus = "paid_by_status",
            "没有付款时间，按订单状态判断是否已支付。",
            "No payment time: paid orders are recognised by their status.";
        NoCustomerIds = "no_customer_ids",
            "此文件没有买家标识，无法计算买家数、复购、同期群与 RFM。",
            "This file has no buyer id: buyers, repurchase, cohorts and RFM need one.";
        DetailLines = "detail_lines",
            "此文件是商品明细（没有下单时间），各行会挂到同时导入的订单报表中的订单上。",
            "Line items without order times: they attach to the orders of an order export loaded with this file.";
        UnknownStatusByAmount = "unknown_status_by_amount",
            "部分订单状态不在已知列表中，且导出没有付款时间：实付金额大于 0 的订单按已支付计算。可在「数据」页说明每个状态的含义。",
            "Some order statuses are not known to shoplens and the export has no payment time: orders with a paid amount above 0 are counted as paid. Say what each status means on the Data tab.";
        EventsWithoutNames = "events_without_names",
            "没有事件列：每一行按一次商品浏览读取。若文件有事件列，请在「数据」页指定。",
            "No event column: every row is read as a view of its item. Map the event column on the Data tab if the file has one.";
        BuyersByName = "buyers_by_name",
            "此文件没有买家 ID 或邮箱，买家按姓名区分：同名买家会被算作一人。若有其他列能标识买家，请在「数据」页选择它。",
            "This export has no buyer id or e-mail, so buyers are told apart by their names: buyers who share a name count as one. If another column identifies the buyer, choose it on the Data tab.";
        DecimalComma = "decimal_comma",
            "该列金额使用小数逗号书写（43,99 即 43.99），已按此读取。",
            "Amounts in this column are written with a decimal comma (43,99 is 43.99) and are read that way.";
        AmountGrainLine = "amount_grain_line",
            "同一订单的各行金额不同：按商品行金额读取，并按订单求和。若实为订单金额，请在「数据」页把粒度改为「订单」。",
            "The amount differs between the rows of one order: it is read as each line's amount and summed per order. If it is the order's amount, set the grain to \"order\" on the Data tab.";
        AmountGrainOrder = "amount_grain_order",
            "同一订单的各行金额相同（或只在首行给出）：按订单金额读取，只计一次。若实为商品行金额，请在「数据」页把粒度改为「商品行」。",
            "The amount is the same on every row of an order (or on its first row only): it is read as the order's amount and counted once. If it is per line, set the grain to \"line\" on the Data tab.";
        AmountGrainSet = "amount_grain_set",
            "金额粒度按你的设置读取（商品行求和或订单只计一次）。",
            "The amount's grain is read as you set it (per line, summed; or per order, counted once).";
        RefundGrainLine = "refund_grain_line",
            "同一订单的各行退款金额不同：按商品行退款读取，并按订单求和。",
            "The refund differs between the rows of one order: it is read per line and summed per order.";
        UnitsWithoutProduct = "units_without_product",
            "没有商品列：每行的数量计入件数，归到一个未命名商品。",
            "No product column: each row's quantity counts in units, on a line of an unnamed product.";
        UnknownStatusIgnored = "unknown_status_ignored",
            "部分订单状态不在已知列表中；是否已支付按付款时间判断。",
            "Some order statuses are not known to shoplens; orders are judged paid by their payment time.";
        RefundMayIncludeAdjustments = "refund_may_include_adjustments",
            "退款金额可能包含调整项。",
            "Refund amounts may include adjustments.";
        Container = "container",
            "此文件包含多个部分（工作表或压缩包中的文件），每个部分单独导入：{}",
            "This file holds several parts (sheets, or files in the archive), each loaded on its own: {}";
        OverrideColumnMissing = "override_column_missing",
            "映射中指定的列在此文件中不存在，该设置未生效。",
            "The mapping names a column this file does not have; that setting has no effect.";
    }
}

codes! {
    /// Why a report section could not be computed (`Section::Unavailable`, an action locked).
    UnavailableCode = "unavailable" {
        FunnelHistoryShort = "funnel_history_short",
            "漏斗每日数据不足：最后一天之前 28 天内至少需要 7 天。",
            "Too little daily funnel data: at least 7 days are needed in the 28 days before the last day.";
        FunnelTrendNotDaily = "funnel_trend_not_daily",
            "需要按天的漏斗趋势。",
            "The funnel trend must be by day.";
        NoShopColumn = "no_shop_column",
            "需要带店铺名称列（店铺名称 / Store）的订单报表。",
            "Load an order export with a shop column (店铺名称 / Store).";
        NoChannelColumn = "no_channel_column",
            "需要带渠道或流量来源列（订单来源、流量来源、Source、Referring Site，或带 utm_source 的 Landing Site）的订单报表。",
            "Load an order export with a channel or traffic source column (订单来源, 流量来源, Source, Referring Site, or a Landing Site with utm_source).";
        NoRegionColumn = "no_region_column",
            "需要带收货地址或省份列（收货地址、省份、Billing Province、Country）的订单报表。",
            "Load an order export with the buyer's address or province (收货地址, 省份, Billing Province, Country).";
        NoCategory = "no_category",
            "需要订单商品明细（宝贝报表 / line items）以及商品类目（类目 / Product Type，可来自商品资料表）。",
            "Load order lines (宝贝报表 / line items) and product categories (类目 / Product Type, e.g. from a product list).";
        NoOrders = "no_orders",
            "需要订单报表（淘宝/天猫订单报表、京东订单、Shopify orders、Amazon All Orders 等）才能计算支付金额等指标。",
            "Load an order export (Taobao 订单报表, JD orders, Shopify orders, Amazon All Orders …) to see GMV and the other figures.";
        NoPaidOrders = "no_paid_orders",
            "已导入的订单中没有已支付订单。请检查订单状态或付款时间列的映射。",
            "None of the loaded orders is paid. Check the mapping of the status or payment-time column.";
        NoCustomerIds = "no_customer_ids",
            "需要带买家标识的订单报表（买家会员名 / 买家ID / Email）才能分析买家、复购、同期群和 RFM。",
            "Load an order export with a buyer id column (买家会员名 / Email / customer id) to see buyers, repurchase, cohorts and RFM.";
        NoEvents = "no_events",
            "需要用户行为日志（天池 UserBehavior、REES46 事件）或生意参谋流量报表才能分析转化漏斗。",
            "Load a behaviour log (Tianchi UserBehavior, REES46 events) or a traffic export (生意参谋) to see the funnel.";
        NoOrderLines = "no_order_lines",
            "需要带商品明细的报表（宝贝报表、Shopify orders 的 Lineitem 列）才能分析商品。",
            "Load an export with line items (宝贝报表, Shopify orders with Lineitem columns) to see products.";
        InvalidReferenceDay = "invalid_reference_day",
            "参考日期格式应为 YYYY-MM-DD。",
            "The reference day must be written YYYY-MM-DD.";
        TooFewSteps = "too_few_steps",
            "漏斗至少需要 2 步。",
            "A funnel needs at least 2 steps.";
        TooManySteps = "too_many_steps",
            "漏斗最多 8 步。",
            "A funnel has at most 8 steps.";
        RepeatedStep = "repeated_step",
            "同一步骤出现了两次，每步需要不同的行为。",
            "A step appears twice; each step needs its own events.";
        EmptyStep = "empty_step",
            "有一步没有选择任何事件。",
            "A step lists no event name.";
        EventNameInTwoSteps = "event_name_in_two_steps",
            "同一个事件名出现在两个步骤中，每个事件名只能属于一步。",
            "An event name is in two steps; each event name may be in one step only.";
        NegativeWindow = "negative_window",
            "转化窗口不能为负。",
            "The conversion window cannot be negative.";
        NoStock = "no_stock",
            "需要商品资料/库存报表（商家编码 + 可用库存，如聚水潭商品资料、Shopify inventory），与订单报表一起导入，才能计算库存周转。",
            "Load a SKU/stock export (SKU + stock on hand, e.g. 聚水潭 商品资料, Shopify inventory) beside the orders to see stock and replenishment.";
        NoAbGroups = "no_ab_groups",
            "请在上方选择两组：两个商品，或两个时间段（A/B 读数需要两组曝光与转化）。",
            "Choose two groups above: two items, or two periods (an A/B readout compares two groups).";
        InvalidAbPeriod = "invalid_ab_period",
            "时间段需写成 YYYY-MM-DD，且结束日不早于开始日。",
            "Periods are written YYYY-MM-DD and end on or after their first day.";
        NoAbVariants = "no_ab_variants",
            "所载行为日志没有实验分组列（variant、ab_group、实验分组 等）：请按两个商品或两个时间段比较。",
            "The behaviour log has no experiment group column (variant, ab_group, 实验分组 …): compare two items or two periods instead.";
        NoAbData = "no_ab_data",
            "需要用户行为日志或生意参谋流量报表（访客数、支付买家数）才能计算 A/B 读数。",
            "Load a behaviour log or a traffic export (visitors, buyers) to see an A/B readout.";
        UnknownGoal = "unknown_goal",
            "行为日志中没有这个目标事件名。",
            "The behaviour log has no event of that goal name.";
        NoPeak = "no_peak",
            "数据中没有找到明显的销售高峰（需要至少 14 天的订单），请在上方手动选择活动日期。",
            "No clear sales peak was found (it needs orders over at least 14 days); choose the campaign dates yourself.";
        InvalidWindow = "invalid_window",
            "活动或基线日期无效：日期应为 YYYY-MM-DD，且开始不晚于结束。",
            "The campaign or baseline dates are invalid: dates are YYYY-MM-DD and the start is not after the end.";
        NoTrafficCoverage = "no_traffic_coverage",
            "流量拆解（访客数 × 转化率 × 客单价）需要覆盖基线和活动期每一天的店铺流量报表（生意参谋）。",
            "The traffic decomposition (visitors × conversion × revenue per buyer) needs a shop traffic export (生意参谋, sessions) covering every day of both windows.";
        InEngineWorker = "in_engine_worker",
            "此部分由分析引擎计算，页面尚未取得。",
            "This section is computed by the engine worker and not yet on the page.";
    }
}

codes! {
    /// Why a file could not be read: the code of an [`crate::error::ErrorKind`].
    ErrorCode = "error" {
        EmptyFile = "empty_file",
            "文件为空，请重新导出。",
            "The file is empty. Export the report again.";
        BinaryInput = "binary_input",
            "这不是文本 (CSV/TSV) 报表，请在 Excel 中另存为 CSV。",
            "This is not a text (CSV/TSV) export. Open it in Excel and save as CSV.";
        UnsupportedContainer = "unsupported_container",
            "文件过大（工作簿或压缩包超过 512 MB），请在 Excel 中另存为 CSV 再导入。",
            "The workbook or ZIP is larger than 512 MB. Save it as CSV from Excel and drop the CSV.";
        UnreadableContainer = "unreadable_container",
            "无法打开该工作簿或压缩包（可能已损坏或加密），请在 Excel 或 WPS 中另存为 CSV 再导入。",
            "The workbook or ZIP could not be opened (damaged or encrypted?). Save it as CSV from Excel or WPS and drop the CSV.";
        UnrecognisedHeader = "unrecognised_header",
            "无法识别表头：请在“数据导入”中选择报表类型和每一列的含义，然后应用。",
            "The header matches no known export. On the Data tab, choose its kind and what each column means, then apply.";
        UnclosedQuote = "unclosed_quote",
            "文件末尾的引号未闭合，文件可能不完整，请重新导出。",
            "A quoted field never closes at the end of the file: the file is probably cut off. Export it again.";
        StrayQuote = "stray_quote",
            "多余的引号：这一格以引号开头却没有闭合，吞掉了其后的行。文件并没有被截断：可以把引号当作普通字符重新读取，或在文本编辑器中删掉这个引号。",
            "A stray quote: this value starts with a quote that never closes and swallows the rows after it. The file is not cut off. Read it again with quotes taken literally, or remove the quote in a text editor.";
        NoDataRows = "no_data_rows",
            "文件只有表头，没有数据行。",
            "The file has a header but no data rows.";
        InvalidOption = "invalid_option",
            "选项无效。",
            "Invalid option.";
        UnknownColumn = "unknown_column",
            "映射中的列在文件中不存在。",
            "The mapping names a column this file does not have.";
        FileFinished = "file_finished",
            "此文件已读取完毕，请重新开始。",
            "This file was already finished; start again.";
        TooLarge = "too_large",
            "这些文件需要的内存超过浏览器单个页面的上限，已在读取数据行之前停止。请按更短的时间范围分批导出（或一次少放几个文件）后分别分析。",
            "These files would need more memory than one browser page can have, so loading stopped before reading their rows. Export a shorter date range per file (or fewer files at once) and analyse them separately.";
        BadPart = "bad_part",
            "此文件分段并行读取后无法合并（内部错误），请重新导入该文件。",
            "A part of this file, read in parallel, could not be merged (an internal error). Load the file again.";
    }
}

impl NoteCode {
    /// The notes of `crate::currency::detect`, decided anew for a whole file.
    pub fn is_currency(self) -> bool {
        matches!(
            self,
            NoteCode::CurrencyNotStated
                | NoteCode::CurrencyMixed
                | NoteCode::CurrencySymbolAmbiguous
                | NoteCode::CurrencyFromFiles
        )
    }
}
