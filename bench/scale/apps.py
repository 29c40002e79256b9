from django.apps import AppConfig


class BenchScaleConfig(AppConfig):
    """Bench-only commands (`seed_scale`): installed by `cls_portal.settings.bench` alone, never in production."""

    name = "bench.scale"
    label = "bench_scale"
    verbose_name = "Bancs d'essai"
