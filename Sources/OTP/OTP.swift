// placeholder; replaced by the OTP implementation
