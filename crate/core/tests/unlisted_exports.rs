//! Exports nobody listed (issue 11): ordinary files whose headers are not in the synonym table,
//! whose amounts are per line, whose statuses and money are written the way other systems write
//! them. Each figure is checked against a brute-force computation over the same rows.

use std::collections::{BTreeMap, BTreeSet};

use shoplens::analysis::kpi::{compute, KpiOptions};
use shoplens::ingest::{FileOptions, IngestOptions, Loaded, Session};
use shoplens::model::DatasetKind;
use shoplens::schema::field::Field;
use shoplens::schema::recognize::Grain;

fn load_with(name: &str, text: &str, opts: IngestOptions) -> Loaded {
    let mut s = Session::new(opts);
    // Small chunks: the sample and the rows after it must not depend on chunking.
    for chunk in text.as_bytes().chunks(1000) {
        let _ = s.push(name, chunk);
    }
    let _ = s.end_file(name);
    s.finish()
}

fn load(name: &str, text: &str) -> Loaded {
    load_with(name, text, IngestOptions::default())
}

fn role(l: &Loaded, header: &str) -> Option<Field> {
    l.reports[0]
        .columns
        .iter()
        .find(|c| c.header == header && c.duplicate_of.is_none())
        .and_then(|c| c.field)
}

/// A plain order-lines export, 2,400 orders over 2–3 lines each (well past the sample), whose
/// `paid_amount` is each line's own paid amount.
fn order_lines_file() -> String {
    let mut text = String::from(
        "order_id,customer_id,order_time,product_id,product_title,quantity,unit_price,paid_amount,status,refund_amount\n",
    );
    let statuses = [
        "paid",
        "Awaiting Fulfillment",
        "To ship",
        "发货中",
        "cancelled",
        "pending",
    ];
    for o in 0..2400u32 {
        let lines = 2 + o % 2;
        for l in 0..lines {
            let product = (o * 7 + l * 3) % 40;
            let qty = 1 + (o + l) % 3;
            let price = 500 + product * 137;
            // A discount that differs per line: the line's paid amount.
            let paid = price * qty - (o % 5) * 10 - l * 7;
            let refund = if o % 11 == 0 && l == 0 { paid / 2 } else { 0 };
            text += &format!(
                "SO{o:05},C{:04},2024-{:02}-{:02} {:02}:{:02}:00,P{product:03},Product {product},{qty},{}.{:02},{}.{:02},{},{}.{:02}\n",
                o % 700,
                1 + o % 12,
                1 + o % 28,
                o % 24,
                o % 60,
                price / 100,
                price % 100,
                paid / 100,
                paid % 100,
                statuses[(o % 6) as usize],
                refund / 100,
                refund % 100,
            );
        }
    }
    text
}

/// Brute force per DEFINITIONS §1 over the rows of [`order_lines_file`]: (GMV, refunds, paid
/// orders, buyers, units).
fn brute_force(text: &str) -> (i64, i64, u64, u64, i64) {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let cents = |s: &str| (s.parse::<f64>().unwrap() * 100.0).round() as i64;
    let (mut gmv, mut refunds, mut units) = (0, 0, 0);
    let mut orders = BTreeSet::new();
    let mut buyers = BTreeSet::new();
    for row in rdr.records() {
        let row = row.unwrap();
        let paid = !matches!(&row[8], "cancelled" | "pending");
        if paid {
            gmv += cents(&row[7]);
            refunds += cents(&row[9]);
            units += row[5].parse::<i64>().unwrap();
            orders.insert(row[0].to_string());
            buyers.insert(row[1].to_string());
        }
    }
    (
        gmv,
        refunds,
        orders.len() as u64,
        buyers.len() as u64,
        units,
    )
}

