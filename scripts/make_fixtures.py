#!/usr/bin/env python3
"""Write shoplens' test fixtures (tests/fixtures/) and their expected figures, deterministically.

Each fixture is built from records held in this script. tests/fixtures/expected.json is computed from
those same records by the rules of shared/DEFINITIONS.md, never by reading the written files back, so a
mistake in a writer cannot hide the same mistake in the loader under test. Headers follow
shared/FORMATS.md (collected from public code that reads real exports); the data is synthetic.

Python 3.11 standard library only. Usage:
    python3 scripts/make_fixtures.py           # (re)write tests/fixtures
    python3 scripts/make_fixtures.py --check   # exit 1 if the files on disk differ from what would be written
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
CST = timezone(timedelta(hours=8))  # China Standard Time, for Tianchi's epochs
CRLF, LF = "\r\n", "\n"
BOM = "\ufeff"

# --------------------------------------------------------------------------------------------------
# Writing helpers
# --------------------------------------------------------------------------------------------------


class Raw(str):
    """A cell written verbatim, never quoted (Taobao's `="…"` wrapper is written bare, as Taobao does)."""


def render(rows: list[list[object]], *, delimiter: str = ",", eol: str = CRLF, quote_all: bool = False) -> str:
    """Serialise rows RFC 4180 style: quote a cell only when it holds the delimiter, a quote or a newline."""
    out = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if isinstance(value, Raw):
                cells.append(text)
            elif quote_all or any(ch in text for ch in (delimiter, '"', "\n", "\r")):
                cells.append('"' + text.replace('"', '""') + '"')
            else:
                cells.append(text)
        out.append(delimiter.join(cells))
    return eol.join(out) + eol


def yuan(cents: int) -> str:
    """128.00 style amount from integer cents."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def grouped(cents: int, prefix: str = "") -> str:
    """1,234.56 style amount (thousands separators), optionally with a currency prefix ($1,234.56)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{prefix}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def percent(num: int, den: int, places: int = 2) -> str:
    """Display-only percentage (3.21%); expectations never read these cells back."""
    return "" if den == 0 else f"{num * 100 / den:.{places}f}%"


def div_round(num: int, den: int) -> int:
    """Integer division rounded half up, for display amounts such as 客单价."""
    return (2 * num + den) // (2 * den)


def t(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def ymdhms(when: datetime | None) -> str:
    return "" if when is None else when.strftime("%Y-%m-%d %H:%M:%S")


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def mobile(rng: random.Random) -> str:
    """A Chinese mobile number masked the way the platforms export it (138****1234)."""
    return f"1{rng.choice('3456789')}{digits(rng, 1)}****{digits(rng, 4)}"


@dataclass
class Fixture:
    path: str  # relative to tests/fixtures
    data: bytes
    expected: dict
    encoding: str  # README label
    delimiter: str  # README label
    kind: str
    platform: str
    quirks: str


@dataclass
class OrderRecord:
    """What the generator knows about one order, independently of how it is written."""

    order_id: str
    buyer: str | None
    paid: bool
    paid_amount: int  # cents
    refund: int  # cents
    units: int


def order_figures(orders: list[OrderRecord], *, buyers: bool, refunds: bool, units: bool) -> dict:
    """DEFINITIONS §1–2 over one file's orders: paid orders, GMV (once per order), refunds, buyers, units."""
    ids = [o.order_id for o in orders]
    assert len(ids) == len(set(ids)), "one record per order"
    paid = [o for o in orders if o.paid]
    return {
        "orders": len(orders),
        "paid_orders": len(paid),
        "gmv_cents": sum(o.paid_amount for o in paid),
        "refunds_cents": sum(o.refund for o in paid) if refunds else None,
        "buyers": len({o.buyer for o in paid}) if buyers else None,
        "units": sum(o.units for o in paid) if units else None,
    }


def file_facts(kind: str, platform: str, encoding: str, bom: bool, delimiter: str, data_rows: int,
               skipped_lines: int) -> dict:
    return {
        "kind": kind,
        "platform": platform,
        "encoding": encoding,
        "bom": bom,
        "delimiter": delimiter,
        "data_rows": data_rows,
        "skipped_lines": skipped_lines,
    }


def encode(text: str, encoding: str) -> bytes:
    """Encode strictly; a GB18030 fixture must really need GB18030 (hold a character GBK lacks)."""
    if encoding == "gb18030":
        try:
            text.encode("gbk")
        except UnicodeEncodeError:
            return text.encode("gb18030")
        raise AssertionError("GB18030 fixture holds no character outside GBK")
    return text.encode(encoding)


# --------------------------------------------------------------------------------------------------
# Taobao shop 简衣社: one catalogue shared by the order report, the item report, 生意参谋 and the ERP list
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    code: str  # 商家编码
    item_id: str  # 商品ID
    title: str
    price: int  # list price, cents
    cost: int  # cents
    category: str
    attrs: str  # 商品属性 as the item report writes it
    stock: int


JIANYI = [
    Product("TS-1001", "712345678901", "纯棉短袖T恤男夏季宽松圆领白色打底衫", 5900, 2150, "男装/T恤",
            "颜色分类：白色；尺码：XL", 326),
    Product("TS-1002", "712345678902", "重磅纯棉T恤女oversize落肩半袖", 7900, 2800, "女装/T恤",
            "颜色分类：燕麦色；尺码：M", 148),
    Product("KZ-2001", "723456789012", "冰丝阔腿裤女高腰垂感休闲裤", 12800, 4500, "女装/休闲裤",
            "颜色分类：黑色；尺码：L", 95),
    Product("KZ-2002", "723456789013", "男士工装裤束脚宽松直筒长裤", 14900, 5200, "男装/休闲裤",
            "颜色分类：军绿；尺码：32", 61),
    Product("WZ-3001", "734567890123", "中筒袜子女纯棉春秋款（5双装）", 2990, 820, "女士内衣/袜子",
            "颜色分类：混色5双", 1200),
    Product("BB-4001", "745678901234", "帆布包女大容量单肩包通勤托特包", 6900, 1900, "箱包/单肩包",
            "颜色分类：米白", 210),
    Product("MZ-5001", "756789012345", "棒球帽男女同款鸭舌帽遮阳", 3900, 1100, "配件/帽子",
            "颜色分类：藏青", 402),
    Product("WT-6001", "767890123456", "连帽卫衣男春秋加绒外套", 19900, 7600, "男装/卫衣",
            "颜色分类：灰色；尺码：XXL", 37),
]
BY_CODE = {p.code: p for p in JIANYI}

SUCCESS = "交易成功"
CLOSED = "交易关闭"
WAIT_PAY = "等待买家付款"
PAID_WAIT_SHIP = "买家已付款，等待卖家发货"  # full-width comma, as the order report writes it
SHIPPED = "卖家已发货，等待买家确认"


@dataclass
class TaobaoOrder:
    buyer: str
    status: str
    created: str
    pay_delay: int | None  # seconds from creation to payment; None = never paid
    lines: list[tuple[str, int]]  # (商家编码, quantity)
    postage: int = 0
    discount: int = 0
    refund: int | str = 0  # cents, or "full"
    close_reason: str = "订单未关闭"
    message: str = ""
    order_id: str = ""

    @property
    def goods(self) -> int:
        return sum(BY_CODE[c].price * q for c, q in self.lines)

    @property
    def total(self) -> int:
        return self.goods + self.postage

    @property
    def paid_amount(self) -> int:
        return self.total - self.discount

    @property
    def refund_cents(self) -> int:
        return self.paid_amount if self.refund == "full" else int(self.refund)

    @property
    def paid_at(self) -> datetime | None:
        return None if self.pay_delay is None else t(self.created) + timedelta(seconds=self.pay_delay)

    @property
    def units(self) -> int:
        return sum(q for _, q in self.lines)


TAOBAO_ORDERS = [
    TaobaoOrder("tb_xiaoyu0516", SUCCESS, "2024-03-01 09:12:31", 95, [("TS-1001", 2)]),
    TaobaoOrder("阿杰2019", SUCCESS, "2024-03-01 10:40:02", 41, [("KZ-2001", 1), ("WZ-3001", 1)], discount=1000,
                message="尺码偏小吗,想换大一码"),
    TaobaoOrder("sunny_cc", CLOSED, "2024-03-02 14:05:44", 63, [("WT-6001", 1)], refund="full",
                close_reason="退款"),
    TaobaoOrder("橘子汽水yo", CLOSED, "2024-03-02 21:17:09", None, [("BB-4001", 1)], close_reason="买家未付款"),
    TaobaoOrder("tb_xiaoyu0516", SUCCESS, "2024-03-03 08:30:00", 20, [("MZ-5001", 1), ("WZ-3001", 2)],
                refund=2990, message="袜子要一样的颜色，谢谢"),
    TaobaoOrder("lily_0808", SUCCESS, "2024-03-04 11:11:11", 58, [("BB-4001", 2)]),
    TaobaoOrder("星河滚烫", SUCCESS, "2024-03-05 20:45:00", 130, [("WT-6001", 1), ("MZ-5001", 1)], discount=2000),
    TaobaoOrder("小满同学", CLOSED, "2024-03-06 09:00:12", None, [("KZ-2001", 1)], close_reason="买家不想买了"),
    TaobaoOrder("sunny_cc", SUCCESS, "2024-03-07 16:30:20", 33, [("WZ-3001", 1)], postage=600),
    TaobaoOrder("tb_8823371", SUCCESS, "2024-03-08 12:00:00", 71, [("TS-1002", 2)], refund=7900),
    TaobaoOrder("lily_0808", CLOSED, "2024-03-10 15:20:00", 300, [("KZ-2002", 1)], refund="full",
                close_reason="退款"),
    TaobaoOrder("大鹏展翅888", SUCCESS, "2024-03-11 21:03:33", 45, [("KZ-2001", 2)], discount=1500),
    TaobaoOrder("橘子汽水yo", SUCCESS, "2024-03-12 10:05:06", 52, [("BB-4001", 1)]),
    TaobaoOrder("小满同学", SUCCESS, "2024-03-13 13:13:13", 88, [("WZ-3001", 2), ("MZ-5001", 1)]),
    TaobaoOrder("阿杰2019", SHIPPED, "2024-03-15 19:00:31", 29, [("TS-1001", 1), ("TS-1002", 1)], discount=500),
    TaobaoOrder("tb_xiaoyu0516", SHIPPED, "2024-03-16 08:08:08", 16, [("TS-1001", 1)], postage=800),
    # created one minute before midnight, paid after it: the order's day is the payment day, 03-18
    TaobaoOrder("老王家的猫", PAID_WAIT_SHIP, "2024-03-17 23:59:30", 42, [("KZ-2002", 1)], message="发顺丰"),
    TaobaoOrder("mumu_小木", WAIT_PAY, "2024-03-18 22:10:10", None, [("TS-1002", 1)]),
    TaobaoOrder("晴天娃娃", PAID_WAIT_SHIP, "2024-03-19 10:10:10", 37, [("MZ-5001", 2)]),
    TaobaoOrder("北极熊不怕冷", WAIT_PAY, "2024-03-20 23:50:00", None, [("WT-6001", 1), ("TS-1001", 1)]),
]


def assign_ids(orders, rng: random.Random, prefixes: tuple[str, ...], length: int) -> None:
    seen: set[str] = set()
    for order in orders:
        while True:
            candidate = rng.choice(prefixes) + digits(rng, length - len(prefixes[0]))
            if candidate not in seen:
                break
        seen.add(candidate)
        order.order_id = candidate


def taobao_id_cell(order_id: str, i: int) -> object:
    """Rotate the three ways Taobao/Excel keep a 19-digit number as text: `="…"`, a leading tab, none."""
    style = i % 3
    if style == 0:
        return Raw(f'="{order_id}"')
    if style == 1:
        return "\t" + order_id
    return order_id


def taobao_orders_gbk() -> Fixture:
    rng = random.Random("taobao-orders")
    assign_ids(TAOBAO_ORDERS, rng, ("37", "38", "20"), 19)
    header = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额",
              "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址 ",
              "运送方式", "联系电话 ", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ",
              "物流单号 ", "物流公司", "订单备注", "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费",
              "买家服务费", "发票抬头", "是否手机订单", "确认收货时间", "退款金额"]
    surnames = "张王李赵刘陈杨黄周吴"
    addresses = ["上海 上海市 ***", "浙江省 杭州市 西湖区 ***", "广东省 深圳市 南山区 ***", "北京 北京市 朝阳区 ***",
                 "江苏省 南京市 鼓楼区 ***", "四川省 成都市 武侯区 ***"]
    carriers = ["圆通速递", "中通快递", "顺丰速运", "韵达快递"]
    rows: list[list[object]] = [header]
    for i, o in enumerate(TAOBAO_ORDERS):
        shipped = o.status in (SUCCESS, SHIPPED)
        confirmed = o.paid_at + timedelta(days=6, hours=3) if o.status == SUCCESS else None
        rows.append([
            taobao_id_cell(o.order_id, i), o.buyer, f"{digits(rng, 3)}****{digits(rng, 4)}", yuan(o.goods),
            yuan(o.postage), "0", yuan(o.total), "0", yuan(o.paid_amount), "0", o.status, o.message,
            surnames[i % len(surnames)] + "*", addresses[i % len(addresses)], "快递", "",
            mobile(rng), o.created, ymdhms(o.paid_at),
            "，".join(BY_CODE[c].title for c, _ in o.lines), str(len(o.lines)),
            f"YT{digits(rng, 13)}" if shipped else "", carriers[i % len(carriers)] if shipped else "", "",
            str(o.units), "57300112", "简衣社服饰", o.close_reason, "0", "0元", "", "手机订单" if i % 4 else "",
            ymdhms(confirmed), yuan(o.refund_cents),
        ])
    # the trailing summary row some report templates add (sums over every row, paid or not)
    summary = [""] * len(header)
    summary[0] = "合计"
    summary[header.index("买家实际支付金额")] = yuan(sum(o.paid_amount for o in TAOBAO_ORDERS))
    summary[header.index("宝贝总数量")] = str(sum(o.units for o in TAOBAO_ORDERS))
    summary[header.index("退款金额")] = yuan(sum(o.refund_cents for o in TAOBAO_ORDERS))
    rows.append(summary)

    records = [OrderRecord(o.order_id, o.buyer, o.paid_at is not None, o.paid_amount, o.refund_cents, o.units)
               for o in TAOBAO_ORDERS]
    expected = file_facts("orders", "taobao", "gbk", False, ",", len(TAOBAO_ORDERS), 1)
    expected.update(order_figures(records, buyers=True, refunds=True, units=True))
    expected["notes"] = ("paid = has 订单付款时间 (交易关闭 with a payment time is paid, without is not); units = "
                         "Σ 宝贝总数量 of paid orders (one synthetic line per order); the 合计 row is skipped")
    return Fixture("taobao_orders_gbk.csv", encode(render(rows), "gbk"), expected, "GBK", "comma", "orders",
                   "taobao", "订单报表: ids as `=\"…\"`/leading tab/plain; trailing-space headers (`订单付款时间 `, "
                   "`收货地址 ` …); 交易关闭 with and without payment time; 等待买家付款; full-width-comma status; "
                   "order paid across midnight; 退款金额 partial and full; quoted 买家留言 with a comma; "
                   "masked address/phone; `订单未关闭` placeholder; trailing 合计 row; CRLF")


def taobao_items_utf8bom() -> Fixture:
    header = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码",
              "商家编码"]
    rows: list[list[object]] = [header]
    records = []
    line_no = 0
    for i, o in enumerate(TAOBAO_ORDERS):
        # the item report writes this status with a half-width comma
        status = "买家已付款,等待卖家发货" if o.status == PAID_WAIT_SHIP else o.status
        for code, qty in o.lines:
            p = BY_CODE[code]
            cell = Raw(f'="{o.order_id}"') if line_no % 2 == 0 else "\t" + o.order_id
            rows.append([cell, p.title, yuan(p.price), str(qty), "", p.attrs, "", "", status, p.code, p.code])
            line_no += 1
        # no payment-time column: paid by status alone (DEFINITIONS §1), so 交易关闭 is not paid here
        paid = o.status in (SUCCESS, PAID_WAIT_SHIP, SHIPPED)
        records.append(OrderRecord(o.order_id, None, paid, o.goods, 0, o.units))
    expected = file_facts("order_lines", "taobao", "utf-8", True, ",", line_no, 0)
    # The 宝贝报表 has no order time, so its lines cannot form orders of their own: loaded alone, every
    # line is rejected with `order_not_loaded` ("load the matching 订单报表 too"); loaded with
    # taobao_orders_gbk.csv, the lines attach to those orders (checked by the merge expectations below).
    expected.update({"orders": 0, "paid_orders": 0, "gmv_cents": 0, "refunds_cents": None, "buyers": None,
                     "units": None, "rejected": {"order_not_loaded": line_no}})
    expected["merged_with_taobao_orders_gbk"] = {
        "lines_attached": line_no,
        # units of the orders paid per the order report (payment time), now from the real lines
        "units": sum(qty for o in TAOBAO_ORDERS if o.paid_at is not None for _, qty in o.lines),
    }
    expected["notes"] = ("no order time, paid amount, refund or buyer column: lines of the orders in "
                         "taobao_orders_gbk.csv; alone they are rejected as order_not_loaded")
    return Fixture("taobao_items_utf8bom.csv", encode(BOM + render(rows), "utf-8"), expected, "UTF-8 BOM",
                   "comma", "order_lines", "taobao",
                   "宝贝报表 for the orders of taobao_orders_gbk.csv; duplicate `商家编码` header; "
                   "half-width-comma status `买家已付款,等待卖家发货` (quoted); ids `=\"…\"` and leading tab; CRLF")


