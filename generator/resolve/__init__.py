"""Stage 3 of six (parse -> IR -> resolve -> render -> format -> write): the IR
(`generator.model.docs`) -> the resolved schema (`generator.model.schema`): links, names,
errors, repairs, and the overrides file.

`tree` resolves a whole `DocTree`; `overrides` loads and applies the overrides file;
`report` says what was decided, for `docs2models report`.
"""
