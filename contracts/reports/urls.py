app_name = "reports"

# Routes are added back as their pages, templates and permission cases land.
urlpatterns: list = []
