"""The public page of approved rectification disclosures (/gongkai/), also served by a public-only
instance (config/urls_public.py): no login, no namespace of the staff site."""

from django.urls import path

from xuncha.rectification.views.reports import disclosure_public

urlpatterns = [path("", disclosure_public, name="disclosure_public")]
