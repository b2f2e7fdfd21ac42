"""Who signs a document: the body that issues it (谁评价、谁发证、谁负责).

An ``IssuingBody`` is a stable key (names the credential in settings and the demo key files), the name printed in
the seal and the signing certificate, and its code (统一社会信用代码 for institutions; the division code for
offices). Schools and filed institutions sign what they issue; an HRSS office signs what it files or organises.
No government seal is ever put on a skill certificate: the certificate's issuer is its institution.
"""

from dataclasses import dataclass

from portal.routing import Authority


@dataclass(frozen=True, slots=True)
class IssuingBody:
    key: str  # e.g. "inst-12340000485960317", "hrss-34", "hrss-3405": file names and settings keys
    name: str  # 安徽工业大学, 马鞍山市人力资源和社会保障局
    code: str  # 统一社会信用代码 or 行政区划代码

    @classmethod
    def of_institution(cls, institution):
        return cls(key=f"inst-{institution.uscc}", name=institution.name, code=institution.uscc)

    @classmethod
    def of_authority(cls, authority: Authority, city_name=None):
        code = "34" if authority.is_provincial else str(authority.city_code)
        return cls(key=f"hrss-{code}", name=authority.label(city_name), code=code)
