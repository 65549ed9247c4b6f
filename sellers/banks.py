"""Indonesian banks a seller can be paid out to, with their transfer codes.

The three-digit code is the bank's *kode bank* (sandi bank) used for interbank transfers (SKN,
RTGS, BI-FAST); payouts need it, so the seller picks a bank from this list rather than typing a
name we would have to match later. The list favours what sellers around Banyuwangi use: the state
banks, the big private banks, the Islamic bank, the regional development bank of East Java (Bank
Jatim) and its neighbour in Bali, and the digital banks popular with young sellers. Add a bank here
(and nowhere else) when a seller needs one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    code: str
    short_name: str
    name: str

    @property
    def label(self) -> str:
        """What the select shows: the name people say, then the official name."""
        if self.short_name == self.name:
            return self.name
        return f"{self.short_name} ({self.name})"


BANKS: tuple[Bank, ...] = (
    Bank("002", "BRI", "Bank Rakyat Indonesia"),
    Bank("009", "BNI", "Bank Negara Indonesia"),
    Bank("008", "Mandiri", "Bank Mandiri"),
    Bank("014", "BCA", "Bank Central Asia"),
    Bank("451", "BSI", "Bank Syariah Indonesia"),
    Bank("200", "BTN", "Bank Tabungan Negara"),
    Bank("114", "Bank Jatim", "BPD Jawa Timur"),
    Bank("129", "BPD Bali", "BPD Bali"),
    Bank("022", "CIMB Niaga", "Bank CIMB Niaga"),
    Bank("011", "Danamon", "Bank Danamon Indonesia"),
    Bank("013", "Permata", "Bank Permata"),
    Bank("016", "Maybank", "Maybank Indonesia"),
    Bank("019", "Panin", "Panin Bank"),
    Bank("028", "OCBC", "Bank OCBC NISP"),
    Bank("147", "Muamalat", "Bank Muamalat Indonesia"),
    Bank("153", "Sinarmas", "Bank Sinarmas"),
    Bank("213", "SMBC Indonesia", "SMBC Indonesia (BTPN)"),
    Bank("426", "Bank Mega", "Bank Mega"),
    Bank("441", "KB Bukopin", "KB Bank (Bukopin)"),
    Bank("501", "blu", "blu by BCA Digital"),
    Bank("535", "SeaBank", "SeaBank Indonesia"),
    Bank("542", "Bank Jago", "Bank Jago"),
)

BANKS_BY_CODE: dict[str, Bank] = {bank.code: bank for bank in BANKS}

#: For form selects and model choices, in the order above (most used first).
BANK_CHOICES: list[tuple[str, str]] = [(bank.code, bank.label) for bank in BANKS]


def bank_label(code: str) -> str:
    """The display name of a bank code; an unknown code (a bank since removed) shows as is."""
    bank = BANKS_BY_CODE.get(code)
    return bank.label if bank else code
