"""Scale-out: the ingest pipeline over partitions of a large archive on Dask, written as Parquet,
its units of work, and corpus jobs on that output."""
