"""`assistant corpus list|show`, in-process and through the console script."""

import json
import subprocess
import sys

import pytest

from assistant.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_gives_all_leaves_in_order(capsys, corpus):
    code, out, _ = run(capsys, "corpus", "list", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 141
    assert [d["id"] for d in data] == [c.id for c in corpus.leaves()]
    assert set(data[0]) == {"id", "doc", "label", "part", "title", "text"}
    assert data[0]["label"] == "〔河钢标准 第1条第1款〕"


@pytest.mark.parametrize("doc,n", [("HG", 74), ("ss", 67)])
def test_list_by_doc(capsys, doc, n):
    code, out, _ = run(capsys, "corpus", "list", "--doc", doc, "--json")
    assert code == 0 and len(json.loads(out)) == n


def test_show_leaf_and_item(capsys):
    code, out, _ = run(capsys, "corpus", "show", "HG-21.1", "--json")
    assert code == 0 and json.loads(out)["label"] == "〔河钢标准 第21条第1款〕"
    code, out, _ = run(capsys, "corpus", "show", "hg-21", "--json")
    item = json.loads(out)
    assert item["id"] == "HG-21" and [c["id"] for c in item["children"]][-1] == "HG-21.5"
    code, out, _ = run(capsys, "corpus", "show", "SS-2")
    assert code == 0 and "〔四同步清单 第2条⑥〕" in out


def test_show_unknown_id_suggests_nearest(capsys):
    code, out, err = run(capsys, "corpus", "show", "HG-21.9")
    assert code == 2 and out == ""
    assert "HG-21.9" in err and "HG-21.1" in err


def test_bad_arguments_exit_2_in_chinese(capsys):
    with pytest.raises(SystemExit) as e:
        main(["corpus", "list", "--doc", "XX"])
    assert e.value.code == 2
    assert "参数错误" in capsys.readouterr().err


def test_console_script_no_traceback():
    r = subprocess.run([sys.executable, "-m", "assistant", "corpus", "show", "SS-99"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "没有编号为" in r.stderr
