"""Reports: briefings (HTML, Markdown, PDF), the SVG charts they and the dashboard draw, and event
export in GDELT and other formats (the GDELT import is :mod:`newsparallax.acquire.gdelt`)."""
