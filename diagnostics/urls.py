app_name = "diagnostics"

# Routes are added back as their pages, templates and permission cases land.
urlpatterns: list = []
