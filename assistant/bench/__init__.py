"""Speed and memory benchmarks: in-process (`inprocess`) and over HTTP (`http`)."""
