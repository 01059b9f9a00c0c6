"""The officer's desk pages: the landing page (my duties, the department by officer, the
one-click list of overdue duties), an agreement's page, the month calendar and the search.
Each page's queries are counted with a few rows and with many: an N+1 would show."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from holders.models import Holder
from holders.services import seed_demo_holders
from tests.factories import make_agreement, make_officer, make_security, make_terms, with_guarantor
from trustee import desk as reads
from trustee import workflows as flows
from trustee.models import Obligation, OfficerAssignment
from trustee.roles import SUPERVISOR
from trustee.templatetags.formatting import longdate, money

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _agreement(officer, backup=None, **values):
    agreement = make_agreement(**values)
    make_terms(agreement)
    with_guarantor(agreement)
    OfficerAssignment.objects.create(agreement=agreement, officer=officer, role="primary")
    if backup:
        OfficerAssignment.objects.create(agreement=agreement, officer=backup, role="backup")
    return agreement


def _duty(agreement, due, status, officer=None, n=None, **values):
    n = n if n is not None else Obligation.objects.count()
    return Obligation.objects.create(
        agreement=agreement,
        kind="holder_list",
        owed_by="guarantor",
        key=f"test:{due}:{n}",
        title=values.pop("title", f"List of Holders {n}"),
        nominal_date=due,
        due_date=due,
        status=status,
        officer=officer,
        section="2.2(a)",
        **values,
    )


def _queries(client, url):
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured), response


@pytest.fixture
def officer():
    return make_officer("owen")


@pytest.fixture
def supervisor():
    chief = make_officer("sue", responsible=False)
    chief.user.groups.add(Group.objects.get(name=SUPERVISOR))
    return chief


# -- the landing page --------------------------------------------------------------------------


def test_one_click_from_the_landing_page_to_every_overdue_duty(client, officer):
    other = make_officer("olga")
    mine = _agreement(officer, title="Mine Guarantee Agreement")
    theirs = _agreement(other)
    late = [_duty(mine, TODAY() - timedelta(days=d), "overdue", officer) for d in (3, 40)]
    _duty(mine, TODAY() + timedelta(days=5), "due_soon", officer, title="Soon list")
    _duty(mine, TODAY() - timedelta(days=9), "done", officer, title="Done list")
    elsewhere = _duty(theirs, TODAY() - timedelta(days=2), "overdue", other, title="Theirs")
    client.force_login(officer.user)

    page = client.get("/admin/").content.decode()

    assert "My desk" in page and "Soon list" in page and "Done list" not in page
    assert f"{late[0].due_date:%a} {late[0].due_date.day} {late[0].due_date:%b %Y}" in page
    assert f'datetime="{late[0].due_date.isoformat()}"' in page
    mine_link = (
        f"/admin/trustee/obligation/?status__exact=overdue&amp;officer__id__exact={officer.pk}"
    )
    assert f'href="{mine_link}">All 2 overdue duties assigned to me</a>' in page
    assert 'href="/admin/trustee/obligation/?status__exact=overdue">All 3 overdue duties in ' in (
        page
    )
    listed = client.get(mine_link.replace("&amp;", "&")).content.decode()
    assert all(f"/admin/trustee/obligation/{o.pk}/change/" in listed for o in late)
    assert f"/admin/trustee/obligation/{elsewhere.pk}/change/" not in listed
    everyone = client.get("/admin/trustee/obligation/?status__exact=overdue").content.decode()
    assert f"/admin/trustee/obligation/{elsewhere.pk}/change/" in everyone
    assert "/admin/desk/calendar/" in page and "/admin/desk/search/" in page


def test_a_new_officer_finds_every_overdue_duty_of_the_department_in_one_click(client, officer):
    agreement = _agreement(officer)
    late = _duty(agreement, TODAY() - timedelta(days=4), "overdue", officer)
    newcomer = make_officer("nina")
    client.force_login(newcomer.user)
    page = client.get("/admin/").content.decode()
    assert "Nothing late, nothing due soon" in page
    assert "All 1 overdue duty in the department" in page
    listed = client.get("/admin/trustee/obligation/?status__exact=overdue").content.decode()
    assert f"/admin/trustee/obligation/{late.pk}/change/" in listed


def test_the_notice_clock_is_urgent_in_words_at_ten_days_or_fewer(client, officer):
    soon, later = _agreement(officer), _agreement(officer)
    for agreement, days_ago in ((soon, 85), (later, 30)):  # the notice is due 90 days after
        flows.default_record(
            agreement=agreement,
            occurred_on=TODAY() - timedelta(days=days_ago),
            is_payment_default=True,
            description="Distribution not paid.",
            by=officer.user,
        )
    client.force_login(officer.user)
    page = client.get("/admin/desk/").content.decode()
    assert "Urgent: " in page and "5 days left (10 days or fewer)" in page
    assert "60 days left</strong>" in page and "60 days left (10" not in page


def test_the_supervisor_sees_the_department_by_officer(client, officer, supervisor):
    other = make_officer("olga")
    first, second = _agreement(officer), _agreement(other)
    for n in range(3):
        _duty(first, TODAY() - timedelta(days=n + 1), "overdue", officer)
    _duty(second, TODAY() + timedelta(days=3), "due_soon", other)
    flows.default_record(
        agreement=second,
        occurred_on=TODAY() - timedelta(days=10),
        is_payment_default=True,
        description="Not paid.",
        by=other.user,
    )
    client.force_login(supervisor.user)
    page = client.get("/admin/").content.decode()
    assert "The department, by officer" in page
    owen = f"/admin/trustee/obligation/?officer__id__exact={officer.pk}&amp;status__exact=overdue"
    assert f'<a href="{owen}">3 overdue</a>' in page
    olga = f"/admin/trustee/obligation/?officer__id__exact={other.pk}&amp;status__exact=due_soon"
    assert f'<a href="{olga}">1 due soon</a>' in page
    assert f'href="/admin/desk/?officer={other.pk}#desk-defaults">1 open</a>' in page
    # The officer's own desk, as the supervisor opens it from the table.
    desk = client.get(f"/admin/desk/?officer={other.pk}").content.decode()
    assert f"Desk of {other}" in desk and "days left" in desk


def test_only_a_supervisor_opens_another_officers_desk(client, officer):
    other = make_officer("olga")
    client.force_login(officer.user)
    assert client.get(f"/admin/desk/?officer={other.pk}").status_code == 403
    assert "The department, by officer" not in client.get("/admin/").content.decode()


def test_the_landing_page_costs_the_same_queries_for_3_or_30_rows(client, officer, supervisor):
    def grow(count):
        for _ in range(count):
            agreement = _agreement(officer, backup=supervisor)
            _duty(agreement, TODAY() - timedelta(days=3), "overdue", officer)
            _duty(agreement, TODAY() + timedelta(days=3), "due_soon", officer)
            flows.default_record(
                agreement=agreement,
                occurred_on=TODAY() - timedelta(days=20),
                is_payment_default=True,
                description="Not paid.",
                by=officer.user,
            )

    grow(3)
    client.force_login(officer.user)
    few, _ = _queries(client, "/admin/")
    client.force_login(supervisor.user)
    few_supervisor, _ = _queries(client, "/admin/")
    grow(17)  # 20 in all: fewer than the desk shows of each list
    client.force_login(officer.user)
    many, page = _queries(client, "/admin/")
    assert page.content.decode().count("days left</strong>") == 20
    client.force_login(supervisor.user)
    many_supervisor, _ = _queries(client, "/admin/")
    assert many == few <= 25
    assert many_supervisor == few_supervisor <= 25


# -- the agreement's page ----------------------------------------------------------------------


def test_the_agreement_page_shows_header_timeline_and_the_actions_open_now(client, officer):
    agreement = _agreement(officer, title="Guarantee Agreement of Owen Capital Trust")
    make_security(
        agreement,
        cusip="41014P839",
        aggregate_amount=Decimal("75000000"),
        amount_outstanding=Decimal("75000000"),
    )
    soon = _duty(agreement, TODAY() + timedelta(days=20), "upcoming", officer, title="Next list")
    past = _duty(agreement, TODAY() - timedelta(days=200), "done", officer, title="Old list")
    beyond = _duty(agreement, TODAY() + timedelta(days=600), "upcoming", title="Far list")
    case = flows.default_record(
        agreement=agreement,
        occurred_on=TODAY() - timedelta(days=5),
        is_payment_default=True,
        description="Distribution not paid.",
        by=officer.user,
    )
    client.force_login(officer.user)
    page = client.get(f"/admin/desk/agreements/{agreement.pk}/").content.decode()
    assert "Guarantee Agreement of Owen Capital Trust" in page
    assert "Guarantee trustee" in page and "Guarantor / obligor" in page
    assert "41014P839" in page and "USD 75,000,000.00" in page
    assert "In default." in page  # the Event of Default banner
    assert soon.title in page and past.title in page and beyond.title not in page
    assert "Default: " in page  # the workflow step, by its workflow's name
    assert "Distribution not paid." in page  # the event
    draft = f"/admin/trustee/defaultcase/{case.pk}/act/draft/"
    assert f'href="{draft}">Draft the notice to Holders</a>' in page
    assert "/admin/trustee/obligation/?agreement__id__exact=" in page
    assert page.index(soon.title) < page.index(past.title)  # what is next comes first


def test_the_agreement_page_caps_the_timeline_with_show_more(client, officer):
    agreement = _agreement(officer)
    for n in range(8):
        _duty(agreement, TODAY() + timedelta(days=n + 1), "upcoming", officer, title=f"Duty {n}")
    client.force_login(officer.user)
    page = client.get(f"/admin/desk/agreements/{agreement.pk}/?limit=5").content.decode()
    assert "Duty 4" in page and "Duty 5" not in page and "?limit=10#timeline" in page
    page = client.get(f"/admin/desk/agreements/{agreement.pk}/?limit=10").content.decode()
    assert "Duty 7" in page and "Show more" not in page


def test_the_agreement_page_costs_the_same_queries_for_few_or_many_rows(client, officer):
    agreement = _agreement(officer)
    make_security(agreement)

    def grow(count):
        for n in range(count):
            day = TODAY() + timedelta(days=n * 7 - 300)
            _duty(agreement, day, "done" if day < TODAY() else "upcoming", officer)
        flows.default_record(
            agreement=agreement,
            occurred_on=TODAY() - timedelta(days=count),
            is_payment_default=True,
            description="Not paid.",
            by=officer.user,
        )

    grow(2)
    client.force_login(officer.user)
    url = f"/admin/desk/agreements/{agreement.pk}/"
    few, _ = _queries(client, url)
    grow(40)
    many, _ = _queries(client, url)
    assert many == few <= 30


def test_the_agreement_change_page_and_list_link_to_the_desk_page(client, officer):
    agreement = _agreement(officer)
    client.force_login(make_officer("root", superuser=True).user)
    desk = f"/admin/desk/agreements/{agreement.pk}/"
    assert desk in client.get(f"/admin/trustee/agreement/{agreement.pk}/change/").content.decode()
    assert desk in client.get("/admin/trustee/agreement/").content.decode()


def test_an_unknown_agreement_is_a_404(client, officer):
    client.force_login(officer.user)
    assert client.get("/admin/desk/agreements/999999/").status_code == 404


# -- the month calendar ------------------------------------------------------------------------


def test_the_calendar_shows_my_duties_of_the_month_with_their_flags(client, officer):
    other = make_officer("olga")
    mine, theirs = _agreement(officer), _agreement(other)
    saturday = date(2026, 2, 14)
    presidents_day = date(2026, 2, 16)
    _duty(mine, saturday, "upcoming", officer, title="Weekend list", is_weekend=True)
    _duty(mine, presidents_day, "upcoming", officer, title="Holiday list", holiday="Presidents Day")
    _duty(theirs, saturday, "upcoming", other, title="Not my list")
    _duty(mine, date(2026, 3, 20), "upcoming", officer, title="March list")
    client.force_login(officer.user)
    response = client.get("/admin/desk/calendar/?month=2026-02")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Weekend list" in page and "Holiday list" in page
    assert "Not my list" not in page and "March list" not in page
    assert "falls on a weekend" in page and "falls on Presidents Day" in page
    assert "Holiday: " in page  # the day's own flag, in words
    assert f'href="/admin/desk/agreements/{mine.pk}/"' in page
    assert 'href="?month=2026-01"' in page and 'href="?month=2026-03"' in page
    assert '<label for="id_month">' in page and "Sat 14 Feb 2026" in page


def test_a_bad_month_is_explained_not_a_500(client, officer):
    client.force_login(officer.user)
    response = client.get("/admin/desk/calendar/?month=2026-13")
    assert response.status_code == 400
    assert "“2026-13” is not a month: write the year and the month as YYYY-MM" in (
        response.content.decode()
    )
    assert client.get("/admin/desk/calendar/?month=February").status_code == 400


def test_the_supervisor_sees_everyones_calendar_or_one_officers(client, officer, supervisor):
    other = make_officer("olga")
    mine, theirs = _agreement(officer), _agreement(other)
    _duty(mine, date(2026, 2, 10), "upcoming", officer, title="Owen list")
    _duty(theirs, date(2026, 2, 11), "upcoming", other, title="Olga list")
    client.force_login(supervisor.user)
    everyone = client.get("/admin/desk/calendar/?month=2026-02&officer=all").content.decode()
    assert "Owen list" in everyone and "Olga list" in everyone
    one = client.get(f"/admin/desk/calendar/?month=2026-02&officer={other.pk}").content.decode()
    assert "Olga list" in one and "Owen list" not in one
    assert f'href="?officer={other.pk}&amp;month=2026-03"' in one
    client.force_login(officer.user)
    assert client.get(f"/admin/desk/calendar/?officer={other.pk}").status_code == 403


def test_a_crowded_day_shows_some_duties_and_counts_the_rest(client, officer):
    agreement = _agreement(officer)
    for n in range(reads.PER_DAY + 3):
        _duty(agreement, date(2026, 2, 10), "upcoming", officer, title=f"Crowded {n}")
    client.force_login(officer.user)
    page = client.get("/admin/desk/calendar/?month=2026-02").content.decode()
    assert page.count("Crowded ") == reads.PER_DAY
    assert "and 3 more" in page and "due_date__day=10" in page


def test_the_calendar_costs_the_same_queries_for_few_or_many_duties(client, officer, supervisor):
    def grow(count):
        for _ in range(count):
            agreement = _agreement(officer)
            for day in (3, 10, 17):
                _duty(agreement, date(2026, 2, day), "upcoming", officer)

    grow(2)
    client.force_login(officer.user)
    few, _ = _queries(client, "/admin/desk/calendar/?month=2026-02")
    grow(12)
    many, _ = _queries(client, "/admin/desk/calendar/?month=2026-02")
    assert many == few <= 15
    client.force_login(supervisor.user)
    url = "/admin/desk/calendar/?month=2026-02&officer=all"
    everyone, _ = _queries(client, url)
    assert everyone <= 16


# -- the search --------------------------------------------------------------------------------


def test_search_finds_agreements_parties_cusips_and_holders(client, officer):
    agreement = _agreement(officer, short_name="Zephyr Capital II Guarantee")
    security = make_security(agreement, cusip="41014P839", title="7.45% Zephyr Preferred")
    seed_demo_holders(security, count=30)
    holder = Holder.objects.filter(security=security).order_by("pk").first()
    client.force_login(officer.user)

    page = client.get("/admin/desk/search/?q=zephyr").content.decode()
    assert f'href="/admin/desk/agreements/{agreement.pk}/">Zephyr Capital II Guarantee' in page
    assert "7.45% Zephyr Preferred" in page
    page = client.get("/admin/desk/search/?q=41014p839").content.decode()
    assert f"/admin/trustee/security/{security.pk}/change/" in page
    guarantor = agreement.agreement_parties.get().party
    page = client.get(f"/admin/desk/search/?q={guarantor.name[:8]}").content.decode()
    assert f"/admin/trustee/party/{guarantor.pk}/change/" in page
    page = client.get("/admin/desk/search/", {"q": holder.name.lower()}).content.decode()
    assert f"/admin/holders/holder/{holder.pk}/change/" in page
    assert security.title in page and '<label for="desk-q">' in page


def test_holder_search_is_by_the_start_of_the_name_only(client, officer):
    agreement = _agreement(officer)
    security = make_security(agreement)
    seed_demo_holders(security, count=10)
    holder = Holder.objects.filter(security=security).first()
    middle = holder.name[2:8]
    client.force_login(officer.user)
    results = reads_search(middle)
    assert holder not in results.holders
    assert holder in reads_search(holder.name[:4]).holders


def reads_search(query):
    from trustee.search import search

    return search(query)


def test_search_costs_the_same_queries_for_few_or_many_matches(client, officer):
    first = _agreement(officer, short_name="Quince Capital 0 Guarantee")
    seed_demo_holders(make_security(first), count=5)
    client.force_login(officer.user)
    few, _ = _queries(client, "/admin/desk/search/?q=quince")
    for n in range(1, 8):
        agreement = _agreement(officer, short_name=f"Quince Capital {n} Guarantee")
        make_security(agreement, title=f"Quince Preferred {n}")
    many, page = _queries(client, "/admin/desk/search/?q=quince")
    assert "Quince Capital 7 Guarantee" in page.content.decode()
    assert many == few <= 15


# -- who may see the pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/admin/desk/", "/admin/desk/agreements/1/", "/admin/desk/calendar/", "/admin/desk/search/"],
)
def test_anonymous_and_non_staff_users_are_sent_to_the_login(client, django_user_model, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("visitor", is_staff=False))
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_trust_roles_may_not_read_the_pages(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get("/admin/desk/calendar/").status_code == 403
    assert client.get("/admin/desk/search/?q=x").status_code == 403


# -- formats -----------------------------------------------------------------------------------


def test_dates_are_written_with_the_iso_date_on_hover():
    assert longdate(date(2026, 2, 16)) == (
        '<time datetime="2026-02-16" title="2026-02-16">Mon 16 Feb 2026</time>'
    )
    assert longdate(None) == "—"


def test_amounts_have_thousands_separators_and_a_currency():
    assert money(Decimal("75000000")) == "USD 75,000,000.00"
    assert money(Decimal("1234.5"), "EUR") == "EUR 1,234.50"
    assert money(None) == "—"


@pytest.mark.parametrize("text", ["2026-13", "2026-2", "26-02", "February", "2026-02-01"])
def test_a_month_is_written_yyyy_mm(text):
    with pytest.raises(reads.BadMonth, match="YYYY-MM"):
        reads.parse_month(text, today=date(2026, 11, 22))


def test_no_month_is_this_month():
    assert reads.parse_month("", today=date(2026, 11, 22)) == date(2026, 11, 1)
    assert reads.parse_month("2026-02", today=date(2026, 11, 22)) == date(2026, 2, 1)
    assert reads.months_from(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_the_reports_link_shows_only_to_those_who_may_open_the_reports(client):
    from django.urls import reverse

    reports = reverse("reports:index")
    preparer = make_officer("preparer", responsible=False)
    client.force_login(preparer.user)
    assert f'href="{reports}"' not in client.get("/admin/").content.decode()
    assert client.get(reports).status_code == 403

    responsible = make_officer("responsible")
    client.force_login(responsible.user)
    assert f'href="{reports}"' in client.get("/admin/").content.decode()
    assert client.get(reports).status_code == 200