#[test]
fn a_plain_order_lines_export_with_line_amounts_gives_the_sql_sums() {
    let text = order_lines_file();
    let l = load("orders.csv", &text);
    let r = &l.reports[0];
    assert_eq!(r.kind, Some(DatasetKind::OrderLines));
    assert_eq!(
        (r.rows_rejected, r.rows_used),
        (0, r.rows_read),
        "{:?}",
        r.rejected
    );
    assert_eq!(role(&l, "order_time"), Some(Field::CreatedTime));
    assert_eq!(role(&l, "product_title"), Some(Field::Title));
    assert_eq!(role(&l, "customer_id"), Some(Field::CustomerId));
    assert_eq!(r.decisions.amount_grain, Some(Grain::Line));
    assert_eq!(r.decisions.refund_grain, Some(Grain::Line));
    let note = r.notes.iter().find(|n| n.code == "amount_grain_line");
    assert!(
        note.is_some_and(|n| n.message.contains("orders of several rows")),
        "{note:?}"
    );
    assert!(r.decisions.differing_orders > 0);
    assert!(!r.notes.iter().any(|n| n.code == "no_customer_ids"));
    assert!(!r.notes.iter().any(|n| n.code == "detail_lines"));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    let (gmv, refunds, paid_orders, buyers, units) = brute_force(&text);
    assert_eq!(k.gmv, gmv);
    assert_eq!(k.refunds, refunds);
    assert_eq!(k.paid_orders, paid_orders);
    assert_eq!(k.buyers, Some(buyers));
    assert_eq!(k.units, units);
    // Every status value is listed; the unlisted ones were read as paid by the table.
    for v in ["paid", "Awaiting Fulfillment", "To ship", "发货中"] {
        let s = r.status_values.iter().find(|s| s.value == v).expect(v);
        assert_eq!(s.meaning, "paid", "{v}");
    }
}

#[test]
fn the_user_can_say_the_amount_is_per_order() {
    let text = order_lines_file();
    let mut opts = IngestOptions::default();
    opts.files.insert(
        "orders.csv".into(),
        FileOptions {
            amount_grain: Some(Grain::Order),
            ..FileOptions::default()
        },
    );
    let l = load_with("orders.csv", &text, opts);
    assert_eq!(l.reports[0].decisions.amount_grain, Some(Grain::Order));
    assert!(l.reports[0]
        .notes
        .iter()
        .any(|n| n.code == "amount_grain_set"));
    // Counted once per order: the first line's amount.
    let mut first: BTreeMap<String, (i64, bool)> = BTreeMap::new();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    for row in rdr.records() {
        let row = row.unwrap();
        let cents = (row[7].parse::<f64>().unwrap() * 100.0).round() as i64;
        let paid = !matches!(&row[8], "cancelled" | "pending");
        first.entry(row[0].to_string()).or_insert((cents, paid));
    }
    let gmv: i64 = first.values().filter(|(_, p)| *p).map(|(c, _)| c).sum();
    assert_eq!(compute(&l.dataset, &KpiOptions::default()).total.gmv, gmv);
}

#[test]
fn an_amount_repeated_on_every_line_is_counted_once() {
    let l = load(
        "o.csv",
        "order_no,buyer,order_date,sku,qty,order_total\n\
         A,b1,2024-03-01,S1,1,50.00\nA,b1,2024-03-01,S2,2,50.00\nB,b2,2024-03-02,S1,1,20.00\n",
    );
    let r = &l.reports[0];
    assert_eq!(r.decisions.amount_grain, Some(Grain::Order));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!((k.gmv, k.units, k.paid_orders), (7000, 4, 2));
}

#[test]
fn an_order_per_row_log_with_a_quantity_counts_units() {
    let l = load(
        "tx.csv",
        "Transaction ID,Date,Customer,Quantity,Total\nT1,2024-01-05,c1,3,30.00\n\
         T2,2024-01-06,c2,1,12.50\nT3,2024-01-07,c1,2,20.00\n",
    );
    assert_eq!(l.reports[0].kind, Some(DatasetKind::Orders));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        (k.gmv, k.units, k.paid_orders, k.buyers),
        (6250, 6, 3, Some(2))
    );
}

