"""The paper tests' shared data: the realistic ledger of paper_data, and test certificates
(made once per module: generating keys is slow)."""

import paper_data as pd
import pytest


@pytest.fixture
def data(ledger):
    return pd.build(ledger)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return pd.make_certificates(tmp_path_factory.mktemp("certs"))
