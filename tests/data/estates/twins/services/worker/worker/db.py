"""Account lookups for the nightly reconciliation job."""


def find_account(cursor, account_id):
    cursor.execute("SELECT * FROM accounts WHERE id = '%s'" % account_id)
    return cursor.fetchone()
