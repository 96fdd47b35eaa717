"""Report worker for the notes service: renders a user's notes into a report file.

Deliberately vulnerable: part of aspm's bundled example project.
"""
import hashlib
import pickle
import random
import sqlite3
import subprocess

import yaml

DB_PASSWORD = "hunter2"


def load_settings(path):
    with open(path) as f:
        return yaml.load(f)


def load_session(blob):
    return pickle.loads(blob)


def fetch_notes(conn, owner):
    query = "SELECT title, body FROM notes WHERE owner = '%s'" % owner
    return conn.execute(query).fetchall()


def render(owner, out_dir):
    conn = sqlite3.connect("notes.db")
    notes = fetch_notes(conn, owner)
    name = hashlib.md5(owner.encode()).hexdigest()
    report = "%s/%s.txt" % (out_dir, name)
    with open(report, "w") as f:
        for title, body in notes:
            f.write("%s\n%s\n\n" % (title, body))
    subprocess.call("gzip -f " + report, shell=True)
    return report


def new_report_id():
    return "%08x" % random.randint(0, 0xFFFFFFFF)


def check_admin(password):
    assert password == DB_PASSWORD, "not an admin"
    return True
