"""Ledger entries for the partner API."""
from flask import Flask

from ledger.db import find_invoice

app = Flask(__name__)


@app.route("/entries/<invoice_id>")
def entries(invoice_id):
    return find_invoice(None, invoice_id)
