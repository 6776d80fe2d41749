// placeholder; replaced by the Accounts implementation
