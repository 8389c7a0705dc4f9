from django.urls import path

from broadsheet.likes import views

app_name = "likes"

urlpatterns = [
    path("post/<int:pk>/", views.like_post, name="post"),
    path("comment/<int:pk>/", views.like_comment, name="comment"),
]
