import pytest
from django.core import mail

from portolan.notifications import delivery, kinds
from portolan.notifications.models import Delivery, MessageStatus, Preference
from portolan.notifications.tokens import make_token
from portolan.testing.factories import MessageFactory, PreferenceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(email):
    header = email.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://") and header.endswith(">")
    return header[1:-1].removeprefix("http://127.0.0.1:8000")


def test_each_email_carries_one_click_unsubscribe_headers_and_link():
    message = MessageFactory(language="fr")
    email = delivery.render_email(message)
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _url(email)
    assert url.startswith("/fr/notifications/unsubscribe/")
    assert url in email.body
    assert url in email.alternatives[0][0]
    # The headers reach the wire.
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in email.message().as_string()


def test_transactional_kinds_carry_no_unsubscribe(monkeypatch):
    kind = kinds.Kind(
        key="tests_receipt", label="Receipt", subject="Receipt", lead="Thanks", transactional=True
    )
    monkeypatch.setitem(kinds._KINDS, kind.key, kind)
    email = delivery.render_email(MessageFactory(kind=kind.key))
    assert "List-Unsubscribe" not in email.extra_headers


def test_one_click_post_turns_off_only_that_kind_without_signing_in(client):
    user = UserFactory()
    PreferenceFactory(user=user, kind=kinds.RECORD_REJECTED, delivery=Delivery.EMAIL)
    url = _url(delivery.render_email(MessageFactory(recipient=user)))
    # A link checker's GET changes nothing.
    page = client.get(url)
    assert page.status_code == 200
    assert not Preference.objects.filter(user=user, kind=kinds.RECORD_APPROVED).exists()
    # The mail client's RFC 8058 POST: no cookie, no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=user, kind=kinds.RECORD_APPROVED).delivery == Delivery.SITE
    assert Preference.objects.get(user=user, kind=kinds.RECORD_REJECTED).delivery == Delivery.EMAIL
    assert Preference.objects.count() == 2
    # Later messages of that kind are not e-mailed; other kinds still are.
    mail.outbox.clear()
    approved = MessageFactory(recipient=user)
    rejected = MessageFactory(recipient=user, kind=kinds.RECORD_REJECTED)
    assert delivery.deliver(message_id=approved.pk) == MessageStatus.SKIPPED
    assert delivery.deliver(message_id=rejected.pk) == MessageStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_answers_400_and_changes_nothing(client, method):
    user = UserFactory()
    other = UserFactory()
    token = make_token(user_id=user.pk, kind=kinds.RECORD_APPROVED)
    # Another person's payload under this token's signature.
    payload, signature = token.split(":")
    other_payload = make_token(user_id=other.pk, kind=kinds.RECORD_APPROVED).split(":")[0]
    forged = f"{other_payload}:{signature}"
    assert forged != token
    tampered = [
        token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"),
        forged,
        "not-a-token",
        make_token(user_id=user.pk, kind="no_such_kind"),
        make_token(user_id=10**9, kind=kinds.RECORD_APPROVED),
    ]
    for bad in tampered:
        response = getattr(client, method)(f"/en/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert "This link does not work" in response.content.decode()
    assert Preference.objects.count() == 0
