"""django-axes through the real admin login form: failures lock out a username from an address."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


@pytest.fixture
def officer():
    return get_user_model().objects.create_user(
        "officer", "officer@bank.example", PASSWORD, is_staff=True
    )


def log_in(client, username, password, address):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, times, username="officer", address=ATTACKER):
    for _ in range(times):
        response = log_in(client, username, "wrong password", address)
        assert not logged_in(client)
    return response


def test_failed_logins_lock_the_account_out_even_with_the_right_password(client, officer):
    fail(client, settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "officer", PASSWORD, ATTACKER)

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE == 429
    assert not logged_in(client)


def test_fewer_failures_than_the_limit_do_not_lock_out(client, officer):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    response = log_in(client, "officer", PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert logged_in(client)


def test_the_lockout_is_per_username_and_address(client, officer):
    get_user_model().objects.create_user("colleague", password=PASSWORD, is_staff=True)
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "officer", PASSWORD, ATTACKER).status_code == 429

    # The same officer from the office's address is not locked out...
    response = log_in(client, "officer", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert logged_in(client)
    client.logout()
    # ...nor is another user from the attacker's address.
    response = log_in(client, "colleague", PASSWORD, ATTACKER)
    assert response.status_code == 302
    assert logged_in(client)


def test_an_operator_unlocks_the_account(client, officer):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "officer", PASSWORD, ATTACKER).status_code == 429

    call_command("axes_reset_username", "officer", verbosity=0)

    assert log_in(client, "officer", PASSWORD, ATTACKER).status_code == 302
    assert logged_in(client)
