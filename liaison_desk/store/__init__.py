"""The database itself: the peewee models, opening/binding/migrating the file (`storage`), the
hash-chained change log and the row helpers every write uses (`changelog`, `records`), backups,
the writer lock and open marker (`safety`), and `verify`.

May import only the top-level definitions (errors, resources…). Nothing here knows the rules,
the paper or the screens; the settings a backup needs are handed to it by its caller.
"""
