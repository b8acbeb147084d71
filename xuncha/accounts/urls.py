from django.urls import path

from xuncha.accounts.views import auth, org, people, twofactor, users

app_name = "accounts"

urlpatterns = [
    # the password step; users with an authenticator continue at login/code/
    path("login/", twofactor.TwoFactorLoginView.as_view(), name="login"),
    path("login/code/", twofactor.verify, name="twofactor_verify"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.password_change, name="password_change"),
    # two-factor sign-in (TOTP): one's own authenticator, fresh codes, the office's rules
    path("2fa/", twofactor.setup, name="twofactor_setup"),
    path("2fa/confirm/", twofactor.confirm, name="twofactor_confirm"),
    path("2fa/recovery/", twofactor.recovery, name="twofactor_recovery"),
    path("2fa/disable/", twofactor.disable, name="twofactor_disable"),
    path("2fa/rules/", twofactor.rules, name="twofactor_rules"),
    # organisation tree
    path("org/", org.unit_tree, name="unit_tree"),
    path("org/<int:pk>/", org.unit_detail, name="unit_detail"),
    path("org/<int:pk>/children/", org.unit_children, name="unit_children"),
    path("org/<int:parent_pk>/new/", org.unit_create, name="unit_create"),
    path("org/<int:pk>/edit/", org.unit_edit, name="unit_edit"),
    path("org/<int:pk>/move/", org.unit_move, name="unit_move"),
    path("org/<int:pk>/active/", org.unit_set_active, name="unit_set_active"),
    # people
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/posts/new/", people.post_add, name="post_add"),
    path("people/<int:pk>/posts/<int:post_pk>/end/", people.post_end, name="post_end"),
    path("people/<int:pk>/relations/new/", people.relation_add, name="relation_add"),
    path("people/<int:pk>/relations/<int:rel_pk>/remove/", people.relation_remove, name="relation_remove"),
    # users and role assignments
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", users.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", users.user_password, name="user_password"),
    path("users/<int:pk>/2fa/reset/", twofactor.reset, name="twofactor_reset"),
    path("users/<int:pk>/roles/new/", users.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", users.role_revoke, name="role_revoke"),
]
