"""Order payloads."""
from pydantic import BaseModel


class Order(BaseModel):
    customer_id: int
    total: float
    card_number: str
    billing_address: str