# --------------------------------------------------------------------------------------------------
# Tmall 销售明细 (sub-orders) — another shop, 栖木家居旗舰店
# --------------------------------------------------------------------------------------------------

QIMU = {
    "MUG-350": ("北欧ins风陶瓷马克杯带盖勺 350ml", 3900, "680012345671", "颜色分类:雾蓝"),
    "PIL-01": ("泰国天然乳胶枕头护颈椎枕", 15900, "680012345672", "规格:成人款 60x40cm"),
    "BED-18": ("全棉四件套床上用品 1.8m床", 29900, "680012345673", "颜色分类:燕麦灰;尺寸:1.8m床"),
    "TWL-02": ("日式加厚珊瑚绒浴巾", 4990, "680012345674", "颜色分类:奶白"),
    "MAT-03": ("硅藻泥浴室吸水地垫", 3500, "680012345675", "尺寸:40x60cm"),
}


@dataclass
class TmallLine:
    code: str
    qty: int
    discount: int = 0
    refund_status: str = "无退款申请"
    refund: int = 0
    status: str | None = None  # a sub-order's own status when it differs from the order's


TMALL_ORDERS = [
    ("陈小兔", SUCCESS, "2024-04-02 10:20:00", 30, [TmallLine("MUG-350", 2)]),
    ("walker_li", SUCCESS, "2024-04-02 21:45:10", 64,
     [TmallLine("PIL-01", 1, discount=1000), TmallLine("MUG-350", 1, refund_status="退款成功", refund=3900,
                                                       status=CLOSED)]),
    ("豆豆妈咪", CLOSED, "2024-04-03 09:09:09", 51, [TmallLine("BED-18", 1, refund_status="退款成功", refund=29900)]),
    ("tb_77120334", WAIT_PAY, "2024-04-03 23:30:00", None, [TmallLine("TWL-02", 2)]),
    ("陈小兔", SUCCESS, "2024-04-05 14:14:14", 25, [TmallLine("MAT-03", 3, refund_status="退款成功", refund=3500)]),
    ("森林里的鹿", SHIPPED, "2024-04-06 08:00:00", 40,
     [TmallLine("BED-18", 1, discount=3000), TmallLine("PIL-01", 2), TmallLine("TWL-02", 1)]),
    ("一只咸鱼", CLOSED, "2024-04-06 12:12:12", None, [TmallLine("MUG-350", 1)]),
    ("hello_kiki", PAID_WAIT_SHIP, "2024-04-07 19:19:19", 33, [TmallLine("PIL-01", 1)]),
    ("森林里的鹿", SUCCESS, "2024-04-08 20:00:00", 45, [TmallLine("TWL-02", 1, refund_status="退款关闭")]),
    ("阿宝在路上", SUCCESS, "2024-04-09 11:30:00", 38, [TmallLine("MUG-350", 4, discount=600)]),
    ("walker_li", PAID_WAIT_SHIP, "2024-04-10 16:40:00", 72, [TmallLine("MAT-03", 1), TmallLine("MUG-350", 1)]),
    ("橙子不酸", SUCCESS, "2024-04-11 07:58:03", 19, [TmallLine("BED-18", 1)]),
]


def tmall_sales_detail() -> Fixture:
    rng = random.Random("tmall-sales-detail")
    header = ["子订单编号", "主订单编号", "买家会员名", "商品标题", "商品价格", "购买数量", "外部系统编号", "商品属性",
              "套餐信息", "联系方式备注", "订单状态", "商家编码", "支付单号", "买家应付货款", "买家实付金额", "退款状态",
              "退款金额", "订单创建时间", "订单付款时间", "商品ID", "发货时间", "物流单号", "物流公司"]
    rows: list[list[object]] = [header]
    records = []
    used: set[str] = set()

    def new_id() -> str:
        while True:
            candidate = "38" + digits(rng, 17)
            if candidate not in used:
                used.add(candidate)
                return candidate

    for i, (buyer, status, created, delay, lines) in enumerate(TMALL_ORDERS):
        main_id = new_id()
        paid_at = None if delay is None else t(created) + timedelta(seconds=delay)
        pay_no = f"{t(created):%Y%m%d}2200{digits(rng, 16)}" if paid_at else ""
        shipped = t(created) + timedelta(hours=20) if status in (SUCCESS, SHIPPED) else None
        order_paid = 0
        order_refund = 0
        for j, line in enumerate(lines):
            title, price, item_id, attrs = QIMU[line.code]
            # a single-line order's sub-order number is its main order number; multi-line ones get their own
            sub_id = main_id if len(lines) == 1 else new_id()
            payable = price * line.qty
            line_paid = payable - line.discount  # 买家实付金额 is per sub-order here
            order_paid += line_paid
            order_refund += line.refund
            quote = "'" if (i + j) % 4 == 3 else ""  # an apostrophe left by Excel on some ids
            rows.append([
                quote + sub_id, quote + main_id, buyer, title, yuan(price), str(line.qty), "", attrs, "", "",
                line.status or status, line.code, pay_no, yuan(payable), yuan(line_paid), line.refund_status,
                yuan(line.refund) if line.refund else "0", created, ymdhms(paid_at),
                item_id + (".0" if i % 5 == 2 else ""), ymdhms(shipped),
                f"SF{digits(rng, 12)}" if shipped else "", "顺丰速运" if shipped else "",
            ])
        records.append(OrderRecord(main_id, buyer, paid_at is not None, order_paid, order_refund,
                                   sum(line.qty for line in lines)))
    expected = file_facts("order_lines", "taobao", "utf-8", False, ",", len(rows) - 1, 0)
    expected.update(order_figures(records, buyers=True, refunds=True, units=True))
    expected["notes"] = ("买家实付金额 and 退款金额 are per sub-order: an order's paid amount is the sum over its "
                         "lines; paid = has 订单付款时间; a closed sub-order inside a paid order still counts")
    return Fixture("tmall_sales_detail.csv", encode(render(rows), "utf-8"), expected, "UTF-8", "comma",
                   "order_lines", "taobao",
                   "销售明细: 子订单编号 = 主订单编号 on single-line orders; a refunded (交易关闭) sub-order inside a "
                   "paid order; leading `'` on some ids; 商品ID with trailing `.0`; `无退款申请`/`退款关闭` "
                   "placeholders; 3-line order; CRLF")


# --------------------------------------------------------------------------------------------------
# The newer 21-column Taobao order export: no buyer id, no payment time
# --------------------------------------------------------------------------------------------------

TAOBAO_2026 = [
    (SUCCESS, "2026-01-05 09:30:12", [("TS-1001", 1)], 0, 0, 0),
    (SUCCESS, "2026-01-05 20:11:40", [("KZ-2001", 1), ("MZ-5001", 1)], 0, 1000, 0),
    (WAIT_PAY, "2026-01-06 13:02:55", [("WT-6001", 1)], 0, 0, 0),
    (SHIPPED, "2026-01-07 08:45:00", [("BB-4001", 1)], 0, 0, 0),
    (CLOSED, "2026-01-07 22:30:30", [("TS-1002", 2)], 0, 0, 0),  # closed before payment: no 支付单号
    (SUCCESS, "2026-01-08 11:11:11", [("WZ-3001", 2)], 600, 0, 2990),
    (PAID_WAIT_SHIP, "2026-01-09 15:20:00", [("KZ-2002", 1)], 0, 0, 0),
    (SUCCESS, "2026-01-10 10:00:00", [("WT-6001", 1), ("TS-1001", 2)], 0, 2500, 0),
    (PAID_WAIT_SHIP, "2026-01-12 19:45:00", [("MZ-5001", 3)], 0, 0, 0),
    (SUCCESS, "2026-01-14 07:30:00", [("TS-1002", 1)], 0, 0, 7900),
    (WAIT_PAY, "2026-01-15 23:59:00", [("BB-4001", 2)], 0, 0, 0),
    (SHIPPED, "2026-01-18 12:00:00", [("KZ-2001", 1)], 0, 500, 0),
]


def taobao_orders_2026_21col() -> Fixture:
    rng = random.Random("taobao-2026-21col")
    header = ["订单编号", "支付单号", "买家应付货款", "买家应付邮费", "总金额", "买家实付金额", "订单状态", "买家留言",
              "收货人姓名", "收货地址", "联系手机", "订单创建时间", "商品标题", "宝贝种类", "宝贝总数量", "商品属性SKU",
              "发货时间", "物流公司", "物流单号", "店铺名称", "退款金额"]
    assert len(header) == 21
    rows: list[list[object]] = [header]
    records = []
    seen: set[str] = set()
    for i, (status, created, lines, postage, discount, refund) in enumerate(TAOBAO_2026):
        order_id = "4" + digits(rng, 18)
        assert order_id not in seen
        seen.add(order_id)
        goods = sum(BY_CODE[c].price * q for c, q in lines)
        paid_amount = goods + postage - discount
        paid = status in (SUCCESS, PAID_WAIT_SHIP, SHIPPED)
        shipped = t(created) + timedelta(hours=30) if status in (SUCCESS, SHIPPED) else None
        rows.append([
            "\t" + order_id, f"2026{created[5:7]}{created[8:10]}2200{digits(rng, 16)}" if paid else "",
            yuan(goods), yuan(postage), yuan(goods + postage), yuan(paid_amount), status, "",
            "李*", "浙江省 杭州市 余杭区 ***", mobile(rng), created,
            "；".join(BY_CODE[c].title for c, _ in lines), str(len(lines)), str(sum(q for _, q in lines)),
            "；".join(BY_CODE[c].attrs for c, _ in lines), ymdhms(shipped),
            "中通快递" if shipped else "", f"ZT{digits(rng, 12)}" if shipped else "", "简衣社服饰", yuan(refund),
        ])
        records.append(OrderRecord(order_id, None, paid, paid_amount, refund, sum(q for _, q in lines)))
    expected = file_facts("orders", "taobao", "utf-8", False, ",", len(TAOBAO_2026), 0)
    expected.update(order_figures(records, buyers=False, refunds=True, units=True))
    expected["notes"] = ("no payment time: paid by status; its 交易关闭 orders were closed before payment (no 支付单号), "
                         "so status and 支付单号 agree; units = Σ 宝贝总数量 of paid orders")
    return Fixture("taobao_orders_2026_21col.csv", encode(render(rows, eol=LF), "utf-8"), expected, "UTF-8",
                   "comma", "orders", "taobao",
                   "the 21-column export: no buyer id, no payment time (status decides), 支付单号 blank when unpaid, "
                   "leading-tab ids; LF")


# --------------------------------------------------------------------------------------------------
# Pinduoduo (one row per order line; an order holds one goods item)
# --------------------------------------------------------------------------------------------------

PDD_GOODS = {
    "KIWI-5": ("【现摘】陕西眉县红心猕猴桃 5斤装 单果80-100g", 2990, "421983560127", "5斤装 单果80-100g"),
    "ORG-10": ("四川爱媛38号果冻橙 10斤装 新鲜橙子当季整箱", 3980, "421983560128", "10斤 中果"),
    "APL-9": ("山东烟台红富士苹果 整箱9斤 脆甜多汁", 3590, "421983560129", "9斤 果径75-80mm"),
    "BLU-4": ("云南高山蓝莓 4盒装 125g/盒 鲜果", 4990, "421983560130", "4盒 18mm+"),
}

