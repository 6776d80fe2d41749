// Target otpauth_uri: any text given to OTPAuthURI(parsing:) (users import, code --uri).
// A URI that parses must print (uriString) as one that parses back to the same value,
// and its secret must make codes without trapping.
func fuzzOTPAuthURI(_ bytes: UnsafeRawBufferPointer) {
  let text = String(decoding: bytes, as: UTF8.self)
  guard let uri = try? OTPAuthURI(parsing: text) else { return }
  let printed = uri.uriString
  guard let again = try? OTPAuthURI(parsing: printed) else {
    fatalError("uriString of a parsed URI does not parse: \(printed)")
  }
  guard again == uri else { fatalError("round trip changed the URI: \(printed)") }
  if uri.type == .hotp {
    _ = HOTP.code(secret: uri.secret, counter: uri.counter, algorithm: uri.algorithm, digits: uri.digits)
  } else {
    _ = TOTP.code(secret: uri.secret, at: 1_700_000_000, period: uri.period, algorithm: uri.algorithm, digits: uri.digits)
  }
}
