"""Health assessments on both engines: figures read from a demo koperasi's books (agreeing
with its Neraca and PHU) and from its loan register, with their evidence; a draft answered
by the pengurus and finalised by the Dinas through the API; a final assessment that never
changes (the API answers 409, the database refuses even a hand-made change); the record
over time in date order; the region's ATMR weights and rule confirmations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.demo.books import load_demo_books
from backend.errors import AppError
from backend.health import inputs, rules, service
from backend.health.api import today
from backend.health.demo import past_dates
from backend.health.domain import Missing, Origin, Scheme, period_start, year_before
from backend.health.tables import HealthAnswer, HealthAssessment, HealthIndicator
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.statements import neraca, phu
from backend.loans import service as loans
from backend.loans.domain import Method, ProductTerms
from backend.settings import Settings
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
API = "/api/v1/health-assessments"
JT = 1_000_000
KSP, SRIKANDI, WILWATIKTA = "ksp-artha-mandiri", "kopwan-srikandi", "kopjas-wilwatikta"
PENGURUS = service.Who(user_id=None, role="pengurus")


async def _place(slug: str) -> service.Place:
    place = await service._place(slug=slug)
    assert place is not None
    return place


def _scheme(scheme_id: str, day: date) -> Scheme:
    found = rules.scheme_on(scheme_id, day)
    assert found is not None
    return found


async def _post(k: int, day: date, text: str, *lines: Line) -> None:
    await ledger.post_entry(k, day, text, list(lines), source="test")


async def _wilwatikta_books(as_of: date) -> service.Place:
    """Books of Kopjas Wilwatikta (none in the demo fixture): an opening balance more than a
    year before `as_of`, then a year of business, so that kas + bank = Rp 120 juta and the
    current liabilities Rp 1 miliar on the day (the worked check of HEALTH_RULES.md)."""
    place = await _place(WILWATIKTA)
    k = place.koperasi_id
    opening = year_before(as_of) - timedelta(days=1)
    await _post(
        k,
        opening,
        "Saldo awal",
        Line("1-1100", debit=30 * JT),
        Line("1-1200", debit=20 * JT),
        Line("1-1300", debit=900 * JT),
        Line("1-2100", debit=560 * JT),
        Line("2-1100", credit=700 * JT),
        Line("2-1300", credit=200 * JT),
        Line("2-1500", credit=50 * JT),
        Line("3-1100", credit=60 * JT),
        Line("3-1200", credit=300 * JT),
        Line("3-1300", credit=100 * JT),
        Line("3-1500", credit=100 * JT),
    )
    middle = as_of - timedelta(days=100)
    for text, debit, credit, amount in (
        ("Jasa pinjaman", "1-1100", "4-1100", 40 * JT),
        ("Honor", "5-2100", "1-1100", 25 * JT),
        ("RAT", "5-3100", "1-1100", 5 * JT),
    ):
        await _post(k, middle, text, Line(debit, debit=amount), Line(credit, credit=amount))
    await _post(
        k, as_of, "Simpanan sukarela", Line("1-1200", debit=50 * JT), Line("2-1100", credit=50 * JT)
    )
    await _post(
        k,
        as_of,
        "Jasa angkutan untuk non-anggota",
        Line("1-1100", debit=10 * JT),
        Line("4-2100", credit=10 * JT),
    )
    # Kas 30 + 40 − 25 − 5 + 10 = 50 and bank 20 + 50 = 70; after the transfer: 20 and 100.
    await _post(
        k, as_of, "Setor ke bank", Line("1-1200", debit=30 * JT), Line("1-1100", credit=30 * JT)
    )
    # The day after: not part of the assessment.
    await _post(
        k,
        as_of + timedelta(days=1),
        "Besok",
        Line("1-1100", debit=7 * JT),
        Line("4-1100", credit=7 * JT),
    )
    return place


async def test_inputs_from_the_books_agree_with_the_statements(demo: Settings) -> None:
    as_of = date(2026, 10, 31)
    place = await _wilwatikta_books(as_of)
    k = place.koperasi_id
    scheme = _scheme("perdep06-2016", as_of)
    figures = await inputs.gather(k, place.region_id, scheme, as_of)
    sheet = await neraca(k, as_of, compare_as_of=year_before(as_of))
    year = await phu(k, period_start(as_of), as_of)
    lines = {line.code: line.amounts[0] for line in sheet.aset.lines}
    assert lines["1-1100"] + lines["1-1200"] == 120 * JT
    assert figures["kas_bank"].amount == 120 * JT
    assert figures["kewajiban_lancar"].amount == 1_000 * JT == sheet.kewajiban.totals[0]
    assert figures["total_aset"].amount == sheet.aset.totals[0]
    # Modal sendiri: pokok + wajib + hibah + cadangan + 50 % of penyertaan.
    assert figures["modal_sendiri"].amount == (60 + 300 + 100) * JT + 50 * JT
    assert figures["total_aset"].amount == (20 + 100 + 900 + 560) * JT
    assert figures["shu_sebelum_pajak"].amount == year.shu[0] == 20 * JT
    assert figures["partisipasi_bruto"].amount == 40 * JT
    assert figures["pendapatan_non_anggota"].amount == 10 * JT
    assert figures["beban_usaha"].amount == 25 * JT
    assert figures["beban_perkoperasian"].amount == 5 * JT
    # No member savings policy changes: the SHU split's members' share is the default 40 %.
    assert figures["shu_bagian_anggota"].amount == 8 * JT
    assert figures["shu_bagian_anggota"].share_bp == 4_000
    # Loans: the books hold Rp 900 juta of loans, the register none.
    assert figures["pinjaman_berisiko"].missing is Missing.NO_LOAN_REGISTER
    assert figures["biaya_karyawan"].missing is Missing.NOT_IN_BOOKS
    # ATMR: kas 0 %, bank 20 %, the rest 100 % (net of accumulated depreciation).
    assert figures["atmr"].amount == (100 * JT) * 20 // 100 + 900 * JT + 560 * JT

    scheme_b = _scheme("kkpkk-2021", as_of)
    figures_b = await inputs.gather(k, place.region_id, scheme_b, as_of)
    assert figures_b["ekuitas"].amount == sheet.ekuitas.totals[0]
    assert figures_b["ekuitas_lalu"].amount == sheet.ekuitas.totals[1]
    assert figures_b["shu"].amount == year.shu[0]
    assert figures_b["pendapatan"].amount == year.pendapatan.totals[0]

    # The assessment stores the evidence in words.
    number = await service.start(place, "perdep06-2016", as_of, PENGURUS, as_of)
    view = await service.detail(place, number)
    cash = next(i for i in view.indicators if i.code == "rasio_kas")
    assert (cash.value, cash.nilai, cash.skor) == ("12.00", "100.00", "10.00")
    assert cash.evidence == (
        "kas + bank Rp 120.000.000 (1-1100, 1-1200) ÷ kewajiban lancar Rp 1.000.000.000 "
        "(2-1100, 2-1300, 2-1500, 2-1600, 2-1610, 2-1620, 2-1630, 2-1640, 2-1650) = 12,00%"
    )
    assert cash.hints == []  # at its best band
    risky = next(i for i in view.indicators if i.code == "modal_sendiri_pinjaman_berisiko")
    assert risky.status == "no_data" and risky.skor == "0.00"
    assert "belum dicatat di menu Pinjaman" in risky.evidence
    assert risky.hints and risky.hints[0].startswith("Catat setiap pinjaman anggota")
    own = next(i for i in view.indicators if i.code == "modal_sendiri_aset")
    assert "50% × 3-1300" in own.evidence
    assert {f.code for f in view.figures} == {
        "pinjaman_berisiko",
        "rpm",
        "biaya_karyawan",
        "volume_pinjaman",
        "meppp",
    }


async def test_the_demo_books_of_the_ksp(demo: Settings) -> None:
    """The KSP's demo year of books feeds its assessment; what the books lack (the loan
    register, staff costs) is entered by hand and used, and the books win where they hold
    a figure."""
    day = today()
    await load_demo_books(day)
    place = await _place(KSP)
    sheet = await neraca(place.koperasi_id, day)
    number = await service.start(place, "perdep06-2016", day, PENGURUS, day)
    view = await service.detail(place, number)
    cash_lines = {line.code: line.amounts[0] for line in sheet.aset.lines}
    cash = next(i for i in view.indicators if i.code == "rasio_kas")
    expected = (
        f"kas + bank Rp {cash_lines['1-1100'] + cash_lines['1-1200']:,}".replace(",", ".")
        + " (1-1100, 1-1200) ÷ kewajiban lancar"
    )
    assert cash.evidence.startswith(expected)
    current_codes = _scheme("perdep06-2016", day).figures["kewajiban_lancar"].accounts
    current = sum(line.amounts[0] for line in sheet.kewajiban.lines if line.code in current_codes)
    assert current < sheet.kewajiban.totals[0]  # the bank loan is not current
    assert Decimal(cash.value or "0") == (
        Decimal(cash_lines["1-1100"] + cash_lines["1-1200"]) * 100 / current
    ).quantize(Decimal("0.01"))
    # Enter what the books lack; try to override kas + bank too (the books win).
    await service.save(
        place,
        number,
        {},
        {"pinjaman_berisiko": 12 * JT, "biaya_karyawan": 9 * JT, "kas_bank": 1},
        PENGURUS,
    )
    view = await service.detail(place, number)
    risky = next(i for i in view.indicators if i.code == "pinjaman_berisiko_pinjaman")
    assert risky.status == "ok" and "Rp 12.000.000 (diisi pengurus)" in risky.evidence
    cash_again = next(i for i in view.indicators if i.code == "rasio_kas")
    assert cash_again.evidence == cash.evidence
    entered = {f.code: f for f in view.figures}
    assert entered["kas_bank"].used is False and entered["pinjaman_berisiko"].used is True
    # Removing an entered figure brings the gap back.
    await service.save(place, number, {}, {"pinjaman_berisiko": None, "kas_bank": None}, PENGURUS)
    view = await service.detail(place, number)
    assert next(i for i in view.indicators if i.code == "pinjaman_berisiko_pinjaman").status == (
        "no_data"
    )
    assert "kas_bank" not in {f.code for f in view.figures}


async def test_the_loan_register_feeds_collectibility_and_rpm(demo: Settings) -> None:
    place = await _place(KSP)
    k = place.koperasi_id
    product = await loans.create_product(
        k,
        ProductTerms(
            name="Pinjaman uji kesehatan",
            method=Method.FLAT,
            monthly_rate_bp=100,
            min_term_months=1,
            max_term_months=12,
            provisi_bp=0,
            admin_fee=0,
            penalty_bp_per_day=0,
            min_amount=100_000,
            max_amount=50_000_000,
            savings_multiple_bp=0,
        ),
    )
    disbursed = {}
    for member, principal in (("A-0001", 12_000_000), ("A-0002", 6_000_000)):
        applied = await loans.apply(k, member, product.id, principal, 12, date(2026, 1, 5))
        await loans.approve(k, applied.number, date(2026, 1, 6))
        await loans.disburse(k, applied.number, date(2026, 1, 10))
        disbursed[member] = applied.number
    # A-0001 pays every month; A-0002 never: more than 90 days late by 30 June.
    for month in range(2, 7):
        await loans.pay(k, disbursed["A-0001"], 1_120_000, date(2026, month, 10))
    as_of = date(2026, 6, 30)
    summary = await loans.collectibility_summary(k, as_of)
    figures = await inputs.gather(k, place.region_id, _scheme("perdep06-2016", as_of), as_of)
    risky = sum(c.outstanding for c in summary.classes[1:])
    assert risky == 6_000_000  # A-0002's whole principal
    assert figures["pinjaman_berisiko"].amount == risky
    assert figures["pinjaman_berisiko"].origin is Origin.LOANS
    assert figures["rpm"].amount == summary.rpm > 0
    assert figures["volume_pinjaman"].amount == 18_000_000
    # The register's loans are in the books too.
    assert figures["pinjaman_diberikan"].amount == summary.outstanding
    # Before the books began, the register's zero does not count as data.
    early = await inputs.gather(
        k, place.region_id, _scheme("perdep06-2016", date(2025, 6, 30)), date(2025, 6, 30)
    )
    assert early["rpm"].amount is None and early["rpm"].missing is Missing.NO_BOOKS


def _all_yes(scheme_id: str, day: date) -> dict[str, bool]:
    return {code: True for code in _scheme(scheme_id, day).items}


async def _people(settings: Settings, place: service.Place) -> dict[str, tuple[str, str]]:
    return {
        "pengurus": await person(
            settings, Role.PENGURUS, place.koperasi_id, place.region_id, name="Bu Pengurus"
        ),
        "dinas": await person(settings, Role.DINAS, None, place.region_id, name="Pak Dinas"),
    }


async def test_draft_to_final_through_the_api(demo: Settings) -> None:
    place = await _place(SRIKANDI)
    people = await _people(demo, place)
    day = today()
    dinas_query = {"koperasi": SRIKANDI}
    async with app_client(demo, origin=ORIGIN) as client:
        as_person(client, people["pengurus"])
        started = await client.post(API, json={"scheme": "kkpkk-2021", "as_of": day.isoformat()})
        assert started.status_code == 201, started.text
        number = started.json()["number"]
        view = (await client.get(f"{API}/{number}")).json()
        assert view["status"] == "draft" and view["unanswered"] == 101
        assert view["created_by"] == "Bu Pengurus" and view["created_role"] == "pengurus"
        provisional = {i["code"] for i in view["indicators"] if i["provisional"]}
        assert {"car", "rasio_kas"} <= provisional
        assert len(view["provisional_notes"]) == 3
        # A second draft waits for the first.
        again = await client.post(API, json={"scheme": "kkpkk-2021", "as_of": day.isoformat()})
        assert again.status_code == 409 and again.json()["error"]["code"] == "draft_exists"
        # The pengurus answers everything except the strategic-risk checklist.
        answers = _all_yes("kkpkk-2021", day)
        for code in [c for c in answers if c.startswith("risiko_stratejik")]:
            del answers[code]
        saved = await client.put(f"{API}/{number}/answers", json={"answers": answers})
        assert saved.status_code == 200, saved.text
        assert saved.json()["unanswered"] == 3
        # Not theirs to finalise.
        refused = await client.post(f"{API}/{number}/finalise")
        assert refused.status_code == 403
        as_person(client, people["dinas"])
        early = await client.post(f"{API}/{number}/finalise", params=dinas_query)
        assert early.status_code == 409 and early.json()["error"]["code"] == "unanswered_items"
        # The officer answers the rest (one "tidak") and changes one of the pengurus's.
        dinas_answers = {
            "risiko_stratejik_01": True,
            "risiko_stratejik_02": True,
            "risiko_stratejik_03": False,
            "prinsip_keanggotaan_01": False,
        }
        saved = await client.put(
            f"{API}/{number}/answers", params=dinas_query, json={"answers": dinas_answers}
        )
        assert saved.status_code == 200, saved.text
        items = {item["code"]: item for i in saved.json()["indicators"] for item in i["items"]}
        assert items["prinsip_keanggotaan_01"]["answered_role"] == "dinas"
        assert items["prinsip_keanggotaan_01"]["answered_by"] == "Pak Dinas"
        assert items["prinsip_keanggotaan_02"]["answered_role"] == "pengurus"
        assert items["risiko_stratejik_03"]["met"] is False
        done = await client.post(f"{API}/{number}/finalise", params=dinas_query)
        assert done.status_code == 200, done.text
        final = done.json()
        assert final["status"] == "final" and final["finalised_by"] == "Pak Dinas"
        history = (await client.get(f"{API}/history", params=dinas_query)).json()
        assert history[-1]["number"] == number
        assert history[-1]["total_score"] == final["total_score"]
        assert [p["as_of"] for p in history] == sorted(p["as_of"] for p in history)
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.koperasi == place.koperasi_id
        )
    ]
    assert "health_assessment_started" in actions and "health_assessment_finalised" in actions


async def test_a_final_assessment_never_changes(demo: Settings) -> None:
    place = await _place(SRIKANDI)
    people = await _people(demo, place)
    final = (await service.history(place.koperasi_id))[-1]
    row = (
        await HealthAssessment.select(HealthAssessment.id, HealthAssessment.total_score)
        .where(
            (HealthAssessment.koperasi == place.koperasi_id)
            & (HealthAssessment.number == final.number)
        )
        .first()
    )
    assert row is not None
    before = await service.detail(place, final.number)
    async with app_client(demo, origin=ORIGIN) as client:
        for who in ("pengurus", "dinas"):
            as_person(client, people[who])
            params = {"koperasi": SRIKANDI} if who == "dinas" else {}
            for response in (
                await client.put(
                    f"{API}/{final.number}/answers",
                    params=params,
                    json={"answers": {"prinsip_keanggotaan_01": False}},
                ),
                await client.post(f"{API}/{final.number}/recompute", params=params),
                await client.post(f"{API}/{final.number}/finalise", params=params),
                await client.delete(f"{API}/{final.number}", params=params),
            ):
                if who == "pengurus" and response.request.url.path.endswith("/finalise"):
                    assert response.status_code == 403
                    continue
                assert response.status_code == 409, response.text
                assert response.json()["error"]["code"] == "assessment_final"
    # Even by hand, the database refuses.
    attempts: list[tuple[str, tuple[Any, ...]]] = [
        ("UPDATE health_assessment SET total_score = '99.00' WHERE id = {}", (row["id"],)),
        ("DELETE FROM health_assessment WHERE id = {}", (row["id"],)),
        ("UPDATE health_indicator SET skor = '4.00' WHERE assessment_id = {}", (row["id"],)),
        ("DELETE FROM health_answer WHERE assessment_id = {}", (row["id"],)),
        (
            "INSERT INTO health_figure (koperasi_id, assessment_id, code, amount, entered_role,"
            " entered_at) VALUES ({}, {}, 'shu', 1, 'dinas', CURRENT_TIMESTAMP)",
            (place.koperasi_id, row["id"]),
        ),
    ]
    for sql, args in attempts:
        with pytest.raises(Exception, match="immutable"):
            await HealthAssessment.raw(sql, *args).run()
    assert await service.detail(place, final.number) == before
    with pytest.raises(AppError) as refused:
        await service.save(place, final.number, {}, {"shu": 1}, PENGURUS)
    assert refused.value.status == 409


async def test_the_record_is_in_date_order(demo: Settings) -> None:
    """The demo's three finals (before the books began), then corrections: a new final with
    an earlier date goes first in the trend; the latest is the newest by date, not by
    number."""
    place = await _place(KSP)
    points = await service.history(place.koperasi_id)
    assert [p.as_of for p in points] == past_dates(date.today())
    assert [p.number for p in points] == [1, 2, 3]
    assert all(p.scheme == "perdep06-2016" and p.category_label for p in points)
    dinas = service.Who(user_id=None, role="dinas", region_id=place.region_id)
    earliest = points[0].as_of - timedelta(days=365)
    number = await service.start(place, "perdep06-2016", earliest, dinas, today())
    await service.save(place, number, _all_yes("perdep06-2016", earliest), {}, dinas)
    await service.finalise(place, number, dinas)
    points = await service.history(place.koperasi_id)
    assert [p.number for p in points] == [4, 1, 2, 3]
    latest = await service.latest(place.koperasi_id)
    assert latest is not None and latest.number == 3
    # Drafts are not part of the record.
    await service.start(place, "kkpkk-2021", today(), PENGURUS, today())
    assert [p.number for p in await service.history(place.koperasi_id)] == [4, 1, 2, 3]
    listed = await service.assessments(place.koperasi_id)
    assert [(s.number, s.status) for s in listed][:2] == [(5, "draft"), (4, "final")]
    region = {r.slug: r for r in await service.region_latest(place.region_id)}
    ksp_latest = region[KSP].latest
    assert ksp_latest is not None and ksp_latest.number == 3
    assert region[KSP].draft == 5
    assert region[WILWATIKTA].latest is None


async def test_dates_and_rules_refused(demo: Settings) -> None:
    place = await _place(WILWATIKTA)
    with pytest.raises(AppError) as future:
        await service.start(place, "kkpkk-2021", today() + timedelta(days=1), PENGURUS, today())
    assert future.value.code == "as_of_in_future"
    with pytest.raises(AppError) as early:
        await service.start(place, "kkpkk-2021", date(2020, 12, 31), PENGURUS, today())
    assert early.value.code == "scheme_not_in_force"
    number = await service.start(place, "kkpkk-2021", today(), PENGURUS, today())
    with pytest.raises(AppError) as unknown:
        await service.save(place, number, {"bukan_butir": True}, {}, PENGURUS)
    assert unknown.value.code == "unknown_item"
    with pytest.raises(AppError) as figure:
        await service.save(place, number, {}, {"bukan_angka": 1}, PENGURUS)
    assert figure.value.code == "unknown_figure"
    # A draft can be deleted, with its answers.
    await service.save(place, number, {"prinsip_keanggotaan_01": True}, {}, PENGURUS)
    await service.delete_draft(place, number, PENGURUS)
    assert not await HealthAssessment.exists().where(HealthAssessment.koperasi == place.koperasi_id)
    assert not await HealthAnswer.exists().where(HealthAnswer.koperasi == place.koperasi_id)


async def test_region_atmr_weights_and_confirmations(demo: Settings) -> None:
    as_of = date(2026, 10, 31)
    place = await _wilwatikta_books(as_of)
    officer = service.Who(user_id=None, role="dinas", region_id=place.region_id)
    number = await service.start(place, "perdep06-2016", as_of, PENGURUS, as_of)
    view = await service.detail(place, number)
    car = next(i for i in view.indicators if i.code == "car")
    assert "1-1100 0%, 1-1200 20%, lainnya 100%" in car.evidence
    assert any("ATMR" in note for note in view.provisional_notes)
    await service.set_atmr_weight(place.region_id, "1-1200", 0, officer)
    await service.set_atmr_weight(place.region_id, "1-1300", 5_000, officer)
    await service.set_confirmation(
        place.region_id, "perdep06-2016", "2026-11-29", "_atmr", True, officer
    )
    await service.recompute(place, number)
    view = await service.detail(place, number)
    car = next(i for i in view.indicators if i.code == "car")
    assert "1-1100 0%, 1-1200 0%, 1-1300 50%, lainnya 100%" in car.evidence
    assert "Rp 1.010.000.000" in car.evidence  # 900 × 50 % + 560
    assert not any("ATMR" in note for note in view.provisional_notes)
    settings = await service.region_settings(place.region_id, "id", as_of)
    rows = {r.account: r for r in settings.atmr}
    assert rows["1-1300"].region_bp == 5_000 and rows["1-1300"].default_bp == 10_000
    assert rows["1-1400"].region_bp is None
    confirmed = {(r.scheme, r.row): r.confirmed for r in settings.rows}
    assert confirmed[("perdep06-2016", "_atmr")] is True
    assert confirmed[("kkpkk-2021", "_atmr")] is False
    # Back to the rule set's weight; a low-confidence indicator confirmed.
    await service.set_atmr_weight(place.region_id, "1-1300", None, officer)
    await service.set_confirmation(
        place.region_id, "perdep06-2016", "2026-11-29", "efisiensi_pelayanan", True, officer
    )
    view = await service.detail(place, number)
    assert not next(i for i in view.indicators if i.code == "efisiensi_pelayanan").provisional
    with pytest.raises(AppError):
        await service.set_confirmation(
            place.region_id, "perdep06-2016", "2026-11-29", "rasio_kas", True, officer
        )  # high confidence: nothing to confirm
    with pytest.raises(AppError):
        await service.set_atmr_weight(place.region_id, "2-1100", 0, officer)
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.region == place.region_id
        )
    ]
    assert actions.count("health_atmr_weight_changed") == 3
    assert "health_rule_confirmed" in actions
    # A final assessment keeps the flags it was finalised with.
    stored = await HealthIndicator.select(HealthIndicator.provisional).where(
        (HealthIndicator.koperasi == place.koperasi_id) & (HealthIndicator.code == "car")
    )
    assert stored


async def test_the_pages(demo: Settings) -> None:
    place = await _place(SRIKANDI)
    people = await _people(demo, place)
    async with app_client(demo, origin=ORIGIN) as client:
        as_person(client, people["pengurus"])
        page = await client.get("/kesehatan")
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "no-store"
        html = page.text
        assert "Koperasi Wanita Srikandi" in html
        assert html.count('class="trend-point') == 3  # the demo's three finals
        assert 'role="img"' in html and "Rekam skor kesehatan" in html
        assert 'id="start-form"' in html and 'id="finalise"' not in html
        # The latest final is shown, not editable.
        assert "sudah final" in html and 'id="recompute"' not in html
        first = await client.get("/kesehatan", params={"penilaian": 1})
        assert first.status_code == 200 and "Penilaian no. 1" in first.text
        missing = await client.get("/kesehatan", params={"penilaian": 99})
        assert missing.status_code == 404
        refused = await client.get(f"/pengawasan/kesehatan/{SRIKANDI}")
        assert refused.status_code == 403
        as_person(client, people["dinas"])
        region = await client.get("/kesehatan")
        assert region.status_code == 200
        assert "Koperasi di wilayah Anda" in region.text and "KSP Artha Mandiri" in region.text
        assert "Bobot risiko ATMR" in region.text
        own = await client.get(f"/pengawasan/kesehatan/{SRIKANDI}")
        assert own.status_code == 200 and "Semua koperasi di wilayah" in own.text
        started = await client.post(
            API,
            params={"koperasi": SRIKANDI},
            json={"scheme": "perdep06-2016", "as_of": "2026-01-31"},
        )
        assert started.status_code == 201
        draft = await client.get(f"/pengawasan/kesehatan/{SRIKANDI}")
        assert 'id="finalise"' in draft.text and 'data-item="manajemen_umum_01"' in draft.text
        assert "data tidak tersedia" in draft.text and 'class="tag provisional"' in draft.text
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = await client.get(f"/pengawasan/kesehatan/{SRIKANDI}")
        assert english.status_code == 200 and '<html lang="en">' in english.text
        assert "Own capital ÷ total assets" in english.text  # the rule set's own English


async def test_the_database_keeps_one_draft_and_unique_numbers(demo: Settings) -> None:
    place = await _place(WILWATIKTA)
    number = await service.start(place, "kkpkk-2021", today(), PENGURUS, today())

    def row(number: int, status: str) -> HealthAssessment:
        return HealthAssessment(
            koperasi=place.koperasi_id,
            number=number,
            scheme="kkpkk-2021",
            version="2026-11-29",
            as_of=today(),
            period_start=period_start(today()),
            status=status,
        )

    with pytest.raises(Exception):  # noqa: B017 - driver-specific IntegrityError
        await HealthAssessment.insert(row(number + 1, "draft"))  # a second draft
    with pytest.raises(Exception):  # noqa: B017
        await HealthAssessment.insert(row(number, "final"))  # the same number
    # Another koperasi may hold the same number.
    other = await _place(KSP)
    assert await HealthAssessment.exists().where(
        (HealthAssessment.koperasi == other.koperasi_id) & (HealthAssessment.number == number)
    )
    assert await HealthAssessment.count().where(HealthAssessment.koperasi == place.koperasi_id) == 1