#[test]
fn a_clickstream_with_ts_is_a_behaviour_log() {
    let l = load(
        "clicks.csv",
        "user_id,event_type,product_id,ts\nu1,view,p1,2024-03-01T10:00:00Z\n\
         u1,cart,p1,2024-03-01T10:01:00Z\nu1,purchase,p1,2024-03-01T10:02:00Z\n",
    );
    let r = &l.reports[0];
    assert_eq!(r.kind, Some(DatasetKind::Events));
    assert_eq!(role(&l, "ts"), Some(Field::EventTime));
    assert_eq!(r.rows_used, 3);
}

#[test]
fn european_money_and_a_semicolon_are_read() {
    let l = load(
        "bestellungen.csv",
        "Bestellnummer;Datum;Kunde;Betrag\n1001;01.03.2024;k1;1 234,56 €\n\
         1002;02.03.2024;k2;43,99 €\n1003;03.03.2024;k1;5,00 €\n1004;04.03.2024;k3;1.000,00 €\n\
         1005;05.03.2024;k2;12,30 €\n",
    );
    let r = &l.reports[0];
    assert_eq!(r.kind, Some(DatasetKind::Orders), "{:?}", r.error);
    assert!(r
        .columns
        .iter()
        .any(|c| c.header == "Betrag" && c.decimal_comma));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(k.gmv, 123_456 + 4_399 + 500 + 100_000 + 1_230);
    assert_eq!(k.paid_orders, 5);
}

#[test]
fn a_payment_export_with_an_event_type_column_is_orders() {
    let l = load(
        "payments.csv",
        "id,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer Email,Event Type\n\
         ch_1,2024-03-01 10:00,25.00,0.00,usd,Paid,a@x.com,charge.succeeded\n\
         ch_2,2024-03-02 10:00,40.00,10.00,usd,Paid,b@x.com,charge.succeeded\n\
         ch_3,2024-03-03 10:00,15.00,0.00,usd,Failed,c@x.com,charge.failed\n\
         ch_4,2024-03-04 10:00,60.00,0.00,usd,Paid,a@x.com,charge.succeeded\n\
         ch_5,2024-03-05 10:00,10.00,0.00,usd,Paid,d@x.com,charge.succeeded\n",
    );
    assert_eq!(l.reports[0].kind, Some(DatasetKind::Orders));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        (k.gmv, k.refunds, k.paid_orders, k.buyers),
        (13500, 1000, 4, Some(3))
    );
}

#[test]
fn guests_keep_their_anonymous_id_as_the_user() {
    let l = load(
        "events.csv",
        "anonymous_id,user_id,event,timestamp,product_id\n\
         a1,,view,2024-03-01T10:00:00Z,p1\na1,,cart,2024-03-01T10:01:00Z,p1\n\
         a1,u9,purchase,2024-03-01T10:05:00Z,p1\na2,,view,2024-03-01T11:00:00Z,p2\n\
         a3,u7,view,2024-03-01T12:00:00Z,p2\n",
    );
    assert_eq!(role(&l, "anonymous_id"), Some(Field::UserId));
    assert_eq!(role(&l, "user_id"), None);
    assert_eq!(l.reports[0].rows_used, 5);
    assert_eq!(l.dataset.customers.len(), 3);
}

#[test]
fn an_erp_order_id_under_its_own_name_groups_lines() {
    let l = load(
        "erp.csv",
        "单据编号,下单日期,会员编号,商品编码,商品名称,数量,成交单价,实收金额,订单状态\n\
         D001,2024-03-01,M1,S1,保温杯,1,99.00,99.00,已发货\nD001,2024-03-01,M1,S2,杯刷,2,5.00,10.00,已发货\n\
         D002,2024-03-02,M2,S1,保温杯,1,99.00,89.00,发货中\n",
    );
    assert_eq!(role(&l, "单据编号"), Some(Field::OrderId));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!((k.paid_orders, k.gmv, k.units), (2, 19_800, 4));
}

