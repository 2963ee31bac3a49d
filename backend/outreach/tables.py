"""Piccolo tables of the outreach context (decision 0017).

Education articles and training events belong to a region (a Dinas writes them for its
region and, for articles, the public): they carry `region_id`, not `koperasi_id`. News
posts carry both (a koperasi's post has its koperasi; a region's post has none);
registrations carry the koperasi of the role the person registered with (none for a Dinas
officer). Unique keys and indexes are made in the `*_keys` migration (decision 0002)."""

from piccolo.columns import (
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.accounts.tables import UserAccount
from backend.tenancy.tables import Koperasi, Region


class EduArticle(Table, tablename="edu_article"):
    """Education material of a region's Dinas. `slug` is unique (the public address
    `/edukasi/{slug}` names no region). `links` is a JSON list of {title, url}."""

    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    slug = Varchar(length=80)
    topic = Varchar(length=20)
    title = Varchar(length=200)
    summary = Varchar(length=500, default="")
    body = Text(default="")
    links = Text(default="[]")
    status = Varchar(length=10, default="draf")
    published_at = Timestamptz(null=True, default=None)
    # Announced once, the first time it is published.
    announced_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class EduAttachment(Table, tablename="edu_attachment"):
    """A PDF of an article, checked by its own bytes and kept in the database (so in every
    backup). Never changed: a new file is a new row (the service worker may keep a copy)."""

    id = Serial(primary_key=True)
    article = ForeignKey(
        EduArticle, db_column_name="article_id", null=False, on_delete=OnDelete.restrict
    )
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    filename = Varchar(length=150)
    content_type = Varchar(length=50)
    size = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())


class NewsPost(Table, tablename="news_post"):
    """A news post: `wilayah` (by the Dinas, `koperasi_id` null) or `koperasi` (by its
    pengurus). `published_at` null: a draft."""

    id = Serial(primary_key=True)
    scope = Varchar(length=10)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    title = Varchar(length=200)
    body = Text(default="")
    public = Boolean(default=False)
    author = ForeignKey(
        UserAccount, db_column_name="author_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)


class TrainingEvent(Table, tablename="training_event"):
    """A training (diklat) of a region's Dinas. Times are instants (shown on the region's
    clock). `audience_roles`: comma-separated roles; the koperasi it is limited to, if any,
    are rows of `training_audience`."""

    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    title = Varchar(length=200)
    description = Text(default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    registration_deadline = Timestamptz()
    place = Varchar(length=300, default="")
    online_url = Varchar(length=500, default="")
    quota = Integer()
    audience_roles = Varchar(length=60)
    public = Boolean(default=False)
    status = Varchar(length=10, default="draf")
    announced_at = Timestamptz(null=True, default=None)
    reminder_sent_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class TrainingAudienceKoperasi(Table, tablename="training_audience"):
    """One koperasi a training is limited to (`(event_id, koperasi_id)` unique)."""

    id = Serial(primary_key=True)
    event = ForeignKey(
        TrainingEvent, db_column_name="event_id", null=False, on_delete=OnDelete.restrict
    )
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=False, on_delete=OnDelete.restrict
    )


class TrainingRegistration(Table, tablename="training_registration"):
    """A person's registration: a seat (`terdaftar`), the waiting list (`menunggu`, in
    `id` order) or cancelled (`batal`). One live registration per person and training (a
    partial unique index); registering again after cancelling is a new row at the end of
    the queue. `name` is the person's name when they registered (for the list and the
    certificates)."""

    id = Serial(primary_key=True)
    event = ForeignKey(
        TrainingEvent, db_column_name="event_id", null=False, on_delete=OnDelete.restrict
    )
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    user = ForeignKey(
        UserAccount, db_column_name="user_id", null=False, on_delete=OnDelete.restrict
    )
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    role = Varchar(length=12)
    name = Varchar(length=200)
    status = Varchar(length=10)
    promoted_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    cancelled_by = ForeignKey(
        UserAccount, db_column_name="cancelled_by_id", null=True, on_delete=OnDelete.restrict
    )
    attendance = Varchar(length=12, null=True, default=None)
    attendance_by = ForeignKey(
        UserAccount, db_column_name="attendance_by_id", null=True, on_delete=OnDelete.restrict
    )
    attendance_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
