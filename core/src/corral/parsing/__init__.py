"""Loading YAML and JSON with positions (``DataLoader``), and vault decryption."""
