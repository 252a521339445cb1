"""The peewee models: the ledger's tables.

The models are bound to `db`, a proxy that start-up binds to a real database (SQLite today;
a shared PostgreSQL server later), so tests, the CLI and the GUI each choose their file.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this file has been migrated to."""

    version = IntegerField()


class Setting(BaseModel):
    """School name, the policy in force (the database's own copy, JSON), backup folder…"""

    key = CharField(primary_key=True)
    value = TextField()


class Unit(BaseModel):
    """部门 / 学院."""

    id = AutoField()
    name = CharField(unique=True)
    kind = CharField(default="")  # 校领导 / 教学院 / 职能部门 / 学生工作部门 …


class Cadre(BaseModel):
    """领导干部: a person whose contact work is tracked."""

    id = AutoField()
    name = CharField(unique=True)
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL", backref="cadres")
    position = CharField(default="")
    tier = CharField()  # leader / middle_head / middle_deputy
    tags = TextField(default="")  # 角色标签, joined with 、
    signature = BlobField(null=True)  # scanned signature image (PNG)
    active = BooleanField(default=True)
    sort_order = IntegerField(default=0)

    @property
    def tag_set(self) -> frozenset[str]:
        return frozenset(t for t in self.tags.split("、") if t)


class Target(BaseModel):
    """联系对象: a class, dorm, branch, young teacher, student in difficulty, college…"""

    id = AutoField()
    name = CharField()
    kind = CharField()
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL", backref="targets")
    note = TextField(default="")

    class Meta:
        indexes = ((("name", "kind"), True),)


class Assignment(BaseModel):
    """联系安排: a cadre's target for one academic year (e.g. 名誉班主任 of a class)."""

    id = AutoField()
    cadre = ForeignKeyField(Cadre, on_delete="CASCADE", backref="assignments")
    target = ForeignKeyField(Target, on_delete="CASCADE", backref="assignments")
    year = CharField()  # 2025-2026
    role = CharField(default="")
    filed_on = DateField(null=True)  # when the arrangement was filed (报备)

    class Meta:
        indexes = ((("cadre", "target", "year"), True), (("year",), False))


class Activity(BaseModel):
    """联系活动: one contact event, as written on a cadre's monthly sheet."""

    id = AutoField()
    cadre = ForeignKeyField(Cadre, on_delete="CASCADE", backref="activities")
    date = DateField()
    category = CharField()
    target = ForeignKeyField(Target, null=True, on_delete="SET NULL", backref="activities")
    carrier = CharField(default="")  # free carrier name when there is no roster target
    summary = TextField(default="")
    people = IntegerField(null=True)  # 人次
    days = FloatField(null=True)  # days on site
    face_to_face = BooleanField(default=False)
    problems = TextField(default="")  # 发现问题
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # The values of a form's own columns (地点 …) by key, as canonical JSON (fields.py); NULL when
    # there are none. Added by the v8 migration (a nullable column: no table rebuild).
    extra = TextField(null=True)

    class Meta:
        indexes = ((("cadre", "date"), False), (("date",), False))


class Sheet(BaseModel):
    """工作记录表: one cadre's record form for one month; draft → signed."""

    id = AutoField()
    cadre = ForeignKeyField(Cadre, on_delete="CASCADE", backref="sheets")
    month = CharField()  # 2025-10
    form = CharField()
    status = CharField(default="draft")  # draft / signed
    fields = TextField(default="{}")  # the form's own values (特长, 工作内容…), JSON
    submitted_on = DateField(null=True)  # paper sheet received by the office
    signed_at = DateTimeField(null=True)
    content_hash = CharField(default="")
    signed_pdf = BlobField(null=True)
    revision = IntegerField(default=0)

    class Meta:
        indexes = ((("cadre", "month"), True), (("month",), False))


class Problem(BaseModel):
    """问题清单: an issue raised during an activity, routed to a unit, followed to closure."""

    id = AutoField()
    activity = ForeignKeyField(Activity, null=True, on_delete="SET NULL", backref="problem_items")
    cadre = ForeignKeyField(Cadre, null=True, on_delete="SET NULL", backref="problem_items")
    description = TextField()
    raised_by = CharField(default="")
    raised_on = DateField()
    category = CharField(default="")
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL", backref="problems")
    urgency = CharField(default="一般")
    status = CharField(default="待分办")
    due_on = DateField(null=True)
    resolution = TextField(default="")
    updated_at = DateTimeField()
    reported_up = BooleanField(default=False)  # 上报学校党委 (v4)


class TermRecord(BaseModel):
    """学期: dates and holidays; the calendar weekly and monthly rules count in."""

    id = CharField(primary_key=True)  # 2025-2026-1
    start = DateField()
    end = DateField()
    holidays = TextField(default="[]")  # [["2025-10-01", "2025-10-08"], …]

    class Meta:
        table_name = "term"


class ChangeLog(BaseModel):
    """Append-only record of every write, each entry chained to the previous by a hash.

    Compact since schema version 6 (changelog.py says how): values as arrays in the order of a
    layout (change_log_layout), the hash as 32 bytes, the time as microseconds."""

    id = AutoField()
    at = BigIntegerField()  # microseconds since 1970-01-01 00:00, local time
    actor = CharField()
    action = CharField()  # insert / update / delete / bulk / adopt
    table = CharField(column_name="table_name")
    row_id = CharField(default="")
    layout = IntegerField(null=True)  # change_log_layout.id: the names of before's and after's values
    before = TextField(null=True)
    after = TextField(null=True)
    hash = BlobField()  # SHA-256 of the previous entry's hash and this entry
    legacy = BlobField(null=True)  # entries re-encoded by v6: the first 6 bytes of their v5 hash
    # The server login that wrote the entry (session_user; v9), hashed with it; NULL on a file,
    # where the operating-system user in `actor` is all there is.
    login = CharField(null=True)


