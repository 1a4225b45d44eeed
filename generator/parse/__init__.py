"""Stage 1 of six (parse -> IR -> resolve -> render -> format -> write): Markdown doc files
-> the parsed doc records of `generator.model.docs` (stage 2, the IR), each with its
file:line location.

`tree` reads a specs folder into a `DocTree`; `document` parses one model doc.
"""
