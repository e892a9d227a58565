"""ppb-sweep's modules: architecture exploration over ppb-cosim (see docs/exploration.md)."""
