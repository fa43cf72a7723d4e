#!/usr/bin/env python3
"""Write the page's sample data (www/sample/): six months of a synthetic Taobao clothing shop.

"Try with sample data" on the page loads these files, so they must look like what a shop operator
really exports (headers, encodings and quirks as in shared/FORMATS.md) and make every view worth
looking at: repeat buyers (cohorts, RFM), seasonal products and a long tail (Pareto, BCG, scorecard),
a product with many refunds and one running out of stock (alerts), holidays (春节 dip, 3.8 and 618
peaks), a behaviour log for the funnel. Everything is invented and seeded: the output is
byte-for-byte reproducible.

    python3 scripts/make_sample.py           # (re)write www/sample
    python3 scripts/make_sample.py --check   # exit 1 if www/sample differs from what would be written

Files (listed in load order in www/sample/index.json, which the page reads):
- ExportOrderList….csv        订单报表, GBK, one row per order (~2,000 orders, ~700 buyers)
- ExportOrderDetailList….csv  宝贝报表, GBK, one row per line of those orders
- jushuitan_skus.csv           聚水潭-style ERP SKU list with cost and stock, UTF-8 with BOM
- sycm_shop_daily….csv         生意参谋 店铺 daily export, GBK, title lines above the header
- UserBehavior_sample.csv      Tianchi UserBehavior-style behaviour log (~20k events, no header)

The product key shared by all of them is the shop's numeric 商家编码, which the behaviour log uses as
its item id (a Tianchi item id is numeric), so item conversion joins the orders.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from make_fixtures import BOM, CRLF, CST, LF, Raw, digits, encode, grouped, percent, render, ymdhms, yuan

SAMPLE = Path(__file__).resolve().parent.parent / "www" / "sample"
FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2025, 6, 30)
EXPORTED_AT = datetime(2025, 7, 1, 10, 30, 12)  # the "now" of the sample: statuses depend on it
SHOP = "简衣社服饰"
MAX_TOTAL_BYTES = 1_500_000

# Files, in the order the page loads them (events last: the ERP's category names win over the log's
# numeric category ids for the same items).
ORDERS_FILE = "ExportOrderList202507011030.csv"
LINES_FILE = "ExportOrderDetailList202507011030.csv"
ERP_FILE = "jushuitan_skus.csv"
TRAFFIC_FILE = "sycm_shop_daily_2025-01-01_2025-06-30.csv"
EVENTS_FILE = "UserBehavior_sample.csv"


@dataclass(frozen=True)
class Product:
    code: str  # 商家编码, numeric: also the behaviour log's item id
    title: str
    price: int  # cents
    cost: int  # cents
    category: str
    category_id: str  # the behaviour log's numeric category
    attrs: tuple[str, ...]  # 商品属性 choices, as the item report writes them
    weight: float  # relative popularity (a long tail)
    season: str  # "winter", "summer" or "all"
    launch: date = FIRST_DAY
    stock: int = 300
    refund_rate: float = 0.05  # share of lines refunded after payment


def sizes(colour_list: str, size_list: str = "S M L XL") -> tuple[str, ...]:
    return tuple(f"颜色分类：{c}；尺码：{s}" for c in colour_list.split() for s in size_list.split())


def colours(colour_list: str) -> tuple[str, ...]:
    return tuple(f"颜色分类：{c}" for c in colour_list.split())


CATALOGUE = [
    Product("210101", "纯棉短袖T恤男夏季宽松圆领白色打底衫", 5900, 2150, "男装/T恤", "1623",
            sizes("白色 黑色 灰色"), 10.0, "summer", stock=640),
    Product("210102", "重磅纯棉T恤女oversize落肩半袖", 7900, 2800, "女装/T恤", "1624",
            sizes("燕麦色 白色 雾蓝"), 8.0, "summer", stock=21),  # selling out before 7 days of sales
    Product("210103", "华夫格长袖T恤男秋季", 6900, 2400, "男装/T恤", "1623",
            sizes("白色 咖啡"), 2.5, "winter", stock=180),
    Product("220201", "冰丝阔腿裤女高腰垂感休闲裤", 12800, 4500, "女装/休闲裤", "1702",
            sizes("黑色 杏色", "S M L"), 6.0, "summer", stock=260, refund_rate=0.24),  # runs small: returns
    Product("220202", "男士工装裤束脚宽松直筒长裤", 14900, 5200, "男装/休闲裤", "1701",
            sizes("军绿 黑色", "30 32 34"), 3.5, "all", stock=150),
    Product("220203", "高腰直筒牛仔裤女显瘦", 15900, 5600, "女装/牛仔裤", "1703",
            sizes("浅蓝 深蓝", "25 26 27 28"), 4.0, "all", stock=190),
    Product("230301", "法式碎花连衣裙女夏收腰", 18900, 6200, "女装/连衣裙", "1801",
            sizes("蓝色碎花 黄色碎花", "S M L"), 5.0, "summer", launch=date(2025, 4, 10), stock=120),
    Product("230302", "醋酸缎面半身裙女中长款", 13900, 4800, "女装/半身裙", "1802",
            sizes("香槟 黑色", "S M L"), 2.0, "summer", launch=date(2025, 5, 15), stock=90),
    Product("240401", "中筒袜子女纯棉春秋款（5双装）", 2990, 820, "女士内衣/袜子", "1901",
            colours("混色5双 白色5双"), 7.0, "all", stock=1200),
    Product("240402", "男士船袜隐形防滑（6双装）", 2590, 700, "男士内衣/袜子", "1902",
            colours("黑色6双 混色6双"), 4.0, "all", stock=900),
    Product("250501", "帆布包女大容量单肩包通勤托特包", 6900, 1900, "箱包/单肩包", "2001",
            colours("米白 黑色"), 3.0, "all", stock=210),
    Product("250502", "尼龙双肩包男女通勤电脑包", 15900, 5800, "箱包/双肩包", "2002",
            colours("黑色 灰色"), 1.2, "all", stock=75),
    Product("260601", "棒球帽男女同款鸭舌帽遮阳", 3900, 1100, "配件/帽子", "2101",
            colours("藏青 白色 卡其"), 3.0, "summer", stock=402),
    Product("260602", "针织毛线帽女冬季保暖", 4900, 1300, "配件/帽子", "2101",
            colours("米白 酒红"), 1.8, "winter", stock=130),
    Product("270701", "连帽卫衣男春秋加绒外套", 19900, 7600, "男装/卫衣", "2201",
            sizes("灰色 黑色", "L XL XXL"), 6.0, "winter", stock=37),
    Product("270702", "圆领卫衣女宽松慵懒风", 16900, 6100, "女装/卫衣", "2202",
            sizes("奶白 雾粉", "S M L"), 4.0, "winter", stock=85),
    Product("280801", "轻薄羽绒服女短款立领", 39900, 16800, "女装/羽绒服", "2301",
            sizes("黑色 奶白", "S M L"), 2.5, "winter", stock=40),
    Product("280802", "防晒衣女冰丝透气UPF50+", 8900, 2700, "女装/防晒衣", "2302",
            sizes("白色 浅紫", "M L XL"), 3.5, "summer", launch=date(2025, 4, 20), stock=300),
    Product("290901", "真丝眼罩遮光睡眠", 3500, 900, "配件/家居", "2401",
            colours("香槟 藏青"), 0.6, "all", stock=140),
    Product("290902", "纯棉家居服套装女春夏", 12900, 4300, "女装/家居服", "2402",
            sizes("粉色 灰色", "M L XL"), 1.0, "all", stock=60),
    Product("291001", "亚麻衬衫男长袖宽松", 13900, 4900, "男装/衬衫", "2501",
            sizes("白色 浅蓝", "M L XL"), 0.8, "summer", stock=55),
    Product("291002", "冰丝袖套防晒（2双装）", 1990, 500, "配件/袖套", "2601",
            colours("白色 黑色"), 0.5, "summer", launch=date(2025, 5, 1), stock=500),
]
BY_CODE = {p.code: p for p in CATALOGUE}
# Two SKUs the ERP lists that never sold (new arrivals not yet listed, one discontinued).
ERP_ONLY = [
    Product("210104", "新疆棉polo衫男商务短袖", 9900, 3600, "男装/POLO衫", "1625", (), 0, "summer", stock=200),
    Product("280803", "加厚羽绒马甲男", 29900, 12500, "男装/羽绒服", "2303", (), 0, "winter", stock=0),
]


def day_range(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def season_factor(p: Product, d: date) -> float:
    """How much a product sells on day `d` relative to its base popularity."""
    if d < p.launch:
        return 0.0
    month = d.month + d.day / 31
    if p.season == "winter":  # strong in January, gone by June
        return max(0.08, 1.6 - 0.32 * (month - 1))
    if p.season == "summer":  # weak in winter, rising from April
        return min(2.2, 0.25 + 0.03 * (month - 1) ** 2.4)
    return 1.0


def demand_factor(d: date) -> float:
    """Orders per day relative to an ordinary weekday: weekends, 春节, 3.8, 520, 618."""
    f = 1.18 if d.weekday() >= 5 else 1.0
    if date(2025, 1, 22) <= d <= date(2025, 2, 6):  # couriers stop over Spring Festival (Jan 29)
        f *= 0.3
    if d in (date(2025, 3, 7), date(2025, 3, 8)):  # 3.8 女王节
        f *= 2.6
    if d == date(2025, 5, 20):
        f *= 1.7
    if date(2025, 5, 30) <= d <= date(2025, 6, 18):  # 618 pre-sale, then the day itself
        f *= 3.4 if d == date(2025, 6, 18) else 1.5
    return f


# --------------------------------------------------------------------------------------------------
# Buyers and orders
# --------------------------------------------------------------------------------------------------

NICK_HEADS = ["tb", "小", "阿", "大", "晴天", "橘子", "星河", "木木", "lily", "sunny", "kiki", "momo", "小鹿",
              "南风", "柠檬", "喵喵", "北极熊", "糖果", "白桃", "jack", "coco", "西瓜", "奶茶", "咸鱼"]
NICK_TAILS = ["", "_", "yo", "酱", "同学", "呀", "_cc", "0516", "88", "2019", "家的猫", "不怕冷", "汽水", "滚烫"]
ADDRESSES = ["上海 上海市 浦东新区 ***", "浙江省 杭州市 西湖区 ***", "广东省 深圳市 南山区 ***", "北京 北京市 朝阳区 ***",
             "江苏省 南京市 鼓楼区 ***", "四川省 成都市 武侯区 ***", "湖北省 武汉市 洪山区 ***", "广东省 广州市 天河区 ***",
             "福建省 厦门市 思明区 ***", "山东省 青岛市 市南区 ***", "陕西省 西安市 雁塔区 ***", "重庆 重庆市 渝北区 ***"]
MESSAGES = ["", "", "", "", "", "", "", "", "", "", "尺码偏小吗,想换大一码", "发顺丰", "请尽快发货，谢谢",
            "不要放快递柜", "送人的，不要放价格单"]
SUCCESS = "交易成功"
CLOSED = "交易关闭"
WAIT_PAY = "等待买家付款"
PAID_WAIT_SHIP = "买家已付款，等待卖家发货"
SHIPPED = "卖家已发货，等待买家确认"
CARRIERS = ["圆通速递", "中通快递", "韵达快递", "顺丰速运"]


@dataclass
class Line:
    code: str
    attrs: str
    quantity: int
    refunded: bool = False

    @property
    def amount(self) -> int:
        return BY_CODE[self.code].price * self.quantity


@dataclass
class Order:
    order_id: str
    buyer: str
    created: datetime
    paid_at: datetime | None
    lines: list[Line]
    postage: int
    discount: int
    status: str = SUCCESS
    close_reason: str = "订单未关闭"
    message: str = ""
    address: str = ""
    full_refund: bool = False

    @property
    def goods(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return self.goods + self.postage

    @property
    def paid_amount(self) -> int:
        return self.total - self.discount

    @property
    def refund(self) -> int:
        if self.full_refund:
            return self.paid_amount
        # A partial refund returns the refunded lines' share of what was paid for goods.
        refunded_goods = sum(line.amount for line in self.lines if line.refunded)
        return 0 if refunded_goods == 0 else refunded_goods * (self.paid_amount - self.postage) // self.goods


def weighted_pick(rng: random.Random, items: list, weights: list[float]):
    return rng.choices(items, weights=weights, k=1)[0]


def make_buyers(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        head = rng.choice(NICK_HEADS)
        tail = rng.choice(NICK_TAILS)
        number = digits(rng, rng.choice((0, 2, 3, 4, 7))) if head != "tb" else digits(rng, 7)
        names.add(f"{head}{tail}{number}" if head != "tb" else f"tb_{number}")
    return sorted(names)


def order_days(rng: random.Random, buyers: list[str]) -> list[tuple[date, str]]:
    """(day, buyer) of every order: each buyer's first order spread like demand, repeats after gaps."""
    days = list(day_range(FIRST_DAY, LAST_DAY))
    weights = [demand_factor(d) for d in days]
    out = []
    for buyer in buyers:
        first = weighted_pick(rng, days, weights)
        out.append((first, buyer))
        loyalty = rng.random()
        # 40 % buy once; the others come back with gaps whose mean shrinks with loyalty.
        repeats = 0 if loyalty < 0.4 else (rng.randint(1, 4) if loyalty < 0.7 else rng.randint(5, 11))
        mean_gap = 30 if loyalty < 0.7 else 15
        d = first
        for _ in range(repeats):
            d += timedelta(days=max(1, int(rng.expovariate(1 / mean_gap))))
            # 618 pulls in repeat purchases that were due in the fortnight before it: some buyers
            # wait for the promotion.
            promotion = date(2025, 6, 18)
            if timedelta(0) <= promotion - d <= timedelta(days=14) and rng.random() < 0.35:
                d += timedelta(days=rng.randint(0, (promotion - d).days))
            if d > LAST_DAY:
                break
            out.append((d, buyer))
    return sorted(out)


