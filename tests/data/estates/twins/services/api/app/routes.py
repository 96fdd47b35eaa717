"""HTTP routes of the accounts API."""
from flask import Flask

from app.db import find_account

app = Flask(__name__)


@app.route("/accounts/<account_id>")
def account(account_id):
    return {"id": account_id, "found": find_account(None, account_id) is not None}
