/// Everything that can be wrong with OTP input. Messages are lowercase, have no final
/// period and name the offending part, so callers can print them after "error: ".
///
/// No case carries secret material: base32 errors name a single character that is not
/// in the alphabet (so it cannot be part of a valid secret) or a position, and URI
/// errors about the secret never repeat its value.
public indirect enum OTPError: Error, Equatable, CustomStringConvertible {
  // Base32
  case invalidBase32Character(Character, position: Int)
  case base32DataAfterPadding(position: Int)
  case invalidBase32Padding(found: Int, expected: Int)
  case invalidBase32Length(Int)
  case base32TrailingBits(position: Int)

  // otpauth URIs
  case notOTPAuthURI
  case unsupportedScheme(String)
  case missingType
  case unsupportedType(String)
  case missingLabel
  case emptyAccount
  case fragmentNotAllowed
  /// `part` is "the label" or "parameter 'NAME'"; `escape` is nil when showing it
  /// would reveal part of the secret.
  case invalidPercentEscape(part: String, escape: String?)
  case invalidUTF8(part: String)
  case controlCharacter(part: String)
  case issuerMismatch(label: String, parameter: String)
  case duplicateParameter(String)
  case missingSecret
  case emptySecret
  case invalidSecret(OTPError)
  case secretTooShort(bytes: Int)
  case secretTooLong(bytes: Int)
  case unsupportedAlgorithm(String)
  case invalidDigits(String)
  case invalidPeriod(String)
  case missingCounter
  case invalidCounter(String)

  public var description: String {
    switch self {
    case .invalidBase32Character(let c, let position):
      return "invalid base32 character \(quoted(String(c))) at position \(position)"
    case .base32DataAfterPadding(let position):
      return "invalid base32: data after '=' padding at position \(position)"
    case .invalidBase32Padding(let found, let expected):
      return "invalid base32 padding: \(found) '=' where \(expected) are needed"
    case .invalidBase32Length(let n):
      return "invalid base32 length: \(n) characters cannot encode whole bytes"
        + " (a final group of 1, 3 or 6 characters is impossible)"
    case .base32TrailingBits(let position):
      return "invalid base32: the last character (position \(position)) has non-zero unused bits"

    case .notOTPAuthURI:
      return "not an otpauth URI (expected otpauth://TYPE/LABEL?secret=...)"
    case .unsupportedScheme(let s):
      return "unsupported URI scheme \(quoted(s)) (expected otpauth)"
    case .missingType:
      return "otpauth URI has no type (expected otpauth://totp/... or otpauth://hotp/...)"
    case .unsupportedType(let t):
      return "unsupported otpauth type \(quoted(t)) (expected totp or hotp)"
    case .missingLabel:
      return "otpauth URI has no label (expected otpauth://TYPE/ISSUER:ACCOUNT?...)"
    case .emptyAccount:
      return "otpauth URI label has an empty account name"
    case .fragmentNotAllowed:
      return "otpauth URI contains '#' (write it as %23 inside a label or parameter)"
    case .invalidPercentEscape(let part, let escape):
      if let escape = escape { return "invalid percent-escape \(quoted(escape)) in \(part)" }
      return "invalid percent-escape in \(part)"
    case .invalidUTF8(let part):
      return "\(part) is not valid UTF-8 after percent-decoding"
    case .controlCharacter(let part):
      return "\(part) contains a control character"
    case .issuerMismatch(let label, let parameter):
      return "otpauth URI issuer mismatch: label says \(quoted(label)) but parameter 'issuer' says \(quoted(parameter))"
    case .duplicateParameter(let name):
      return "otpauth URI has parameter \(quoted(name)) more than once"
    case .missingSecret:
      return "otpauth URI has no secret parameter"
    case .emptySecret:
      return "otpauth URI secret parameter is empty"
    case .invalidSecret(let inner):
      return "otpauth URI secret parameter: \(inner.description)"
    case .secretTooShort(let n):
      return "secret is too short: \(n) bytes (at least 10 bytes, 80 bits, are needed;"
        + " RFC 4226 asks for 16 bytes, 128 bits)"
    case .secretTooLong(let n):
      return "secret is too long: \(n) bytes (at most 1024)"
    case .unsupportedAlgorithm(let a):
      return "unsupported algorithm \(quoted(a)) (expected SHA1, SHA256 or SHA512)"
    case .invalidDigits(let d):
      return "invalid digits \(quoted(d)) (expected 6 or 8)"
    case .invalidPeriod(let p):
      return "invalid period \(quoted(p)) (expected 1 to 86400 seconds)"
    case .missingCounter:
      return "hotp otpauth URI has no counter parameter"
    case .invalidCounter(let c):
      return "invalid counter \(quoted(c)) (expected 0 to \(Int64.max))"
    }
  }
}

/// Quotes user-supplied text for an error message. Control characters are escaped so a
/// crafted URI cannot drive the terminal, and long values are cut so one bad parameter
/// does not flood the output.
func quoted(_ text: String, limit: Int = 64) -> String {
  var out = "'"
  var count = 0
  for scalar in text.unicodeScalars {
    if count == limit {
      out += "..."
      break
    }
    count += 1
    if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
      out += "\\u{" + String(scalar.value, radix: 16) + "}"
    } else {
      out.unicodeScalars.append(scalar)
    }
  }
  return out + "'"
}
