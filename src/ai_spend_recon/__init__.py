"""ai-spend-recon's Python side: the load layer, the command line, the reviewer actions and
the close packet. Logic that a mart holds is never recomputed here."""
