import hashlib

import pytest

from xuncha.audit.chain import sm3_hex
from xuncha.files.hashing import Digests, digests_of

# GB/T 32905-2016, appendix A.
SM3_VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("data", "expected"), SM3_VECTORS)
def test_sm3_matches_the_standard_vectors_when_fed_in_pieces(data, expected):
    digests = digests_of(data[i : i + 5] for i in range(0, len(data), 5))
    assert digests.sm3 == expected
    assert digests.sha256 == hashlib.sha256(data).hexdigest()
    assert digests.size == len(data)


def test_digests_can_be_read_twice_and_match_the_audit_chain_helper():
    digests = Digests()
    digests.update(b"evidence")
    assert digests.sm3 == digests.sm3 == sm3_hex(b"evidence")
