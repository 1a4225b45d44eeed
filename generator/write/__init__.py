"""Stage 6 of six (parse -> IR -> resolve -> render -> format -> write): formatted modules ->
files in OUTPUT, atomic and only those that changed (`files`), with the manifest of what a run
wrote, a journal that finishes or undoes an interrupted run, a lock against concurrent runs
and paths that cannot escape the folder."""
