"""The small forms behind the workflows' admin buttons: they collect, the workflow functions
in trustee/workflows/ decide."""

from django import forms

from holders.models import HolderList, Solicitation
from trustee import workflow_rules as rules
from trustee.models import Agreement, ListException, TrustOfficer

DATE = forms.DateInput(attrs={"type": "date"})


def _text(label, required=True):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 3, "cols": 70})
    )


class NoFields(forms.Form):
    pass


class DeliveredForm(forms.Form):
    method = forms.ChoiceField(
        choices=[
            (rules.Delivery.IN_PERSON, "Received in person"),
            (rules.Delivery.TELECOPY, "Telecopied, receipt confirmed"),
            (rules.Delivery.FIRST_CLASS_MAIL, "Mailed first class, postage prepaid"),
            (rules.Delivery.REFUSED, "Refused, or undeliverable to an address not updated"),
        ],
        help_text="§8.3 decides which day counts as received.",
    )
    delivered_on = forms.DateField(widget=DATE, label="on")


class ReceivedForm(forms.Form):
    holder_list = forms.ModelChoiceField(queryset=HolderList.objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        lists = HolderList.objects.order_by("-received_on")
        if case is not None and case.security_id:
            lists = lists.filter(security=case.security)
        self.fields["holder_list"].queryset = lists


class ReasonForm(forms.Form):
    reason = _text("why")


class ExcuseForm(forms.Form):
    exception = forms.ChoiceField(choices=ListException.choices)
    note = _text("what shows it")


class ChecklistForm(forms.Form):
    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        for item in rules.TIA_313_CHECKLIST:
            self.fields[f"{item.code}_yes"] = forms.TypedChoiceField(
                label=f"{item.clause} {item.question}",
                choices=[("", "—"), ("no", "No"), ("yes", "Yes")],
                required=False,
            )
            self.fields[f"{item.code}_facts"] = forms.CharField(
                label="facts", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def answers(self):
        data = self.cleaned_data
        answers = {}
        for code in rules.CHECKLIST_CODES:
            yes = {"yes": True, "no": False}.get(data.get(f"{code}_yes"))
            answers[code] = {"yes": yes, "facts": data.get(f"{code}_facts", "")}
        return answers


class MailedForm(forms.Form):
    mailed_on = forms.DateField(widget=DATE)


class FiledForm(forms.Form):
    filed_on = forms.DateField(widget=DATE)
    filed_with = _text("filed with (the SEC and each exchange, with references)")


class WithholdForm(forms.Form):
    rationale = _text("why withholding is in the interests of the Holders (good faith)")


class DetailsForm(forms.Form):
    details = _text("what the notice tells the Holders")


class CureForm(forms.Form):
    cured_on = forms.DateField(widget=DATE)
    note = _text("what cured it")


class WaiverForm(forms.Form):
    solicitation = forms.ModelChoiceField(queryset=Solicitation.objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        votes = Solicitation.objects.filter(kind=Solicitation.Kind.WAIVER)
        if case is not None:
            votes = votes.filter(record_list__security__agreement=case.agreement)
        self.fields["solicitation"].queryset = votes


class DemandForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.filter(terms__isnull=False))
    details = _text("what the request says (empty: the standard §2.2(a)(ii) text)", False)


class RecordDefaultForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.filter(terms__isnull=False))
    occurred_on = forms.DateField(widget=DATE)
    is_payment_default = forms.BooleanField(
        required=False, label="a default in the payment of a Guarantee Payment"
    )
    description = _text("what happened")
    written_notice_on = forms.DateField(
        widget=DATE, required=False, label="written notice received by the trustee on (§2.7(b))"
    )
    knowledge_officer = forms.ModelChoiceField(
        queryset=TrustOfficer.objects.filter(is_responsible_officer=True, is_active=True),
        required=False,
        label="Responsible Officer who received it",
    )
    notice_received_on = forms.DateField(
        widget=DATE, required=False, label="the Guarantor received notice of the default on"
    )
