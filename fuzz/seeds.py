#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/corpus/ (run from the workspace root).

- load_yaml: specs/*.yaml, every YAML fixture, and a cut of each YAML spec in
  ../shared/corpus/ (its first paths and the components they reach, under 64 KiB);
- load_json: the same documents as JSON, the JSON fixtures and cuts of the JSON corpus specs;
- generate_structured, param_decode, validate_request: pseudo-random bytes (splitmix64, the
  same generator as contract_specgen::seed_bytes), which the targets read as choices.
"""
import json
import os
import pathlib
import re
import sys

import yaml

LIMIT = 64 * 1024
ROOT = pathlib.Path(".")
OUT = ROOT / "fuzz" / "corpus"
SHARED = ROOT / ".." / "shared" / "corpus"

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Text(Loader):
    """Timestamps stay text, so every document also dumps as JSON."""


Text.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def write(target, name, data):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > LIMIT:
        print(f"skip {target}/{name}: {len(data)} bytes", file=sys.stderr)
        return
    (folder / name).write_bytes(data)


def keys_to_text(value):
    if isinstance(value, dict):
        return {str(k): keys_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keys_to_text(v) for v in value]
    return value


def refs(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith("#/"):
                found.add(item)
            else:
                refs(item, found)
    elif isinstance(value, list):
        for item in value:
            refs(item, found)


def resolve(doc, pointer):
    node = doc
    for token in pointer[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return None, None
    return node, pointer[2:].split("/")


def cut(doc, dump):
    """The document's first paths and the components they reach, while it stays small."""
    kept = ("openapi", "swagger", "info", "servers", "host", "basePath", "schemes", "consumes",
            "produces", "security", "jsonSchemaDialect")
    out = {k: v for k, v in doc.items() if k in kept}
    if isinstance(out.get("info"), dict) and len(str(out["info"].get("description", ""))) > 500:
        out["info"] = dict(out["info"], description=out["info"]["description"][:500])
    out["paths"] = {}
    for path, item in (doc.get("paths") or {}).items():
        out["paths"][path] = item
        if len(dump(out)) > LIMIT // 2:
            del out["paths"][path]
            break
    # Bring in what the kept paths refer to, transitively, while it fits.
    pending = set()
    refs(out, pending)
    seen = set()
    while pending:
        pointer = pending.pop()
        if pointer in seen:
            continue
        seen.add(pointer)
        target, tokens = resolve(doc, pointer)
        if target is None or len(tokens) < 3:
            continue
        section = out.setdefault(tokens[0], {})
        if tokens[0] == "components":
            group = section.setdefault(tokens[1], {})
            name = tokens[2]
            source = doc["components"][tokens[1]].get(name)
        else:
            group = section
            name = tokens[1]
            source = doc[tokens[0]].get(name)
        if source is None or name in group:
            continue
        group[name] = source
        if len(dump(out)) > LIMIT - 1024:
            del group[name]
            break
        refs(source, pending)
    return out


def yaml_text(doc):
    return yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)


def json_text(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False)


def main():
    # The contracts and fixtures, as written and as JSON.
    files = sorted(ROOT.glob("specs/*.yaml")) + sorted(ROOT.glob("tests/fixtures/**/*.yaml"))
    for path in files:
        label = re.sub(r"[^A-Za-z0-9_.-]", "_", str(path))
        text = path.read_text()
        write("load_yaml", label, text)
        try:
            doc = yaml.load(text, Loader=Text)
        except yaml.YAMLError:
            continue
        write("load_json", label.replace(".yaml", ".json"), json_text(keys_to_text(doc)))
    for path in sorted(ROOT.glob("tests/fixtures/**/*.json")):
        write("load_json", re.sub(r"[^A-Za-z0-9_.-]", "_", str(path)), path.read_bytes())

    # Cuts of the real-world specs.
    for path in sorted(SHARED.iterdir()):
        if path.suffix in (".yaml", ".yml"):
            doc = keys_to_text(yaml.load(path.read_text(), Loader=Text))
            write("load_yaml", f"corpus_{path.stem}.yaml", yaml_text(cut(doc, yaml_text)))
        elif path.suffix == ".json":
            doc = json.loads(path.read_text())
            write("load_json", f"corpus_{path.stem}.json", json_text(cut(doc, json_text)))
    lob = SHARED / "lob" / "lob-api-public.yml"
    if lob.exists():
        doc = keys_to_text(yaml.load(lob.read_text(), Loader=Text))
        write("load_yaml", "corpus_lob_entry.yaml", yaml_text(cut(doc, yaml_text)))

    # Bytes for the structured targets.
    for target, count, size in [
        ("generate_structured", 48, 4096),
        ("param_decode", 32, 256),
        ("validate_request", 32, 512),
    ]:
        for seed in range(count):
            write(target, f"seed-{seed:02}", seed_bytes(seed, size))


def seed_bytes(seed, length):
    mask = (1 << 64) - 1
    state = seed
    out = bytearray()
    while len(out) < length:
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out += (z ^ (z >> 31)).to_bytes(8, "little")
    return bytes(out[:length])


if __name__ == "__main__":
    main()
