// placeholder; replaced by the Vault implementation