# (goods, qty, status, created, pay delay s, shop discount, platform discount, 售后状态)
PDD_ORDERS = [
    ("KIWI-5", 1, "已签收", "2024-03-01 08:15:20", 12, 0, 200, "无售后或售后取消"),
    ("ORG-10", 2, "已签收", "2024-03-01 12:40:05", 8, 500, 0, "无售后或售后取消"),
    ("APL-9", 1, "已发货，待签收", "2024-03-02 19:22:31", 15, 0, 300, "无售后或售后取消"),
    ("KIWI-5", 2, "已取消", "2024-03-02 22:05:00", None, 0, 0, "无售后或售后取消"),
    ("BLU-4", 1, "未发货，退款成功", "2024-03-03 09:10:10", 20, 300, 0, "退款成功"),
    ("KIWI-5", 3, "已签收", "2024-03-03 21:01:48", 9, 800, 500, "无售后或售后取消"),
    ("ORG-10", 1, "已签收", "2024-03-04 07:55:00", 30, 0, 0, "退款成功"),
    ("APL-9", 2, "待发货", "2024-03-05 23:59:50", 25, 200, 0, "无售后或售后取消"),
    ("BLU-4", 2, "已发货，待签收", "2024-03-06 13:13:13", 11, 500, 1000, "售后处理中"),
    ("KIWI-5", 1, "已取消", "2024-03-07 10:00:00", None, 0, 0, "无售后或售后取消"),
    ("ORG-10", 1, "待发货", "2024-03-07 18:30:00", 14, 0, 200, "无售后或售后取消"),
    ("APL-9", 1, "已签收", "2024-03-08 11:45:45", 7, 0, 0, "无售后或售后取消"),
    ("BLU-4", 1, "已签收", "2024-03-09 20:20:20", 16, 0, 0, "无售后或售后取消"),
    ("KIWI-5", 2, "已签收", "2024-03-10 09:09:00", 5, 300, 0, "无售后或售后取消"),
]


def pinduoduo_orders() -> Fixture:
    rng = random.Random("pinduoduo")
    header = ["商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "多多支付立减金额(元)",
              "邮费(元)", "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "身份证姓名", "身份证号码", "收货人",
              "手机", "是否审核中", "省", "市", "区", "街道", "支付时间", "拼单成功时间", "订单成交时间", "订单确认时间",
              "承诺发货时间", "发货时间", "确认收货时间", "商品id", "商品规格", "样式ID", "商家编码-SKU维度",
              "商家编码-商品维度", "快递单号", "快递公司", "商家备注", "售后状态", "买家留言"]
    rows: list[list[object]] = [header]
    records = []
    for goods, qty, status, created, delay, shop_off, platform_off, after_sale in PDD_ORDERS:
        title, price, goods_id, spec = PDD_GOODS[goods]
        created_at = t(created)
        order_id = f"{created_at:%y%m%d}-{digits(rng, 15)}"
        paid_at = None if delay is None else created_at + timedelta(seconds=delay)
        total = price * qty
        buyer_paid = total - shop_off - platform_off
        shipped = paid_at + timedelta(hours=26) if paid_at and ("已发货" in status or status == "已签收") else None
        signed = shipped + timedelta(days=2) if shipped and status == "已签收" else None
        rows.append([
            title, order_id, status, yuan(total), yuan(shop_off), yuan(platform_off), "0.00", "0.00",
            yuan(buyer_paid), yuan(total - shop_off), str(qty), "", "", "王**", mobile(rng),
            "否", "广东省", "广州市", "天河区", "***", ymdhms(paid_at), ymdhms(paid_at), ymdhms(paid_at),
            ymdhms(paid_at), ymdhms(paid_at + timedelta(hours=48)) if paid_at else "", ymdhms(shipped),
            ymdhms(signed), goods_id, spec, digits(rng, 12), f"{goods}-{qty}", goods,
            f"YT{digits(rng, 13)}" if shipped else "", "圆通快递" if shipped else "", "", after_sale, "",
        ])
        records.append(OrderRecord(order_id, None, paid_at is not None, buyer_paid, 0, qty))
    expected = file_facts("order_lines", "pinduoduo", "utf-8", True, ",", len(PDD_ORDERS), 0)
    expected.update(order_figures(records, buyers=False, refunds=False, units=True))
    expected["notes"] = ("paid = has 支付时间; gmv = Σ 用户实付金额(元); no refund amount column (售后状态 only) and "
                         "no buyer id")
    return Fixture("pinduoduo_orders.csv", encode(BOM + render(rows), "utf-8"), expected, "UTF-8 BOM", "comma",
                   "order_lines", "pinduoduo",
                   "`(元)`/`(件)` headers; 订单号 `240301-…`; 已取消 without 支付时间; 未发货，退款成功 (paid); "
                   "platform vs shop discounts (用户实付 ≠ 商家实收); masked receiver; CRLF")


# --------------------------------------------------------------------------------------------------
# JD POP (one row per order line; order amounts repeated on every line)
# --------------------------------------------------------------------------------------------------

JD_GOODS = {
    "UG-HUB6": ("100034567812", "绿联 USB-C扩展坞 六合一, HDMI 4K 适用MacBook", 12900),
    "BS-GAN65": ("100045678923", "倍思 65W氮化镓充电器 多口快充", 9900),
    "LG-M330": ("100012398745", "罗技 M330 静音无线鼠标 黑色", 10900),
    "MI-PB20K": ("100023456781", "小米 移动电源 20000mAh 22.5W", 14900),
    "AK-C2C18": ("100056789034", "Anker 编织数据线 1.8m 双头Type-C", 3990),
}

# (lines, status, account, created, pay delay s, freight)
JD_ORDERS = [
    ([("UG-HUB6", 1)], "完成", "jd_4a7f2c9e81b3", "2024-05-06 09:01:10", 35, 0),
    ([("BS-GAN65", 1), ("AK-C2C18", 2)], "完成", "jd_90c1d3e5f7a2", "2024-05-06 21:15:00", 48, 0),
    ([("LG-M330", 1)], "等待出库", "jd_5b6e8d0f2a4c", "2024-05-07 10:30:30", 22, 0),
    ([("MI-PB20K", 1)], "等待付款", "jd_7c8d9e0a1b2c", "2024-05-07 23:40:00", None, 0),
    ([("AK-C2C18", 1)], "完成", "jd_4a7f2c9e81b3", "2024-05-08 12:12:12", 19, 600),
    ([("UG-HUB6", 1), ("LG-M330", 1)], "等待确认收货", "jd_3e4f5a6b7c8d", "2024-05-08 18:00:00", 40, 0),
    ([("BS-GAN65", 2)], "已取消", "jd_1f2e3d4c5b6a", "2024-05-09 08:20:00", None, 0),
    ([("MI-PB20K", 1)], "已取消", "jd_8a9b0c1d2e3f", "2024-05-09 14:44:44", 31, 0),  # cancelled after payment
    ([("LG-M330", 2)], "完成", "jd_90c1d3e5f7a2", "2024-05-10 09:09:09", 27, 0),
    ([("AK-C2C18", 3)], "等待出库", "jd_6d7e8f9a0b1c", "2024-05-11 20:00:00", 33, 0),
    ([("UG-HUB6", 1)], "完成", "jd_2b3c4d5e6f7a", "2024-05-12 11:11:00", 12, 0),
    ([("MI-PB20K", 1), ("BS-GAN65", 1)], "完成", "jd_4a7f2c9e81b3", "2024-05-13 16:16:16", 54, 0),
]


def jd_orders() -> Fixture:
    rng = random.Random("jd")
    header = ["订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "结算金额", "余额支付",
              "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话", "订单备注", "发票类型",
              "发票抬头", "商家备注", "运费金额", "付款确认时间", "订单完成时间", "订单来源", "商家SKUID"]
    names = ["王**", "𠮷**", "刘**", "陈**"]  # 𠮷 (U+20BB7) is outside GBK: the file needs GB18030
    rows: list[list[object]] = [header]
    records = []
    for i, (lines, status, account, created, delay, freight) in enumerate(JD_ORDERS):
        order_id = "2" + digits(rng, 11)
        paid_at = None if delay is None else t(created) + timedelta(seconds=delay)
        amount = sum(JD_GOODS[s][2] * q for s, q in lines) + freight
        done = paid_at + timedelta(days=3) if status == "完成" else None
        phone = mobile(rng)
        for sku, qty in lines:
            item_id, name, price = JD_GOODS[sku]
            rows.append([
                order_id, item_id, name, str(qty), "在线支付", created, yuan(price), yuan(amount), yuan(amount),
                "0.00", yuan(amount), status, "SOP", account, names[i % len(names)], "北京 朝阳区 ***",
                phone, "", "电子普通发票", "个人", "", yuan(freight), ymdhms(paid_at),
                ymdhms(done), "京东APP" if i % 3 else "微信小程序", sku,
            ])
        records.append(OrderRecord(order_id, account, paid_at is not None, amount, 0, sum(q for _, q in lines)))
    expected = file_facts("order_lines", "jd", "gb18030", False, ",", len(rows) - 1, 0)
    expected.update(order_figures(records, buyers=True, refunds=False, units=True))
    expected["notes"] = ("订单金额 = 应付金额 = 结算金额, repeated on each line, counted once per order; paid = has "
                         "付款确认时间, so the 已取消 order with a payment time is paid; no refund column")
    return Fixture("jd_orders.csv", encode(render(rows), "gb18030"), expected, "GB18030", "comma", "order_lines",
                   "jd",
                   "GB18030-only character (𠮷); order amounts repeated on every line; product name with a comma "
                   "(quoted); 已取消 with and without 付款确认时间; 下单帐号 repeat buyers; CRLF")


# --------------------------------------------------------------------------------------------------
# Douyin 抖店 (one row per sub-order)
# --------------------------------------------------------------------------------------------------

DOUYIN_GOODS = {
    "MASK-20": ("【直播专享】玻尿酸补水面膜 20片/盒", "3612345678901234567", 5990, "20片/盒"),
    "CLN-120": ("氨基酸洁面乳 120g 温和控油", "3612345678901234568", 3990, "120g"),
    "BDY-400": ("烟酰胺身体乳 400ml 保湿滋润", "3612345678901234569", 6900, "400ml"),
    "SUN-150": ("防晒喷雾 SPF50+ PA++++ 150ml", "3612345678901234570", 7900, "150ml"),
}

# (status, created, pay delay s, 售后状态, lines [(goods, qty, discount)], freight, 达人 (id, name) or None, 流量来源)
DOUYIN_ORDERS = [
    ("已完成", "2024-03-05 20:13:45", 18, "-", [("MASK-20", 1, 1000)], 0, ("71234567890", "美妆小课堂"), "直播"),
    ("已完成", "2024-03-05 20:15:02", 25, "-", [("MASK-20", 2, 2000), ("CLN-120", 1, 0)], 0,
     ("71234567890", "美妆小课堂"), "直播"),
    ("已发货", "2024-03-06 12:00:00", 40, "-", [("BDY-400", 1, 500)], 0, None, "商品卡"),
    ("待支付", "2024-03-06 22:22:22", None, "-", [("SUN-150", 1, 0)], 0, None, "短视频"),
    ("已关闭", "2024-03-07 09:30:00", None, "-", [("CLN-120", 2, 0)], 0, None, "商品卡"),
    ("已关闭", "2024-03-07 20:08:08", 31, "退款成功", [("SUN-150", 1, 800)], 0, ("72345678901", "护肤研究所"),
     "精选联盟"),
    ("待发货", "2024-03-08 21:00:00", 12, "-", [("MASK-20", 1, 1000), ("BDY-400", 1, 0), ("SUN-150", 1, 0)], 0,
     ("71234567890", "美妆小课堂"), "直播"),
    ("已完成", "2024-03-09 10:10:10", 20, "售后完成", [("CLN-120", 1, 0)], 600, None, "商品卡"),
    ("已完成", "2024-03-10 19:45:00", 15, "-", [("BDY-400", 2, 1000)], 0, ("72345678901", "护肤研究所"), "精选联盟"),
    ("已发货", "2024-03-11 08:08:08", 60, "-", [("SUN-150", 2, 1500)], 0, None, "短视频"),
    ("已完成", "2024-03-12 23:58:40", 45, "-", [("MASK-20", 3, 3000)], 0, ("71234567890", "美妆小课堂"), "直播"),
    ("待发货", "2024-03-13 13:30:00", 22, "-", [("CLN-120", 1, 0)], 0, None, "商品卡"),
]


def dy_time(when: datetime | None) -> str:
    return "" if when is None else when.strftime("%Y/%m/%d %H:%M:%S")


def douyin_orders() -> Fixture:
    rng = random.Random("douyin")
    header = ["主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商品ID", "商家编码", "商品单价", "订单应付金额",
              "运费", "优惠总金额", "平台优惠", "商家优惠", "达人优惠", "支付方式", "收件人", "收件人手机号", "省", "市", "区",
              "街道", "详细地址", "买家留言", "订单提交时间", "支付完成时间", "发货时间", "订单完成时间", "订单状态",
              "售后状态", "取消原因", "达人ID", "达人昵称", "流量来源", "流量类型"]
    rows: list[list[object]] = [header]
    records = []
    for status, created, delay, after_sale, lines, freight, talent, source in DOUYIN_ORDERS:
        main_id = "69" + digits(rng, 17)
        created_at = t(created)
        paid_at = None if delay is None else created_at + timedelta(seconds=delay)
        shipped = paid_at + timedelta(hours=20) if status in ("已完成", "已发货") else None
        done = shipped + timedelta(days=4) if status == "已完成" else None
        order_paid = 0
        phone = mobile(rng)
        for j, (goods, qty, discount) in enumerate(lines):
            title, goods_id, price, spec = DOUYIN_GOODS[goods]
            sub_id = main_id if len(lines) == 1 else "69" + digits(rng, 17)
            line_freight = freight if j == 0 else 0
            payable = price * qty - discount + line_freight  # 订单应付金额 is per sub-order
            order_paid += payable
            rows.append([
                "\t" + main_id, "\t" + sub_id, title, spec, str(qty), "\t" + goods_id, goods, yuan(price), yuan(payable),
                yuan(line_freight), yuan(discount), "0.00", yuan(discount), "0.00",
                "抖音支付" if paid_at else "", "刘**", phone, "湖南省", "长沙市",
                "岳麓区", "***", "***", "", dy_time(created_at), dy_time(paid_at), dy_time(shipped), dy_time(done),
                status, after_sale, "超时未支付" if status == "已关闭" and not paid_at else "",
                talent[0] if talent else "", talent[1] if talent else "", source, "自然流量" if talent is None else "达人",
            ])
        records.append(OrderRecord(main_id, None, paid_at is not None, order_paid, 0, sum(q for _, q, _ in lines)))
    expected = file_facts("order_lines", "douyin", "utf-8", False, ",", len(rows) - 1, 0)
    expected.update(order_figures(records, buyers=False, refunds=False, units=True))
    expected["notes"] = ("订单应付金额 is per 子订单: an order's paid amount is the sum over its lines; paid = has "
                         "支付完成时间 (已关闭 with one is paid); times written 2024/03/05 20:13:45; no buyer id, "
                         "no refund amount")
    return Fixture("douyin_orders.csv", encode(render(rows), "utf-8"), expected, "UTF-8", "comma", "order_lines",
                   "douyin",
                   "ids with a leading tab (19-digit 商品ID too); 子订单编号 = 主订单编号 on single-line orders; "
                   "slash dates `2024/03/05 20:13:45`; 已关闭 with and without 支付完成时间; `-` placeholders; "
                   "2- and 3-line orders; CRLF")


