"""Judges ODCS files with the real peers: `datacontract lint` (datacontract-cli's own command, run
in one process for speed) and the ODCS pydantic model (open-data-contract-standard).

Usage: odcs_judge.py <file.odcs.yaml>...  Prints one JSON object: {file: {lint, checks, model}}.
"""

import json
import os
import sys
import tempfile

from datacontract.cli import app
from open_data_contract_standard.model import OpenDataContractStandard
from typer.testing import CliRunner


def judge(path: str, runner: CliRunner, scratch: str) -> dict:
    out = os.path.join(scratch, "lint.json")
    result = runner.invoke(app, ["lint", path, "--output-format", "json", "--output", out])
    lint = {"exit": result.exit_code, "result": None, "checks": []}
    if os.path.exists(out):
        with open(out, encoding="utf-8") as handle:
            run = json.load(handle)
        os.remove(out)
        lint["result"] = run.get("result")
        lint["checks"] = [
            {"result": c.get("result"), "name": c.get("name"), "reason": c.get("reason")} for c in run.get("checks", [])
        ]
    else:
        lint["output"] = result.output[-2000:]
    try:
        OpenDataContractStandard.from_file(path)
        model = "loaded"
    except Exception as error:  # the judge reports, the test decides
        model = f"{type(error).__name__}: {error}"
    return {"lint": lint, "model": model}


def main() -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as scratch:
        print(json.dumps({path: judge(path, runner, scratch) for path in sys.argv[1:]}))


if __name__ == "__main__":
    main()
