import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.local")

app = Celery("cls_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
