"""Invoices for customers, served to the web shop."""
from fastapi import FastAPI

from app.db import find_invoice

app = FastAPI()


@app.get("/invoices/{invoice_id}")
def invoice(invoice_id: str):
    return find_invoice(None, invoice_id)
