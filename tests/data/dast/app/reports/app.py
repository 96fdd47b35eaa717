"""Reporting service (Flask)."""
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/reports/<int:report_id>")
def show_report(report_id):
    return {"id": report_id}


@app.route("/reports", methods=["POST"])
def create_report():
    title = request.form["title"]
    db = sqlite3.connect("reports.db")
    db.execute("INSERT INTO reports (title) VALUES ('%s')" % title)
    db.commit()
    return {"ok": True}, 201
