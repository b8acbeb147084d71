from django.contrib import admin

from xuncha.common.admin import ReadOnlyAdmin
from xuncha.plans.models import (
    Announcement,
    ExpertiseTag,
    PoolEntry,
    RecusalDeclaration,
    RecusalOverride,
    Round,
    RoundEvent,
    RoundTarget,
    Team,
    TeamMember,
    TermPlan,
    TrainingRecord,
)

for model in (
    Announcement,
    ExpertiseTag,
    PoolEntry,
    RecusalDeclaration,
    RecusalOverride,
    RoundEvent,
    RoundTarget,
    Team,
    TeamMember,
    TermPlan,
    TrainingRecord,
):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "jurisdiction", "year", "number", "state")
    list_filter = ("state", "year")
