"""Stages 4 and 5 of six (parse -> IR -> resolve -> render -> format -> write): the resolved
schema -> module texts (`package`, through Jinja templates), then formatted with black or
ruff (`format`)."""
