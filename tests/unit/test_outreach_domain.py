"""Outreach rules without a database: the waiting list, who a training and a news post are
for, training checks and statuses, article checks and slugs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.accounts.domain import Role
from backend.errors import AppError, Conflict, ValidationFailed
from backend.outreach.domain import (
    AUDIENCE_ROLES,
    ArticleDraft,
    EduTopic,
    ExternalLink,
    NewsDraft,
    NewsScope,
    NewsView,
    RegistrationStatus,
    TrainingAudience,
    TrainingDraft,
    TrainingState,
    TrainingStatus,
    Viewer,
    certificate_number,
    check_article,
    check_attendance_open,
    check_cancellable,
    check_news,
    check_registration_open,
    check_training,
    check_transition,
    may_publish_article,
    news_author_scope,
    news_visible,
    place_for,
    promotions,
    reminder_due,
    roles_of,
    roles_text,
    slugify,
    unique_slug,
)
from backend.outreach.notify import training_audiences
from backend.push.domain import Audience

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10.00 WIB
REGION, OTHER_REGION = 1, 2
K1, K2, K3 = 11, 12, 13


# The waiting list


def test_seats_while_the_quota_lasts_then_the_queue() -> None:
    assert place_for(quota=2, seated=0) is RegistrationStatus.TERDAFTAR
    assert place_for(quota=2, seated=1) is RegistrationStatus.TERDAFTAR
    assert place_for(quota=2, seated=2) is RegistrationStatus.MENUNGGU
    assert place_for(quota=2, seated=3) is RegistrationStatus.MENUNGGU  # quota lowered


def test_a_freed_seat_goes_to_the_first_in_the_queue() -> None:
    assert promotions(quota=3, seated=2, waiting=[40, 41, 42]) == [40]


def test_a_larger_quota_seats_several_in_order() -> None:
    assert promotions(quota=5, seated=2, waiting=[40, 41, 42, 43]) == [40, 41, 42]


def test_nobody_moves_when_full_or_over_full_or_the_queue_is_empty() -> None:
    assert promotions(quota=3, seated=3, waiting=[40]) == []
    assert promotions(quota=3, seated=4, waiting=[40]) == []
    assert promotions(quota=3, seated=0, waiting=[]) == []


@given(
    quota=st.integers(1, 30),
    seated=st.integers(0, 40),
    waiting=st.lists(st.integers(1, 10_000), unique=True, max_size=40),
)
def test_promotion_fills_free_seats_from_the_front_and_never_overbooks(
    quota: int, seated: int, waiting: list[int]
) -> None:
    chosen = promotions(quota, seated, waiting)
    assert chosen == waiting[: len(chosen)]  # in order, from the front
    assert seated + len(chosen) <= max(quota, seated)  # never past the quota
    if seated + len(chosen) < quota:
        assert len(chosen) == len(waiting)  # a free seat stays free only with no queue


# Who a training is for


def _viewer(role: Role, koperasi: int | None = K1, region: int = REGION) -> Viewer:
    return Viewer(role, region, None if role is Role.DINAS else koperasi)


def test_a_region_wide_training_is_for_its_roles_in_every_koperasi_of_the_region() -> None:
    audience = TrainingAudience(frozenset({Role.PENGURUS, Role.ANGGOTA}))
    assert audience.matches(_viewer(Role.PENGURUS, K1), REGION)
    assert audience.matches(_viewer(Role.ANGGOTA, K3), REGION)
    assert not audience.matches(_viewer(Role.KASIR, K1), REGION)
    assert not audience.matches(_viewer(Role.DINAS), REGION)
    assert not audience.matches(_viewer(Role.PENGURUS, K1, OTHER_REGION), REGION)


def test_a_training_limited_to_some_koperasi() -> None:
    audience = TrainingAudience(frozenset({Role.PENGURUS, Role.DINAS}), frozenset({K1, K2}))
    assert audience.matches(_viewer(Role.PENGURUS, K1), REGION)
    assert audience.matches(_viewer(Role.PENGURUS, K2), REGION)
    assert not audience.matches(_viewer(Role.PENGURUS, K3), REGION)
    # Officers are in no koperasi: the list does not narrow them.
    assert audience.matches(_viewer(Role.DINAS), REGION)
    assert not audience.matches(_viewer(Role.DINAS, region=OTHER_REGION), REGION)


def test_push_audiences_of_a_training() -> None:
    whole = TrainingAudience(frozenset({Role.ANGGOTA, Role.KASIR}))
    assert training_audiences(REGION, whole) == [
        Audience.in_region(REGION, Role.ANGGOTA, Role.KASIR)
    ]
    some = TrainingAudience(frozenset({Role.PENGURUS, Role.DINAS}), frozenset({K2, K1}))
    assert training_audiences(REGION, some) == [
        Audience.in_koperasi(K1, Role.PENGURUS),
        Audience.in_koperasi(K2, Role.PENGURUS),
        Audience.in_region(REGION, Role.DINAS),
    ]


def test_roles_are_stored_in_a_fixed_order() -> None:
    assert roles_text({Role.DINAS, Role.ANGGOTA}) == "anggota,dinas"
    assert roles_of("anggota,dinas,bukan") == frozenset({Role.ANGGOTA, Role.DINAS})
    assert roles_of(roles_text(AUDIENCE_ROLES)) == frozenset(AUDIENCE_ROLES)


# Who reads a news post


def test_koperasi_news_is_for_that_koperasi_only() -> None:
    post = NewsView(NewsScope.KOPERASI, REGION, K1, published=True)
    assert news_visible(post, _viewer(Role.ANGGOTA, K1))
    assert news_visible(post, _viewer(Role.KASIR, K1))
    assert news_visible(post, _viewer(Role.PENGURUS, K1))
    assert not news_visible(post, _viewer(Role.ANGGOTA, K2))
    assert not news_visible(post, _viewer(Role.DINAS))
    assert not news_visible(post, None)


def test_region_news_is_for_everyone_of_the_region_and_the_public_if_marked() -> None:
    post = NewsView(NewsScope.WILAYAH, REGION, None, published=True)
    for role in Role:
        assert news_visible(post, _viewer(role))
    assert not news_visible(post, _viewer(Role.ANGGOTA, K1, OTHER_REGION))
    assert not news_visible(post, None)
    public = NewsView(NewsScope.WILAYAH, REGION, None, published=True, public=True)
    assert news_visible(public, None)


def test_drafts_are_in_nobodys_feed() -> None:
    draft = NewsView(NewsScope.WILAYAH, REGION, None, published=False, public=True)
    assert not news_visible(draft, None)
    assert not news_visible(draft, _viewer(Role.DINAS))


def test_who_writes_news_where() -> None:
    assert news_author_scope(Role.PENGURUS) is NewsScope.KOPERASI
    assert news_author_scope(Role.DINAS) is NewsScope.WILAYAH
    for role in (Role.KASIR, Role.ANGGOTA):
        with pytest.raises(AppError) as refused:
            news_author_scope(role)
        assert refused.value.status == 403


def test_only_the_dinas_posts_to_the_public() -> None:
    with pytest.raises(ValidationFailed):
        check_news(NewsDraft("Rapat anggota", "Isi", public=True), NewsScope.KOPERASI)
    checked = check_news(NewsDraft("  Rapat   anggota ", " Isi \n"), NewsScope.KOPERASI)
    assert (checked.title, checked.body) == ("Rapat anggota", "Isi")
    with pytest.raises(ValidationFailed):
        check_news(NewsDraft("Rapat", "   "), NewsScope.WILAYAH)


# Trainings


def _draft(**changes: object) -> TrainingDraft:
    values: dict[str, object] = {
        "title": "Pelatihan pembukuan SAK EP",
        "description": "Bawa laptop.",
        "starts_at": NOW + timedelta(days=3),
        "ends_at": NOW + timedelta(days=3, hours=6),
        "registration_deadline": NOW + timedelta(days=2),
        "quota": 30,
        "place": "Aula Dinas",
        "audience": TrainingAudience(frozenset({Role.PENGURUS})),
    }
    values.update(changes)
    return TrainingDraft(**values)  # type: ignore[arg-type]


def test_a_good_training_is_tidied() -> None:
    checked = check_training(_draft(place="  Aula   Dinas "), [K1, K2])
    assert checked.place == "Aula Dinas"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"ends_at": NOW + timedelta(days=3)}, "ends_before_start"),
        ({"ends_at": NOW + timedelta(days=40)}, "training_too_long"),
        ({"registration_deadline": NOW + timedelta(days=4)}, "deadline_after_end"),
        ({"place": "", "online_url": ""}, "place_missing"),
        ({"online_url": "http://zoom.example/j/1"}, "online_url_invalid"),
        ({"quota": 0}, "quota_invalid"),
        ({"starts_at": datetime(2026, 12, 4, 9, 0)}, "time_zone_missing"),
        ({"audience": TrainingAudience(frozenset())}, "audience_roles_missing"),
        (
            {"audience": TrainingAudience(frozenset({Role.PENGURUS}), frozenset({K3}))},
            "audience_koperasi_invalid",
        ),
        (
            {"audience": TrainingAudience(frozenset({Role.DINAS}), frozenset({K1}))},
            "audience_koperasi_invalid",
        ),
        ({"title": "x"}, "title_invalid"),
    ],
)
def test_bad_trainings_are_refused(changes: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_training(_draft(**changes), [K1, K2])
    assert refused.value.code == code


def test_an_online_training_needs_no_place() -> None:
    checked = check_training(_draft(place="", online_url="https://meet.example/abc"), [])
    assert checked.online_url == "https://meet.example/abc"


def test_statuses_move_only_forward_and_finished_ones_stay() -> None:
    start = NOW + timedelta(days=1)
    check_transition(TrainingStatus.DRAF, TrainingStatus.DIBUKA, NOW, start)
    check_transition(TrainingStatus.DITUTUP, TrainingStatus.DIBUKA, NOW, start)
    for current, wanted in [
        (TrainingStatus.DRAF, TrainingStatus.DITUTUP),
        (TrainingStatus.SELESAI, TrainingStatus.DIBUKA),
        (TrainingStatus.BATAL, TrainingStatus.DIBUKA),
        (TrainingStatus.DIBUKA, TrainingStatus.DRAF),
    ]:
        with pytest.raises(Conflict):
            check_transition(current, wanted, NOW, start)
    with pytest.raises(Conflict):  # not started yet
        check_transition(TrainingStatus.DIBUKA, TrainingStatus.SELESAI, NOW, start)
    check_transition(TrainingStatus.DIBUKA, TrainingStatus.SELESAI, start, start)


def _state(status: TrainingStatus = TrainingStatus.DIBUKA) -> TrainingState:
    return TrainingState(
        status=status,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=4),
        registration_deadline=NOW + timedelta(hours=12),
    )


def test_registration_is_open_until_the_deadline() -> None:
    check_registration_open(_state(), NOW)
    check_registration_open(_state(), NOW + timedelta(hours=12))
    with pytest.raises(Conflict):
        check_registration_open(_state(), NOW + timedelta(hours=12, seconds=1))
    for status in (TrainingStatus.DRAF, TrainingStatus.DITUTUP, TrainingStatus.BATAL):
        with pytest.raises(Conflict):
            check_registration_open(_state(status), NOW)


def test_cancelling_until_the_start_and_attendance_from_the_start() -> None:
    start = NOW + timedelta(days=1)
    check_cancellable(_state(TrainingStatus.DITUTUP), start - timedelta(seconds=1))
    with pytest.raises(Conflict):
        check_cancellable(_state(), start)
    with pytest.raises(Conflict):
        check_attendance_open(_state(), start - timedelta(seconds=1))
    check_attendance_open(_state(), start)
    check_attendance_open(_state(TrainingStatus.SELESAI), start + timedelta(days=3))
    with pytest.raises(Conflict):
        check_attendance_open(_state(TrainingStatus.BATAL), start)


def test_the_reminder_is_due_once_in_the_day_before() -> None:
    start = NOW + timedelta(hours=30)
    assert not reminder_due(start, NOW, TrainingStatus.DIBUKA, sent=False)
    assert reminder_due(start, start - timedelta(hours=24), TrainingStatus.DIBUKA, sent=False)
    assert reminder_due(start, start - timedelta(minutes=1), TrainingStatus.DITUTUP, sent=False)
    assert not reminder_due(start, start - timedelta(hours=2), TrainingStatus.DIBUKA, sent=True)
    assert not reminder_due(start, start - timedelta(hours=2), TrainingStatus.BATAL, sent=False)
    assert not reminder_due(start, start, TrainingStatus.DIBUKA, sent=False)


def test_certificate_numbers() -> None:
    assert certificate_number(12, 2026, 5) == "DIKLAT/2026/0012/005"


# Articles


def test_articles_are_tidied_and_their_links_checked() -> None:
    checked = check_article(
        ArticleDraft(
            title="  Dasar   SAK EP ",
            topic=EduTopic.KEUANGAN,
            links=(ExternalLink("", "https://iaiglobal.or.id/sak-ep"),),
        )
    )
    assert checked.title == "Dasar SAK EP"
    assert checked.links == (
        ExternalLink("https://iaiglobal.or.id/sak-ep", "https://iaiglobal.or.id/sak-ep"),
    )
    with pytest.raises(ValidationFailed) as refused:
        check_article(
            ArticleDraft(
                "Judul",
                EduTopic.DASAR,
                links=(ExternalLink("ok", "https://a.id"), ExternalLink("x", "javascript:x")),
            )
        )
    assert refused.value.details[0]["field"] == "links.1.url"


def test_an_empty_article_is_not_published() -> None:
    empty = ArticleDraft("Judul", EduTopic.DASAR)
    with pytest.raises(ValidationFailed):
        may_publish_article(empty, attachments=0)
    may_publish_article(empty, attachments=1)
    may_publish_article(ArticleDraft("Judul", EduTopic.DASAR, body="Isi"), attachments=0)


def test_slugs() -> None:
    assert slugify("Pembukuan SAK EP untuk Koperasi!") == "pembukuan-sak-ep-untuk-koperasi"
    assert slugify("Koperasi Désa — Merah Putih") == "koperasi-desa-merah-putih"
    assert slugify("!!!") == "artikel"
    assert len(slugify("kata " * 50)) <= 80
    assert unique_slug("rat", ["rat", "rat-2"]) == "rat-3"
    assert unique_slug("rat", ["rat-2"]) == "rat"
