"""The school's contact rules applied: the periods a rule counts in (`periods`), the compliance
engine (`compliance`: met / short / open / exempt per cadre, rule and period) and the
cadres × rules matrix (`matrix`).

May import the ledger, the store and the top-level definitions (the policy file's loading and
validation is a definition, `liaison_desk.policy`; evaluating it lives here).
"""
