"""What is printed: the bundled fonts (`fonts`), the page drawing layer (`layout`), record sheets
(`sheet_content` gathers what a sheet prints, `sheet` draws it), the monthly report and term
summary (`report_data`, `report`) and digital signing (`signing`).

May import the rules, the ledger, the store and the top-level definitions; not Excel or the faces.
"""
