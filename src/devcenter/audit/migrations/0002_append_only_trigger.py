"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the audit log (it is append-only).

Row-level BEFORE UPDATE OR DELETE only: TRUNCATE stays possible (test databases are flushed
with it, and it needs the table owner's privilege anyway). Other databases get no trigger;
there the services are the only writers.
"""

from django.db import migrations

FUNCTION = "audit_auditevent_append_only"
TRIGGER = "audit_auditevent_append_only"

STATEMENTS = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent",
    f"""
    CREATE TRIGGER {TRIGGER}
        BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
]
REVERSE = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the `%` of RAISE's format must reach PostgreSQL as written.
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_trigger(apps, schema_editor):
    _run(schema_editor, STATEMENTS)


def drop_trigger(apps, schema_editor):
    _run(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
