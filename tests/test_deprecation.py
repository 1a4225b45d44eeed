"""`~~deprecated~~` fields keep their notice: a warning on access, quiet everywhere else."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, run_python, write_docs

NOTICE = ": warning: ** DEPRECATED **: Use `plan_id` instead."
DOCS = {"models/shared/account.md": f"""# Account


## Fields

| Field | Type | Required | Description |
| --- | --- | --- | --- |
| `id` | *str* | :heavy_check_mark: | The id. |
| ~~`plan`~~ | *str* | :heavy_check_mark: | {NOTICE}<br/><br/>The plan's name. |
| ~~`from`~~ | *Optional[int]* | :heavy_minus_sign: | {NOTICE} |
| ~~`tier`~~ | *Optional[str]* | :heavy_minus_sign: | Bare strikethrough, no notice. |"""}


def generate(tmp_path: Path, *extra: str) -> Path:
    specs = write_docs(tmp_path, DOCS)
    output = tmp_path / "out"
    result = run_cli(
        "generate", "--specs", str(specs), "--output", str(output), "--package", "acme", *extra
    )
    assert result.returncode == 0, result.stderr
    return output


def test_reading_a_deprecated_field_warns_with_its_notice(tmp_path: Path) -> None:
    output = generate(tmp_path)
    result = run_python(
        """
        import copy, json, pickle, warnings
        from acme.shared import Account
        payload = {"id": "a", "plan": "pro", "from": 7, "tier": "gold"}
        with warnings.catch_warnings(record=True) as quiet:
            warnings.simplefilter("always")
            account = Account.from_dict(payload)
            account.to_dict(); account.to_json(); repr(account)
            pickle.loads(pickle.dumps(account)); copy.deepcopy(account)
        with warnings.catch_warnings(record=True) as loud:
            warnings.simplefilter("always")
            values = [account.plan, account.from_, account.tier, account.id]
        print(json.dumps({
            "quiet": [str(w.message) for w in quiet],
            "loud": [[w.category.__name__, str(w.message)] for w in loud],
            "values": values,
            "docs": {n: f.description for n, f in Account.model_fields.items()},
            "round_trip": account.to_dict() == payload,
        }))
        """,
        output,
    )
    seen = json.loads(result.stdout)
    assert seen["quiet"] == []
    notice = "warning: ** DEPRECATED ** - Use `plan_id` instead."
    assert seen["loud"] == [
        ["DeprecationWarning", notice],
        ["DeprecationWarning", notice],
        ["DeprecationWarning", "deprecated"],
    ]
    assert seen["values"] == ["pro", 7, "gold", "a"]
    assert seen["round_trip"] is True
    # The notice is not part of the description; what follows it is.
    assert seen["docs"]["plan"] == "The plan's name."
    assert seen["docs"]["from_"] is None


def test_the_dataclasses_target_keeps_the_notice_in_field_metadata(tmp_path: Path) -> None:
    output = generate(tmp_path, "--target", "dataclasses")
    result = run_python(
        """
        import dataclasses, json
        from acme.shared import Account
        print(json.dumps({f.name: dict(f.metadata) for f in dataclasses.fields(Account)}))
        """,
        output,
    )
    metadata = json.loads(result.stdout)
    assert metadata["plan"] == {"deprecated": "warning: ** DEPRECATED ** - Use `plan_id` instead."}
    assert metadata["from_"] == {
        "alias": "from",
        "deprecated": "warning: ** DEPRECATED ** - Use `plan_id` instead.",
    }
    assert metadata["tier"] == {"deprecated": True}
    assert metadata["id"] == {}


def test_ir_json_carries_the_notice(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    result = run_cli("ir", "--specs", str(specs))
    assert result.returncode == 0, result.stderr
    account = json.loads(result.stdout)["classes"][0]
    assert [
        (f["name"], f["deprecated"], f.get("deprecation_message")) for f in account["fields"]
    ] == [
        ("id", False, None),
        ("plan", True, "Use `plan_id` instead."),
        ("from_", True, "Use `plan_id` instead."),
        ("tier", True, None),
    ]
