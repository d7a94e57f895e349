from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_second_factor
from .forms import LoginForm, PasswordResetForm
from .throttle import per_address, per_email, throttle

urlpatterns = [
    path("login/", throttle("login", per_address("THROTTLE_LOGIN_PER_ADDRESS"))(
        views.SignInView.as_view(redirect_authenticated_user=True,
                                 authentication_form=LoginForm)), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password/reset/", throttle(
        "password_reset", per_address("THROTTLE_PASSWORD_RESET_PER_ADDRESS"),
        per_email("THROTTLE_PASSWORD_RESET_PER_EMAIL"))(
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)),
        name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", throttle(
        "password_set", per_address("THROTTLE_PASSWORD_SET_PER_ADDRESS"))(
        auth_views.PasswordResetConfirmView.as_view()), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("register/", views.register, name="register"),
    path("two-factor/", views_second_factor.second_factor_settings,
         name="second_factor_settings"),
    path("two-factor/code/", views_second_factor.second_factor_verify,
         name="second_factor_verify"),
    path("two-factor/set-up/", views_second_factor.second_factor_enrol,
         name="second_factor_enrol"),
    path("two-factor/recovery-codes/", views_second_factor.second_factor_recovery_codes,
         name="second_factor_recovery_codes"),
    path("two-factor/remove/", views_second_factor.second_factor_remove,
         name="second_factor_remove"),
    path("email/confirm/<str:token>/", throttle(
        "email_change", per_address("THROTTLE_PASSWORD_SET_PER_ADDRESS"))(
        views.email_change_confirm), name="email_change_confirm"),
    path("officers/<int:pk>/approve/", views.officer_decide, {"decision": "approve"},
         name="officer_approve"),
    path("officers/<int:pk>/reject/", views.officer_decide, {"decision": "reject"},
         name="officer_reject"),
]
