"""Liaison Desk (联系工作台): the ledger of leading cadres' contact work for a university party office."""

__version__ = "0.1.0"
