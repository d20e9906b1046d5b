"""`recommend`: search GPU, engine and precision configurations for a workload and cost the best like `report`."""
