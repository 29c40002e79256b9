from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "contracts.reports"
    label = "reports"
    verbose_name = "Rapports annuels"