#[test]
fn a_header_that_matches_nothing_keeps_its_columns_for_the_mapping_editor() {
    let l = load("x.csv", "foo,bar,baz,qux\nx1,a,b,c\nx2,d,e,f\n");
    let r = &l.reports[0];
    assert_eq!(
        r.error.as_ref().map(|e| e.code().code()),
        Some("unrecognised_header")
    );
    let headers: Vec<&str> = r.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["foo", "bar", "baz", "qux"]);
    // Mapped by hand, the same file loads.
    let mut opts = IngestOptions::default();
    let file: FileOptions = serde_json::from_str(
        r#"{"kind": "orders", "columns": {"foo": "order_id", "bar": "customer_id"}}"#,
    )
    .expect("options");
    opts.files.insert("x.csv".into(), file);
    let l = load_with(
        "x.csv",
        "foo,bar,baz,qux\nx1,a,2024-03-01,12.50\nx2,b,2024-03-02,8.00\n",
        opts,
    );
    assert!(l.reports[0].error.is_none(), "{:?}", l.reports[0].error);
}

#[test]
fn a_cryptic_header_is_read_from_its_values_and_flagged_doubtful() {
    let mut text = String::from("c1,c2,c3\n");
    for i in 0..20 {
        text += &format!("2024-03-{:02} 10:00:00,{}.50,x{i}\n", 1 + i, 10 + i);
    }
    let l = load("cryptic.csv", &text);
    let r = &l.reports[0];
    assert_eq!(r.kind, Some(DatasetKind::Orders), "{:?}", r.error);
    let c1 = &r.columns[0];
    assert_eq!(c1.field, Some(Field::CreatedTime));
    assert!(c1.doubtful, "{c1:?}");
    assert!(
        c1.evidence.contains("100 % of 20 values parse as dates"),
        "{}",
        c1.evidence
    );
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(k.paid_orders, 20);
}

#[test]
fn a_chinese_erp_sales_list_with_tax_inclusive_amounts() {
    let l = load(
        "销售出库单.csv",
        "序号,单据日期,单据编号,客户名称,客户编码,存货编码,存货名称,规格型号,数量,含税单价,价税合计,税额,业务员\n\
         1,2024-03-01,XS001,上海甲公司,C001,P-01,保温杯,500ml,10,45.00,450.00,51.77,张三\n\
         2,2024-03-01,XS001,上海甲公司,C001,P-02,杯刷,,5,6.00,30.00,3.45,张三\n\
         3,2024-03-02,XS002,杭州乙商行,C002,P-01,保温杯,500ml,4,45.00,180.00,20.71,李四\n",
    );
    assert_eq!(role(&l, "单据编号"), Some(Field::OrderId));
    assert_eq!(role(&l, "客户编码"), Some(Field::CustomerId));
    assert_eq!(role(&l, "存货编码"), Some(Field::Sku));
    assert_eq!(role(&l, "价税合计"), Some(Field::PaidAmount));
    assert_eq!(role(&l, "税额"), None);
    assert_eq!(role(&l, "序号"), None);
    assert_eq!(l.reports[0].decisions.amount_grain, Some(Grain::Line));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        (k.paid_orders, k.gmv, k.units, k.buyers),
        (2, 66_000, 19, Some(2))
    );
}

