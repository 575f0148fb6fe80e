"""Judges OpenLineage events with the real peer: the models of openlineage-python (the client that
Airflow, dbt and Spark integrations emit with).

Usage: openlineage_judge.py <events.ndjson>  Prints one JSON object: {"events": [{"ok", "errors"}]}.

Each event is built into the client's attrs models, field by field (a key the model does not have
is an error, as is a value of the wrong type or one its validators refuse), each facet into the
class its key names; then the model is serialised back with the client's own Serde and must equal
the event: nothing was dropped, every `_schemaURL` is the one the client's model declares.
Facets named `pipectl_*` are pipectl's own: they must carry `_producer` and `_schemaURL`.
"""

import json
import sys
import typing
from enum import Enum
from typing import Any

import attr
from openlineage.client.event_v2 import JobEvent, RunEvent
from openlineage.client.generated import base
from openlineage.client.generated.column_lineage_dataset import ColumnLineageDatasetFacet
from openlineage.client.generated.data_quality_assertions_dataset import DataQualityAssertionsDatasetFacet
from openlineage.client.generated.documentation_dataset import DocumentationDatasetFacet
from openlineage.client.generated.documentation_job import DocumentationJobFacet
from openlineage.client.generated.error_message_run import ErrorMessageRunFacet
from openlineage.client.generated.job_type_job import JobTypeJobFacet
from openlineage.client.generated.nominal_time_run import NominalTimeRunFacet
from openlineage.client.generated.ownership_dataset import OwnershipDatasetFacet
from openlineage.client.generated.ownership_job import OwnershipJobFacet
from openlineage.client.generated.parent_run import ParentRunFacet
from openlineage.client.generated.schema_dataset import SchemaDatasetFacet
from openlineage.client.generated.sql_job import SQLJobFacet
from openlineage.client.serde import Serde

FACETS = {
    base.RunFacet: {"parent": ParentRunFacet, "errorMessage": ErrorMessageRunFacet, "nominalTime": NominalTimeRunFacet},
    base.JobFacet: {
        "jobType": JobTypeJobFacet,
        "sql": SQLJobFacet,
        "documentation": DocumentationJobFacet,
        "ownership": OwnershipJobFacet,
    },
    base.DatasetFacet: {
        "schema": SchemaDatasetFacet,
        "columnLineage": ColumnLineageDatasetFacet,
        "ownership": OwnershipDatasetFacet,
        "documentation": DocumentationDatasetFacet,
    },
    base.InputDatasetFacet: {"dataQualityAssertions": DataQualityAssertionsDatasetFacet},
    base.OutputDatasetFacet: {},
}


class Refused(Exception):
    pass


def build(tp: Any, value: Any, path: str) -> Any:
    if tp is Any:
        return value
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, __import__("types").UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return build(arg, value, path)
            except Refused as error:
                errors.append(str(error))
        raise Refused("; ".join(errors))
    if origin is list:
        if not isinstance(value, list):
            raise Refused(f"{path}: expected a list, got {value!r}")
        return [build(args[0], item, f"{path}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise Refused(f"{path}: expected an object, got {value!r}")
        item_type = args[1]
        if item_type in FACETS:
            return {key: facet(item_type, key, item, f"{path}.{key}") for key, item in value.items()}
        return {key: build(item_type, item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError as error:
            raise Refused(f"{path}: {error}") from error
    if isinstance(tp, type) and attr.has(tp):
        return build_attrs(tp, value, path)
    if tp in (str, int, bool, float):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise Refused(f"{path}: expected {tp.__name__}, got {value!r}")
        return value
    raise Refused(f"{path}: the judge does not know type {tp!r}")


def facet(kind: type, key: str, value: Any, path: str) -> Any:
    if key.startswith("pipectl_"):
        if not isinstance(value, dict) or not isinstance(value.get("_producer"), str):
            raise Refused(f"{path}: a custom facet needs _producer")
        if not isinstance(value.get("_schemaURL"), str) or "#/$defs/" not in value["_schemaURL"]:
            raise Refused(f"{path}: a custom facet needs a _schemaURL naming its definition")
        return value
    cls = FACETS[kind].get(key)
    if cls is None:
        raise Refused(f"{path}: no {kind.__name__} named {key!r} in the OpenLineage spec")
    return build_attrs(cls, value, path)


def build_attrs(cls: type, value: Any, path: str) -> Any:
    if not isinstance(value, dict):
        raise Refused(f"{path}: expected an object for {cls.__name__}, got {value!r}")
    attr.resolve_types(cls)
    fields = {f.name: f for f in attr.fields(cls)}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise Refused(f"{path}: {cls.__name__} has no field {', '.join(unknown)}")
    kwargs = {}
    for name, field in fields.items():
        if not field.init or name not in value:
            continue
        kwargs[field.alias] = build(field.type, value[name], f"{path}.{name}")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as error:
        raise Refused(f"{path}: {cls.__name__} refused it: {error}") from error


def without_custom(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_custom(v) for k, v in value.items() if not k.startswith("pipectl_")}
    if isinstance(value, list):
        return [without_custom(v) for v in value]
    return value


def judge(event: dict) -> dict:
    cls = RunEvent if "run" in event else JobEvent
    try:
        model = build_attrs(cls, event, "event")
    except Refused as error:
        return {"ok": False, "errors": [str(error)]}
    back = Serde.to_dict(model)
    expected = without_custom(event)
    got = without_custom(back)
    if diff(expected, got, "event"):
        return {"ok": False, "errors": [f"the model serialises differently: {json.dumps(diff(expected, got, 'event'))}"]}
    return {"ok": True, "errors": []}


def diff(a: Any, b: Any, path: str) -> list:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += diff(a.get(key), b.get(key), f"{path}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, f"{path}[{i}]")]
    # A field the event leaves out may come back as the model's empty default.
    if a is None and b in ([], {}):
        return []
    return [] if a == b else [{"path": path, "sent": a, "model": b}]


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        events = [json.loads(line) for line in handle if line.strip()]
    print(json.dumps({"events": [judge(event) for event in events]}))


if __name__ == "__main__":
    main()
