"""ai-spend-recon's Python side: the load layer, the command line (`recon`), the reviewer
actions, the close packet, the demo generator and the benchmarks. Logic that a mart holds
is never recomputed here."""
