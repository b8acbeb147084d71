"""The delivery log's filters (issue 15): django-filter over the scoped ``delivery_list``."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xuncha.common.filters import FilterSet
from xuncha.notify.models import Channel, Delivery, DeliveryState


class DeliveryFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=DeliveryState.choices, empty_label=_("全部状态"))
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=Channel.choices, empty_label=_("全部渠道"))

    class Meta:
        model = Delivery
        fields: list[str] = []
