"""Reports: briefings (HTML, Markdown, PDF), the SVG charts they and the dashboard draw, and event
export/import in GDELT and other formats."""