# --------------------------------------------------------------------------------------------------
# Shopify (store "Lumen & Loom"): orders and products share SKUs
# --------------------------------------------------------------------------------------------------

XSS_TITLE = "<img src=x onerror=alert(1)>"
SHOPIFY_VARIANTS = {
    # sku: (handle, product title, option value, price cents, cost cents, inventory, type)
    "TEE-BLK-M": ("classic-tee", "Classic Tee", "M / Black", 2800, 950, 42, "T-Shirts"),
    "TEE-BLK-L": ("classic-tee", "Classic Tee", "L / Black", 2800, 950, 35, "T-Shirts"),
    "TEE-WHT-M": ("classic-tee", "Classic Tee", "M / White", 2800, 950, 0, "T-Shirts"),
    "MUG-BLU": ("ceramic-mug", "Ceramic Mug, 12 oz", "Blue", 1800, 520, 88, "Mugs"),
    "MUG-SPK": ("ceramic-mug", "Ceramic Mug, 12 oz", "Speckled", 1800, 520, 64, "Mugs"),
    "TOTE-NAT": ("canvas-tote", "Canvas Tote", "Natural", 2400, 700, 120, "Bags"),
    "BEANIE-GRY": ("wool-beanie", "Wool Beanie", "Grey", 2200, 610, 15, "Hats"),
    "APRON-NAT": ("linen-apron", "Linen Apron", "Natural", 3200, 1100, 22, "Aprons"),
    "APRON-SAGE": ("linen-apron", "Linen Apron", "Sage", 3200, 1100, 9, "Aprons"),
    "XSS-001": ("test-product", XSS_TITLE, "Default Title", 999, 100, 3, "Test"),
}


@dataclass
class ShopifyOrder:
    name: str
    email: str
    status: str  # Financial Status
    created: str  # with offset, as written
    lines: list[tuple[str, int]]
    shipping: int
    taxes: int
    discount: int = 0
    discount_code: str = ""
    refunded: int = 0
    paid_at: str | None = None  # None = no Paid at

    @property
    def subtotal(self) -> int:
        return sum(SHOPIFY_VARIANTS[s][3] * q for s, q in self.lines) - self.discount

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping + self.taxes


SHOPIFY_ORDERS = [
    ShopifyOrder("#1001", "alice.wong@example.com", "paid", "2024-03-01 09:15:02 +0800", [("TEE-BLK-M", 1)], 500, 264,
                 paid_at="2024-03-01 09:15:04 +0800"),
    ShopifyOrder("#1002", "bob.li@example.net", "paid", "2024-03-01 12:34:56 +0800",
                 [("TEE-WHT-M", 2), ("MUG-BLU", 1), ("TOTE-NAT", 1)], 0, 809, paid_at="2024-03-01 12:34:56 +0800"),
    ShopifyOrder("#1003", "alice.wong@example.com", "partially_refunded", "2024-03-02 20:05:11 +0800",
                 [("MUG-SPK", 2), ("BEANIE-GRY", 1)], 500, 509, refunded=1947, paid_at="2024-03-02 20:05:13 +0800"),
    ShopifyOrder("#1004", "carol.chen@example.org", "refunded", "2024-03-03 08:00:00 +0800", [("APRON-NAT", 1)], 500,
                 305, refunded=4005, paid_at="2024-03-03 08:00:01 +0800"),
    ShopifyOrder("#1005", "dave.ng@example.com", "pending", "2024-03-04 15:30:00 +0800", [("TOTE-NAT", 1)], 500, 239),
    ShopifyOrder("#1006", "erin.zhao@example.com", "voided", "2024-03-05 11:11:11 +0800", [("BEANIE-GRY", 2)], 500,
                 404),
    # the store's one order stamped in another zone: read at the wall-clock written (DEFINITIONS §1)
    ShopifyOrder("#1007", "frank.m@example.com", "paid", "2024-03-05 22:10:00 -0500", [("XSS-001", 1)], 500, 124,
                 paid_at="2024-03-05 22:10:03 -0500"),
    ShopifyOrder("#1008", "grace.h@example.com", "paid", "2024-03-06 10:45:30 +0800",
                 [("TEE-BLK-L", 1), ("APRON-SAGE", 1)], 500, 486, discount=600, discount_code="SPRING10",
                 paid_at="2024-03-06 10:45:33 +0800"),
    ShopifyOrder("#1009", "bob.li@example.net", "paid", "2024-03-07 19:00:00 +0800", [("MUG-BLU", 4)], 500, 635,
                 paid_at="2024-03-07 19:00:02 +0800"),
    ShopifyOrder("#1010", "heidi.k@example.com", "paid", "2024-03-08 23:59:59 +0800", [("TEE-BLK-M", 1)], 500, 231,
                 paid_at="2024-03-09 00:00:01 +0800"),
]


def shopify_orders() -> Fixture:
    rng = random.Random("shopify-orders")
    header = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
              "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount",
              "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
              "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
              "Lineitem fulfillment status", "Billing Name", "Billing City", "Billing Zip", "Billing Country",
              "Shipping Name", "Shipping City", "Shipping Zip", "Shipping Country", "Notes", "Cancelled at",
              "Payment Method", "Refunded Amount", "Vendor", "Outstanding Balance", "Id", "Tags", "Risk Level",
              "Source", "Lineitem discount"]
    rows: list[list[object]] = [header]
    records = []
    for o in SHOPIFY_ORDERS:
        paid = o.paid_at is not None
        fulfilled = o.status in ("paid", "partially_refunded") and o.name != "#1010"
        person = o.email.split("@")[0].replace(".", " ").title()
        for j, (sku, qty) in enumerate(o.lines):
            handle, title, option, price, _, _, _ = SHOPIFY_VARIANTS[sku]
            line_name = title if option == "Default Title" else f"{title} - {option}"
            line = [str(qty), line_name, yuan(price), "", sku, "true", "true", "fulfilled" if fulfilled else "pending"]
            if j == 0:
                order_part = [o.name, o.email, o.status, o.paid_at or "", "fulfilled" if fulfilled else "unfulfilled",
                              o.created if fulfilled else "", "yes" if o.name != "#1010" else "no", "USD",
                              yuan(o.subtotal), yuan(o.shipping), yuan(o.taxes), yuan(o.total), o.discount_code,
                              yuan(o.discount), "Standard" if o.shipping else "Free Shipping", o.created]
                tail = [person, "Shanghai", "200000", "CN", person, "Shanghai", "200000", "CN", "",
                        o.created if o.status == "voided" else "", "Shopify Payments", yuan(o.refunded),
                        "Lumen & Loom", "0.00" if paid else yuan(o.total), "56" + digits(rng, 11), "", "Low", "web",
                        "0.00"]
            else:
                # later line rows repeat only Name, Email and Created at, plus their own line-level cells
                order_part = [o.name, o.email] + [""] * 13 + [o.created]
                tail = [""] * 12 + ["Lumen & Loom"] + [""] * 5 + ["0.00"]
            rows.append(order_part + line + tail)
        records.append(OrderRecord(o.name, o.email, paid, o.total, o.refunded, sum(q for _, q in o.lines)))
    assert all(len(r) == len(header) for r in rows)
    expected = file_facts("order_lines", "shopify", "utf-8", False, ",", len(rows) - 1, 0)
    expected.update(order_figures(records, buyers=True, refunds=True, units=True))
    expected["notes"] = ("order fields on the first line row only; paid = has Paid at (pending/voided have none; "
                         "refunded is paid); gmv = Σ Total; refunds = Σ Refunded Amount; buyers = distinct Email")
    return Fixture("shopify_orders.csv", encode(render(rows, eol=LF), "utf-8"), expected, "UTF-8", "comma",
                   "order_lines", "shopify",
                   "order-level fields on the first line row only; 3-line order #1002; paid/partially_refunded/"
                   "refunded/pending/voided; `+0800` and one `-0500` offset; paid across midnight; a product "
                   "titled `<img src=x onerror=alert(1)>`; title with a comma (quoted); LF")


def shopify_products() -> Fixture:
    header = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
              "Option1 Name", "Option1 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
              "Variant Inventory Qty", "Variant Inventory Policy", "Variant Fulfillment Service", "Variant Price",
              "Variant Compare At Price", "Variant Requires Shipping", "Variant Taxable", "Image Src", "Gift Card",
              "Cost per item", "Status"]
    bodies = {
        "classic-tee": '<p>Heavyweight cotton tee.</p>\n<p>Fits "true to size".</p>',
        "ceramic-mug": "<p>Stoneware mug, dishwasher safe.</p>",
        "canvas-tote": "<p>12 oz canvas, inside pocket.</p>",
        "wool-beanie": "<p>Merino wool, one size.</p>",
        "linen-apron": "<p>Washed linen apron with two pockets.</p>",
        "test-product": "<script>alert(1)</script>",
    }
    rows: list[list[object]] = [header]
    seen_handles: set[str] = set()
    for sku, (handle, title, option, price, cost, qty, ptype) in SHOPIFY_VARIANTS.items():
        first = handle not in seen_handles
        seen_handles.add(handle)
        option_name = "Title" if option == "Default Title" else ("Size / Color" if handle == "classic-tee" else "Color")
        category = "Home & Garden" if ptype == "Mugs" else "Apparel & Accessories"
        tags = "spring, bestseller" if handle == "classic-tee" else ""
        # product-level cells only on the first variant row of a Handle, as Shopify writes them
        product_part = [title, bodies[handle], "Lumen & Loom", category, ptype, tags, "TRUE"] if first else [""] * 7
        rows.append([handle] + product_part + [
            option_name if first else "", option, sku, "250", "shopify", str(qty), "deny", "manual", yuan(price), "",
            "TRUE", "TRUE", f"https://cdn.example.com/{handle}.jpg" if first else "", "FALSE" if first else "",
            yuan(cost), "active" if first else "",
        ])
    expected = file_facts("products", "shopify", "utf-8", False, ",", len(SHOPIFY_VARIANTS), 0)
    expected.update({
        "products": len(SHOPIFY_VARIANTS),
        "with_cost": len(SHOPIFY_VARIANTS),
        "stock_sum": sum(v[5] for v in SHOPIFY_VARIANTS.values()),
        "notes": "one row per variant; product fields (Title, Type …) on the first row of each Handle only; "
                 "product key = Variant SKU; Shopify writes `Type` (and `Product Category`), not `Product Type`",
    })
    return Fixture("shopify_products.csv", encode(render(rows, eol=LF), "utf-8"), expected, "UTF-8", "comma",
                   "products", "shopify",
                   "variant rows with product fields on the first row only; Body (HTML) with a quoted newline and "
                   "doubled quotes; `<script>` body and `<img …>` title; title with a comma; LF")


# --------------------------------------------------------------------------------------------------
# WooCommerce Analytics → Orders
# --------------------------------------------------------------------------------------------------

WOO_PRICES = {"Blue Mug": 1500, "Tea Towel": 900, "Espresso Cup Set": 4200, "Oak Coaster": 600,
              "Linen Napkins (4)": 2400}
# (order #, date, status, customer, type, [(qty, product)], coupon percent)
WOO_ORDERS = [
    (1041, "2024-03-01 10:15:00", "Completed", "Emma Clarke", "new", [(2, "Blue Mug"), (1, "Tea Towel")], 0),
    (1042, "2024-03-01 16:42:10", "Completed", "Oliver Brown", "new", [(1, "Espresso Cup Set")], 0),
    (1043, "2024-03-02 09:05:33", "Processing", "Ava Patel", "new", [(4, "Oak Coaster")], 10),
    (1044, "2024-03-02 21:30:00", "Refunded", "Liam Evans", "new", [(1, "Linen Napkins (4)")], 0),
    (1045, "2024-03-03 11:11:11", "On hold", "Mia Wilson", "new", [(2, "Tea Towel")], 0),
    (1046, "2024-03-03 14:00:00", "Completed", "Emma Clarke", "returning", [(1, "Espresso Cup Set"), (2, "Oak Coaster")],
     10),
    (1047, "2024-03-04 08:20:45", "Pending payment", "Noah Taylor", "new", [(1, "Blue Mug")], 0),
    (1048, "2024-03-04 19:19:19", "Cancelled", "Isla Thomas", "new", [(3, "Blue Mug")], 0),
    (1049, "2024-03-05 12:00:00", "Completed", "Harbour Café Ltd", "new", [(30, "Espresso Cup Set")], 0),
    (1050, "2024-03-06 07:45:00", "Failed", "Jack Roberts", "new", [(1, "Linen Napkins (4)")], 0),
    (1051, "2024-03-06 18:30:00", "Processing", "Oliver Brown", "returning", [(2, "Linen Napkins (4)"), (1, "Blue Mug")],
     0),
    (1052, "2024-03-07 22:05:00", "Completed", "Ava Patel", "returning", [(6, "Tea Towel")], 0),
]
WOO_PAID = {"Completed", "Processing", "Refunded"}  # On hold = awaiting payment; Pending/Failed/Cancelled unpaid


def woocommerce_analytics() -> Fixture:
    header = ["Date", "Order #", "Status", "Customer", "Customer type", "Product(s)", "Items sold", "Coupon(s)",
              "Net Sales"]
    rows: list[list[object]] = [header]
    records = []
    for number, date, status, customer, ctype, lines, coupon in WOO_ORDERS:
        gross = sum(q * WOO_PRICES[p] for q, p in lines)
        net = gross - gross * coupon // 100
        rows.append([date, str(number), status, customer, ctype, ", ".join(f"{q}× {p}" for q, p in lines),
                     str(sum(q for q, _ in lines)), f"spring{coupon}" if coupon else "", grouped(net)])
        records.append(OrderRecord(str(number), None, status in WOO_PAID, net, 0, sum(q for q, _ in lines)))
    expected = file_facts("orders", "woocommerce", "utf-8", False, ",", len(WOO_ORDERS), 0)
    expected.update(order_figures(records, buyers=False, refunds=False, units=True))
    expected["notes"] = ("paid statuses: Completed, Processing, Refunded; On hold (awaiting payment), Pending payment, "
                         "Failed, Cancelled are not; Customer is a name, not an id; units = Σ Items sold = Σ packed "
                         "quantities of paid orders")
    return Fixture("woocommerce_analytics.csv", encode(render(rows, eol=LF, quote_all=True), "utf-8"), expected,
                   "UTF-8", "comma", "orders", "woocommerce",
                   "every field quoted; lines packed `2× Blue Mug, 1× Tea Towel`; Net Sales `1,260.00`; "
                   "customer names only; On hold/Pending payment/Failed/Cancelled; non-ASCII name (Café); LF")


