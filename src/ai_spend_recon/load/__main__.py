from ai_spend_recon.load import main

raise SystemExit(main())
