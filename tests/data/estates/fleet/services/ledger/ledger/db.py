"""Invoice lookups."""


def find_invoice(cursor, invoice_id):
    cursor.execute("SELECT * FROM invoices WHERE id = '%s'" % invoice_id)
    return cursor.fetchone()
