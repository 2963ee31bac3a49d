"""Load the demo region. Idempotent: each row is keyed by its natural key, so a second
run finds everything present and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from piccolo.table import Table

from backend.catalog.tables import Product
from backend.complaints.demo import load_demo_complaints
from backend.db import write_transaction
from backend.demo import data
from backend.health.demo import load_demo_assessments
from backend.ledger.service import ensure_chart
from backend.members.domain import format_member_number, parse_nik
from backend.members.tables import Member
from backend.outreach.demo import load_demo_outreach
from backend.supervision.demo import load_demo_records
from backend.tenancy.tables import Koperasi, Outlet, Region


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


async def _insert_missing(
    table: type[Table], rows: list[dict[str, Any]], key: tuple[str, ...]
) -> int:
    """Insert the rows whose natural key is not yet in the table."""
    columns = [table._meta.get_column_by_name(name) for name in key]
    # Rows come back keyed by database column name (`koperasi_id`), rows in by attribute.
    names = [column._meta.db_column_name for column in columns]
    existing = {tuple(r[name] for name in names) for r in await table.select(*columns)}
    missing = [row for row in rows if tuple(row[name] for name in key) not in existing]
    if missing:  # Piccolo writes invalid SQL for an empty insert
        await table.insert(*[table(**row) for row in missing])
    return len(missing)


async def load_demo(today: date | None = None) -> DemoResult:
    result = DemoResult()
    async with write_transaction():
        result.created["region"] = await _insert_missing(Region, [dict(data.REGION)], ("slug",))
        region_id = (
            await Region.select(Region.id).where(Region.slug == data.REGION["slug"]).first()
        )["id"]  # type: ignore[index]
        result.created["koperasi"] = await _insert_missing(
            Koperasi,
            [
                {
                    "region": region_id,
                    "slug": k.slug,
                    "name": k.name,
                    "kind": k.kind,
                    "address": k.address,
                    "city": data.REGION["name"],
                }
                for k in data.KOPERASI
            ],
            ("slug",),
        )
        ids = {
            row["slug"]: row["id"]
            for row in await Koperasi.select(Koperasi.id, Koperasi.slug).where(
                Koperasi.slug.is_in([k.slug for k in data.KOPERASI])
            )
        }
        outlets, members, products = [], [], []
        for index, kop in enumerate(data.KOPERASI):
            kid = ids[kop.slug]
            outlets += [
                {"koperasi": kid, "code": code, "name": name, "address": address}
                for code, name, address in kop.outlets
            ]
            # Spread the 36 demo people over the koperasi, 5–6 each, deterministically.
            people = data.MEMBERS[index :: len(data.KOPERASI)]
            for seq, (name, female, born, kec, phone) in enumerate(people, start=1):
                nik = parse_nik(data.demo_nik(kec, born, female, 1000 + index * 10 + seq)).nik
                members.append(
                    {
                        "koperasi": kid,
                        "member_number": format_member_number(seq),
                        "full_name": name,
                        "nik": nik,
                        "phone": phone,
                        "address": f"Kec. {data.KECAMATAN[kec]}, {data.REGION['name']}",
                        "joined_on": date(2015 + (seq + index) % 9, 1 + (seq * 5) % 12, 1),
                        "status": "aktif" if seq % 6 else "nonaktif",
                    }
                )
            if kop.has_shop:
                products += [
                    {
                        "koperasi": kid,
                        "sku": sku,
                        "barcode": data.demo_barcode(i),
                        "name": name,
                        "category": category,
                        "unit": unit,
                        "price": price,
                        "member_price": member_price,
                        "cost_price": cost,
                        "track_stock": category != "Pulsa & Token",
                    }
                    for i, (sku, name, category, unit, price, member_price, cost) in enumerate(
                        data.PRODUCTS, start=1
                    )
                ]
        result.created["outlet"] = await _insert_missing(Outlet, outlets, ("koperasi", "code"))
        result.created["member"] = await _insert_missing(
            Member, members, ("koperasi", "member_number")
        )
        result.created["product"] = await _insert_missing(Product, products, ("koperasi", "sku"))
        # Every koperasi keeps books from day one.
        result.created["ledger_account"] = sum([await ensure_chart(kid) for kid in ids.values()])
    # Legality records (profiles, board, documents) of the demo koperasi, varied for the
    # compliance calendar.
    result.created["legality"] = await load_demo_records(today)
    # Past final health assessments of two koperasi, so their record shows a trend.
    result.created["health_assessment"] = await load_demo_assessments(today)
    # Education material, news and trainings of the region (decision 0017).
    result.created["outreach"] = await load_demo_outreach(today)
    # Complaints and a consultation on the Dinas's desk (decision 0019).
    result.created["complaints"] = await load_demo_complaints(today)
    return result
