"""The results report of a lucky-draw promotion (Vietnam), after the campaign ends.

Per prize: how many were awarded (the shards' landing counters: a spin lands on a
prize segment only when it wins it) and their value; how many were claimed
(redeemed) and for how much (the hour rows count redemptions of won gifts per
segment); the unclaimed value (awarded - claimed: a voided or expired prize was
not claimed); 50 % of it as the amount due to the state budget; the deadline to
file the report (45 days from when the campaign actually ended: `ended_at`, which
is earlier than the planned `ends_at` for a campaign ended early). Unclaimed only
shrinks while won gifts are still valid: the report says when it becomes final.

Reads: the campaign, one BatchGetItem of its shards, one Query per shard of its
hour rows (one row per local hour with traffic: bounded by the campaign's length,
not by its traffic).
"""

from __future__ import annotations

import hashlib
import html
from base64 import b64encode
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib import schemas
from chalicelib.access import auth
from chalicelib.core import errors, periods
from chalicelib.core.clock import iso, parse_iso
from chalicelib.insights import reports
from chalicelib.money import budget_shards, campaigns, gifts

REPORT_DAYS = 45
STATE_SHARE_PERCENT = 50


def results(partner_id: str, campaign_id: str, now: datetime) -> schemas.ResultsReport:
    c = campaigns.get(partner_id, campaign_id)
    if campaigns.effective_status(c, now) != "ended":
        raise errors.CampaignNotEnded(f"The results report is made after the campaign ends "
                               f"({c.ends_at})")
    segments = (c.wheel or {}).get("segments", [])
    landed: dict[int, int] = {}
    for s in budget_shards.read_shards(c.id, int(c.shards)):
        for index, n in (s.seg.as_dict() if s.seg else {}).items():
            landed[int(index)] = landed.get(int(index), 0) + int(n)
    claimed_n: dict[int, int] = {}
    claimed_a: dict[int, int] = {}
    for row in reports.hour_rows(c, None, None):
        for i in range(len(segments)):
            claimed_n[i] = claimed_n.get(i, 0) + int(getattr(row, f"c{i}") or 0)
            claimed_a[i] = claimed_a.get(i, 0) + int(getattr(row, f"a{i}") or 0)
    prizes = []
    for i, s in enumerate(segments):
        value = int((s.get("prize") or {}).get("amount") or 0)
        if not value:
            continue
        awarded = landed.get(i, 0)
        prizes.append(schemas.PrizeResult(
            segment_id=s["id"], label=s["label"], value=value,
            awarded=schemas.CountAmount(count=awarded, amount=awarded * value),
            claimed=schemas.CountAmount(count=claimed_n.get(i, 0), amount=claimed_a.get(i, 0)),
            unclaimed_value=awarded * value - claimed_a.get(i, 0)))
    unclaimed = sum(p.unclaimed_value for p in prizes)
    terms = campaigns.terms(partner_id, campaign_id)
    ended_at = campaigns.ended_at(c, now) or c.ends_at  # ended: never None here
    ended = parse_iso(ended_at)
    final_at, _ = gifts.expiry(terms, ended - timedelta(seconds=1))  # the last prize's expiry
    return schemas.ResultsReport(
        campaign_id=c.id, name=c.name, partner_name=auth.partner_name(partner_id) or "",
        currency=c.currency, timezone=c.timezone,
        starts_at=c.starts_at, ends_at=c.ends_at, ended_at=ended_at, prizes=prizes,
        awarded=schemas.CountAmount(count=sum(p.awarded.count for p in prizes),
                                    amount=sum(p.awarded.amount for p in prizes)),
        claimed=schemas.CountAmount(count=sum(p.claimed.count for p in prizes),
                                    amount=sum(p.claimed.amount for p in prizes)),
        unclaimed_value=unclaimed,
        state_budget_due=-(-unclaimed * STATE_SHARE_PERCENT // 100),
        state_budget_rate=STATE_SHARE_PERCENT / 100,
        final=iso(now) >= final_at, final_at=final_at,
        report_deadline=iso(ended + timedelta(days=REPORT_DAYS)), as_of=iso(now))


# ---------------------------------------------------------------- the page

STYLE = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Times New Roman", "Noto Serif", "DejaVu Serif", serif; color: #111;
       max-width: 190mm; margin: 24px auto; padding: 0 12px; font-size: 14px;
       line-height: 1.45; }
