"""Reports: deadlines, the 10-day publication package, the quarterly progress report, dashboard figures.

Everything here is pure: the caller fills :mod:`tyndau.reports.model` from the store and gets
bytes, text or JSON-able dicts back. Modules, one concern each:

- ``deadlines`` — announcement, publication, quarterly and central-list dates (Asia/Almaty);
- ``model`` — the frozen data model the builders read;
- ``validate`` — what blocks a final export, and field errors for the review workspace;
- ``i18n``, ``text``, ``tables`` — document strings, text hygiene, the shared table layout;
- ``docx_writer``, ``xlsx_writer`` — the official DOCX look and the XLSX sheet conventions;
- ``package_docx``, ``package_xlsx``, ``package_html``, ``package_csv``, ``package_json`` — the
  10-day publication package, one module per format;
- ``quarterly``, ``quarterly_docx``, ``quarterly_xlsx`` — the quarterly progress report;
- ``figures``, ``charts`` — dashboard aggregates and SVG bar charts.
"""
