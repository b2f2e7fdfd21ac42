"""Issue 15 §21: a shipped locale is complete, or it is not shipped.

The English mode was removed (half translated). These tests keep it honest: LANGUAGES names exactly the
locales in ``locale/``, and a shipped locale fails the suite as long as one msgid of the code base (extracted
afresh with ``makemessages``) has no translation or a fuzzy one.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import to_locale

ROOT = Path(settings.BASE_DIR)


def shipped_locales():
    found = {}
    for base in settings.LOCALE_PATHS:
        for po in sorted(Path(base).glob("*/LC_MESSAGES/django.po")):
            found[po.parent.parent.name] = po
    return found


def missing_translations(po):
    """msgids of ``po`` that are untranslated or fuzzy (GNU gettext's msgattrib reads the file)."""
    missing = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)], capture_output=True,
                             text=True, check=True).stdout
        missing += [line[7:-1] for line in out.splitlines() if line.startswith('msgid "') and line != 'msgid ""']
    return missing


def test_languages_are_exactly_the_shipped_locales():
    others = {to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    assert others == set(shipped_locales()), "每个 LANGUAGES 中的外语都须在 locale/ 下完整翻译，反之亦然"


def test_no_language_switch_without_a_second_language():
    if len(settings.LANGUAGES) > 1:
        pytest.skip("a second language is shipped: the switch belongs")
    with pytest.raises(NoReverseMatch):
        reverse("set_language")
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="GNU gettext is needed (apt-get install gettext)")
def test_the_checker_finds_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "工作台"\nmsgstr "Dashboard"\n\n'
                  'msgid "退出"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "登录"\nmsgstr "Log"\n', encoding="utf-8")
    assert sorted(missing_translations(po)) == ["登录", "退出"]


@pytest.mark.parametrize("lang", sorted(shipped_locales()) or [pytest.param(None, marks=pytest.mark.skip(
    reason="no locale besides the source language is shipped"))])
def test_every_msgid_is_translated(lang, tmp_path):
    locale_dir = tmp_path / "locale"
    shutil.copytree(shipped_locales()[lang].parent.parent, locale_dir / lang)
    with override_settings(LOCALE_PATHS=[locale_dir]):
        call_command("makemessages", locale=[lang], verbosity=0, no_obsolete=True,
                     ignore_patterns=["tests/*", "benchmarks/*", "test-artifacts/*"])
    missing = missing_translations(locale_dir / lang / "LC_MESSAGES" / "django.po")
    assert not missing, f"{lang}: {len(missing)} msgid 未翻译，例如 {missing[:10]}"
