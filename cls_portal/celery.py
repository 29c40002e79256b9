import os

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.local")

app = Celery("cls_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_shutdown.connect
def release_pdf_fonts(**_kwargs):
    """A prefork child leaves by `os._exit` (no exit handler): it removes its copy of the report fonts first
    (`cls_portal.pdf.release_fonts`)."""
    from cls_portal.pdf import release_fonts

    release_fonts()
