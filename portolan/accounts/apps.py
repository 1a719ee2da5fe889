from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portolan.accounts"
    label = "accounts"