# --------------------------------------------------------------------------------------------------
# Amazon All Orders (tab-separated, no customer id)
# --------------------------------------------------------------------------------------------------

AMAZON_GOODS = {
    "MUG-BLU-350": ("B0C7XK2M9Q", "Lumen & Loom Ceramic Coffee Mug, 12 oz, Blue", 1899),
    "TOTE-NAT-01": ("B0C7XL4P1R", "Canvas Tote Bag with Inner Pocket, Natural", 2499),
    "APRON-SAGE": ("B0C9ZA7T3S", "Washed Linen Apron, Sage Green", 3299),
    "COASTER-OAK-4": ("B0CB1Q8N5V", "Oak Wood Coasters, Set of 4", 1599),
}

# (status, purchase-date (UTC, written +00:00), lines [(sku, qty)], shipping cents, city, state, zip)
AMAZON_ORDERS = [
    ("Shipped", "2024-03-01 08:15:22", [("MUG-BLU-350", 2)], 0, "Seattle", "WA", "98101"),
    ("Shipped", "2024-03-01 19:40:03", [("TOTE-NAT-01", 1), ("COASTER-OAK-4", 1)], 0, "Austin", "TX", "78701"),
    ("Pending", "2024-03-02 02:30:00", [("APRON-SAGE", 1)], 0, "Denver", "CO", "80202"),
    ("Shipped", "2024-03-02 23:59:59", [("COASTER-OAK-4", 3)], 499, "Portland", "OR", "97205"),
    ("Cancelled", "2024-03-03 12:12:12", [("MUG-BLU-350", 1)], 0, "Boston", "MA", "02108"),
    ("Shipped", "2024-03-04 06:05:00", [("APRON-SAGE", 1)], 0, "Chicago", "IL", "60601"),
    ("Shipped", "2024-03-04 16:20:41", [("MUG-BLU-350", 1), ("TOTE-NAT-01", 2)], 0, "Miami", "FL", "33101"),
    ("Pending", "2024-03-05 09:09:09", [("TOTE-NAT-01", 1)], 0, "Phoenix", "AZ", "85004"),
    ("Shipped", "2024-03-06 00:00:00", [("COASTER-OAK-4", 1)], 499, "Atlanta", "GA", "30303"),
    ("Shipped", "2024-03-06 13:45:10", [("MUG-BLU-350", 4)], 0, "New York", "NY", "10001"),
]


