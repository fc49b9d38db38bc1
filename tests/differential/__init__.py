"""The differential test of the compiled executor: its operations, values, selections, seed and harness."""
