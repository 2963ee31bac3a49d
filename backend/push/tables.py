"""Piccolo tables of the push context.

Subscriptions and preferences belong to a person (`user_account`), not to a koperasi:
people are not tenant rows (one person may hold roles in several koperasi), and a
browser's push endpoint is one device's, whoever is signed in on it. Their unique keys are
therefore `endpoint` and `(user_id, topic)` (unique indexes made in the `*_keys`
migration, decision 0002). A notification records the koperasi or region it was sent for.
"""

from piccolo.columns import (
    Boolean,
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


class VapidKey(Table, tablename="push_vapid_key"):
    """The server's VAPID key pair, made on first use and kept (in the database, so in
    every backup): subscriptions are bound to its public key. `name` is unique."""

    id = Serial(primary_key=True)
    name = Varchar(length=20, default="default")
    private_key = Text()  # base64url of the 32-byte P-256 private value
    public_key = Varchar(length=100)  # base64url of the uncompressed point (65 bytes)
    created_at = Timestamptz(default=TimestamptzNow())


class PushSubscription(Table, tablename="push_subscription"):
    """One browser on one device that receives a person's notifications. `endpoint` is
    unique: a shared phone's browser belongs to whoever subscribed on it last."""

    id = Serial(primary_key=True)
    user = ForeignKey(
        UserAccount, db_column_name="user_id", null=False, on_delete=OnDelete.restrict
    )
    endpoint = Varchar(length=1000)
    p256dh = Varchar(length=100)
    auth = Varchar(length=40)
    device_label = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_success_at = Timestamptz(null=True, default=None)
    last_failure_at = Timestamptz(null=True, default=None)


class PushPreference(Table, tablename="push_preference"):
    """A person's choice for one topic; no row means on. `(user_id, topic)` is unique."""

    id = Serial(primary_key=True)
    user = ForeignKey(
        UserAccount, db_column_name="user_id", null=False, on_delete=OnDelete.restrict
    )
    topic = Varchar(length=20)
    enabled = Boolean(default=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class PushNotification(Table, tablename="push_notification"):
    """What was sent, to whom (the audience, as resolved into deliveries), and until when
    it is worth delivering (`created_at` + `ttl_seconds`, or the server's push TTL)."""

    id = Serial(primary_key=True)
    topic = Varchar(length=20)
    title = Varchar(length=200)
    body = Text(default="")
    url = Varchar(length=500, default="/")
    audience = Varchar(length=300, default="")
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    region = ForeignKey(Region, db_column_name="region_id", null=True, on_delete=OnDelete.restrict)
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    ttl_seconds = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PushDelivery(Table, tablename="push_delivery"):
    """The outbox: one notification to one subscription. A sender claims due rows
    (`pending` and due, or `sending` whose claim ran out), sends, and marks them; a removed
    subscription leaves its deliveries `gone` (the reference becomes null)."""

    id = Serial(primary_key=True)
    notification = ForeignKey(
        PushNotification,
        db_column_name="notification_id",
        null=False,
        on_delete=OnDelete.restrict,
    )
    subscription = ForeignKey(
        PushSubscription,
        db_column_name="subscription_id",
        null=True,
        on_delete=OnDelete.set_null,
    )
    status = Varchar(length=10, default="pending")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_until = Timestamptz(null=True, default=None)
    claim = Varchar(length=40, default="")
    last_status = Integer(null=True, default=None)
    last_error = Varchar(length=300, default="")
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
