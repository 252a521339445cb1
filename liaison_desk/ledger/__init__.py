"""The ledger's write services and queries: settings, the roster (cadres, targets, assignments),
activities, sheets and their seals, problems, filings, policy editing, the ledger list, the home
view's overview and the demo data. Every write is one transaction that also writes the change log.

May import the store and the top-level definitions; never the rules, paper, Excel or the faces.
"""
