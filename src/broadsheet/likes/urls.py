app_name = "likes"

urlpatterns: list = []
