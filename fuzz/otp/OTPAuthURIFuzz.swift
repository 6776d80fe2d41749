// Target otpauth_uri: any text given to OTPAuthURI(parsing:) (users import, code --uri).
// A URI that parses must hold values in the contract's ranges (docs/guide.md,
// "Enrolment": digits 6 or 8, period 1...86400, HOTP counter 0 <= c < 2^63: everything
// after the parse relies on them), print (uriString) as one that parses back to the same
// value, and make codes without trapping.
func fuzzOTPAuthURI(_ bytes: UnsafeRawBufferPointer) {
  let text = String(decoding: bytes, as: UTF8.self)
  guard let uri = try? OTPAuthURI(parsing: text) else { return }
  guard OTPAuthURI.acceptedDigits.contains(uri.digits) else { fatalError("parsed digits \(uri.digits)") }
  guard OTPAuthURI.periodRange.contains(uri.period) else { fatalError("parsed period \(uri.period)") }
  guard uri.counter < 1 << 63 else { fatalError("parsed HOTP counter \(uri.counter) is not below 2^63") }
  guard (OTPAuthURI.minimumSecretLength...OTPAuthURI.maximumSecretLength).contains(uri.secret.count) else {
    fatalError("parsed secret of \(uri.secret.count) bytes")
  }
  let printed = uri.uriString
  guard let again = try? OTPAuthURI(parsing: printed) else {
    fatalError("uriString of a parsed URI does not parse: \(printed)")
  }
  guard again == uri else { fatalError("round trip changed the URI: \(printed)") }
  if uri.type == .hotp {
    _ = HOTP.code(secret: uri.secret, counter: uri.counter, algorithm: uri.algorithm, digits: uri.digits)
  } else {
    _ = TOTP.code(
      secret: uri.secret, at: 1_700_000_000, period: uri.period, algorithm: uri.algorithm, digits: uri.digits)
  }
}