class LogLayout(BaseModel):
    """The column names a change-log entry's value arrays follow, stored once (schema v6)."""

    id = AutoField()
    columns = TextField(unique=True)  # JSON array of names, sorted

    class Meta:
        table_name = "change_log_layout"


#: The tables of schema version 1 but the change log, which v1 created in its first form
#: (changelog_v5.create_table) and v6 re-encodes into ChangeLog and LogLayout.
class LogPack(BaseModel):
    """The values of a block of change-log entries, compressed (logpack.py; schema v6)."""

    id = AutoField()
    first_entry = IntegerField()
    last_entry = IntegerField()
    data = BlobField()

    class Meta:
        table_name = "change_log_pack"


ALL_MODELS: list[type[BaseModel]] = [
    SchemaVersion, Setting, Unit, Cadre, Target, Assignment, Activity, Sheet, Problem,
    TermRecord,
]


class Filing(BaseModel):
    """报送: a term summary (学期工作总结) or a year's arrangement filed with the office on a date.

    Filed by one cadre, or by a unit for all its cadres (cadre null). Created by the v2
    migration, so it is not in ALL_MODELS (that list is the v1 schema).
    """

    id = AutoField()
    cadre = ForeignKeyField(Cadre, null=True, on_delete="CASCADE", backref="filings")
    unit = ForeignKeyField(Unit, null=True, on_delete="CASCADE", backref="filings")
    kind = CharField()  # term_summary / arrangement
    period = CharField()  # 2025-2026-1 (a term) or 2025-2026 (an academic year)
    filed_on = DateField()
    note = TextField(default="")

    class Meta:
        indexes = ((("period", "kind"), False),)


class SheetRevision(BaseModel):
    """修订: a signed sheet reopened for changes. The voided signature's PDF and hash are kept
    here, with who reopened it, when and why; the sheet itself goes back to draft.

    Created by the v3 migration, so it is not in ALL_MODELS (that list is the v1 schema).
    """

    id = AutoField()
    sheet = ForeignKeyField(Sheet, on_delete="CASCADE", backref="revisions")
    revision = IntegerField()  # the sheet's revision number this reopening started
    reason = TextField()
    actor = CharField()
    at = DateTimeField()
    voided_signed_at = DateTimeField(null=True)
    voided_hash = CharField(default="")
    voided_pdf = BlobField(null=True)


class ProblemEvent(BaseModel):
    """One step in a problem's life (待分办 → 已转办 → 已办结/已解释 → 已反馈, or reopened), dated
    and kept: the problem list's history. Created by the v4 migration."""

    id = AutoField()
    problem = ForeignKeyField(Problem, on_delete="CASCADE", backref="events")
    on = DateField()  # the day it happened (as the clerk records it)
    status = CharField()  # the status the step led to
    unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    due_on = DateField(null=True)
    note = TextField(default="")
    actor = CharField(default="")
    at = DateTimeField()  # when it was entered


class Anchor(BaseModel):
    """台账校验码: the change log's head (entry number and hash) as printed on a report or a signed
    sheet, kept so every backup holds what went onto paper. Created by the v5 migration."""

    id = AutoField()
    entries = IntegerField()  # the head entry's number (= entries in the chain)
    hash = CharField()  # its full hash
    printed_at = DateTimeField()
    what = TextField(default="")  # 月度报告 2025-10, 签字封存 陈书记 2025年10月 …


class FormRecord(BaseModel):
    """记录表格式: a school's own record form, its file's text kept as imported, so the form travels
    with the ledger (backups, another PC) and outlives the program folder an upgrade replaces.
    Looked up before the shipped templates of the same id. Created by the v7 migration."""

    id = CharField(primary_key=True)  # the form's id, as policies name it
    title = CharField()
    text = TextField()  # the TOML file's text, validated on import (forms.load_form_text)
    imported_at = DateTimeField()  # first imported
    updated_at = DateTimeField()  # last replaced

    class Meta:
        table_name = "form"


class ClerkRecord(BaseModel):
    """经办人: one clerk of a server ledger, a PostgreSQL login of the office or of a college
    (store/rights.py). Created by the v9 migration; a file has none."""

    login = CharField(primary_key=True)  # the PostgreSQL role's name
    name = CharField()  # as the office entered it: the change log's actor
    office = BooleanField(default=False)
    added_at = DateTimeField()

    class Meta:
        table_name = "clerk"


class ClerkUnit(BaseModel):
    """A college clerk's unit: the rows of its cadres are the rows this clerk sees (v9)."""

    id = AutoField()
    login = CharField()  # clerk.login
    unit = ForeignKeyField(Unit, on_delete="CASCADE")

    class Meta:
        table_name = "clerk_unit"
        indexes = ((("login", "unit"), True),)


#: Every table of the current schema, in the order they can be created: what the migrations make
#: of an empty SQLite file, and what a new server ledger is created with directly.
CURRENT_MODELS: list[type[BaseModel]] = [
    *ALL_MODELS, ChangeLog, LogLayout, LogPack, Filing, SheetRevision, ProblemEvent, Anchor, FormRecord,
    ClerkRecord, ClerkUnit]
