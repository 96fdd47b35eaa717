"""Sends order confirmation mails from the queue."""
from celery import Celery

queue = Celery("mailer", broker="redis://redis:6379/0")


@queue.task
def send_confirmation(order_id: int) -> None:
    print(f"confirmation for {order_id}")
