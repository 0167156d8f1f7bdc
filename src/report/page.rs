//! The frame every HTML page of the tool shares (the run report and the
//! plan page): the `<head>` with its style sheet and a Content Security
//! Policy that forbids the page any request, and HTML escaping.

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report's style sheet.
const STYLE: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --band: #f5f6f8;
  --better: #0b5c8f; --better-bg: #dcecf7; --worse: #8f3a00; --worse-bg: #fbe4d5;
  --changed: #6d2f66; --changed-bg: #f2e1ef; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); margin: 0 auto; padding: 24px 32px 48px; max-width: 1100px; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 20px 0 8px; }
p.sub { color: var(--muted); margin: 0 0 12px; }
nav { background: var(--band); padding: 8px 14px; border-radius: 6px; font-size: .95rem; }
nav a { margin-right: 14px; color: var(--better); text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--band); border-bottom: 2px solid var(--line); }
table.kv th { text-align: left; background: none; font-weight: 600; white-space: nowrap; }
table.kv td { text-align: left; word-break: break-word; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.points td.num { white-space: normal; }
table.verdicts td:nth-child(2), table.verdicts th:nth-child(2), table.verdicts td:nth-child(6), table.verdicts th:nth-child(6) { text-align: left; }
table.points th { font-size: .85rem; }
.wide { overflow-x: auto; }
ul.warnings li { margin: 4px 0; }
p.answer { font-size: 1.15rem; margin: 8px 0; }
ul.targets, ul.notes { margin: 4px 0 10px; padding-left: 20px; }
ul.notes li, ul.targets li { margin: 2px 0; }
table.headline { min-width: 60%; }
.ok { color: var(--muted); }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .85rem; white-space: nowrap; }
.v-better { background: var(--better-bg); color: var(--better); font-weight: 600; }
.v-worse { background: var(--worse-bg); color: var(--worse); font-weight: 600; }
.v-changed { background: var(--changed-bg); color: var(--changed); font-weight: 600; }
.v-ns { color: var(--muted); }
tr.sig td { background: #fbfbf3; }
figure { margin: 18px 0 28px; padding: 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .9rem; margin-top: 6px; }
figcaption code, p code, li code { font-size: .85rem; }
.notes { background: var(--band); border-left: 4px solid var(--line); padding: 6px 14px; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
pre { background: var(--band); padding: 10px; overflow-x: auto; font-size: .8rem; white-space: pre-wrap; word-break: break-word; }
footer { margin-top: 36px; color: var(--muted); font-size: .85rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-height: 235mm; border: none; }
  table { font-size: 8pt; max-width: 100%; }
  th, td { padding: 2px 6px; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  section.plots { break-before: page; page-break-before: always; }
  .wide { overflow: visible; }
  pre { font-size: 7pt; }
}
"#;

/// Opens every `<details>` before printing, so the manifest and the
/// per-point tables are on paper too.
pub(crate) const SCRIPT: &str = "window.addEventListener('beforeprint', function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });";

/// The start of a page up to `<body>`: the style sheet and a Content
/// Security Policy that forbids the page any request (`script`: allow the
/// page's own inline script).
pub(crate) fn head(title: &str, script: bool) -> String {
    let script = if script {
        " script-src 'unsafe-inline';"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';{script} img-src data:\">\n\
         <meta name=\"generator\" content=\"tiersim {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title)
    )
}
