"""Piccolo tables of the accounts context.

People are not tenant rows: one person may hold roles in several koperasi. What ties them
to a tenant is a `RoleGrant` (and an `Invitation` before it), which carries `koperasi_id`
(null only for Dinas officers, whose scope is their region)."""

from piccolo.columns import (
    BigInt,
    ForeignKey,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from backend.members.tables import Member
from backend.tenancy.tables import Koperasi, Region


class UserAccount(Table, tablename="user_account"):
    """A person. Signs in only with passkeys; has no password and no user name."""

    id = Serial(primary_key=True)
    display_name = Varchar(length=200)
    # The WebAuthn user handle (random, base64url): never the database id.
    user_handle = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Passkey(Table, tablename="passkey"):
    id = Serial(primary_key=True)
    user = ForeignKey(
        UserAccount, db_column_name="user_id", null=False, on_delete=OnDelete.restrict
    )
    credential_id = Varchar(length=1400, unique=True)  # base64url, up to 1023 bytes raw
    public_key = Text()  # base64url COSE key
    sign_count = BigInt(default=0)
    transports = Varchar(length=200, default="")
    device_name = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class RoleGrant(Table, tablename="role_grant"):
    """A role a person holds: `dinas` in a region, or pengurus/kasir/anggota in one koperasi
    (anggota tied to the member record whose data they see)."""

    id = Serial(primary_key=True)
    user = ForeignKey(
        UserAccount, db_column_name="user_id", null=False, on_delete=OnDelete.restrict
    )
    role = Varchar(length=12)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    member = ForeignKey(Member, db_column_name="member_id", null=True, on_delete=OnDelete.restrict)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    revoked_at = Timestamptz(null=True, default=None)


class Invitation(Table, tablename="invitation"):
    """A one-time, expiring link to join with a role. Only the token's hash is stored."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    role = Varchar(length=12)
    region = ForeignKey(Region, db_column_name="region_id", null=False, on_delete=OnDelete.restrict)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    member = ForeignKey(Member, db_column_name="member_id", null=True, on_delete=OnDelete.restrict)
    invitee_name = Varchar(length=200)
    # For a lost phone: the invitation adds a passkey to this existing person.
    for_user = ForeignKey(
        UserAccount, db_column_name="for_user_id", null=True, on_delete=OnDelete.restrict
    )
    created_by = ForeignKey(
        UserAccount, db_column_name="created_by_id", null=True, on_delete=OnDelete.restrict
    )
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    used_by = ForeignKey(
        UserAccount, db_column_name="used_by_id", null=True, on_delete=OnDelete.restrict
    )


class AuthSession(Table, tablename="auth_session"):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(
        UserAccount, db_column_name="user_id", null=False, on_delete=OnDelete.restrict
    )
    active_grant = ForeignKey(
        RoleGrant, db_column_name="active_grant_id", null=True, on_delete=OnDelete.restrict
    )
    # The passkey that opened the session: revoking it ends the session too (a lost phone).
    passkey = ForeignKey(
        Passkey, db_column_name="passkey_id", null=True, on_delete=OnDelete.restrict
    )
    csrf_token = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    user_agent = Varchar(length=300, default="")


class WebAuthnChallenge(Table, tablename="webauthn_challenge"):
    """A pending passkey ceremony: its challenge, what it is for, single use."""

    id = Serial(primary_key=True)
    flow_id = Varchar(length=64, unique=True)
    purpose = Varchar(length=16)
    challenge = Varchar(length=200)
    invitation = ForeignKey(
        Invitation, db_column_name="invitation_id", null=True, on_delete=OnDelete.restrict
    )
    user = ForeignKey(UserAccount, db_column_name="user_id", null=True, on_delete=OnDelete.restrict)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class AuditEvent(Table, tablename="audit_event"):
    """Who did what, when: sign-ins (also failed), invitations, role and passkey changes.
    Pengurus read their koperasi's events, Dinas officers their region's."""

    id = Serial(primary_key=True)
    region = ForeignKey(Region, db_column_name="region_id", null=True, on_delete=OnDelete.restrict)
    koperasi = ForeignKey(
        Koperasi, db_column_name="koperasi_id", null=True, on_delete=OnDelete.restrict
    )
    actor = ForeignKey(
        UserAccount, db_column_name="actor_id", null=True, on_delete=OnDelete.restrict
    )
    action = Varchar(length=40)
    detail = Text(default="")
    ip = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
