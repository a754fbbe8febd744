"""Reading inputs: files, folders, standard input and fsspec URLs, in the formats Parallax takes
(JSON Lines, HTML, WARC, gzip), turned into docs for the pipeline or problems for the run."""