header { display: flex; justify-content: space-between; text-align: center; gap: 24px; }
header div { flex: 1; }
header p { margin: 0; }
.motto { font-weight: bold; }
.motto + p { text-decoration: underline; }
h1 { text-align: center; font-size: 18px; margin: 28px 0 4px; text-transform: uppercase; }
.sub { text-align: center; margin: 0 0 20px; font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 16px; }
dt { font-weight: bold; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #333; padding: 5px 6px; vertical-align: top; }
th { background: #eee; text-align: center; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; }
.due { border: 2px solid #111; padding: 10px 12px; margin: 16px 0; font-size: 15px; }
.due strong { font-size: 17px; }
.note { font-size: 12px; color: #333; }
.sign { display: flex; justify-content: flex-end; margin-top: 32px; text-align: center; }
.sign div { width: 60%; }
@media print { body { margin: 0; max-width: none; } }
"""
STYLE_HASH = b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
ICON = "../../favicon.svg"  # /v1/campaigns/{id}/results-report -> /v1/favicon.svg


def _when(text: str, zone: ZoneInfo, with_time: bool = False) -> str:
    moment = parse_iso(text).astimezone(zone)
    day = periods.vn_date(moment)
    return f"{moment:%H:%M} ngày {day}" if with_time else day


def _until(text: str, zone: ZoneInfo) -> str:
    """The last minute a prize can be claimed: a gift expires at the local midnight
    that ends its last day, which written as "00:00 ngày 07/01" reads as a day more."""
    moment = parse_iso(text).astimezone(zone)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        moment -= timedelta(minutes=1)
    return f"{moment:%H:%M} ngày {periods.vn_date(moment)}"


def html_page(r: schemas.ResultsReport) -> str:
    """A printable page in Vietnamese: dates dd/mm/yyyy, numbers 1.234.567 đ, no script."""
    zone = ZoneInfo(r.timezone)
    e = html.escape
    ended = parse_iso(r.ended_at) - timedelta(seconds=1)  # the last instant of the campaign
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo kết quả thực hiện khuyến mại – {e(r.name)}</title>
<link rel="icon" href="{ICON}" type="image/svg+xml">
<style>{STYLE}</style>
</head>
<body>
<header>
<div><p><strong>DOANH NGHIỆP THỰC HIỆN KHUYẾN MẠI</strong></p>
<p class="partner"><strong>{e(r.partner_name)}</strong></p><p>Mã chương trình:
 {e(r.campaign_id)}</p></div>
<div><p class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<p>Độc lập – Tự do – Hạnh phúc</p></div>
</header>
<h1>Báo cáo kết quả thực hiện chương trình khuyến mại</h1>
<p class="sub">(chương trình khuyến mại mang tính may rủi: vòng quay may mắn)</p>
<dl>
<dt>Tên chương trình</dt><dd>{e(r.name)}</dd>
<dt>Thời gian thực hiện</dt><dd>từ {_when(r.starts_at, zone)} đến
 {periods.vn_date(ended, zone)}{_early(r, zone)}</dd>
<dt>Múi giờ</dt><dd>{e(r.timezone)}</dd>
<dt>Đơn vị tiền tệ</dt><dd>{e(r.currency)}</dd>
<dt>Số liệu tính đến</dt><dd>{_when(r.as_of, zone, True)}</dd>
</dl>
{_prize_table(r)}{_closing(r, zone)}"""


def _early(r: schemas.ResultsReport, zone: ZoneInfo) -> str:
    """A campaign ended before its planned end says so, with the plan: the period and
    the deadline count from the actual end, and a reader comparing with the
    registered dates should see why they differ."""
    if r.ended_at >= r.ends_at:
        return ""
    planned = parse_iso(r.ends_at) - timedelta(seconds=1)
    return (f" (kết thúc sớm lúc {_when(r.ended_at, zone, True)}; dự kiến đến"
            f" {periods.vn_date(planned, zone)})")


def _prize_table(r: schemas.ResultsReport) -> str:
    """One row per prize, then the totals."""
    e = html.escape
    money = periods.vn_money
    num = periods.vn_number
    rows = "".join(
        f"<tr><td class=n>{i}</td><td>{e(p.label)}<br><small>{e(p.segment_id)}</small></td>"
        f"<td class=n>{money(p.value)}</td><td class=n>{num(p.awarded.count)}</td>"
        f"<td class=n>{money(p.awarded.amount)}</td><td class=n>{num(p.claimed.count)}</td>"
        f"<td class=n>{money(p.claimed.amount)}</td>"
        f"<td class=n>{money(p.unclaimed_value)}</td></tr>"
        for i, p in enumerate(r.prizes, start=1))
    return f"""\
<table>
<thead><tr><th>STT</th><th>Giải thưởng</th><th>Giá trị giải</th><th>Số giải đã trúng</th>
<th>Tổng giá trị đã trúng</th><th>Số giải đã nhận</th><th>Giá trị đã nhận</th>
<th>Giá trị không có người nhận</th></tr></thead>
<tbody>{rows}</tbody>
<tfoot><tr><td></td><td>Tổng cộng</td><td></td><td class=n>{num(r.awarded.count)}</td>
<td class=n>{money(r.awarded.amount)}</td><td class=n>{num(r.claimed.count)}</td>
<td class=n>{money(r.claimed.amount)}</td><td class=n>{money(r.unclaimed_value)}</td></tr>
</tfoot>
</table>
"""


def _closing(r: schemas.ResultsReport, zone: ZoneInfo) -> str:
    """The amount due and the deadline, then whether the figures are final: until the
    last prize expires, unclaimed value can still shrink, and the page says so."""
    money = periods.vn_money
    status = ("Số liệu đã chốt: mọi giải thưởng đã hết hạn nhận." if r.final else
              f"Số liệu tạm tính: giải thưởng còn được nhận đến {_until(r.final_at, zone)}"
              "; giá trị không có người nhận có thể còn giảm.")
    return f"""\
<p class="due">50% giá trị giải thưởng không có người nhận phải nộp vào ngân sách nhà nước:
 <strong>{money(r.state_budget_due)}</strong></p>
<p>Hạn gửi báo cáo kết quả: <strong>{_when(r.report_deadline, zone)}</strong>
 (45 ngày kể từ ngày kết thúc chương trình).</p>
<p class="note">{status} Giải đã nhận: quà tặng đã được sử dụng (đổi quà); giải bị huỷ
 hoặc hết hạn được tính là không có người nhận.</p>
<div class="sign"><div><p><em>……, ngày …… tháng …… năm ……</em></p>
<p><strong>ĐẠI DIỆN THEO PHÁP LUẬT CỦA DOANH NGHIỆP</strong></p>
<p><em>(Ký, ghi rõ họ tên và đóng dấu)</em></p></div></div>
</body>
</html>
"""
