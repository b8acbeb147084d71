"""The people named in a report's "people concerned" field (the duplicate check's shared names),
found without jieba's part-of-speech model (54 MB in every web worker)."""

import sys

import pytest

from xuncha.common.textsim import names_in, similarity


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("张明（镇党委书记）、李华", {"张明", "李华"}),
        ("镇党委书记张明", {"张明"}),  # inside a longer phrase, no separator
        ("县财政局局长赵建国和会计孙丽", {"赵建国", "孙丽"}),  # a surname split from its name
        ("欧阳春花、刘德福", {"欧阳春花", "刘德福"}),
        ("村主任王某某收受好处", {"王某某"}),
        ("反映交通局干部、青山村", set()),  # posts and places are not names
        ("", set()),
    ],
)
def test_names_in_a_people_field(text, names):
    assert names_in(text) == names


def test_the_part_of_speech_model_is_not_loaded():
    names_in("镇党委书记张明")
    similarity("张明在镇上违规收受礼金", "镇党委书记张明收受礼金")
    assert "jieba.posseg" not in sys.modules