def pick_lines(rng: random.Random, d: date) -> list[Line]:
    live = [p for p in CATALOGUE if season_factor(p, d) > 0]
    weights = [p.weight * season_factor(p, d) for p in live]
    n_lines = weighted_pick(rng, [1, 2, 3], [0.7, 0.22, 0.08])
    chosen: list[Product] = []
    for _ in range(n_lines):
        p = weighted_pick(rng, live, weights)
        if p not in chosen:
            chosen.append(p)
    lines = []
    for p in chosen:
        quantity = weighted_pick(rng, [1, 2, 3], [0.8, 0.16, 0.04] if p.price > 5000 else [0.55, 0.35, 0.1])
        lines.append(Line(p.code, rng.choice(p.attrs), quantity))
    return lines


def make_orders(rng: random.Random) -> list[Order]:
    buyers = make_buyers(rng, 700)
    address_of = {b: rng.choice(ADDRESSES) for b in buyers}
    orders: list[Order] = []
    seen_ids: set[str] = set()
    for d, buyer in order_days(rng, buyers):
        # Evenings are busiest.
        hour = weighted_pick(rng, list(range(24)), [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2, 2.6, 3, 3, 3.2, 2.8,
                                                       2.6, 2.6, 2.8, 3, 3, 3.4, 4.2, 4.8, 4.4, 2.6])
        created = datetime(d.year, d.month, d.day, hour, rng.randint(0, 59), rng.randint(0, 59))
        lines = pick_lines(rng, d)
        goods = sum(line.amount for line in lines)
        postage = 0 if goods >= 3900 else 600  # 满39包邮
        if date(2025, 5, 30) <= d <= date(2025, 6, 18) and goods >= 30000:
            discount = 5000 * (goods // 30000)  # 618 满300减50
        elif goods >= 15000 and rng.random() < 0.3:
            discount = rng.choice((1000, 2000))  # shop coupons
        else:
            discount = 0
        while True:
            order_id = rng.choice(("37", "38", "20", "40")) + digits(rng, 17)
            if order_id not in seen_ids:
                seen_ids.add(order_id)
                break
        order = Order(order_id, buyer, created, None, lines, postage, discount,
                      message=rng.choice(MESSAGES), address=address_of[buyer])
        age = EXPORTED_AT - created
        if rng.random() < 0.045:  # never paid: closed by the buyer or the timeout, or still waiting
            if age < timedelta(days=1):
                order.status = WAIT_PAY
            else:
                order.status = CLOSED
                order.close_reason = rng.choice(("买家未付款", "买家不想买了", "拍错了"))
        else:
            order.paid_at = created + timedelta(seconds=int(rng.expovariate(1 / 90)) + 5)
            refund_roll = rng.random()
            if refund_roll < 0.035:
                order.full_refund = True
                order.status = CLOSED
                order.close_reason = "退款"
            else:
                for line in lines:
                    line.refunded = rng.random() < BY_CODE[line.code].refund_rate
                if all(line.refunded for line in lines):
                    order.full_refund = True
                    order.status = CLOSED
                    order.close_reason = "退款"
                elif age < timedelta(days=2):
                    order.status = PAID_WAIT_SHIP
                elif age < timedelta(days=12):
                    order.status = SHIPPED
        orders.append(order)
    return orders


def order_report(orders: list[Order], rng: random.Random) -> bytes:
    """订单报表 as exported from 千牛 and saved as CSV on Chinese Windows (GBK, CRLF)."""
    header = ["订单编号", "买家会员名", "买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额", "订单状态", "买家留言",
              "收货地址 ", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ", "物流公司", "宝贝总数量", "店铺名称",
              "订单关闭原因", "确认收货时间", "退款金额"]
    rows: list[list[object]] = [header]
    for i, o in enumerate(orders):
        shipped = o.status in (SUCCESS, SHIPPED) or (o.status == CLOSED and o.full_refund and i % 2 == 0)
        confirmed = o.paid_at + timedelta(days=7, hours=rng.randint(0, 40)) if o.status == SUCCESS else None
        # Taobao keeps the 19-digit number as text three ways: ="…", a leading tab, or plain.
        id_cell = Raw(f'="{o.order_id}"') if i % 3 == 0 else ("\t" + o.order_id if i % 3 == 1 else o.order_id)
        rows.append([
            id_cell, o.buyer, yuan(o.goods), yuan(o.postage), yuan(o.total), yuan(o.paid_amount), o.status,
            o.message, o.address, ymdhms(o.created), ymdhms(o.paid_at),
            "，".join(BY_CODE[line.code].title for line in o.lines), len(o.lines),
            CARRIERS[i % len(CARRIERS)] if shipped else "", sum(line.quantity for line in o.lines), SHOP,
            o.close_reason, ymdhms(confirmed), yuan(o.refund),
        ])
    return encode(render(rows), "gbk")


def line_report(orders: list[Order]) -> bytes:
    """宝贝报表: one row per order line, same orders (GBK, CRLF, the half-width-comma status)."""
    header = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码"]
    rows: list[list[object]] = [header]
    for o in orders:
        status = "买家已付款,等待卖家发货" if o.status == PAID_WAIT_SHIP else o.status
        for line in o.lines:
            p = BY_CODE[line.code]
            rows.append([Raw(f'="{o.order_id}"'), p.title, yuan(p.price), line.quantity, "", line.attrs, "", "",
                         status, p.code])
    return encode(render(rows), "gbk")


def erp_list() -> bytes:
    """聚水潭-style SKU list: cost and stock per 商家编码 (UTF-8 with BOM, CRLF)."""
    header = ["商家编码", "商品名称", "类目", "品牌", "成本价", "售价", "可用库存", "供应商", "备注"]
    rows: list[list[object]] = [header]
    for i, p in enumerate(CATALOGUE + ERP_ONLY):
        rows.append([p.code, p.title, p.category, "简衣社", yuan(p.cost), yuan(p.price), p.stock,
                     "广州沙河档口" if i % 2 else "杭州四季青", "停售" if p.stock == 0 else ""])
    return encode(BOM + render(rows), "utf-8")


# --------------------------------------------------------------------------------------------------
# 生意参谋 daily traffic, consistent with the orders
# --------------------------------------------------------------------------------------------------


def traffic_report(orders: list[Order], rng: random.Random) -> bytes:
    """生意参谋 → 店铺 → 整体 daily export: visitors from the day's buyers and a conversion rate."""
    by_day: dict[date, list[Order]] = {}
    for o in orders:
        if o.paid_at is not None:
            by_day.setdefault(o.paid_at.date(), []).append(o)
    header = ["统计日期", "访客数", "浏览量", "跳失率", "商品收藏人数", "加购人数", "下单买家数", "支付买家数", "支付件数",
              "支付金额", "支付转化率", "客单价", "成功退款金额"]
    title = ["生意参谋 > 取数 > 店铺整体日报", f"店铺名称：{SHOP}", f"统计日期：{FIRST_DAY}~{LAST_DAY}", ""]
    rows: list[list[object]] = [header]
    for d in day_range(FIRST_DAY, LAST_DAY):
        paid = by_day.get(d, [])
        buyers = len({o.buyer for o in paid})
        conversion = rng.uniform(0.021, 0.034) * (1.25 if demand_factor(d) > 1.4 else 1.0)
        visitors = max(60, round(buyers / conversion) + rng.randint(0, 40))
        page_views = round(visitors * rng.uniform(2.6, 3.4))
        amount = sum(o.paid_amount for o in paid)
        refunds = sum(o.refund for o in paid)
        rows.append([
            d.isoformat(), f"{visitors:,}", f"{page_views:,}", f"{rng.uniform(38, 52):.2f}%",
            round(visitors * rng.uniform(0.04, 0.06)), round(visitors * rng.uniform(0.07, 0.1)),
            buyers + rng.randint(0, 3), buyers, sum(line.quantity for o in paid for line in o.lines),
            grouped(amount), percent(buyers, visitors), yuan(amount // buyers) if buyers else "-",
            yuan(refunds) if refunds else "-",
        ])
    return encode(CRLF.join(title) + CRLF + render(rows), "gbk")


# --------------------------------------------------------------------------------------------------
# Tianchi UserBehavior-style log: the last 60 days
# --------------------------------------------------------------------------------------------------

EVENTS_FROM = LAST_DAY - timedelta(days=59)
EVENT_USERS = 2800


def behaviour_log(rng: random.Random) -> bytes:
    """user_id,item_id,category_id,behavior_type,timestamp — no header, epochs in China time."""
    start = datetime(EVENTS_FROM.year, EVENTS_FROM.month, EVENTS_FROM.day)
    days = list(day_range(EVENTS_FROM, LAST_DAY))
    day_weights = [demand_factor(d) for d in days]
    events: list[tuple[int, int, str, str, str]] = []
    users = rng.sample(range(100_000, 999_999), EVENT_USERS)
    for user in users:
        for _ in range(weighted_pick(rng, [1, 2, 3, 4], [0.55, 0.25, 0.13, 0.07])):
            d = weighted_pick(rng, days, day_weights)
            at = datetime(d.year, d.month, d.day, rng.randint(7, 23), rng.randint(0, 59), rng.randint(0, 59))
            live = [p for p in CATALOGUE if season_factor(p, d) > 0]
            weights = [p.weight * season_factor(p, d) for p in live]
            for _ in range(weighted_pick(rng, [1, 2, 3, 5], [0.35, 0.3, 0.2, 0.15])):
                p = weighted_pick(rng, live, weights)
                t = at
                for _ in range(weighted_pick(rng, [1, 2, 3], [0.6, 0.3, 0.1])):
                    t += timedelta(seconds=rng.randint(5, 240))
                    events.append((user, wall(t), p.code, p.category_id, "pv"))
                if rng.random() < 0.07:
                    t += timedelta(seconds=rng.randint(3, 60))
                    events.append((user, wall(t), p.code, p.category_id, "fav"))
                if rng.random() < 0.14:
                    t += timedelta(seconds=rng.randint(10, 600))
                    events.append((user, wall(t), p.code, p.category_id, "cart"))
                    if rng.random() < 0.42:
                        # Most buy within the hour; some sleep on it for days (a few past the 7-day window).
                        delay = (rng.randint(20, 3600) if rng.random() < 0.7
                                 else int(rng.expovariate(1 / (3 * 86400))) + 3600)
                        t += timedelta(seconds=delay)
                        events.append((user, wall(t), p.code, p.category_id, "buy"))
                at = t
    # The export ends with the last day; real logs are grouped by user, not sorted by time.
    end = wall(datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 23, 59, 59))
    events = sorted(e for e in events if e[1] <= end)
    rows = [[str(u), code, cat, kind, str(epoch)] for u, epoch, code, cat, kind in events]
    return encode(render(rows, eol=LF), "utf-8")


def wall(when: datetime) -> int:
    """Unix epoch of a China wall-clock time."""
    return int(when.replace(tzinfo=CST).timestamp())


# --------------------------------------------------------------------------------------------------


def build() -> dict[str, bytes]:
    rng = random.Random("shoplens-sample-2025")
    orders = make_orders(rng)
    files = {
        ORDERS_FILE: order_report(orders, rng),
        LINES_FILE: line_report(orders),
        ERP_FILE: erp_list(),
        TRAFFIC_FILE: traffic_report(orders, rng),
        EVENTS_FILE: behaviour_log(rng),
    }
    # The page reads the file list (in load order) from here; sizes document the size budget.
    manifest = {"files": [{"name": name, "bytes": len(data)} for name, data in files.items()]}
    files["index.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    total = sum(len(b) for b in files.values())
    assert total < MAX_TOTAL_BYTES, f"sample is {total} bytes, over {MAX_TOTAL_BYTES}"
    return files


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [n for n, data in files.items() if not (SAMPLE / n).is_file() or (SAMPLE / n).read_bytes() != data]
        for n in stale:
            print(f"stale: www/sample/{n}", file=sys.stderr)
        return 1 if stale else 0
    SAMPLE.mkdir(parents=True, exist_ok=True)
    for old in SAMPLE.iterdir():
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (SAMPLE / name).write_bytes(data)
    total = sum(len(b) for b in files.values())
    print(f"wrote {len(files)} files under {SAMPLE} ({total:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
