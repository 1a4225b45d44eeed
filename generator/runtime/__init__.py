"""The runtime of the generated packages: every package carries these modules, verbatim, in
its `_runtime` folder (the pydantic or the dataclasses models, with what both share).

The generator itself imports only `keys` (Speakeasy's naming of JSON keys), which, like
`errors`, `operations`, `linking` and `settings`, needs the standard library alone.
"""
