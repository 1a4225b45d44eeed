"""The records the stages pass along, shared by every part: the parsed docs (`docs`), the
resolved schema (`schema`) and its JSON form (`irjson`), names, diagnostics and targets."""
