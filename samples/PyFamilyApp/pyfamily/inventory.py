"""The data inventory (seeds/inventory/*.json): which fields exist and which purpose may collect which field."""

from __future__ import annotations

import json
from dataclasses import dataclass


class InventoryError(Exception):
    pass


@dataclass(frozen=True)
class Purpose:
    id: str
    fields: frozenset[str]
    essential: bool
    off_by_default_for_minors: bool
    retention_days: int


class Inventory:
    def __init__(self, doc: dict, source: str):
        self.id = doc.get("id")
        if not isinstance(self.id, str):
            raise InventoryError(f"{source}: id is required")
        self.fields = {f["name"]: f.get("category", "basic") for f in doc.get("fields", [])}
        self.purposes: dict[str, Purpose] = {}
        for p in doc.get("purposes", []):
            unknown = [f for f in p.get("fields", []) if f not in self.fields]
            if unknown:
                raise InventoryError(f"{source}: purpose {p.get('id')} names unknown fields {unknown}")
            self.purposes[p["id"]] = Purpose(p["id"], frozenset(p["fields"]), bool(p.get("essential")),
                                             bool(p.get("offByDefaultForMinors")), int(p["retentionDays"]))


def load_inventory(path: str) -> Inventory:
    try:
        with open(path, encoding="utf-8") as f:
            return Inventory(json.load(f), path)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise InventoryError(f"{path}: cannot read data inventory: {e}") from None