#[test]
fn an_order_export_plugin_file_with_order_totals_on_every_line() {
    let l = load(
        "orders-export.csv",
        "Order Number,Order Status,Order Date,Email (Billing),Payment Method Title,Order Subtotal Amount,Order Refund Amount,Order Total Amount,SKU,Item Name,Quantity (- Refund),Item Cost\n\
         1001,Completed,2024-03-01 10:22,ann@x.com,Card,40.00,0.00,45.00,MUG-1,Blue Mug,2,20.00\n\
         1001,Completed,2024-03-01 10:22,ann@x.com,Card,40.00,0.00,45.00,TEA-2,Tea Towel,0,0.00\n\
         1002,Processing,2024-03-02 11:00,bo@x.com,PayPal,30.00,0.00,30.00,MUG-1,Blue Mug,1,20.00\n\
         1003,Pending payment,2024-03-03 12:00,cy@x.com,Card,20.00,0.00,25.00,MUG-1,Blue Mug,1,20.00\n\
         1004,Refunded,2024-03-04 09:00,ann@x.com,Card,20.00,25.00,25.00,MUG-1,Blue Mug,1,20.00\n",
    );
    assert_eq!(role(&l, "Order Total Amount"), Some(Field::PaidAmount));
    assert_eq!(role(&l, "Quantity (- Refund)"), Some(Field::Quantity));
    assert_eq!(role(&l, "Payment Method Title"), None);
    assert_eq!(l.reports[0].decisions.amount_grain, Some(Grain::Order));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    // Paid: 1001, 1002, 1004 (refunded after payment); 1003 is pending.
    assert_eq!(
        (k.paid_orders, k.gmv, k.refunds, k.units),
        (3, 10_000, 2_500, 4)
    );
}

/// Notes of the first file's load report, by code.
fn note_codes(l: &Loaded) -> Vec<String> {
    l.reports[0].notes.iter().map(|n| n.code.into()).collect()
}

#[test]
fn a_buyer_column_of_names_counts_buyers_by_name_and_says_so() {
    // Odoo's sale.order list: `Customer` holds the partner's name, the only buyer column.
    let l = load(
        "sale.order.csv",
        "Order Reference,Order Date,Customer,Salesperson,Total,Status\n\
         S00041,2024-03-05 14:03:11,Deco Addict,Mitchell Admin,1799.00,Sales Order\n\
         S00042,2024-03-05 16:45:00,Azure Interior,Marc Demo,650.50,Sales Order\n\
         S00043,2024-03-06 09:10:27,Deco Addict,Mitchell Admin,245.00,Quotation\n\
         S00044,2024-03-06 11:30:00,Gemini Furniture,Marc Demo,3120.00,Cancelled\n\
         S00045,2024-03-07 10:00:00,Deco Addict,Marc Demo,100.00,Sales Order\n",
    );
    let c = l.reports[0]
        .columns
        .iter()
        .find(|c| c.header == "Customer")
        .unwrap();
    assert_eq!(c.field, Some(Field::CustomerId));
    assert!(c.doubtful, "a name is a doubtful buyer id");
    assert!(note_codes(&l).contains(&"buyers_by_name".to_string()));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    // Paid: the three confirmed sales orders (a quotation is no sale, a cancelled one neither).
    assert_eq!(
        (k.gmv, k.paid_orders, k.buyers),
        (179_900 + 65_050 + 10_000, 3, Some(2))
    );
}

#[test]
fn names_never_beat_an_id_or_an_e_mail_and_flags_are_no_buyers() {
    let l = load(
        "orders.csv",
        "Order,Date,New customer,Customer,Email,Total\n\
         1,2024-03-01,Yes,Emma Clarke,emma@example.com,10.00\n\
         2,2024-03-02,No,Emma Clarke,emma.c@example.org,20.00\n\
         3,2024-03-03,Yes,Oliver Brown,oliver@example.com,30.00\n\
         4,2024-03-04,No,Oliver Brown,oliver@example.com,40.00\n",
    );
    assert_eq!(role(&l, "Email"), Some(Field::CustomerId));
    assert_eq!(role(&l, "New customer"), None);
    assert!(!note_codes(&l).contains(&"buyers_by_name".to_string()));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        k.buyers,
        Some(3),
        "two Emma Clarkes with two e-mails are two buyers"
    );
}

