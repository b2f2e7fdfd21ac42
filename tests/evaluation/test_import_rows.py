"""The chunked, column-at-a-time row check (``RowCheck.rows``) gives exactly what the row-by-row check gives.

``Checker.check`` reads rows in chunks and checks each chunk a column at a time; a row with a problem is checked
again by ``RowCheck.row``, and a chunk with no problem and no repeated 学号/身份证号 is registered with set
operations. These tests feed both paths the same rows — a registrar's export with every kind of bad cell mixed
in — and compare every record, problem, message, warning and line number. No database is needed.
"""

import random

import pytest

from benchmarks.bench_import import transcript_rows
from evaluation.importing import check
from evaluation.importing.check import Checker

INSTITUTIONS = {1: ("安徽工业大学", "12340000485000127B"), 2: ("马鞍山学院", "52340500MJ0000000X")}

#: Bad or unusual cells, by column index of ``transcript_rows`` (院校名称 is 0).
ODD = {
    0: ["马鞍山学院", "不存在的大学", "  安徽工业大学 ", "52340500MJ0000000X"],
    1: ["", "2021-0001_a", "学号 有空格", "x" * 33, "２０２１００１"],
    2: ["", " ", "=SUM(A1)", "王" * 51, "@张三", "张　三"],
    3: ["", "M", "女性", "2", "未知"],
    4: ["", "34050420030101123", "340504200301011230", "3405042003010112３9", "34050420031301123X",
        "340504200302301234", "34050420030101123x", " 340504 200301011239", "3.40504E+17", "990000200301011239",
        "110101199003070000"],
    5: ["", "1999", "2025届", "２０２５", "二〇二五"],
    6: ["", "大专", "博士", "研究生", "小学"],
    7: ["", "车辆工程（智能）", "=cmd", "机" * 101],
    8: ["", "Y", "可能"],
    9: ["", "否", "N", "有"],
    10: ["", "ABC-123", "103601202505000001", "12345", "10360120250500000１", "编号"],
    11: ["", "是", "×"],
    12: ["", "1036042025000001", "No.1"],
    13: ["", "6个月", "121", "-1", "1.25", "３"],
    14: ["", "前25%", "0", "100.001", "abc", "25.50"],
    15: ["", "优", "F", "差"],
    16: ["", "5", "二级", "2级"],
    17: ["", "不合格", "?"],
    18: ["", "称职", "差"],
    19: ["", "合格", "?"],
    20: ["", "未完成", "?"],
    21: ["", "=HYPERLINK()", "单" * 101],
    22: ["", "?"],
    23: ["", "?"],
    24: ["", "?"],
    25: ["", "2025/7/15", "20250715", "2025年7月15日", "2025-02-30", "明天", "1999-01-01"],
}


def rows_with_odd_cells(n, seed, share, mess=True):
    rng = random.Random(seed)
    header, *rows = transcript_rows(n, seed)
    out = []
    for row in rows:
        row = list(row)
        if rng.random() < share:
            for _ in range(rng.randint(1, 3)):
                column = rng.choice(list(ODD))
                row[column] = rng.choice(ODD[column])
        out.append(row)
    short = []
    for _ in range(n // 50 if mess else 0):  # repeated 学号 and 身份证号, blank rows, the example row, short rows
        i, j = rng.randrange(n), rng.randrange(n)
        choice = rng.random()
        if choice < 0.3:
            out[i][1] = out[j][1]
        elif choice < 0.6:
            out[i][4], out[i][5] = out[j][4], out[j][5]
        elif choice < 0.75:
            out[i] = [""] * len(out[i])
        elif choice < 0.85:
            out[i][1] = "示例" + out[i][1]
        else:
            short.append(i)
    for i in short:
        out[i] = out[i][: rng.randint(3, 10)]
    return header, out


def checker(header, **options):
    kwargs = {"institutions": INSTITUTIONS, "default_institution": 1, "restricted": True,
              "school_codes": {1: "10360", 2: "14204"}, "default_year": 2025}
    kwargs.update(options)
    return Checker(header, **kwargs)


def padded(header, rows):
    width = len(header)
    return [(list(r) + [""] * width)[:width] + [""] for r in rows]


def result_of(found):
    return (found.records, found.rows, [p.as_list() for p in found.errors], found.error_count,
            found.grouped_warnings(), found.warning_count, found.examples_skipped, found.total)


@pytest.mark.parametrize("options", [{}, {"restricted": False}, {"pilot_majors": {1: {"车辆工程", "软件工程"}}},
                                     {"supplement": True}])
def test_a_chunk_checked_by_column_is_each_row_checked_alone(options):
    header, rows = rows_with_odd_cells(3000, 5, 0.3)
    cells = padded(header, rows)
    by_column = checker(header, **options)
    by_row = checker(header, **options)
    assert by_column.rows(cells) == [by_row.row(c) for c in cells]
    assert any(problems for _r, problems, _n in by_column.rows(cells))  # the bad cells are found
    assert any(notes for _r, _p, notes in by_column.rows(cells))


def test_derived_columns_of_the_xuexin_layout_are_checked_alike():
    header = ["XH", "XM", "XB", "SFZH", "CC", "ZYMC", "YJBYRQ", "BJYJL", "CSRQ"]
    rng = random.Random(3)
    _h, rows = rows_with_odd_cells(1500, 9, 0.2)
    cells = padded(header, [[r[1], r[2], r[3], r[4], r[6], r[7], rng.choice(["20250630", "2025-06", "", "明年"]),
                             rng.choice(["毕业", "结业", "", "退学", "未知"]),
                             rng.choice([r[4][6:14], "", "2003-01-01", "不详"])] for r in padded(_h, rows)])
    by_column, by_row = checker(header), checker(header)
    assert by_column.rows(cells) == [by_row.row(c) for c in cells]


@pytest.mark.parametrize("share", [0.0, 0.002, 0.3])
def test_the_whole_check_is_the_same_whichever_path_a_chunk_takes(monkeypatch, share):
    """A chunk without problems is registered at once; forcing every chunk through the row-by-row loop gives the
    same records, lines, errors, grouped warnings and counts (sink or not)."""
    header, rows = rows_with_odd_cells(2500, 7, share, mess=share > 0)
    fast = checker(header).check([list(r) for r in rows], 2)
    streamed = []
    fast_sink = checker(header).check([list(r) for r in rows], 2, sink=lambda r, line: streamed.append((r, line)))
    monkeypatch.setattr(Checker, "_distinct", staticmethod(lambda *args: False))
    monkeypatch.setattr(check, "CHUNK", 7)
    slow = checker(header).check([list(r) for r in rows], 2)
    assert result_of(fast) == result_of(slow)
    assert result_of(fast_sink)[2:] == result_of(slow)[2:]
    if share == 0.0:
        assert fast.ok and fast.total > 2000 and fast.warning_count
        assert streamed == list(zip(slow.records, slow.rows, strict=True))
    else:
        assert not fast.ok and fast.errors


def test_progress_is_reported_every_5000_rows_and_at_the_end():
    header, rows = rows_with_odd_cells(12_000, 1, 0.0, mess=False)
    seen = []
    found = checker(header).check(rows, 2, progress=seen.append)
    assert found.total == 12_000 and seen == [5000, 10000, 12_000]
