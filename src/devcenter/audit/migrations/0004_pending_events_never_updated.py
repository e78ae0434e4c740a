"""On PostgreSQL, a pending audit event is never updated either (only inserted, then moved).

`audit_record` inserts it and `audit_link_pending` deletes it while appending it, linked, to
the audit log, whose own trigger (0002) still refuses every UPDATE and DELETE. This attaches
the same refusing function to UPDATE on the pending table. Other databases get no trigger.
"""

from django.db import migrations

FUNCTION = "audit_auditevent_append_only"  # from 0002: raises for whatever it is attached to
TRIGGER = "audit_pendingauditevent_never_updated"

STATEMENTS = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_pendingauditevent",
    f"""
    CREATE TRIGGER {TRIGGER}
        BEFORE UPDATE ON audit_pendingauditevent
        FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
]
REVERSE = [f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_pendingauditevent"]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_trigger(apps, schema_editor):
    _run(schema_editor, STATEMENTS)


def drop_trigger(apps, schema_editor):
    _run(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_pending_events_and_targets")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
