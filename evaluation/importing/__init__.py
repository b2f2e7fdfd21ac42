"""A registrar's transcript file into graduates' records: one pipeline for every size and every door.

``read`` (the file → header row + data rows, every limit checked before parsing) → ``check`` (every row:
NFKC cells, the rules with row/column/Chinese message, grouped warnings) → ``write`` (COPY + one UPDATE, all
or nothing). ``columns`` names what is recognised (the template, registrars' Chinese headers, the 学信网
layout); ``values`` parses cells; ``template`` builds the downloadable template. The only caller is
``evaluation.services.imports`` — used by the registrar's page, the Django admin and ``manage.py
import_transcript``.
"""
