from pathlib import Path

import pytest

from annotation.services.mtbench_import import mtbench_import_folder
from experts.models import Domain


@pytest.fixture
def mtbench_domain(db: None, mtbench_dir: Path) -> Domain:
    mtbench_import_folder(folder=mtbench_dir)
    return Domain.objects.get(slug="mt-bench")
