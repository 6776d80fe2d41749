// placeholder; replaced by the QR implementation
