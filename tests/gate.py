"""A gate that stops a certificate batch at a chosen point, so a test can kill the worker mid-batch without
racing it.

Polling the count and killing the worker once it passes N is a race: certificates take ~20 ms, and a batch of
a dozen could finish between two polls ("nothing was tested"). The gate instead makes PostgreSQL hold the
worker: a trigger on ``certificates_certificate`` takes an advisory lock before the insert of the batch's
certificate after ``after``; the test holds that lock, sees the worker waiting for it in ``pg_locks``, kills
it, then releases. The dead worker's transaction is rolled back when its server process finds the client gone.
"""

import time
from contextlib import contextmanager

import psycopg

KEY = 0x1C5E_7A7E  # the advisory lock the gate's trigger waits for


class Gate:
    def __init__(self, conn, after):
        self.conn, self.after = conn, after

    def wait_until_held(self, timeout):
        """Returns once a worker is waiting at the gate: ``after`` certificates committed, the next one held."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            waiting = self.conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                (KEY,)).fetchone()[0]
            if waiting:
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for the batch to reach certificate {self.after + 1}")

    def release(self):
        self.conn.execute("SELECT pg_advisory_unlock(%s)", (KEY,))


@contextmanager
def certificate_gate(superuser_url, after):
    """Yields a Gate; inside the block, a batch stops before inserting its ``after + 1``-th certificate."""
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (KEY,))
        conn.execute(f"""
            CREATE OR REPLACE FUNCTION test_certificate_gate() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
            BEGIN
                IF (SELECT count(*) FROM certificates_certificate WHERE batch_id = NEW.batch_id) >= {int(after)} THEN
                    PERFORM pg_advisory_xact_lock({KEY});
                END IF;
                RETURN NEW;
            END $$""")
        conn.execute("CREATE TRIGGER test_certificate_gate BEFORE INSERT ON certificates_certificate "
                     "FOR EACH ROW EXECUTE FUNCTION test_certificate_gate()")
        try:
            yield Gate(conn, after)
        finally:
            conn.execute("SELECT pg_advisory_unlock_all()")
            conn.execute("DROP TRIGGER IF EXISTS test_certificate_gate ON certificates_certificate")
            conn.execute("DROP FUNCTION IF EXISTS test_certificate_gate()")
