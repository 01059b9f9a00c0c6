"""Steps the browser tests share: logging in, the keyboard, waiting on a worker, and a
notice of default drafted by one officer for another to approve."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from holders.models import Holder
from tests.factories import make_party
from tests.holders.helpers import imported
from tests.notices.helpers import register
from trustee import workflows as flows
from trustee.models import AgreementParty, OfficerAssignment, Party

PASSWORD = "correct horse battery staple"  # tests.factories.make_officer's
HOLDERS, WITH_EMAIL = 20, 5


def log_in(page, username, screens, password=PASSWORD):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    screens.take("login")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def press_tab_to(page, name, *, limit=250):
    """Move the focus with the Tab key only, as an officer without a mouse would, until the
    focused element's text, value or label contains `name` (in any case: the admin's buttons
    are styled in capitals); fails if it is never reached."""
    for _ in range(limit):
        focused = page.evaluate(
            r"""() => {
                const e = document.activeElement;
                if (!e || e === document.body) return "";
                const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
                const parts = [e.textContent, e.value, e.getAttribute("aria-label"), label];
                return parts.join(" ").replace(/\s+/g, " ");
            }"""
        )
        if name.casefold() in focused.casefold():
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"“{name}” is not reachable with the Tab key ({limit} presses)")


def reload_until(page, text, *, seconds=60):
    """A page that does not refresh itself: reloaded, as an officer would, until `text` shows
    (a worker's progress, its result)."""
    body = page.locator("body")
    for _ in range(int(seconds / 0.5)):
        if text in body.inner_text():
            return
        page.wait_for_timeout(500)
        page.reload()
    expect(body).to_contain_text(text)


def drafted_default(security, *, maker, checker):
    """A payment default on the security's agreement, its notice drafted by `maker`; the
    `checker` is the agreement's primary officer, so it is on the checker's desk."""
    holder_list, outcome = imported(security, register(HOLDERS))
    assert outcome.status == "imported", outcome
    for holder in Holder.objects.filter(holder_list=holder_list).order_by("row_number")[
        :WITH_EMAIL
    ]:
        holder.email = holder.name.lower().replace(" ", "") + "@holders.example"
        holder.save(update_fields=["email"])
    # The letters are headed with the trustee's name and address.
    bank = make_party(
        name="Wilmington Trust Company",
        kind=Party.Kind.TRUSTEE_BANK,
        address_lines="Rodney Square North\n1100 North Market Street",
        city="Wilmington",
        state="DE",
        postal_code="19890",
    )
    AgreementParty.objects.create(agreement=security.agreement, party=bank, role="trustee")
    OfficerAssignment.objects.create(agreement=security.agreement, officer=checker, role="primary")
    case = flows.default_record(
        agreement=security.agreement,
        occurred_on=timezone.localdate() - timedelta(days=3),
        is_payment_default=True,
        description="The quarterly distribution was not paid.",
        by=maker.user,
    )
    case = flows.default_notice_draft(
        case_id=case.pk, by=maker.user, details="The distribution due was not paid."
    )
    case.refresh_from_db()
    return case
