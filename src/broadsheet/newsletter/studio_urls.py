app_name = "newsletter_studio"

urlpatterns: list = []
