"""ZIP archives from users (XLSX workbooks, certificate photo bundles) checked before a byte is inflated.

A ZIP's central directory states each member's uncompressed size; ``zipfile`` never inflates a member
past its stated size (it raises ``BadZipFile`` on the CRC instead), so summing the stated sizes bounds
what reading can cost. ``check_zip`` refuses, with a Chinese message, an archive with too many members,
too much uncompressed data, or a member compressed beyond any real document's ratio (a zip bomb).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

MB = 1024 * 1024


class ArchiveError(ValueError):
    """The archive is refused; the message is Chinese and says which limit and what to do."""


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 1000
    max_total_bytes: int = 1024 * MB
    max_ratio: int = 200  # uncompressed/compressed for one member; XML of a spreadsheet is ~10-30


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits, *, what: str = "压缩文件") -> list[zipfile.ZipInfo]:
    """The archive's members, once every limit holds; raises ``ArchiveError`` otherwise."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ArchiveError(f"{what}包含{len(members)}个成员，超过上限{limits.max_members}个，未予解压。")
    total = sum(info.file_size for info in members)
    if total > limits.max_total_bytes:
        raise ArchiveError(f"{what}解压后超过{limits.max_total_bytes // MB}MB，未予解压（疑似压缩炸弹）。"
                           "请拆分后分批上传。")
    for info in members:
        if info.file_size > 1 * MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ArchiveError(f"{what}中的“{info.filename[:60]}”压缩比异常（{info.compress_size}字节解压为"
                               f"{info.file_size / MB:.1f}MB），疑似压缩炸弹，未予解压。")
    return members
