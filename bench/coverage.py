"""coverage.json (from `make coverage`) → statement coverage per stage package, with the 80% floor.

Run by `make coverage`; prints one line per package and exits 1 if any is below the floor.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

FLOOR = 80.0


def main(path: str = "build/coverage.json") -> int:
    files = json.loads(Path(path).read_text())["files"]
    covered: dict[str, int] = defaultdict(int)
    statements: dict[str, int] = defaultdict(int)
    for name, data in files.items():
        parts = Path(name).parts
        inside = parts[parts.index("briefgen") + 1:] if "briefgen" in parts else parts
        package = inside[0] if len(inside) > 1 else "(top level)"
        covered[package] += data["summary"]["covered_lines"]
        statements[package] += data["summary"]["num_statements"]
    low = []
    print(f"{'package':<14} {'statements':>10} {'covered':>8}")
    for package in sorted(statements):
        share = 100.0 * covered[package] / max(statements[package], 1)
        print(f"{package:<14} {statements[package]:>10} {share:>7.1f}%")
        if share < FLOOR:
            low.append(package)
    if low:
        print(f"below {FLOOR:.0f}%: {', '.join(low)}")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
