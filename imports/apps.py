from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    label = "imports"
    verbose_name = "Imports de fichiers (XLSX) qui alimentent plusieurs applications"