#[test]
fn a_payout_total_beside_negative_fees_is_not_the_paid_amount() {
    // Mercado Libre's Ventas report: `Total` = products' revenue less fees and shipping costs.
    let l = load(
        "ventas.csv",
        "# de venta,Fecha de venta,Estado,Unidades,Ingresos por productos (ARS),Cargo por venta e impuestos (ARS),Costos de envío (ARS),Anulaciones y reembolsos (ARS),Total (ARS),Comprador\n\
         2000001,2024-03-05 14:03,Entregado,2,31998,-4480,-2950,0,24568,Lucía Fernández\n\
         2000002,2024-03-05 18:40,Entregado,1,8499,-1190,0,0,7309,Tomás Acosta\n\
         2000003,2024-03-06 09:15,Cancelada por el comprador,1,15999,0,0,-15999,0,Sofía Benítez\n\
         2000004,2024-03-07 11:00,Entregado,3,12000,-1500,-800,0,9700,Lucía Fernández\n",
    );
    assert_eq!(
        role(&l, "Ingresos por productos (ARS)"),
        Some(Field::PaidAmount)
    );
    assert_eq!(role(&l, "Total (ARS)"), None);
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        (k.gmv, k.paid_orders, k.units, k.buyers),
        (3_199_800 + 849_900 + 1_200_000, 3, 6, Some(2))
    );
}

#[test]
fn an_amount_of_small_whole_numbers_below_the_sales_is_a_quantity() {
    // Ta Feng: `AMOUNT` is the number of items, `SALES_PRICE` the line's sales.
    let l = load(
        "ta_feng.csv",
        "TRANSACTION_DT,CUSTOMER_ID,PRODUCT_SUBCLASS,PRODUCT_ID,AMOUNT,ASSET,SALES_PRICE\n\
         11/1/2000,01104905,110411,4710199010372,2,24,30\n\
         11/1/2000,00418683,120107,4710857472535,1,48,46\n\
         11/2/2000,01057331,100407,4710043654103,2,142,166\n\
         11/3/2000,01104905,120108,4710126092129,3,32,38\n",
    );
    assert_eq!(role(&l, "AMOUNT"), Some(Field::Quantity));
    assert_eq!(role(&l, "SALES_PRICE"), Some(Field::PaidAmount));
    assert_eq!(role(&l, "PRODUCT_SUBCLASS"), Some(Field::Category));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        (k.gmv, k.units, k.buyers),
        ((30 + 46 + 166 + 38) * 100, 8, Some(3))
    );
    // A real amount column of whole numbers above a unit price stays the amount.
    let l = load(
        "tx.csv",
        "Date,Customer,Price,Amount\n2024-01-01,c1,10,20\n2024-01-02,c2,5,15\n2024-01-03,c3,7,7\n",
    );
    assert_eq!(role(&l, "Amount"), Some(Field::PaidAmount));
}

#[test]
fn an_item_rate_is_a_unit_price_and_a_bare_name_beside_an_item_is_the_customer() {
    // NetSuite's saved search of sales orders, one row per line.
    let l = load(
        "SalesOrders.csv",
        "Internal ID,Date,Type,Document Number,Name,Item,Quantity,Item Rate,Amount,Status\n\
         90211,3/5/2024,Sales Order,SO10452,C-1048 Northwind Traders,WID-100 Blue Widget,10,12.50,125.00,Pending Fulfillment\n\
         90211,3/5/2024,Sales Order,SO10452,C-1048 Northwind Traders,WID-200 Red Widget,4,19.00,76.00,Pending Fulfillment\n\
         90230,3/6/2024,Sales Order,SO10453,C-1102 Contoso Ltd,WID-100 Blue Widget,25,11.75,293.75,Billed\n\
         90241,3/6/2024,Sales Order,SO10454,C-1048 Northwind Traders,SVC-INST Installation,1,150.00,150.00,Billed\n",
    );
    assert_eq!(role(&l, "Item Rate"), Some(Field::UnitPrice));
    assert_eq!(role(&l, "Name"), Some(Field::CustomerId));
    assert_eq!(role(&l, "Item"), Some(Field::Title));
    let k = compute(&l.dataset, &KpiOptions::default()).total;
    assert_eq!(
        (k.gmv, k.paid_orders, k.units, k.buyers),
        (12_500 + 7_600 + 29_375 + 15_000, 3, 40, Some(2))
    );
}
