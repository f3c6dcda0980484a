"""The rating package must stay free of Django so that it runs and tests on its own."""

import ast
import subprocess
import sys
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]


def test_import_does_not_load_django() -> None:
    program = (
        "import sys\n"
        "import leaderboards.rating\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'django')\n"
        "print(','.join(loaded))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_package_imports_only_numpy_scipy_and_itself() -> None:
    package = REPOSITORY_ROOT / "leaderboards" / "rating"
    allowed = {"leaderboards", "numpy", "scipy"} | set(sys.stdlib_module_names)

    for module in sorted(package.glob("*.py")):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, (module.name, name)
                if name.startswith("leaderboards"):
                    assert name.startswith("leaderboards.rating"), (module.name, name)
