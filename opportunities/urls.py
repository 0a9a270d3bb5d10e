"""URLs of the board."""

from django.urls import path

from .views import board

urlpatterns = [
    path("", board.home, name="home"),
    path("jobs/<int:pk>-<slug:slug>/", board.role_detail, name="role_detail"),
    path("companies/<slug:slug>/", board.company_detail, name="company_detail"),
]
