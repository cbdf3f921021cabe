"""Run one case in this process (debugging aid): python -m tests.fuzz._one FAMILY 'ARGS'."""

from __future__ import annotations

import ast
import faulthandler
import sys
import tempfile
from pathlib import Path

from tests.fuzz import _worker
from tests.fuzz._families import all_families
from tests.fuzz._harness import Case

if __name__ == "__main__":
    faulthandler.dump_traceback_later(float(sys.argv[3]) if len(sys.argv) > 3 else 20, exit=True)
    _worker.TMP = Path(tempfile.mkdtemp(prefix="snn-fuzz-one-"))
    fam = {f.name: f for f in all_families()}[sys.argv[1]]
    case = Case(fam.name, ast.literal_eval(sys.argv[2]), "either")
    print(_worker.classify(case, fam.run))