def amazon_all_orders() -> Fixture:
    rng = random.Random("amazon-all-orders")
    header = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
              "fulfillment-channel", "sales-channel", "order-channel", "ship-service-level", "product-name", "sku",
              "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price",
              "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
              "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
              "promotion-ids", "is-business-order"]
    rows: list[list[object]] = [header]
    records = []
    for status, purchased, lines, shipping, city, state, zipcode in AMAZON_ORDERS:
        order_id = f"11{rng.randrange(1, 5)}-{digits(rng, 7)}-{digits(rng, 7)}"
        bought = t(purchased)
        iso = bought.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        updated = (bought + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        order_items = 0
        units = 0
        for j, (sku, qty) in enumerate(lines):
            asin, name, price = AMAZON_GOODS[sku]
            item_price = price * qty  # item-price is the line total
            priced = status == "Shipped"  # Amazon leaves prices blank on Pending and Cancelled rows
            written_qty = 0 if status == "Cancelled" else qty
            line_shipping = shipping if j == 0 else 0
            rows.append([
                order_id, "", iso, updated, status, "Merchant" if shipping else "Amazon",
                "Amazon.com", "", "Standard", name, sku, asin,
                {"Shipped": "Shipped", "Pending": "Unshipped", "Cancelled": "Cancelled"}[status], str(written_qty),
                "USD" if priced else "", yuan(item_price) if priced else "",
                yuan(item_price * 8 // 100) if priced else "", yuan(line_shipping) if priced else "",
                "0.00" if priced else "", "", "", "0.00" if priced else "", "0.00" if priced else "", city.upper(),
                state, zipcode, "US", "", "false",
            ])
            order_items += item_price
            units += qty
        records.append(OrderRecord(order_id, None, status == "Shipped", order_items, 0, units))
    expected = file_facts("order_lines", "amazon", "utf-8", False, "\t", len(rows) - 1, 0)
    expected.update(order_figures(records, buyers=False, refunds=False, units=True))
    expected["notes"] = ("paid = order-status Shipped (Pending unpaid, Cancelled not paid); gmv = Σ item-price per "
                         "order (shipping-price excluded); Pending/Cancelled rows have blank prices; no customer id")
    return Fixture("amazon_all_orders.txt", encode(render(rows, delimiter="\t", eol=LF), "utf-8"), expected,
                   "UTF-8", "tab", "order_lines", "amazon",
                   "tab-separated .txt; ISO `+00:00` times; blank item-price on Pending/Cancelled; quantity 0 on "
                   "Cancelled; product names with commas (unquoted under tabs); 2-line orders; no customer id; LF")


# --------------------------------------------------------------------------------------------------
# Behaviour events: Tianchi UserBehavior (epochs, China time) and REES46
# --------------------------------------------------------------------------------------------------

# (user, item, category, behavior, China wall-clock) in file order
TIANCHI = [
    (1000217, 2268318, 2520377, "pv", "2017-11-25 00:00:00"),  # first second of the range (UTC: 11-24 16:00)
    (1000217, 2268318, 2520377, "pv", "2017-11-25 00:03:12"),
    (1000217, 2268318, 2520377, "fav", "2017-11-25 00:05:40"),
    (1000217, 3002561, 2520377, "pv", "2017-11-25 00:07:01"),
    (1000217, 2268318, 2520377, "cart", "2017-11-25 00:09:15"),
    (1000217, 2268318, 2520377, "buy", "2017-11-25 00:21:48"),
    (1000217, 3002561, 2520377, "pv", "2017-11-27 11:00:00"),
    (1000217, 3002561, 2520377, "cart", "2017-11-27 11:01:00"),
    (1000418, 4365585, 2520377, "pv", "2017-11-26 20:01:05"),
    (1000418, 4365585, 2520377, "pv", "2017-11-26 20:02:30"),
    (1000418, 4365585, 2520377, "cart", "2017-11-26 20:04:10"),
    (1000418, 4365585, 2520377, "buy", "2017-11-26 20:04:10"),  # same second as the cart
    (1000418, 1531036, 4756105, "pv", "2017-11-27 08:15:00"),
    (1000418, 1531036, 4756105, "pv", "2017-11-27 08:16:44"),
    (1000418, 1531036, 4756105, "fav", "2017-11-27 08:17:00"),
    (1003983, 2087357, 2131531, "cart", "2017-11-28 12:30:00"),
    (1003983, 2087357, 2131531, "buy", "2017-11-28 12:31:15"),  # bought before any view
    (1003983, 2087357, 2131531, "pv", "2017-11-28 12:35:40"),
    (1003983, 5002615, 2131531, "pv", "2017-11-28 12:37:02"),
    (1003983, 5002615, 2131531, "pv", "2017-11-28 12:37:02"),  # duplicate event, same second
    (1003983, 2087357, 2131531, "pv", "2017-11-28 12:40:00"),
    (1007345, 3239041, 2355072, "pv", "2017-11-25 10:00:00"),
    (1007345, 3239041, 2355072, "cart", "2017-11-25 10:02:30"),
    (1007345, 4615417, 2355072, "pv", "2017-11-25 10:05:00"),
    (1007345, 2734026, 1320293, "pv", "2017-11-30 21:00:00"),
    (1007345, 3239041, 2355072, "buy", "2017-12-03 12:00:00"),  # 8 d 2 h after the first view: outside 7 days
    (1010043, 1305059, 4801426, "pv", "2017-11-29 19:20:00"),
    (1010043, 1305059, 4801426, "fav", "2017-11-29 19:21:30"),
    (1010043, 2920476, 4801426, "pv", "2017-11-29 19:25:12"),
    (1010043, 2920476, 4801426, "pv", "2017-11-30 07:45:00"),
    (1010043, 3031354, 2465336, "pv", "2017-12-01 22:10:00"),
    (1010043, 3031354, 2465336, "fav", "2017-12-01 22:12:45"),
    (1010043, 3031354, 2465336, "pv", "2017-12-02 09:00:00"),
    (1015172, 460702, 4181361, "pv", "2017-12-02 14:00:00"),
    (1015172, 460702, 4181361, "pv", "2017-12-02 14:00:30"),
    (1015172, 3830808, 4181361, "pv", "2017-12-02 14:02:10"),
    (1015172, 3830808, 4181361, "pv", "2017-12-03 23:50:00"),
    (1015172, 3830808, 4181361, "cart", "2017-12-03 23:59:59"),  # last second of the range (UTC: 15:59:59)
    (1015172, 230380, 411153, "pv", "2017-12-01 09:00:00"),  # out of time order, as in the real file
    (1015172, 230380, 411153, "pv", "2017-12-01 09:01:20"),
]

STEP_OF = {"pv": "view", "fav": "fav", "cart": "cart", "buy": "purchase", "view": "view",
           "purchase": "purchase", "remove_from_cart": None}
WEEK = 7 * 86400


def funnel_level(events: list[tuple[str, int]], steps: list[str], window: int | None) -> int:
    """Naive DEFINITIONS §5 sequential level: the longest prefix of `steps` with t1 ≤ t2 ≤ … and ti − t1 ≤ W.

    For each first-step event, take the earliest feasible event of each next step (greedy is optimal: an
    earlier ti never removes a choice for t(i+1))."""
    best = 0
    for step0, start in events:
        if step0 != steps[0]:
            continue
        level, now = 1, start
        for step in steps[1:]:
            candidates = [tt for s, tt in events if s == step and tt >= now
                          and (window is None or tt - start <= window)]
            if not candidates:
                break
            now = min(candidates)
            level += 1
        best = max(best, level)
    return best


def event_figures(events: list[tuple[str, str, int]]) -> dict:
    """events: (user, step or None, wall-clock seconds). Distinct and sequential funnel counts."""
    users = sorted({u for u, _, _ in events})
    per_user = {u: [(s, tt) for uu, s, tt in events if uu == u and s] for u in users}
    distinct = {step: len({u for u, s, _ in events if s == step}) for step in ("view", "fav", "cart", "purchase")}

    def counts(steps: list[str], window: int | None) -> list[int]:
        levels = [funnel_level(per_user[u], steps, window) for u in users]
        return [sum(1 for lv in levels if lv >= i + 1) for i in range(len(steps))]

    return {
        "events": len(events),
        "users": len(users),
        "distinct_counts": distinct,
        "sequential_counts": {
            "view_cart_purchase_7d": counts(["view", "cart", "purchase"], WEEK),
            "view_cart_purchase_unbounded": counts(["view", "cart", "purchase"], None),
            "view_fav_cart_purchase_7d": counts(["view", "fav", "cart", "purchase"], WEEK),
        },
    }


def wall_seconds(when: datetime) -> int:
    """Wall-clock seconds since 1970-01-01 00:00 of the same wall-clock (the engine's time unit)."""
    return int((when - datetime(1970, 1, 1)).total_seconds())


def tianchi_userbehavior() -> Fixture:
    rows = []
    events = []
    for user, item, category, behavior, local in TIANCHI:
        wall = t(local)
        epoch = int(wall.replace(tzinfo=CST).timestamp())
        rows.append([str(user), str(item), str(category), behavior, str(epoch)])
        events.append((str(user), STEP_OF[behavior], wall_seconds(wall)))
    walls = [t(local) for *_, local in TIANCHI]
    expected = file_facts("events", "tianchi", "utf-8", False, ",", len(TIANCHI), 0)
    expected.update(event_figures(events))
    expected.update({
        "first_event": ymdhms(min(walls)),
        "last_event": ymdhms(max(walls)),
        "notes": "no header; epochs read in UTC+08:00 (first/last_event are China wall-clock); sequential funnel "
                 "counts by DEFINITIONS §5 with t1 ≤ … ≤ ti (equal seconds allowed)",
    })
    return Fixture("tianchi_userbehavior.csv", encode(render(rows, eol=LF), "utf-8"), expected, "ASCII", "comma",
                   "events", "tianchi",
                   "no header; Unix epochs (China time) at both ends of 2017-11-25…12-03; cart and buy in the same "
                   "second; buy before any pv; a pv→cart→buy chain of 8 days (outside the 7-day window); a "
                   "duplicate event; rows out of time order; LF")


CAT_PHONE = "2053013555631882655"  # > 2^53: must stay text
REES46_PRODUCTS = {
    1004856: (CAT_PHONE, "electronics.smartphone", "samsung", "130.76"),
    1005115: (CAT_PHONE, "electronics.smartphone", "apple", "923.38"),
    1004767: (CAT_PHONE, "electronics.smartphone", "samsung", "247.75"),
    3900821: ("2053013552326770905", "appliances.environment.water_heater", "aqua", "102.71"),
    17200506: ("2053013559792632471", "furniture.living_room.sofa", "", "543.10"),
    28719074: ("2053013565480109009", "apparel.shoes.keds", "baden", "102.71"),
    1307067: ("2053013558920217191", "computers.notebook", "lenovo", "251.74"),
    26401283: ("2053013563651392361", "", "lucente", "89.81"),
}
# (user, session number, event_type, product, wall-clock as written with " UTC")
REES46 = [
    (541312140, 1, "view", 1004856, "2019-10-01 00:00:00"),
    (541312140, 1, "view", 1005115, "2019-10-01 00:01:12"),
    (541312140, 1, "cart", 1004856, "2019-10-01 00:02:30"),
    (541312140, 1, "purchase", 1004856, "2019-10-01 00:05:47"),
    (541312140, 1, "view", 1004767, "2019-10-01 00:10:00"),
    (554748717, 2, "view", 3900821, "2019-10-01 08:12:05"),
    (554748717, 2, "view", 3900821, "2019-10-01 08:13:40"),
    (554748717, 2, "cart", 3900821, "2019-10-01 08:14:02"),
    (554748717, 2, "remove_from_cart", 3900821, "2019-10-01 08:20:11"),
    (519107250, 3, "view", 1307067, "2019-10-01 12:00:00"),
    (519107250, 3, "view", 1307067, "2019-10-01 12:05:00"),
    (541312140, 4, "view", 1004856, "2019-10-02 07:30:00"),
    (519107250, 5, "view", 26401283, "2019-10-02 09:30:00"),
    (519107250, 5, "cart", 26401283, "2019-10-02 09:31:10"),
    (519107250, 5, "remove_from_cart", 26401283, "2019-10-02 09:40:00"),
    (550050854, 6, "purchase", 28719074, "2019-10-02 10:00:00"),  # written first, all three in the same second
    (550050854, 6, "view", 28719074, "2019-10-02 10:00:00"),
    (550050854, 6, "cart", 28719074, "2019-10-02 10:00:00"),
    (554748717, 7, "view", 17200506, "2019-10-02 19:00:00"),
    (554748717, 7, "cart", 17200506, "2019-10-02 19:03:22"),
    (554748717, 7, "purchase", 17200506, "2019-10-02 19:10:45"),
    (550050854, 8, "view", 3900821, "2019-10-03 08:00:00"),
    (519107250, 9, "view", 26401283, "2019-10-03 10:00:00"),
    (535871217, 10, "view", 1005115, "2019-10-03 21:00:00"),
    (535871217, 10, "cart", 1005115, "2019-10-03 21:02:00"),
    (535871217, 10, "remove_from_cart", 1005115, "2019-10-03 21:05:00"),
    (535871217, 10, "view", 1004856, "2019-10-03 21:06:30"),
    (535871217, 10, "cart", 1004856, "2019-10-03 21:07:10"),
    (535871217, 10, "purchase", 1004856, "2019-10-03 21:09:59"),
    (535871217, 10, "view", 1307067, "2019-10-03 23:59:59"),
]


def rees46_events() -> Fixture:
    rng = random.Random("rees46")
    sessions: dict[int, str] = {}
    rows: list[list[object]] = [["event_time", "event_type", "product_id", "category_id", "category_code", "brand",
                                 "price", "user_id", "user_session"]]
    events = []
    for user, session, kind, product, wall in REES46:
        if session not in sessions:
            sessions[session] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        category, code, brand, price = REES46_PRODUCTS[product]
        rows.append([f"{wall} UTC", kind, str(product), category, code, brand, price, str(user), sessions[session]])
        events.append((str(user), STEP_OF[kind], wall_seconds(t(wall))))
    expected = file_facts("events", "rees46", "utf-8", False, ",", len(REES46), 0)
    expected.update(event_figures(events))
    expected.update({
        "first_event": REES46[0][4],
        "last_event": REES46[-1][4],
        "notes": "`… UTC` read at the wall-clock written; remove_from_cart is no funnel step; no fav events (0); "
                 "category_id values exceed 2^53",
    })
    return Fixture("rees46_events.csv", encode(render(rows, eol=LF), "utf-8"), expected, "UTF-8", "comma", "events",
                   "rees46",
                   "19-digit category_id > 2^53; `UTC` suffix; blank brand/category_code; remove_from_cart; "
                   "purchase/view/cart in the same second with the purchase written first; LF")


# --------------------------------------------------------------------------------------------------
# Traffic aggregates: 生意参谋 店铺 daily rows, 生意参谋 商品效果, Amazon Business Report
# --------------------------------------------------------------------------------------------------

# (day, visitors, page views, fav users, cart users, order buyers, buyers, units, paid cents, refund cents or None)
SYCM_DAYS = [
    ("2024-03-01", 1832, 5120, 96, 143, 61, 52, 71, 612340, 35600),
    ("2024-03-02", 1760, 4987, 88, 131, 55, 47, 60, 548920, 0),
    ("2024-03-03", 2105, 6244, 120, 175, 79, 66, 90, 803510, 12800),
    ("2024-03-04", 1988, 5510, 101, 150, 70, 58, 77, 689030, None),  # 成功退款金额 written as "-"
    ("2024-03-05", 1654, 4433, 79, 122, 50, 41, 52, 475880, 5900),
    ("2024-03-06", 2410, 7021, 140, 201, 90, 77, 104, 951260, 29900),
    ("2024-03-07", 2893, 8877, 171, 256, 112, 95, 131, 1183470, 44800),
    ("2024-03-08", 3320, 10215, 204, 298, 131, 113, 150, 1406650, 25900),  # 妇女节 promotion
    ("2024-03-09", 2015, 5902, 98, 160, 66, 55, 70, 632100, 0),
    ("2024-03-10", 1897, 5300, 90, 139, 58, 49, 63, 571980, 17800),
]


def sycm_traffic_gbk() -> Fixture:
    header = ["统计日期", "访客数", "浏览量", "人均浏览量", "跳失率", "平均停留时长", "商品收藏人数", "加购人数", "下单买家数",
              "支付买家数", "支付件数", "支付金额", "支付转化率", "客单价", "成功退款金额"]
    lines = ["生意参谋 > 取数 > 店铺日报", "店铺名称：简衣社服饰", "统计日期：2024-03-01~2024-03-10", ""]
    rows: list[list[object]] = [header]
    for i, (day, uv, pv, fav, cart, order_buyers, buyers, units, paid, refund) in enumerate(SYCM_DAYS):
        rows.append([
            day, f"{uv:,}" if i % 3 == 2 else str(uv), str(pv), f"{pv / uv:.2f}", f"{37 + i}.{i * 7:02d}%",
            f"{28 + i * 3}.5", str(fav), str(cart), str(order_buyers), str(buyers), str(units),
            grouped(paid) if paid >= 1000000 else yuan(paid), percent(buyers, uv), yuan(div_round(paid, buyers)),
            "-" if refund is None else yuan(refund),
        ])
    text = CRLF.join(lines) + CRLF + render(rows)
    expected = file_facts("traffic", "taobao", "gbk", False, ",", len(SYCM_DAYS), len(lines))
    expected.update({
        "days": len(SYCM_DAYS),
        "visitors_sum": sum(d[1] for d in SYCM_DAYS),
        "buyers_sum": sum(d[6] for d in SYCM_DAYS),
        "paid_amount_cents": sum(d[8] for d in SYCM_DAYS),
        "notes": "3 title lines and a blank line above the header (skipped_lines = 4); sums of daily unique counts",
    })
    return Fixture("sycm_traffic_gbk.csv", encode(text, "gbk"), expected, "GBK", "comma", "traffic", "taobao",
                   "3 title lines (`统计日期：2024-03-01~2024-03-10`) + blank line above the header; `3.21%` rates; "
                   "`12,345.67` amounts and `2,105` counts (quoted); `-` for a missing refund; CRLF")


# (商品ID code, visitors, page views, fav users, cart units, cart users, order buyers, buyers, units, paid cents)
SYCM_ITEMS = [
    ("TS-1001", 612, 1503, 31, 58, 47, 19, 16, 21, 123900),
    ("TS-1002", 488, 1120, 22, 35, 30, 12, 10, 12, 94800),
    ("KZ-2001", 905, 2688, 54, 80, 66, 25, 21, 23, 281600),
    ("KZ-2002", 301, 702, 12, 14, 13, 5, 4, 4, 59600),
    ("WZ-3001", 377, 810, 9, 66, 41, 28, 25, 49, 146510),
    ("BB-4001", 254, 640, 18, 20, 17, 8, 7, 9, 62100),
    ("MZ-5001", 198, 433, 6, 15, 12, 9, 8, 10, 39000),
    ("WT-6001", 142, 512, 20, 9, 8, 4, 4, 4, 79600),
]


def sycm_items() -> Fixture:
    header = ["统计日期", "商品ID", "商品名称", "货号", "商品状态", "商品访客数", "商品浏览量", "平均停留时长",
              "商品详情页跳出率", "商品收藏人数", "商品加购件数", "商品加购人数", "下单买家数", "下单件数", "下单转化率",
              "支付买家数", "支付件数", "支付金额", "商品支付转化率", "客单价", "访客平均价值", "成功退款金额"]
    lines = ["生意参谋-商品-商品效果明细", "统计日期：2024-03-07~2024-03-07", "店铺名称：简衣社服饰", "终端：所有终端"]
    rows: list[list[object]] = [header]
    for i, (code, uv, pv, fav, cart_units, cart_users, order_buyers, buyers, units, paid) in enumerate(SYCM_ITEMS):
        p = BY_CODE[code]
        rows.append([
            "2024-03-07", p.item_id, p.title, p.code, "当前在线", str(uv), str(pv), f"{21 + i * 4}.8",
            "-" if uv < 200 else f"{55 + i:.2f}%", str(fav), str(cart_units), str(cart_users), str(order_buyers),
            str(units + i % 2), percent(order_buyers, uv), str(buyers), str(units), yuan(paid), percent(buyers, uv),
            yuan(div_round(paid, buyers)), yuan(div_round(paid, uv)), "0.00" if i % 3 else yuan(p.price),
        ])
    text = BOM + CRLF.join(lines) + CRLF + render(rows)
    expected = file_facts("traffic", "taobao", "utf-8", True, ",", len(SYCM_ITEMS), len(lines))
    expected.update({
        "days": 1,
        "visitors_sum": sum(r[1] for r in SYCM_ITEMS),
        "buyers_sum": sum(r[7] for r in SYCM_ITEMS),
        "paid_amount_cents": sum(r[9] for r in SYCM_ITEMS),
        "products": len(SYCM_ITEMS),
        "notes": "one row per item for one day; 4 title lines above the header; 商品ID and 货号 match the Taobao "
                 "catalogue (货号 = 商家编码)",
    })
    return Fixture("sycm_items.csv", encode(text, "utf-8"), expected, "UTF-8 BOM", "comma", "traffic", "taobao",
                   "4 title lines, no blank line; per-item rows; `-` for an undefined 跳出率; 12-digit 商品ID; "
                   "BOM before the first title line; CRLF")


# (parent, child, title, sessions, page views, buy box %, units, sales cents, order items)
AMAZON_BR = [
    ("B0C7XK0000", "B0C7XK2M9Q", "Lumen & Loom Ceramic Coffee Mug, 12 oz, Blue", 1204, 1877, "98.50%", 96, 182304, 81),
    ("B0C7XK0000", "B0C7XK3N1P", "Lumen & Loom Ceramic Coffee Mug, 12 oz, Speckled", 833, 1210, "97.25%", 52, 98748, 47),
    ("B0C7XL0000", "B0C7XL4P1R", "Canvas Tote Bag with Inner Pocket, Natural", 2310, 3395, "100.00%", 141, 352359,
     130),
    ("B0C7XL0000", "B0C7XL5Q2S", "Canvas Tote Bag with Inner Pocket, Black", 644, 902, "99.10%", 30, 74970, 28),
    ("B0C9ZA0000", "B0C9ZA7T3S", "Washed Linen Apron, Sage Green", 412, 655, "95.00%", 19, 62681, 19),
    ("B0C9ZA0000", "B0C9ZA8U4T", "Washed Linen Apron, Natural", 389, 590, "96.40%", 22, 72578, 21),
    ("B0CB1Q0000", "B0CB1Q8N5V", "Oak Wood Coasters, Set of 4", 1578, 2011, "100.00%", 88, 140712, 75),
    ("B0CB1Q0000", "B0CB1Q9P6W", "Walnut Wood Coasters, Set of 4", 97, 130, "88.00%", 0, 0, 0),
]


def amazon_business_report() -> Fixture:
    header = ["(Parent) ASIN", "(Child) ASIN", "Title", "Sessions - Total", "Sessions - Total - B2B",
              "Session Percentage - Total", "Page Views - Total", "Page Views - Total - B2B",
              "Page Views Percentage - Total", "Featured Offer (Buy Box) Percentage", "Units Ordered",
              "Units Ordered - B2B", "Unit Session Percentage", "Ordered Product Sales",
              "Ordered Product Sales - B2B", "Total Order Items", "Total Order Items - B2B"]
    total_sessions = sum(r[3] for r in AMAZON_BR)
    total_views = sum(r[4] for r in AMAZON_BR)
    rows: list[list[object]] = [header]
    for parent, child, title, sessions, views, buy_box, units, sales, items in AMAZON_BR:
        rows.append([parent, child, title, f"{sessions:,}", str(sessions // 20), percent(sessions, total_sessions),
                     f"{views:,}", str(views // 20), percent(views, total_views), buy_box, str(units), str(units // 10),
                     percent(units, sessions), grouped(sales, "$"), grouped(sales // 10, "$"), str(items),
                     str(items // 10)])
    expected = file_facts("traffic", "amazon", "utf-8", False, ",", len(AMAZON_BR), 0)
    expected.update({
        "days": None,
        "visitors_sum": sum(r[3] for r in AMAZON_BR),
        "buyers_sum": None,
        "paid_amount_cents": sum(r[7] for r in AMAZON_BR),
        "units_sum": sum(r[6] for r in AMAZON_BR),
        "notes": "no date column (the report covers a chosen range); visitors = Sessions - Total; no buyer count "
                 "(Units Ordered and Total Order Items are not buyers); sales = Ordered Product Sales (not the B2B "
                 "columns)",
    })
    return Fixture("amazon_business_report.csv", encode(render(rows, eol=LF), "utf-8"), expected, "UTF-8", "comma",
                   "traffic", "amazon",
                   "`$1,823.04` sales and `1,204` sessions (quoted); `- B2B` twin columns; titles with commas; a "
                   "child with no sales; LF")


# --------------------------------------------------------------------------------------------------
# Advertising: Amazon Sponsored Products and 直通车
# --------------------------------------------------------------------------------------------------

# (day, campaign, ad group, targeting, match, impressions, clicks, spend cents, sales cents, orders, units)
AMAZON_ADS = [
    ("2024-03-01", "SP - Mugs - Auto", "Mugs auto", "*", "-", 5210, 23, 1587, 5697, 3, 3),
    ("2024-03-01", "SP - Mugs - Exact", "mug exact", "ceramic coffee mug", "EXACT", 1880, 31, 3100, 9495, 5, 5),
    ("2024-03-01", "SP - Tote - Broad", "tote broad", "canvas tote bag", "BROAD", 3025, 12, 1044, 0, 0, 0),
    ("2024-03-02", "SP - Mugs - Auto", "Mugs auto", "*", "-", 4870, 19, 1311, 3798, 2, 2),
    ("2024-03-02", "SP - Mugs - Exact", "mug exact", "ceramic coffee mug", "EXACT", 2011, 28, 2884, 7596, 4, 4),
    ("2024-03-02", "SP - Tote - Broad", "tote broad", "canvas tote bag", "BROAD", 2890, 0, 0, 0, 0, 0),
    ("2024-03-03", "SP - Mugs - Auto", "Mugs auto", "*", "-", 6102, 27, 1836, 7596, 4, 4),
    ("2024-03-03", "SP - Mugs - Exact", "mug exact", "ceramic coffee mug", "EXACT", 1765, 25, 2575, 5697, 3, 3),
    ("2024-03-03", "SP - Tote - Broad", "tote broad", "canvas tote bag", "BROAD", 3540, 15, 1320, 4998, 2, 2),
    ("2024-03-04", "SP - Mugs - Auto", "Mugs auto", "*", "-", 5533, 21, 1449, 1899, 1, 1),
    ("2024-03-04", "SP - Mugs - Exact", "mug exact", "ceramic coffee mug", "EXACT", 1990, 34, 3468, 13293, 7, 7),
    ("2024-03-05", "SP - Mugs - Auto", "Mugs auto", "*", "-", 5790, 24, 1704, 5697, 3, 3),
    ("2024-03-05", "SP - Mugs - Exact", "mug exact", "ceramic coffee mug", "EXACT", 2104, 30, 3060, 9495, 5, 6),
    ("2024-03-05", "SP - Tote - Broad", "tote broad", "canvas tote bag", "BROAD", 3377, 14, 1218, 2499, 1, 1),
]


def amazon_sp_ads() -> Fixture:
    header = ["Date", "Portfolio name", "Currency", "Campaign Name", "Ad Group Name", "Targeting", "Match Type",
              "Impressions", "Clicks", "Click-Thru Rate (CTR)", "Cost Per Click (CPC)", "Spend", "7 Day Total Sales ",
              "Total Advertising Cost of Sales (ACOS) ", "Total Return on Advertising Spend (ROAS)",
              "7 Day Total Orders (#)", "7 Day Total Units (#)", "7 Day Conversion Rate"]
    rows: list[list[object]] = [header]
    for day, campaign, group, target, match, imps, clicks, spend, sales, orders, units in AMAZON_ADS:
        when = datetime.strptime(day, "%Y-%m-%d")
        rows.append([
            when.strftime("%b %d, %Y"), "Not grouped", "USD", campaign, group, target, match, f"{imps:,}", str(clicks),
            percent(clicks, imps, 4), grouped(div_round(spend, clicks), "$") if clicks else "", grouped(spend, "$"),
            grouped(sales, "$"), percent(spend, sales) if sales else "", f"{sales / spend:.2f}" if spend else "",
            str(orders), str(units), percent(orders, clicks) if clicks else "",
        ])
    expected = file_facts("ads", "amazon", "utf-8", False, ",", len(AMAZON_ADS), 0)
    expected.update({
        "impressions": sum(r[5] for r in AMAZON_ADS),
        "clicks": sum(r[6] for r in AMAZON_ADS),
        "spend_cents": sum(r[7] for r in AMAZON_ADS),
        "sales_cents": sum(r[8] for r in AMAZON_ADS),
        "orders": sum(r[9] for r in AMAZON_ADS),
        "days": len({r[0] for r in AMAZON_ADS}),
        "notes": "dates `Mar 01, 2024` (quoted); sales = 7 Day Total Sales; blank CPC/ACOS/ROAS where undefined",
    })
    return Fixture("amazon_sp_ads.csv", encode(render(rows, eol=LF), "utf-8"), expected, "UTF-8", "comma", "ads",
                   "amazon",
                   "`Mar 01, 2024` dates; `$1,234.56` money; `5,210` impressions; trailing-space headers "
                   "(`7 Day Total Sales `); zero-click and zero-sales rows with blank CPC/ACOS/ROAS; LF")


# (day, plan, impressions, clicks, spend cents, sales cents, orders, favs, carts)
ZTC = [
    ("2024-03-01", "日常销售-T恤", 15230, 312, 24960, 98000, 9, 21, 40),
    ("2024-03-01", "品牌词®精准推广", 2210, 95, 5700, 38700, 4, 6, 11),
    ("2024-03-02", "日常销售-T恤", 14870, 298, 23840, 76500, 7, 18, 35),
    ("2024-03-02", "品牌词®精准推广", 1980, 0, 0, 0, 0, 0, 0),
    ("2024-03-03", "日常销售-T恤", 16550, 340, 27880, 123400, 12, 25, 52),
    ("2024-03-03", "品牌词®精准推广", 2345, 101, 6060, 25800, 2, 5, 9),
    ("2024-03-04", "日常销售-T恤", 15102, 305, 24400, 81200, 8, 20, 38),
    ("2024-03-04", "品牌词®精准推广", 2188, 88, 5280, 51600, 5, 4, 8),
    ("2024-03-05", "日常销售-T恤", 13990, 276, 22080, 0, 0, 14, 29),
    ("2024-03-05", "品牌词®精准推广", 2050, 79, 4740, 12900, 1, 3, 7),
    ("2024-03-06", "日常销售-T恤", 18220, 377, 30540, 152300, 15, 30, 61),
    ("2024-03-06", "品牌词®精准推广", 2602, 120, 7200, 64500, 6, 9, 14),
    ("2024-03-07", "日常销售-T恤", 20104, 421, 34100, 187600, 18, 33, 70),
    ("2024-03-07", "品牌词®精准推广", 2899, 133, 7980, 77400, 7, 10, 16),
]


def ztc_ads_gb18030() -> Fixture:
    header = ["日期", "计划名称", "展现量", "点击量", "点击率", "花费", "平均点击花费", "千次展现花费", "总成交金额",
              "总成交笔数", "直接成交金额", "直接成交笔数", "投入产出比", "总收藏数", "总购物车数", "点击转化率"]
    rows: list[list[object]] = [header]
    for day, plan, imps, clicks, spend, sales, orders, favs, carts in ZTC:
        direct = sales * 7 // 10
        rows.append([
            day, plan, str(imps), str(clicks), percent(clicks, imps), yuan(spend),
            yuan(div_round(spend, clicks)) if clicks else "-", yuan(div_round(spend * 1000, imps)), yuan(sales),
            str(orders), yuan(direct), str(orders * 7 // 10), f"{sales / spend:.2f}" if spend else "-", str(favs),
            str(carts), percent(orders, clicks) if clicks else "-",
        ])
    expected = file_facts("ads", "taobao", "gb18030", False, ",", len(ZTC), 0)
    expected.update({
        "impressions": sum(r[2] for r in ZTC),
        "clicks": sum(r[3] for r in ZTC),
        "spend_cents": sum(r[4] for r in ZTC),
        "sales_cents": sum(r[5] for r in ZTC),
        "orders": sum(r[6] for r in ZTC),
        "days": len({r[0] for r in ZTC}),
        "notes": "sales = 总成交金额 (not 直接成交金额); `-` where a ratio is undefined",
    })
    return Fixture("ztc_ads_gb18030.csv", encode(render(rows), "gb18030"), expected, "GB18030", "comma", "ads",
                   "taobao",
                   "GB18030-only character (®) in a 计划名称; `1.23%` rates; `-` for undefined 平均点击花费/投入产出比; "
                   "a zero-click day; 直接 vs 总 成交金额; CRLF")


# --------------------------------------------------------------------------------------------------
# Products: 聚水潭-style ERP list for the Taobao catalogue
# --------------------------------------------------------------------------------------------------

ERP_EXTRA = [
    Product("TS-1003", "", "华夫格长袖T恤男秋季", 6900, 2400, "男装/T恤", "", 80),
    Product("BB-4002", "", "尼龙双肩包男女通勤电脑包", 15900, 5800, "箱包/双肩包", "", 0),
]


def erp_skus() -> Fixture:
    header = ["商家编码", "商品名称", "颜色及规格", "类目", "品牌", "成本价", "售价", "市场|吊牌价", "可用库存", "重量",
              "供应商", "备注"]
    rows: list[list[object]] = [header]
    products = JIANYI + ERP_EXTRA
    for i, p in enumerate(products):
        rows.append([p.code, p.title, p.attrs.replace("颜色分类：", "").replace("；尺码：", ";"), p.category, "简衣社",
                     yuan(p.cost), yuan(p.price), yuan(p.price * 2), str(p.stock), f"0.{3 + i % 5}",
                     "广州沙河档口" if i % 2 else "杭州四季青", "停售" if p.stock == 0 else ""])
    # An ERP's SKU list is no platform's export: shoplens calls it generic.
    expected = file_facts("products", "generic", "utf-8", True, ",", len(products), 0)
    expected.update({
        "products": len(products),
        "with_cost": len(products),
        "stock_sum": sum(p.stock for p in products),
        "notes": "商家编码 = the keys of taobao_items_utf8bom.csv (plus two SKUs never sold); stock = 可用库存",
    })
    return Fixture("erp_skus.csv", encode(BOM + render(rows), "utf-8"), expected, "UTF-8 BOM", "comma", "products",
                   "generic",
                   "聚水潭-style SKU list; `市场|吊牌价` header with a pipe; a SKU with 0 stock; keys shared with the "
                   "Taobao item report; CRLF")


# --------------------------------------------------------------------------------------------------
# A generic English order list, tab-separated
# --------------------------------------------------------------------------------------------------

GENERIC = [
    ("SO-24001", "C-1001", "2024-02-01 09:30:00", "completed", 4500, "SKU-RED-01", 3),
    ("SO-24002", "C-1002", "2024-02-01 14:05:00", "shipped", 1200, "SKU-BLU-02", 1),
    ("SO-24003", "C-1003", "2024-02-02 11:11:11", "pending", 2400, "SKU-BLU-02", 2),
    ("SO-24004", "C-1001", "2024-02-03 16:45:00", "completed", 9900, "SKU-GRN-03", 1),
    ("SO-24005", "C-1004", "2024-02-04 08:00:00", "cancelled", 3000, "SKU-RED-01", 2),
    ("SO-24006", "C-1005", "2024-02-05 19:20:00", "refunded", 1500, "SKU-RED-01", 1),
    ("SO-24007", "C-1002", "2024-02-06 10:10:10", "completed", 3600, "SKU-BLU-02", 3),
    ("SO-24008", "C-1006", "2024-02-07 21:00:00", "completed", 19800, "SKU-GRN-03", 2),
    ("SO-24009", "C-1007", "2024-02-08 13:30:00", "pending", 1500, "SKU-RED-01", 1),
    ("SO-24010", "C-1003", "2024-02-09 09:45:00", "shipped", 6000, "SKU-RED-01", 4),
    ("SO-24011", "C-1008", "2024-02-10 17:17:17", "completed", 1200, "SKU-BLU-02", 1),
    ("SO-24012", "C-1001", "2024-02-11 12:00:00", "completed", 14850, "SKU-GRN-03", 1),
]
GENERIC_PAID = {"completed", "shipped", "refunded"}


def tab_separated_generic() -> Fixture:
    rows: list[list[object]] = [["order_id", "customer_id", "order_date", "status", "amount", "sku", "qty"]]
    records = []
    for order_id, customer, date, status, amount, sku, qty in GENERIC:
        rows.append([order_id, customer, date, status, yuan(amount), sku, str(qty)])
        records.append(OrderRecord(order_id, customer, status in GENERIC_PAID, amount, 0, qty))
    expected = file_facts("orders", "generic", "utf-8", False, "\t", len(GENERIC), 0)
    expected.update(order_figures(records, buyers=True, refunds=False, units=True))
    expected["notes"] = "paid statuses: completed, shipped, refunded; pending and cancelled are not; one row per order"
    return Fixture("tab_separated_generic.tsv", encode(render(rows, delimiter="\t", eol=LF), "utf-8"), expected,
                   "ASCII", "tab", "orders", "generic", "plain English headers; tab delimiter; LF")


# --------------------------------------------------------------------------------------------------
# Malformed inputs
# --------------------------------------------------------------------------------------------------

BAD_HEADER = ["订单编号", "买家会员名", "宝贝标题", "买家实际支付金额", "订单状态", "订单创建时间", "订单付款时间", "宝贝总数量"]


def bad(path: str, data: bytes, expected: dict, encoding: str, quirks: str) -> Fixture:
    return Fixture("bad/" + path, data, expected, encoding, "comma", "-", "-", quirks)


def bad_order_rows(rng: random.Random, count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        p = JIANYI[i % len(JIANYI)]
        created = t("2024-03-01 09:00:00") + timedelta(hours=7 * i, minutes=13 * i)
        rows.append(["37" + digits(rng, 17), f"tb_{digits(rng, 7)}", p.title, yuan(p.price), SUCCESS,
                     ymdhms(created), ymdhms(created + timedelta(seconds=40)), "1"])
    return rows


def bad_fixtures() -> list[Fixture]:
    fixtures = []
    fixtures.append(bad("empty.csv", b"", {"expect": "error", "code": "empty_file", "line": None, "column": None},
                        "-", "0 bytes"))

    header_only = render([BAD_HEADER])
    fixtures.append(bad("header_only.csv", encode(header_only, "utf-8"),
                        {"expect": "error", "code": "no_data_rows", "line": None, "column": None}, "UTF-8",
                        "a Taobao order header and nothing else"))

    rng = random.Random("binary-garbage")
    garbage = bytearray(rng.randrange(256) for _ in range(512))
    for pos in (3, 40, 41, 200, 511):
        garbage[pos] = 0
    assert b"\n" not in garbage[:4], "the first NUL must sit on physical line 1"
    fixtures.append(bad("binary_garbage.csv", bytes(garbage),
                        {"expect": "error", "code": "binary_input", "line": 1, "column": None}, "-",
                        "512 seeded random bytes with NULs"))

    unknown = render([["foo", "bar", "baz"], ["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]], eol=LF)
    fixtures.append(bad("unknown_header.csv", encode(unknown, "utf-8"),
                        {"expect": "error", "code": "unrecognised_header", "line": 1, "column": None}, "ASCII",
                        "columns foo,bar,baz"))

    # physical line 5's 买家留言 starts with a stray quote that never closes; the rows after it are
    # swallowed (a stray quote, not a cut-off file)
    rng = random.Random("unclosed-quote")
    header = BAD_HEADER[:4] + ["买家留言"] + BAD_HEADER[4:]
    rows = [r[:4] + [""] + r[4:] for r in bad_order_rows(rng, 7)]
    lines = [render([header], eol="")] + [render([r], eol="") for r in rows]
    broken = rows[3][:4] + ['"请周末送货，谢谢'] + rows[3][5:]
    lines[4] = ",".join(broken)
    fixtures.append(bad("stray_quote.csv", encode(LF.join(lines) + LF, "utf-8"),
                        {"expect": "error", "code": "stray_quote", "line": 5, "column": "买家留言"}, "UTF-8",
                        "line 5's 买家留言 starts with a quote that never closes and swallows the 3 rows after it "
                        "(re-read with literal quotes: 7 rows)"))
    # the same file cut off inside line 5's quoted two-line message: nothing after it
    cut = ",".join(rows[3][:4]) + ',"请周末送货，' + LF + "小区门口放快递柜，别打"
    fixtures.append(bad("cut_in_quote.csv", encode(LF.join(lines[:4]) + LF + cut, "utf-8"),
                        {"expect": "error", "code": "unclosed_quote", "line": 5, "column": "买家留言"}, "UTF-8",
                        "the file is cut off inside line 5's quoted two-line 买家留言"))

    # rows with too many fields (an unquoted 1,299.00) and too few (a truncated line)
    lines = ["order_id,customer_id,order_date,status,amount"]
    for i in range(10):
        lines.append(f"SO-{5001 + i},C-{2001 + i % 4},2024-04-{i + 1:02d} 10:00:00,completed,{15 + i}.00")
    lines[4] = "SO-5004,C-2004,2024-04-04 10:00:00,completed,1,299.00"
    lines[7] = "SO-5007,C-2003,2024-04-07 10:00:00"
    fixtures.append(bad("ragged_rows.csv", encode(LF.join(lines) + LF, "utf-8"),
                        {"expect": "rejections", "code": "ragged_row", "line": 5, "column": None,
                         "lines": [5, 8], "good_rows": 8}, "ASCII",
                        "line 5 has 6 fields (unquoted `1,299.00`), line 8 has 3; 8 good rows"))

    # a UTF-8 file with one GBK-encoded row (pasted from another export)
    rng = random.Random("mixed-encoding")
    rows = bad_order_rows(rng, 8)
    parts = [render([BAD_HEADER]).encode("utf-8")]
    for i, row in enumerate(rows):
        parts.append(render([row]).encode("gbk" if i == 4 else "utf-8"))
    data = b"".join(parts)
    gbk_line = render([rows[4]]).encode("gbk")
    try:
        gbk_line.decode("utf-8")
        raise AssertionError("the GBK row must not be valid UTF-8")
    except UnicodeDecodeError as err:
        prefix = gbk_line[:err.start].decode("ascii")
        assert prefix.count(",") == BAD_HEADER.index("宝贝标题"), "first bad byte must sit in 宝贝标题"
    fixtures.append(bad("mixed_encoding.csv", data,
                        {"expect": "rejections", "code": "invalid_encoding", "line": 6, "column": "宝贝标题",
                         "lines": [6], "good_rows": 7}, "UTF-8 + 1 GBK row",
                        "line 6 is GBK inside a UTF-8 file; CRLF"))

    # Excel turned some 19-digit order numbers into 1.23457E+18 (two rows now share one)
    rng = random.Random("scientific-ids")
    rows = bad_order_rows(rng, 12)
    for i, sci in ((2, "3.71234E+18"), (6, "1.23457E+18"), (7, "1.23457E+18")):
        rows[i][0] = sci
    text = render([BAD_HEADER] + rows)
    # an old Excel "save as CSV" on Chinese Windows: GBK
    fixtures.append(bad("scientific_ids.csv", encode(text, "gbk"),
                        {"expect": "rejections", "code": "scientific_id", "line": 4, "column": "订单编号",
                         "lines": [4, 8, 9], "good_rows": 9}, "GBK",
                        "订单编号 `1.23457E+18` on lines 4, 8 and 9 (8 and 9 identical); CRLF"))

    rng = random.Random("absurd-values")
    rows = bad_order_rows(rng, 10)
    problems = [
        (1, "买家实际支付金额", "99999999999999999", "out_of_range"),
        (3, "订单创建时间", "2024-13-45 10:00:00", "invalid_time"),
        (5, "宝贝总数量", "-3", "negative_quantity"),
        (7, "买家实际支付金额", "abc", "invalid_money"),
    ]
    for row, column, value, _ in problems:
        rows[row][BAD_HEADER.index(column)] = value
    fixtures.append(bad("absurd_values.csv", encode(render([BAD_HEADER] + rows), "utf-8"),
                        {"expect": "rejections", "code": problems[0][3], "line": problems[0][0] + 2,
                         "column": problems[0][1],
                         "problems": [{"line": r + 2, "column": c, "code": code} for r, c, _, code in problems],
                         "good_rows": 10 - len(problems)}, "UTF-8",
                        "amount 99999999999999999, date 2024-13-45, quantity -3, amount abc; CRLF"))

    summary = [""] * len(BAD_HEADER)
    summary[0] = "合计"
    summary[BAD_HEADER.index("买家实际支付金额")] = "12345.00"
    summary[BAD_HEADER.index("宝贝总数量")] = "87"
    fixtures.append(bad("only_summary.csv", encode(render([BAD_HEADER, summary]), "utf-8"),
                        {"expect": "error", "code": "no_data_rows", "line": None, "column": None}, "UTF-8",
                        "a header and a 合计 row, no data"))
    return fixtures


# --------------------------------------------------------------------------------------------------
# README and main
# --------------------------------------------------------------------------------------------------

README_HEAD = """# Test fixtures

**Provenance.** Every file here is synthetic: written by `scripts/make_fixtures.py` (Python 3.11 standard
library, seeded, byte-for-byte reproducible; `python3 scripts/make_fixtures.py --check` verifies the tree).
Headers, encodings and quirks follow `shared/FORMATS.md`, which collects them from public code that reads
real exports. Names, ids, addresses and amounts are invented; personal data is masked the way the platforms
mask it (`上海 上海市 ***`, `138****1234`). Do not edit the files by hand: change the generator and rerun it.

**Expectations.** `expected.json` holds, per file, figures computed by the generator from its own records
(never by parsing the files back) under `shared/DEFINITIONS.md`:

- every good file: `kind`, `platform`, `encoding` (`utf-8` | `gbk` | `gb18030`; a loader may report `gb18030`
  for a `gbk` file, GB18030 being a superset), `bom`, `delimiter`, `data_rows` (records, excluding header,
  title, blank and summary lines), `skipped_lines` (title, blank and summary lines);
- orders / order_lines: `orders` (distinct order ids), `paid_orders`, `gmv_cents` (paid amount of paid
  orders, once per order), `refunds_cents` (`null`: the export has no refund amount), `buyers` (`null`: no
  customer id), `units` (quantities on paid orders);
- events: `events`, `users`, `distinct_counts` {view, fav, cart, purchase}, `sequential_counts` (view→cart→
  purchase within 7 days and unbounded; view→fav→cart→purchase within 7 days), `first_event`/`last_event`
  as wall-clock;
- traffic: `days` (`null`: no date column), `visitors_sum`, `buyers_sum`, `paid_amount_cents`;
- ads: `impressions`, `clicks`, `spend_cents`, `sales_cents`, `orders`, `days`;
- products: `products`, `with_cost`, `stock_sum`;
- `notes` says which column and which rule each figure rests on.

Bad files (`bad/`) give `expect` (`error`: nothing loads; `rejections`: the good rows load and the listed
ones are rejected), a suggested stable error `code`, the 1-based physical `line` of the first problem and
its `column` (header name) where one applies; `lines`/`problems`/`good_rows` where several rows are hit.
"""


README_CALLS = """
## Judgement calls behind expected.json

- **Paid orders.** Where the export has a payment time (订单付款时间, 支付时间, 付款确认时间, 支付完成时间,
  Paid at) it alone decides, so 交易关闭/已取消/已关闭 *with* a payment time are paid (GMV before refunds).
  Without one, the status decides: 交易成功, 买家已付款…, 卖家已发货…, Completed/Processing/Refunded,
  completed/shipped/refunded and Amazon `Shipped` are paid; 交易关闭, 等待买家付款, WooCommerce `On hold`
  (awaiting payment), `Pending payment`, `Failed`, `Cancelled` and Amazon `Pending`/`Cancelled` are not.
- **The 宝贝报表 alone** has neither payment time nor paid amount: its 交易关闭 orders are not paid (two
  fewer paid orders than the 订单报表 of the same orders), and its GMV is the line value Σ 价格 × 购买数量.
- **Line-level amounts.** 销售明细 `买家实付金额`/`退款金额` and 抖店 `订单应付金额` are per sub-order: an order's
  amount is the sum over its lines. JD `订单金额` and Shopify `Total` are order-level, repeated (JD) or on the
  first row (Shopify), and counted once. Amazon GMV = Σ `item-price` per order, shipping excluded.
- **Units** for one-row-per-order exports come from their quantity column (宝贝总数量, Items sold, qty), i.e.
  one synthetic line per order.
- **`null`** means the export cannot say: `refunds_cents` without a refund amount column (售后状态 alone is
  not an amount), `buyers` without a customer id (WooCommerce Analytics' `Customer` is a name), `days` for
  the Amazon Business Report (no date column).
- **Events.** REES46 has no fav events, so its fav count is 0. A view→cart→purchase chain longer
  than 7 days fits in Tianchi's 9-day range: user 1007345 views on 11-25 and buys on 12-03, so the 7-day
  and unbounded sequential counts differ.
"""



# --------------------------------------------------------------------------------------------------
# Containers: a 千牛-style workbook with several sheets, and advertising CSVs inside a ZIP.

ZIP_DATE = (2024, 3, 11, 9, 0, 0)  # fixed entry times keep the archives byte-identical run to run


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _sheet_xml(rows: list[list[str]]) -> str:
    """Cells as inline strings (as 千牛 writes them), except plain amounts and counts as numbers."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            ref = f"{_col(c)}{r}"
            if value == "":
                continue
            if r > 1 and re.fullmatch(r"\d{1,7}(\.\d{1,2})?", value):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_escape(value)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # UTF-8 names
            z.writestr(info, data)
    return buf.getvalue()


def xlsx(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                               for i in range(1, len(sheets) + 1))
                     + "</Types>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
                + "".join(f'<sheet name="{_xml_escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1))
                + "</sheets></workbook>")
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, len(sheets) + 1))
               + "</Relationships>")
    entries = [("[Content_Types].xml", content_types.encode()), ("_rels/.rels", root_rels.encode()),
               ("xl/workbook.xml", workbook.encode()), ("xl/_rels/workbook.xml.rels", wb_rels.encode())]
    entries += [(f"xl/worksheets/sheet{i}.xml", _sheet_xml(rows).encode("utf-8"))
                for i, (_, rows) in enumerate(sheets, 1)]
    return _zip(entries)


def _rows_of(f: Fixture, encoding: str) -> list[list[str]]:
    text = f.data.decode(encoding).lstrip("\ufeff")
    return [row for row in csv.reader(io.StringIO(text))]


def container_fixtures() -> list[Fixture]:
    orders, items, ads = taobao_orders_gbk(), taobao_items_utf8bom(), ztc_ads_gb18030()
    book = xlsx([("订单报表", _rows_of(orders, "gbk")), ("宝贝报表", _rows_of(items, "utf-8")), ("发货报表", [])])
    merged = items.expected["merged_with_taobao_orders_gbk"]
    book_expected = {
        "expect": "container",
        "parts": ["containers/qianniu_orders.xlsx#订单报表", "containers/qianniu_orders.xlsx#宝贝报表"],
        "paid_orders": orders.expected["paid_orders"], "gmv_cents": orders.expected["gmv_cents"],
        "refunds_cents": orders.expected["refunds_cents"], "buyers": orders.expected["buyers"],
        "lines": merged["lines_attached"], "units": merged["units"],
        "notes": "订单报表 and 宝贝报表 sheets of taobao_orders_gbk.csv / taobao_items_utf8bom.csv, cells as inline "
                 "strings with amounts and quantities as numbers; an empty 发货报表 sheet is skipped",
    }
    archive = _zip([("万相台_计划报表_20240301-20240307.csv", ads.data), ("说明.png", bytes(range(64)))])
    zip_expected = {
        "expect": "container",
        "parts": ["containers/wanxiangtai_ads.zip/万相台_计划报表_20240301-20240307.csv"],
        "impressions": ads.expected["impressions"], "clicks": ads.expected["clicks"],
        "spend_cents": ads.expected["spend_cents"], "sales_cents": ads.expected["sales_cents"],
        "notes": "ztc_ads_gb18030.csv inside a ZIP with a non-CSV entry that is skipped",
    }
    return [
        Fixture("containers/qianniu_orders.xlsx", book, book_expected, "xlsx (inline strings)", "-", "orders",
                "taobao", "two data sheets + one empty sheet; numbers as numeric cells"),
        Fixture("containers/wanxiangtai_ads.zip", archive, zip_expected, "ZIP of GB18030 CSV", "comma", "ads",
                "taobao", "advertising report inside a ZIP, plus a PNG entry"),
    ]


def readme(fixtures: list[Fixture]) -> str:
    good = [f for f in fixtures if not f.path.startswith(("bad/", "containers/"))]
    broken = [f for f in fixtures if f.path.startswith("bad/")]
    boxes = [f for f in fixtures if f.path.startswith("containers/")]
    out = [README_HEAD, "## Good fixtures", "", "| file | encoding | delimiter | kind | platform | rows | quirks covered |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for f in good:
        out.append(f"| `{f.path}` | {f.encoding} | {f.delimiter} | {f.kind} | {f.platform} | "
                   f"{f.expected['data_rows']} | {f.quirks.replace('|', '&#124;')} |")
    out += ["", "## Malformed fixtures", "", "| file | encoding | expect | code | line | column | content |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for f in broken:
        e = f.expected
        out.append(f"| `{f.path}` | {f.encoding} | {e['expect']} | `{e['code']}` | {e['line'] or '-'} | "
                   f"{e['column'] or '-'} | {f.quirks} |")
    out += ["", "## Containers (workbooks and ZIP archives)", "",
            "Each sheet or CSV entry is loaded as a file of its own, named `book.xlsx#Sheet` or `archive.zip/entry.csv`.", "",
            "| file | format | kind | parts | content |", "| --- | --- | --- | --- | --- |"]
    for f in boxes:
        out.append(f"| `{f.path}` | {f.encoding} | {f.kind} | {len(f.expected['parts'])} | {f.quirks} |")
    return "\n".join(out) + "\n" + README_CALLS


def build() -> dict[str, bytes]:
    good = [
        taobao_orders_gbk(), taobao_items_utf8bom(), tmall_sales_detail(), taobao_orders_2026_21col(),
        pinduoduo_orders(), jd_orders(), douyin_orders(), shopify_orders(), woocommerce_analytics(),
        amazon_all_orders(), tianchi_userbehavior(), rees46_events(), sycm_traffic_gbk(), sycm_items(),
        amazon_business_report(), amazon_sp_ads(), ztc_ads_gb18030(), erp_skus(), shopify_products(),
        tab_separated_generic(),
    ]
    for f in good:
        assert 8 <= f.expected["data_rows"] <= 40, f.path
    fixtures = good + bad_fixtures() + container_fixtures()
    files = {f.path: f.data for f in fixtures}
    expected = {f.path: f.expected for f in fixtures}
    files["expected.json"] = (json.dumps(expected, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["README.md"] = readme(fixtures).encode("utf-8")
    return files


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [p for p, data in files.items() if not (FIXTURES / p).is_file() or (FIXTURES / p).read_bytes() != data]
        for p in stale:
            print(f"stale: tests/fixtures/{p}", file=sys.stderr)
        return 1 if stale else 0
    for path, data in files.items():
        target = FIXTURES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(files)} files under {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
