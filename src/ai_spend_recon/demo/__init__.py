"""The demo landing zone generator (`recon demo-data`)."""
