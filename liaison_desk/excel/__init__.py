"""Excel in and out: the project's own streaming .xlsx writer (`xlsx`, `xlsx_styles`), the safe
reader and cell parsing (`read`, `cells`), the workbook kinds shared by import, export and
templates (`kinds`), exports, and the all-or-nothing imports (`importer` machinery, the roster
and ledger importers, `importing` runs them).

May import the rules, the ledger, the store and the top-level definitions; not paper or the faces.
"""
