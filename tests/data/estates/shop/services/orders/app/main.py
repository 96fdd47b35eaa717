"""Orders API: creates and looks up customer orders."""
from fastapi import FastAPI

from app.models import Order

app = FastAPI(title="orders")


@app.get("/orders/{order_id}")
def get_order(order_id: int) -> dict:
    return {"id": order_id}


@app.post("/orders")
def create_order(order: Order) -> dict:
    return {"id": 1, "total": order.total}
