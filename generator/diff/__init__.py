"""`docs2models diff`: what changed between two resolved schemas, and whom it can break.

`options` is all the command line loads before `diff` runs; `command` runs it.
"""
