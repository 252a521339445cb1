"""PyInstaller's hook for python-docx (it replaces the contributed one, which takes every data
file): its templates without the unpacked copy default.docx was made from (packaging/trim.py)."""

from PyInstaller.utils.hooks import collect_data_files
from trim import DATA_EXCLUDES

datas = collect_data_files("docx", excludes=DATA_EXCLUDES["docx"])
