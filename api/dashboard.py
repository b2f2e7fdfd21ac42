"""Dashboard panels: where a school's staff and the provincial HRSS find their API tokens (no query)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.dashboard import Panel, panel
from portal.models import Role


def _tokens_panel(user, assignment):
    return Panel(title=_("开放接口"), order=90,
                 empty=_("教务、学籍系统或省级平台可通过开放接口（/api/v1/）对接本平台；令牌在此创建和吊销。"),
                 actions=[(_("接口令牌"), reverse("api:tokens")), (_("接口文档"), "/api/v1/docs")])


panel(Role.UNIVERSITY_STAFF, 90, slot="api_tokens")(_tokens_panel)
panel(Role.PROVINCIAL_HRSS, 90, slot="api_tokens")(_tokens_panel)
