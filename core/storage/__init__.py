"""Where rows land: partitions and file names, committed runs, compaction."""
